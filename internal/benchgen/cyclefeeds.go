package benchgen

import (
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"html"
	"math/rand/v2"
	"os"
	"strings"
	"time"
)

// CycleFeeds generates the upstream of the poll-cycle benchmark: news feeds
// of 20 articles, 30–60 KB each, RSS 2.0 and Atom in turn, whose text is
// made of real news sentences (the news-id corpus when given, else
// sentences of words drawn from the seed articles). About a quarter of the
// articles are wire copies syndicated by several feeds under their own
// headlines (whole, lightly trimmed, or the lead only), so that the
// near-duplicate stage folds real copies; about one article in eight
// mentions North Korea and Russia and is on topic; the rest are unique
// general news, off topic. Feed i is a pure function of i, the seed and the
// base time, so that the server process and the harness generate the same
// bytes. A CycleFeeds is safe for concurrent use.
type CycleFeeds struct {
	titles    []string
	sentences []string
	seed      uint64
	base      time.Time // publication time of the newest article
}

// Shape of the generated feeds: articles in each, and the bounds of a
// feed's size in bytes.
const (
	CycleItems    = 20
	CycleMinBytes = 30 << 10
	CycleMaxBytes = 60 << 10
)

// Mix of the generated articles.
const (
	cycleWireFrac = 0.25 // articles that are wire copies
	cycleTopic    = 0.12 // unique articles that are on topic
)

// topicSentences are written for the benchmark: each names both countries,
// so that an article carrying one is on topic.
var topicSentences = []string{
	"Pemimpin Korea Utara Kim Jong Un menerima delegasi Rusia di Pyongyang untuk membahas kerja sama militer.",
	"Presiden Rusia Vladimir Putin menyebut hubungan Moskow dengan Korea Utara berada pada tingkat tertinggi.",
	"Menteri Luar Negeri Korea Utara Choe Son Hui bertemu Sergei Lavrov di Moskow pekan ini.",
	"Pejabat Korea Selatan menuduh Korea Utara mengirim amunisi ke Rusia melalui jalur kereta api.",
	"Kantor berita KCNA melaporkan Korea Utara dan Rusia menandatangani perjanjian kemitraan strategis.",
	"Analis menilai kedekatan Pyongyang dan Kremlin mengubah peta keamanan di Semenanjung Korea.",
}

// NewCycleFeeds reads the corpus (a CSV file with judul and isi_berita, or
// title and body, columns) or, when path is "", builds its sentences from
// the seed articles' words. Base is the publication time of the newest
// article, to the second.
func NewCycleFeeds(path string, seed uint64, base time.Time) (*CycleFeeds, error) {
	g := &CycleFeeds{seed: seed, base: base.UTC().Truncate(time.Second)}
	if path == "" {
		g.synthesise()
		return g, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bench cycle: corpus: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("bench cycle: corpus %s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("bench cycle: corpus %s: no rows", path)
	}
	title, body := -1, -1
	for i, h := range rows[0] {
		switch h {
		case "judul", "title":
			title = i
		case "isi_berita", "body":
			body = i
		}
	}
	if title < 0 || body < 0 {
		return nil, fmt.Errorf("bench cycle: corpus %s: no judul/isi_berita (title/body) columns", path)
	}
	for _, r := range rows[1:] {
		if t := strings.TrimSpace(r[title]); t != "" {
			g.titles = append(g.titles, t)
		}
		for _, line := range strings.Split(r[body], "\n") {
			for _, s := range splitSentences(line) {
				if len(s) >= 40 && !strings.Contains(strings.ToUpper(s), "SCROLL TO CONTINUE") {
					g.sentences = append(g.sentences, s)
				}
			}
		}
	}
	if len(g.titles) == 0 || len(g.sentences) < 100 {
		return nil, fmt.Errorf("bench cycle: corpus %s: too little text", path)
	}
	return g, nil
}

// splitSentences cuts a paragraph after ". ", "? " and "! ".
func splitSentences(p string) []string {
	var out []string
	start := 0
	for i := 0; i+1 < len(p); i++ {
		if (p[i] == '.' || p[i] == '?' || p[i] == '!') && p[i+1] == ' ' {
			out = append(out, strings.TrimSpace(p[start:i+1]))
			start = i + 2
		}
	}
	if rest := strings.TrimSpace(p[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// synthesise fills the pools with sentences of random words from the seed
// articles, for runs without the corpus.
func (g *CycleFeeds) synthesise() {
	vocab := seedVocabulary()
	rnd := rand.New(rand.NewPCG(g.seed, 0xc0ffee))
	words := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[rnd.IntN(len(vocab))]
		}
		s := strings.Join(ws, " ")
		return strings.ToUpper(s[:1]) + s[1:]
	}
	for range 20_000 {
		g.sentences = append(g.sentences, words(10+rnd.IntN(14))+".")
	}
	for range 1_000 {
		g.titles = append(g.titles, words(6+rnd.IntN(5)))
	}
}

// genArticle is one generated article.
type genArticle struct {
	title string
	paras []string
}

// compose writes an article of about size bytes of sentences, in
// paragraphs of two to four sentences; topic adds a sentence naming both
// countries to its lead.
func (g *CycleFeeds) compose(rnd *rand.Rand, size int, topic bool) genArticle {
	a := genArticle{title: g.titles[rnd.IntN(len(g.titles))]}
	var para []string
	n := 0
	if topic {
		s := topicSentences[rnd.IntN(len(topicSentences))]
		para = append(para, s)
		n += len(s)
		a.title = "Korea Utara dan Rusia: " + a.title
	}
	for n < size {
		s := g.sentences[rnd.IntN(len(g.sentences))]
		if n == 0 {
			s = g.lead(rnd)
		}
		para = append(para, s)
		n += len(s) + 1
		if len(para) >= 2+rnd.IntN(3) {
			a.paras = append(a.paras, strings.Join(para, " "))
			para = nil
		}
	}
	if len(para) > 0 {
		a.paras = append(a.paras, strings.Join(para, " "))
	}
	return a
}

// lead returns an article's first sentence: the first half of one corpus
// sentence joined to the second half of another. The corpus has far fewer
// sentences than the benchmark has articles, and unrelated articles that
// open with the same sentence would look like a summary and its article;
// in real news they almost never do. Copies of a wire story share its lead,
// as syndicated copies do.
func (g *CycleFeeds) lead(rnd *rand.Rand) string {
	a := strings.Fields(g.sentences[rnd.IntN(len(g.sentences))])
	b := strings.Fields(g.sentences[rnd.IntN(len(g.sentences))])
	return strings.Join(a[:(len(a)+1)/2], " ") + " " + strings.Join(b[len(b)/2:], " ")
}

// wire returns wire story w, the same for every feed that carries it.
func (g *CycleFeeds) wire(w int) genArticle {
	rnd := rand.New(rand.NewPCG(g.seed^0x3173, uint64(w)))
	return g.compose(rnd, 1500+rnd.IntN(1200), rnd.Float64() < 0.3)
}

// wires is how many wire stories feeds of n sources draw from: each is
// carried by about four feeds.
func wires(sources int) int {
	return max(1, sources*CycleItems*int(cycleWireFrac*100)/100/4)
}

// feedETag is the entity tag of a generated body.
func feedETag(body []byte) string {
	h := fnv.New64a()
	h.Write(body)
	return fmt.Sprintf(`"%016x"`, h.Sum64())
}

// Feed renders feed s of a benchmark of n sources, served at origin (a URL
// without a trailing slash), RSS 2.0 for even s and Atom for odd s. A draw
// that falls outside 30–60 KB (wire copies have lengths of their own) is
// drawn again towards the middle.
func (g *CycleFeeds) Feed(origin string, s, n int) Feed {
	rnd := rand.New(rand.NewPCG(g.seed, uint64(s)+1))
	target := CycleMinBytes + 2048 + rnd.IntN(CycleMaxBytes-CycleMinBytes-10<<10)
	for attempt := uint64(1); ; attempt++ {
		f := g.render(rand.New(rand.NewPCG(g.seed^attempt<<32, uint64(s)+1)), origin, s, n, target)
		switch {
		case attempt == 8:
			return f
		case len(f.Body) > CycleMaxBytes:
			target -= 3 << 10
		case len(f.Body) < CycleMinBytes:
			target += 3 << 10
		default:
			return f
		}
	}
}

// render writes feed s with articles drawn from rnd, aiming at target bytes.
func (g *CycleFeeds) render(rnd *rand.Rand, origin string, s, n, target int) Feed {
	// Each item carries its text about 1.25 times (the escaped content and
	// the lead as the summary) and some 600 bytes of markup.
	perItem := max(600, (target-800)/CycleItems*4/5-600)
	esc := html.EscapeString
	isAtom := s%2 == 1
	home := fmt.Sprintf("%s/news/%d/", origin, s)
	var b strings.Builder
	b.Grow(target + 8<<10)
	if isAtom {
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id">` + "\n")
		fmt.Fprintf(&b, "<title>Kabar Nusantara %d</title>\n<subtitle>Berita terkini</subtitle>\n<id>%s</id>\n<link rel=\"alternate\" href=\"%s\"/>\n<updated>%s</updated>\n",
			s, esc(home), esc(home), g.base.Format(time.RFC3339))
	} else {
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
			`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">` + "\n<channel>\n")
		fmt.Fprintf(&b, "<title>Kabar Nusantara %d</title>\n<link>%s</link>\n<description>Berita terkini</description>\n<language>id</language>\n", s, esc(home))
	}
	nwires := wires(n)
	for i := range CycleItems {
		var a genArticle
		link := fmt.Sprintf("%s%d/%d.html", home, g.base.Unix()/86400, i)
		if rnd.Float64() < cycleWireFrac {
			a = g.wire(rnd.IntN(nwires))
			a.title = g.titles[rnd.IntN(len(g.titles))] // each outlet heads the copy its own way
			switch rnd.IntN(3) {
			case 0: // the lead only
				a.paras = a.paras[:1]
			case 1: // trimmed
				a.paras = a.paras[:max(1, len(a.paras)-1)]
			}
		} else {
			a = g.compose(rnd, perItem, rnd.Float64() < cycleTopic)
		}
		published := g.base.Add(-time.Duration(i*37+s%60) * time.Minute)
		var content strings.Builder
		for j, p := range a.paras {
			if j == 1 {
				fmt.Fprintf(&content, `<figure><img src="%simg/%d.jpg" alt="Foto"/><figcaption>Foto: dokumentasi</figcaption></figure>`, home, i)
			}
			fmt.Fprintf(&content, "<p>%s</p>\n", esc(p))
		}
		fmt.Fprintf(&content, `<p>Baca juga: <a href="%s%d.html">berita terkait</a></p>`, home, (i+1)%CycleItems)
		category := []string{"Nasional", "Internasional", "Ekonomi", "Politik"}[rnd.IntN(4)]
		if isAtom {
			fmt.Fprintf(&b, "<entry>\n<title>%s</title>\n<id>%s</id>\n<link rel=\"alternate\" href=\"%s\"/>\n<published>%s</published>\n<updated>%s</updated>\n"+
				"<author><name>Redaksi %d</name></author>\n<category term=\"%s\"/>\n<summary>%s</summary>\n<content type=\"html\">%s</content>\n</entry>\n",
				esc(a.title), esc(link), esc(link), published.Format(time.RFC3339), published.Format(time.RFC3339),
				s%97, category, esc(a.paras[0]), esc(content.String()))
		} else {
			fmt.Fprintf(&b, "<item>\n<title>%s</title>\n<link>%s</link>\n<guid isPermaLink=\"true\">%s</guid>\n<pubDate>%s</pubDate>\n"+
				"<dc:creator>Redaksi %d</dc:creator>\n<category>%s</category>\n<description>%s</description>\n<content:encoded><![CDATA[%s]]></content:encoded>\n</item>\n",
				esc(a.title), esc(link), esc(link), published.Format(time.RFC1123Z), s%97, category, esc(a.paras[0]),
				strings.ReplaceAll(content.String(), "]]>", "]]]]><![CDATA[>"))
		}
	}
	ct := "application/rss+xml; charset=utf-8"
	if isAtom {
		b.WriteString("</feed>\n")
		ct = "application/atom+xml; charset=utf-8"
	} else {
		b.WriteString("</channel>\n</rss>\n")
	}
	body := []byte(b.String())
	return Feed{ContentType: ct, Body: body, ETag: feedETag(body)}
}

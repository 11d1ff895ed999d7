package benchgen

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
	"time"
)

// TopicFeeds writes the feeds of the serving benchmark: articles of random
// words drawn from the seed articles' vocabulary. Shingles of three such
// words are almost never shared, so every article is a story of its own,
// and each names both countries in its title, so every one is on topic.
//
// Every article draws on one random source: the feeds depend on the seed
// and on the order they are generated in, and a TopicFeeds is not safe for
// concurrent use.
type TopicFeeds struct {
	vocab []string
	rnd   *rand.Rand
	base  time.Time // publication time of the newest article
}

// NewTopicFeeds returns a generator whose text is drawn with seed.
func NewTopicFeeds(seed uint64) *TopicFeeds {
	return &TopicFeeds{vocab: seedVocabulary(), rnd: rand.New(rand.NewPCG(seed, 0x5eed)), base: time.Date(2025, 11, 10, 8, 0, 0, 0, time.UTC)}
}

func (g *TopicFeeds) words(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.vocab[g.rnd.IntN(len(g.vocab))]
	}
	return strings.Join(ws, " ")
}

func (g *TopicFeeds) sentence() string {
	s := g.words(10 + g.rnd.IntN(12))
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// article returns a title and four to six paragraphs (about 2 KB).
func (g *TopicFeeds) article() (string, []string) {
	title := "North Korea and Russia " + g.words(5+g.rnd.IntN(4))
	paras := make([]string, 4+g.rnd.IntN(3))
	for i := range paras {
		ss := make([]string, 3+g.rnd.IntN(3))
		for j := range ss {
			ss[j] = g.sentence()
		}
		paras[i] = strings.Join(ss, " ")
	}
	return title, paras
}

// Feed renders source s's feed of n articles, served at origin (a URL
// without a trailing slash): RSS 2.0 for even s, Atom for odd s, the first
// paragraph as the summary and all of them as content.
func (g *TopicFeeds) Feed(origin string, s, n int) Feed {
	esc := html.EscapeString
	atom := s%2 == 1
	var b strings.Builder
	home := fmt.Sprintf("%s/news/%d/", origin, s)
	if atom {
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<feed xmlns="http://www.w3.org/2005/Atom">`)
		fmt.Fprintf(&b, "<title>Bench outlet %d</title><id>%s</id><link href=\"%s\"/><updated>%s</updated>\n",
			s, esc(home), esc(home), g.base.Format(time.RFC3339))
	} else {
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
			`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>`)
		fmt.Fprintf(&b, "<title>Bench outlet %d</title><link>%s</link><description>Generated news</description>\n", s, esc(home))
	}
	for i := range n {
		title, paras := g.article()
		link := fmt.Sprintf("%s%d.html", home, i)
		published := g.base.Add(-time.Duration(i*7+s) * time.Minute)
		content := "<p>" + strings.Join(paras, "</p><p>") + "</p>"
		if atom {
			fmt.Fprintf(&b, "<entry><title>%s</title><id>%s</id><link href=\"%s\"/><published>%s</published><updated>%s</updated>"+
				"<author><name>Desk %d</name></author><summary>%s</summary><content type=\"html\">%s</content></entry>\n",
				esc(title), esc(link), esc(link), published.Format(time.RFC3339), published.Format(time.RFC3339),
				s, esc(paras[0]), esc(content))
		} else {
			fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate>"+
				"<description>%s</description><content:encoded>%s</content:encoded></item>\n",
				esc(title), esc(link), esc(link), published.Format(time.RFC1123Z), esc(paras[0]), esc(content))
		}
	}
	if atom {
		b.WriteString("</feed>\n")
	} else {
		b.WriteString("</channel></rss>\n")
	}
	ct := "application/rss+xml; charset=utf-8"
	if atom {
		ct = "application/atom+xml; charset=utf-8"
	}
	return Feed{ContentType: ct, Body: []byte(b.String()), ETag: fmt.Sprintf(`"bench-%d-%d"`, s, b.Len())}
}

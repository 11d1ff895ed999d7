package eval

import (
	"fmt"
	"html"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"aggregator/fetch"
)

// This file is the generator of syndicated near-copies: the edits that
// syndication partners, aggregators and scrapers make to an article. Each
// transform takes an original (title, body as plain text with one paragraph
// per line, link) and returns the copy as a feed would deliver it. The
// generated copies are measured by syndication_test.go through the real
// decision path.

// original is an article a copy is made from.
type original struct {
	ID     string // corpus id, or "seed:NAME"
	Title  string
	Body   string
	URL    string
	Outlet string
	At     time.Time
}

// variant is a generated copy.
type variant struct {
	Title, Body, URL, Outlet string
	Entry                    *fetch.Entry // the entry as parsed from a generated feed, nil when there is none
}

// transform makes one kind of near-copy.
type transform struct {
	name string
	make func(r *rand.Rand, o original, others []original) variant
}

// transforms are the kinds of near-copy measured, one edit each, and one
// that combines several as a scraper does.
var transforms = []transform{
	{"new headline", func(r *rand.Rand, o original, others []original) variant {
		return variant{Title: otherTitle(r, o, others), Body: o.Body, URL: otherURL(r, o), Outlet: otherOutlet(r)}
	}},
	{"boilerplate added", func(r *rand.Rand, o original, others []original) variant {
		return variant{Title: o.Title, Body: addBoilerplate(r, paragraphs(o.Body), others), URL: otherURL(r, o), Outlet: otherOutlet(r)}
	}},
	{"boilerplate removed", func(r *rand.Rand, o original, others []original) variant {
		return variant{Title: o.Title, Body: strings.Join(withoutShortLines(paragraphs(o.Body)), "\n"), URL: otherURL(r, o), Outlet: otherOutlet(r)}
	}},
	{"lead paragraph only", func(r *rand.Rand, o original, others []original) variant {
		return variant{Title: o.Title, Body: lead(paragraphs(o.Body)), URL: otherURL(r, o), Outlet: otherOutlet(r)}
	}},
	{"last paragraphs cut", func(r *rand.Rand, o original, others []original) variant {
		ps := paragraphs(o.Body)
		keep := max(1, (len(ps)*3+4)/5) // the first 60%
		return variant{Title: o.Title, Body: strings.Join(ps[:keep], "\n"), URL: otherURL(r, o), Outlet: otherOutlet(r)}
	}},
	{"paragraph moved", func(r *rand.Rand, o original, others []original) variant {
		return variant{Title: o.Title, Body: strings.Join(moveParagraph(r, paragraphs(o.Body)), "\n"), URL: otherURL(r, o), Outlet: otherOutlet(r)}
	}},
	{"a few words changed", func(r *rand.Rand, o original, others []original) variant {
		return variant{Title: o.Title, Body: changeWords(r, o.Body, 25), URL: otherURL(r, o), Outlet: otherOutlet(r)}
	}},
	{"HTML with entities", func(r *rand.Rand, o original, others []original) variant {
		return variant{Title: fetch.HTMLToText(entities(o.Title)), Body: fetch.HTMLToText(asHTML(r, paragraphs(o.Body))), URL: otherURL(r, o), Outlet: otherOutlet(r)}
	}},
	{"tracking parameters", func(r *rand.Rand, o original, others []original) variant {
		return variant{Title: o.Title, Body: o.Body, URL: withTracking(r, o.URL), Outlet: otherOutlet(r)}
	}},
	{"another outlet's URL", func(r *rand.Rand, o original, others []original) variant {
		return variant{Title: o.Title, Body: o.Body, URL: otherURL(r, o), Outlet: otherOutlet(r)}
	}},
	{"scraped: all of it", func(r *rand.Rand, o original, others []original) variant {
		ps := paragraphs(o.Body)
		keep := max(1, (len(ps)*4+4)/5) // the first 80%
		body := addBoilerplate(r, moveParagraph(r, ps[:keep]), others)
		body = changeWords(r, body, 40)
		return variant{Title: otherTitle(r, o, others), Body: fetch.HTMLToText(asHTML(r, strings.Split(body, "\n"))),
			URL: withTracking(r, otherURL(r, o)), Outlet: otherOutlet(r)}
	}},
	{"aggregator", aggregatorItem},
	{"headline and first sentence", func(r *rand.Rand, o original, others []original) variant {
		return variant{Title: o.Title, Body: firstSentence(lead(paragraphs(o.Body))), URL: otherURL(r, o), Outlet: otherOutlet(r)}
	}},
}

// aggregatorItem is the original as a news aggregator's search feed
// (Google News) carries another outlet's copy of it: the headline with
// " - Outlet", a redirect link, a description that only repeats the
// headline as a link, and the outlet in <source>. The item is parsed by
// fetch.Parse, as a poll of the aggregator's feed would parse it.
func aggregatorItem(r *rand.Rand, o original, others []original) variant {
	outlet := pick(r, outlets)
	id := fmt.Sprintf("CBMi%016x", r.Uint64())
	link := "https://news.google.com/rss/articles/" + id + "?oc=5"
	desc := fmt.Sprintf(`<a href="%s" target="_blank">%s</a>&nbsp;&nbsp;<font color="#6f6f6f">%s</font>`,
		link, html.EscapeString(o.Title), html.EscapeString(outlet))
	feed := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>"north korea" - Google News</title><link>https://news.google.com/search?q=north+korea</link>
<item><title>%s - %s</title><link>%s</link><guid isPermaLink="false">%s</guid><description>%s</description>
<source url="https://%s.example">%s</source></item></channel></rss>`,
		html.EscapeString(o.Title), html.EscapeString(outlet), link, id, html.EscapeString(desc), slug(outlet), html.EscapeString(outlet))
	f, err := fetch.Parse([]byte(feed), "application/rss+xml", "https://news.google.com/rss/search?q=north+korea")
	if err != nil || len(f.Entries) != 1 {
		panic(fmt.Sprintf("aggregator item of %s: %v", o.ID, err))
	}
	e := f.Entries[0]
	return variant{Title: e.Title, Body: e.Text, URL: e.URL, Outlet: "copy: Google News", Entry: &e}
}

// firstSentence is the first sentence of text: up to the first full stop,
// question or exclamation mark followed by a space after at least 40
// characters, or all of its first line.
func firstSentence(text string) string {
	text, _, _ = strings.Cut(text, "\n")
	for i := 40; i < len(text)-1; i++ {
		if strings.ContainsRune(".?!", rune(text[i])) && text[i+1] == ' ' {
			return text[:i+1]
		}
	}
	return text
}

func slug(outlet string) string { return strings.ToLower(strings.ReplaceAll(outlet, " ", "-")) }

// paragraphs splits a plain-text body into its non-blank lines.
func paragraphs(body string) []string {
	var ps []string
	for l := range strings.Lines(body) {
		if l = strings.TrimSpace(l); l != "" {
			ps = append(ps, l)
		}
	}
	return ps
}

func words(s string) int { return len(strings.Fields(s)) }

// lead returns what a feed summary carries: the first paragraphs that are
// sentences (at least eight words), up to 30 words or more.
func lead(ps []string) string {
	var out []string
	n := 0
	for _, p := range ps {
		if words(p) < 8 {
			continue
		}
		out = append(out, p)
		if n += words(p); n >= 30 {
			break
		}
	}
	if len(out) == 0 && len(ps) > 0 {
		return ps[0]
	}
	return strings.Join(out, "\n")
}

// withoutShortLines drops the lines a republisher leaves out as furniture:
// lines of fewer than six words (navigation, captions, datelines).
func withoutShortLines(ps []string) []string {
	var out []string
	for _, p := range ps {
		if words(p) >= 6 {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return ps
	}
	return out
}

// boilerplate a republishing site adds: navigation, share buttons, link
// teasers, credits and footers, in the languages of the corpus.
var (
	navigation = [][]string{
		{"Home", "News", "World", "Asia"},
		{"Beranda", "Internasional", "Asia Pasifik"},
		{"Notification", "×", "Kategori Berita", "Cari Berita", "Iklan"},
		{"Startseite", "Politik", "Ausland"},
	}
	shareButtons = [][]string{
		{"Share", "Tweet", "Copy link"},
		{"Bagikan", "Salin tautan"},
		{"Share this article", "Print"},
	}
	teasers  = []string{"Baca Juga: ", "Read more: ", "Baca juga ", "Also read: ", "Lihat Juga: "}
	credits  = []string{"Associated Press contributed to this report.", "Reuters contributed to this report.", "Additional reporting by Jane Doe; Editing by John Smith", "Penulis: Rina | Editor: Budi"}
	footers  = []string{"Copyright © 2025 The Daily Example. All rights reserved.", "Dapatkan update berita pilihan setiap hari dari kami di Google News.", "Follow us on Telegram for the latest updates"}
	advertis = []string{"Advertisement", "Iklan", "Scroll to continue with content"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// addBoilerplate surrounds the paragraphs with navigation, a credit line,
// share buttons and a footer, and puts link teasers (headlines of other
// articles) and ad markers between them.
func addBoilerplate(r *rand.Rand, ps []string, others []original) string {
	var out []string
	out = append(out, pick(r, navigation)...)
	for i, p := range ps {
		out = append(out, p)
		if i < len(ps)-1 && r.IntN(3) == 0 {
			out = append(out, pick(r, teasers)+pick(r, others).Title)
		}
		if i == 1 {
			out = append(out, pick(r, advertis))
		}
	}
	out = append(out, pick(r, credits))
	out = append(out, pick(r, shareButtons)...)
	out = append(out, pick(r, footers))
	return strings.Join(out, "\n")
}

// moveParagraph moves one paragraph (not the first) to another place.
func moveParagraph(r *rand.Rand, ps []string) []string {
	if len(ps) < 3 {
		return ps
	}
	out := append([]string(nil), ps...)
	from := 1 + r.IntN(len(out)-1)
	p := out[from]
	out = append(out[:from], out[from+1:]...)
	to := r.IntN(len(out))
	if to == from {
		to = (to + 1) % len(out)
	}
	out = append(out[:to], append([]string{p}, out[to:]...)...)
	return out
}

// changeWords replaces about one word in every n with another word, as a
// copy editor or a spinner does.
func changeWords(r *rand.Rand, body string, n int) string {
	subs := []string{"reportedly", "officials", "said", "the", "leader", "meeting", "talks", "also", "week", "pihak", "kabarnya"}
	var lines []string
	for _, l := range strings.Split(body, "\n") {
		ws := strings.Fields(l)
		for i := range ws {
			if r.IntN(n) == 0 {
				ws[i] = pick(r, subs)
			}
		}
		lines = append(lines, strings.Join(ws, " "))
	}
	return strings.Join(lines, "\n")
}

// entities escapes s as HTML and writes quotes, apostrophes, dashes and
// every third non-ASCII letter as character references.
func entities(s string) string {
	var b strings.Builder
	n := 0
	for _, c := range s {
		switch {
		case c == '"':
			b.WriteString("&quot;")
		case c == '\'' || c == '’':
			b.WriteString("&#8217;")
		case c == '–':
			b.WriteString("&ndash;")
		case c == '&':
			b.WriteString("&amp;")
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c > 127:
			if n++; n%3 == 0 {
				fmt.Fprintf(&b, "&#%d;", c)
			} else {
				b.WriteRune(c)
			}
		case c == ' ' && n%7 == 0:
			b.WriteString("&nbsp;")
			n++
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// asHTML wraps paragraphs in the markup of an article page: a script, a
// figure with a caption, inline links and emphasis, a share bar.
func asHTML(r *rand.Rand, ps []string) string {
	var b strings.Builder
	b.WriteString(`<div class="article"><script>var ads = {"slot": "top"};</script>`)
	for i, p := range ps {
		if i == 1 {
			b.WriteString(`<figure><img src="/img/1.jpg" alt=""><figcaption>Foto: Dok. Redaksi</figcaption></figure>`)
		}
		e := entities(p)
		if r.IntN(2) == 0 {
			if k := strings.Index(e, " "); k > 0 {
				e = "<strong>" + e[:k] + "</strong>" + e[k:]
			}
		}
		fmt.Fprintf(&b, "<p>%s</p>\n", e)
	}
	b.WriteString(`<div class="share"><a href="#">Share</a><br><a href="#">Tweet</a></div></div>`)
	return b.String()
}

// withTracking adds the tracking parameters of social shares and
// newsletters to link.
func withTracking(r *rand.Rand, link string) string {
	u, err := url.Parse(link)
	if err != nil || link == "" {
		return link
	}
	q := u.Query()
	q.Set("utm_source", pick(r, []string{"twitter", "facebook", "newsletter"}))
	q.Set("utm_medium", "social")
	q.Set("utm_campaign", fmt.Sprintf("share-%d", r.IntN(1000)))
	if r.IntN(2) == 0 {
		q.Set("fbclid", fmt.Sprintf("IwAR%08x", r.Uint32()))
	}
	u.RawQuery = q.Encode()
	return u.String() + pick(r, []string{"", "#comments", "#top"})
}

var outlets = []string{"Example Daily", "Wire Mirror", "Berita Contoh", "News Aggregator Site", "Kabar Salinan"}

func otherOutlet(r *rand.Rand) string { return "copy: " + pick(r, outlets) }

// otherURL is the copy's address on another site.
func otherURL(r *rand.Rand, o original) string {
	return fmt.Sprintf("https://%s.example/%d/%s", slug(pick(r, outlets)), r.IntN(1e6), html.EscapeString(strings.ReplaceAll(o.ID, ":", "-")))
}

// otherTitle is a new headline: another article's headline words around
// a few of the original's, as re-headlining desks do.
func otherTitle(r *rand.Rand, o original, others []original) string {
	ws := strings.Fields(o.Title)
	if len(ws) > 4 {
		k := r.IntN(len(ws) - 3)
		ws = ws[k : k+3]
	}
	return pick(r, []string{"EXCLUSIVE: ", "UPDATE - ", "", "Breaking: "}) + strings.Join(ws, " ") + " — " + pick(r, others).Title
}

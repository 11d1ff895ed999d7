package main

import (
	"html"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// The full-text end-to-end test serves summary-only feeds whose article
// pages are on the same server: a summary of seed 000 whose page carries
// the whole seed text in a site's chrome, a paywalled page, and a source
// that never fetches its articles.

// outletPage is an outlet's article page: the paragraphs in the site's
// chrome (cookie banner, navigation, share buttons, related links,
// comments, footer).
func outletPage(title string, paras []string) string {
	return `<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>` + html.EscapeString(title) + ` | Kabar Timur</title></head><body>
<div id="onetrust-banner-sdk"><p>We use cookies to improve your experience.</p><button>Accept all cookies</button></div>
<header><nav class="main-nav"><ul><li><a href="/dunia">Dunia</a></li><li><a href="/ekonomi">Ekonomi</a></li>
<li><a href="/olahraga">Olahraga</a></li><li><a href="/langganan">Langganan</a></li></ul></nav></header>
<main><article><h1>` + html.EscapeString(title) + `</h1>
<div class="share-buttons"><a href="https://share.example/fb">Share on Facebook</a> <a href="https://share.example/x">Share on X</a></div>
<div class="story-body">` + paragraphsHTML(paras) + `</div></article>
<aside class="related"><h2>Berita terkait</h2><ul><li><a href="/d/1">Harga cabai naik jelang akhir tahun</a></li>
<li><a href="/d/2">Timnas U-17 lolos ke putaran final</a></li></ul></aside>
<section id="comments" class="comments"><h2>Komentar (1)</h2>
<div class="comment"><p class="author">pembaca42</p><p>Semoga kunjungan ini membawa perdamaian bagi semua pihak di kawasan.</p></div></section>
</main><footer><p>&copy; 2024 Kabar Timur. All rights reserved.</p></footer></body></html>`
}

const paywallPage = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Inside the new sanctions talks | Example Financial</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", "isAccessibleForFree": false}</script>
</head><body><nav><a href="/">Home</a> <a href="/subscribe">Subscribe</a></nav>
<article><h1>Inside the new sanctions talks</h1><p>Diplomats gathered in Geneva this week for a new round of talks.</p>
<div class="paywall"><p>Subscribe to continue reading. Already a subscriber? Sign in.</p></div></article></body></html>`

func TestFetchFullText(t *testing.T) {
	seed0 := seedArticle(t, "000_")
	fs := &feedServer{bodies: map[string]feedBody{}}
	srv := httptest.NewServer(fs)
	t.Cleanup(srv.Close)
	u := func(p string) string { return srv.URL + p }
	rss := func(title string, items ...string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>` + title +
			`</title><link>` + srv.URL + `/</link><description>` + title + `</description>` + strings.Join(items, "\n") + `</channel></rss>`
	}
	item := func(title, link, guid, date, summary string) string {
		return "<item><title>" + html.EscapeString(title) + "</title><link>" + link + "</link><guid isPermaLink=\"false\">" +
			guid + "</guid><pubDate>" + date + "</pubDate><description>" + html.EscapeString("<p>"+summary+"</p>") + "</description></item>"
	}
	// The summary says what the seed says in other words: by itself it is
	// no copy of the seed; its article is.
	summary := "Kremlin menyatakan kunjungan presiden Rusia ke Korea Utara dapat terjadi dalam waktu dekat setelah undangan pemimpin Korea Utara."
	paidSummary := "Diplomat Rusia dan Korea Utara kembali bertemu di Jenewa untuk membahas sanksi dan kerja sama ekonomi kedua negara."
	fs.bodies["/s.rss"] = feedBody{"application/rss+xml", rss("Kabar Timur",
		item("Putin dijadwalkan mengunjungi Pyongyang", u("/kabar/putin-ke-pyongyang"), "s-1", "Mon, 22 Jan 2024 11:00:00 +0700", summary),
		item("Perundingan sanksi Rusia dan Korea Utara di Jenewa", u("/kabar/sanksi-jenewa"), "s-2", "Mon, 22 Jan 2024 12:00:00 +0700", paidSummary))}
	fs.bodies["/kabar/putin-ke-pyongyang"] = feedBody{"text/html; charset=utf-8", outletPage(seed0.Title, seed0.Body)}
	fs.bodies["/kabar/sanksi-jenewa"] = feedBody{"text/html; charset=utf-8", paywallPage}
	fs.bodies["/n.rss"] = feedBody{"application/rss+xml", rss("Berita Ringkas",
		item("Kunjungan Putin ke Korea Utara segera terjadi", u("/ringkas/putin"), "n-1", "Mon, 22 Jan 2024 13:00:00 +0700", summary))}
	fs.bodies["/ringkas/putin"] = feedBody{"text/html; charset=utf-8", outletPage(seed0.Title, seed0.Body)}

	dir := t.TempDir()
	cfg := writeConfig(t, dir, `state: state.db
feed: {url: "https://feeds.example.org/nk-ru/feed.atom"}
sources:
  - {name: Kabar Timur, url: "`+u("/s.rss")+`", full_text: auto}
  - {name: Berita Ringkas, url: "`+u("/n.rss")+`", full_text: never}
fetch: {concurrency: 2, per_host: 2, timeout: 10s}
`)
	out := filepath.Join(dir, "feed.atom")
	requests := func() map[string]int {
		n := map[string]int{}
		for _, r := range fs.takeRequests() {
			n[r.path]++
		}
		return n
	}
	if code, stdout, stderr := runCLI(t, "fetch", "--config", cfg, "--out", out); code != 0 {
		t.Fatalf("fetch exit %d\n%s%s", code, stdout, stderr)
	}
	first := requests()
	for _, p := range []string{"/kabar/putin-ke-pyongyang", "/kabar/sanksi-jenewa"} {
		if first[p] != 1 {
			t.Errorf("first fetch requested %s %d times, want once (requests %v)", p, first[p], first)
		}
	}
	if first["/ringkas/putin"] != 0 {
		t.Errorf("a full_text: never source's page was requested")
	}

	// The summary is suppressed as a copy of seed 000 once its article is
	// read; explain shows the seed and where the text came from.
	code, exp, stderr := runCLI(t, "explain", "--config", cfg, u("/kabar/putin-ke-pyongyang"))
	t.Logf("explain:\n%s", exp)
	if code != 0 || !strings.Contains(exp, "verdict:     seed_duplicate") || !strings.Contains(exp, "seed 000_") ||
		!strings.Contains(exp, "words extracted by go-trafilatura") ||
		!strings.Contains(exp, "fetched "+u("/kabar/putin-ke-pyongyang")) || !strings.Contains(exp, "status 200") ||
		!strings.Contains(exp, "| "+truncate(seed0.Body[0], 100)) {
		t.Errorf("explain of the summary (exit %d):\n%s%s", code, exp, stderr)
	}
	for _, chrome := range []string{"Accept all cookies", "Share on Facebook", "pembaca42", "Berita terkait"} {
		if strings.Contains(exp, chrome) {
			t.Errorf("explain shows the page's chrome %q:\n%s", chrome, exp)
		}
	}
	// The paywalled page is recorded with its kind; the item is decided on
	// its feed's text.
	code, exp, _ = runCLI(t, "explain", "--config", cfg, u("/kabar/sanksi-jenewa"))
	t.Logf("explain:\n%s", exp)
	if code != 0 || !strings.Contains(exp, "article:     no text (paywall)") || !strings.Contains(exp, "the feed's text was compared") ||
		strings.Contains(exp, "verdict:     seed_duplicate") {
		t.Errorf("explain of the paywalled item (exit %d):\n%s", code, exp)
	}
	// The never source's copy, decided on its summary alone, is no seed
	// copy and has no article.
	code, exp, _ = runCLI(t, "explain", "--config", cfg, u("/ringkas/putin"))
	if code != 0 || strings.Contains(exp, "article:") || strings.Contains(exp, "verdict:     seed_duplicate") {
		t.Errorf("explain of the full_text: never item (exit %d):\n%s", code, exp)
	}
	// The published feed carries the publishers' summaries, never the
	// extracted text.
	for _, e := range readAtom(t, out).Entries {
		if strings.Contains(e.Summary, seed0.Body[len(seed0.Body)-1]) {
			t.Errorf("entry %q publishes the article's text", e.Title)
		}
	}

	// A second run fetches no article again.
	if code, stdout, stderr := runCLI(t, "fetch", "--config", cfg, "--out", out); code != 0 {
		t.Fatalf("second fetch exit %d\n%s%s", code, stdout, stderr)
	}
	second := requests()
	for p, n := range second {
		if p != "/s.rss" && p != "/n.rss" {
			t.Errorf("second fetch requested %s %d times, want feeds only", p, n)
		}
	}
}

package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// articlePage is an outlet's article page: chrome around five paragraphs.
var articlePage = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Rail talks resume | Example Tribune</title></head>
<body><nav><a href="/world">World</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a></nav>
<article><h1>Rail talks resume</h1>` + strings.Repeat(`
<p>Officials from Russia and North Korea met in Vladivostok on Tuesday to resume talks on the cross-border railway to Rajin, the regional transport ministry said.</p>`, 5) + `
</article><aside><h2>Related</h2><a href="/1">Ferry service planned for summer</a></aside>
<footer>All rights reserved.</footer></body></html>`

// `aggregator article URL` prints the text on stdout and the provenance
// on stderr, exit 0; a page with no article exits 1 with its kind; bad
// arguments exit 2.
func TestArticleCommand(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/story":
			if ua := r.Header.Get("User-Agent"); ua != "article-test/1.0" {
				t.Errorf("User-Agent %q, want the config's", ua)
			}
			w.Write([]byte(articlePage))
		case "/paywalled":
			w.Write([]byte(`<html><head><script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false}</script></head>
<body><article><h1>Sanctions talks</h1><p>Diplomats met in Geneva.</p><div class="paywall">Subscribe to read on.</div></article></body></html>`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cfg := writeConfig(t, t.TempDir(), `state: state.db
feed: {url: "https://feeds.example.org/feed.atom"}
sources:
  - {name: Wire A, url: "`+srv.URL+`/a.rss"}
fetch: {user_agent: "article-test/1.0"}
`)

	code, stdout, stderr := runCLI(t, "article", "--config", cfg, srv.URL+"/story")
	if code != exitOK {
		t.Fatalf("article: exit %d\n%s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "Rail talks resume\nOfficials from Russia and North Korea met in Vladivostok") ||
		strings.Contains(stdout, "Politics") || strings.Contains(stdout, "Ferry") || strings.Contains(stdout, "rights reserved") {
		t.Errorf("stdout:\n%s", stdout)
	}
	for _, want := range []string{"title:      Rail talks resume", "url:        " + srv.URL + "/story", "status:     200",
		"extractor:  go-trafilatura v", "words:      "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}

	code, stdout, stderr = runCLI(t, "article", "--config", cfg, srv.URL+"/paywalled")
	if code != exitFailure || stdout != "" || !strings.Contains(stderr, "no article (paywall)") {
		t.Errorf("paywalled: exit %d\nstdout %q\n%s", code, stdout, stderr)
	}
	code, _, stderr = runCLI(t, "article", "--config", cfg, srv.URL+"/gone")
	if code != exitFailure || !strings.Contains(stderr, "no article (status)") || !strings.Contains(stderr, "status 404") {
		t.Errorf("404: exit %d\n%s", code, stderr)
	}
	if code, _, _ := runCLI(t, "article", "--config", cfg); code != exitUsage {
		t.Errorf("no URL: exit %d", code)
	}
	if code, _, stderr := runCLI(t, "article", "--config", cfg, "ftp://example.org/x"); code != exitUsage || !strings.Contains(stderr, "bad url") {
		t.Errorf("ftp URL: exit %d\n%s", code, stderr)
	}
	if code, _, _ := runCLI(t, "article", "--config", cfg+".missing", srv.URL+"/story"); code != exitUsage {
		t.Errorf("missing config: exit %d", code)
	}
}

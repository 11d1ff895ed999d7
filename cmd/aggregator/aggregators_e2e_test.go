package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFetchAggregatorFeeds runs "aggregator fetch" over an outlet's own
// feed, a Google News search (full_text: auto, so that its summary-less
// items would want their article) and a Bing News search: one entry per
// article with the outlet as author and the title without " - Outlet", no
// article fetched for a Google redirect link, and nothing fetched but the
// three feeds, twice.
func TestFetchAggregatorFeeds(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", "fetch", "testdata", "aggregators", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	fs := &feedServer{bodies: map[string]feedBody{
		"/reuters.xml": {"application/rss+xml", read("reuters.xml")},
		"/google.xml":  {"application/rss+xml", read("googlenews.xml")},
		"/bing.xml":    {"application/rss+xml", read("bingnews.xml")},
	}}
	ts := httptest.NewServer(fs)
	t.Cleanup(ts.Close)
	srv := ts.URL
	dir := t.TempDir()
	cfg := writeConfig(t, dir, `state: state.db
feed: {url: "https://feeds.example.org/nk-ru/feed.atom"}
dedupe: {window: 87600h}
sources:
  - {name: Google News, url: "`+srv+`/google.xml", full_text: auto}
  - {name: Reuters, url: "`+srv+`/reuters.xml"}
  - {name: Bing News, url: "`+srv+`/bing.xml"}
`)
	out := filepath.Join(dir, "feed.atom")
	for run := 1; run <= 2; run++ {
		if code, stdout, stderr := runCLI(t, "fetch", "--config", cfg, "--out", out); code != 0 {
			t.Fatalf("run %d: exit %d\n%s%s", run, code, stdout, stderr)
		}
		for _, r := range fs.takeRequests() {
			if r.path != "/reuters.xml" && r.path != "/google.xml" && r.path != "/bing.xml" {
				t.Errorf("run %d fetched %s", run, r.path)
			}
		}
	}
	doc := readAtom(t, out)
	got := map[string]string{}
	for _, e := range doc.Entries {
		got[e.Title] = e.Author
		if strings.Contains(e.Summary, "Also reported by") {
			t.Errorf("%q lists an aggregator's copy as another report:\n%s", e.Title, e.Summary)
		}
	}
	want := map[string]string{
		"Putin accepts Kim Jong Un's invitation to visit North Korea, Pyongyang says": "Reuters",
		"Russia and North Korea sign partnership pact":                                "AP News",
	}
	if len(got) != len(want) {
		t.Fatalf("entries (title: author) %v, want %v", got, want)
	}
	for title, author := range want {
		if got[title] != author {
			t.Errorf("entry %q: author %q, want %q (all: %v)", title, got[title], author, got)
		}
	}
	code, exp, _ := runCLI(t, "explain", "--config", cfg,
		"https://news.google.com/rss/articles/CBMiTWh0dHBzOi8vYXBuZXdzLmNvbS9hcnRpY2xlL3J1c3NpYS1ub3J0aC1rb3JlYS1wdXRpbi1raW0tcGFjdNIBAA?oc=5")
	if code != 0 || strings.Contains(exp, "article:") {
		t.Errorf("explain of a Google redirect item (exit %d) shows an article fetch:\n%s", code, exp)
	}
}

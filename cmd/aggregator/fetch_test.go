package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// TestFetchReportsSkippedSources checks what "aggregator fetch" says about
// sources it does not poll — not due yet, or retired by a 410 — and that
// --force polls them all.
func TestFetchReportsSkippedSources(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/cached.rss":
			w.Header().Set("Cache-Control", "max-age=3600")
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<rss version="2.0"><channel><title>c</title><item><title>Weather</title><link>http://c.example/1</link></item></channel></rss>`)
		case "/gone.rss":
			w.WriteHeader(http.StatusGone)
		default:
			http.Error(w, "down", http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := writeConfig(t, dir, `state: state.db
feed: {url: "http://127.0.0.1:8080/feed.atom"}
sources:
  - {name: cached, url: "`+srv.URL+`/cached.rss"}
  - {name: gone, url: "`+srv.URL+`/gone.rss"}
  - {name: down, url: "`+srv.URL+`/down.rss"}
`)
	count := func() string {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Sprintf("cached=%d gone=%d down=%d", hits["/cached.rss"], hits["/gone.rss"], hits["/down.rss"])
	}

	code, stdout, stderr := runCLI(t, "fetch", "--config", cfg)
	if code != 0 || count() != "cached=1 gone=1 down=1" {
		t.Fatalf("first run: exit %d, requests %s\n%s%s", code, count(), stdout, stderr)
	}
	t.Logf("first run:\n%s", stdout)
	for _, want := range []string{"status 410; retired (410)", "status 500; next poll "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("first run does not say %q:\n%s", want, stdout)
		}
	}

	// explain shows the etiquette state of the article's source.
	code, stdout, stderr = runCLI(t, "explain", "--config", cfg, "http://c.example/1")
	t.Logf("explain:\n%s", stdout)
	for _, re := range []string{`(?m)^next poll:\s+not before .* \(max-age\)$`, `(?m)^asks for:\s+max-age 1h0m0s$`, `(?m)^polled:\s+.*, status 200$`} {
		if code != 0 || !regexp.MustCompile(re).MatchString(stdout) {
			t.Errorf("explain (exit %d) does not match %s:\n%s%s", code, re, stdout, stderr)
		}
	}

	code, stdout, stderr = runCLI(t, "fetch", "--config", cfg)
	t.Logf("second run:\n%s", stdout)
	if code != 0 || count() != "cached=1 gone=1 down=1" {
		t.Fatalf("second run: exit %d, requests %s (nothing was due)\n%s%s", code, count(), stdout, stderr)
	}
	for _, re := range []string{
		`(?m)^cached\s+skipped\s.*not due until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+ \(max-age\)$`,
		`(?m)^gone\s+skipped\s.*retired \(410\)`,
		`(?m)^down\s+skipped\s.*not due until .* \(backoff after 1 error: status\)$`,
		`total: 3 sources \(0 failed\), 3 not polled \(2 not due, 1 retired\)`,
	} {
		if !regexp.MustCompile(re).MatchString(stdout) {
			t.Errorf("second run does not match %s:\n%s", re, stdout)
		}
	}

	code, stdout, stderr = runCLI(t, "fetch", "--config", cfg, "--force")
	t.Logf("forced run:\n%s", stdout)
	if code != 0 || count() != "cached=2 gone=2 down=2" || strings.Contains(stdout, "skipped") {
		t.Fatalf("--force: exit %d, requests %s\n%s%s", code, count(), stdout, stderr)
	}
}

package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"aggregator/feeds"
)

func sampleFeed(title string) feeds.Feed {
	return feeds.Feed{
		ID: "https://feeds.example.org/feed.atom", SelfURL: "https://feeds.example.org/feed.atom",
		Title: title, Updated: t0, Stylesheet: Stylesheet,
		Entries: []feeds.Entry{{ID: "tag:feeds.example.org,2026-03-04:story:1", Title: "Kim meets Putin",
			Link: "https://news.example/1", Updated: t0, Author: "Wire A", SummaryHTML: "<p>Summary</p>"}},
	}
}

func serveFeed(c *feedCache, method, path string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	c.serve(rec, req, formats[path], 90*time.Second)
	return rec
}

func TestFeedCacheServe(t *testing.T) {
	var c feedCache
	if rec := serveFeed(&c, "GET", "/feed.atom", nil); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("before the first render: %d, want 503", rec.Code)
	}
	if _, err := c.update(sampleFeed("One"), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	rec := serveFeed(&c, "GET", "/feed.atom", nil)
	body := rec.Body.Bytes()
	etag, lastMod := rec.Header().Get("ETag"), rec.Header().Get("Last-Modified")
	if rec.Code != 200 || !bytes.Contains(body, []byte("Kim meets Putin")) {
		t.Fatalf("GET: %d %s", rec.Code, body)
	}
	if !bytes.Contains(body, []byte(`<?xml-stylesheet type="text/css" href="feed.css"?>`)) {
		t.Error("the Atom feed names no stylesheet")
	}
	for k, want := range map[string]string{
		"Content-Type":   "application/atom+xml; charset=utf-8",
		"Cache-Control":  "public, max-age=90",
		"Last-Modified":  "Wed, 04 Mar 2026 05:06:07 GMT",
		"Content-Length": strconv.Itoa(len(body)),
		"Vary":           "Accept, Accept-Encoding",
	} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}

	tests := []struct {
		name   string
		method string
		header map[string]string
		code   int
	}{
		{"matching ETag", "GET", map[string]string{"If-None-Match": etag}, 304},
		{"ETag in a list, weak", "GET", map[string]string{"If-None-Match": `"x", W/` + etag}, 304},
		{"star", "GET", map[string]string{"If-None-Match": "*"}, 304},
		{"other ETag", "GET", map[string]string{"If-None-Match": `"x"`}, 200},
		{"other ETag wins over a current date", "GET", map[string]string{"If-None-Match": `"x"`, "If-Modified-Since": lastMod}, 200},
		{"same date", "GET", map[string]string{"If-Modified-Since": lastMod}, 304},
		{"later date", "GET", map[string]string{"If-Modified-Since": "Thu, 05 Mar 2026 00:00:00 GMT"}, 304},
		{"earlier date", "GET", map[string]string{"If-Modified-Since": "Tue, 03 Mar 2026 00:00:00 GMT"}, 200},
		{"bad date", "GET", map[string]string{"If-Modified-Since": "yesterday"}, 200},
		{"HEAD conditional", "HEAD", map[string]string{"If-None-Match": etag}, 304},
		{"POST", "POST", nil, 405},
	}
	for _, tt := range tests {
		rec := serveFeed(&c, tt.method, "/feed.atom", tt.header)
		if rec.Code != tt.code {
			t.Errorf("%s: %d, want %d", tt.name, rec.Code, tt.code)
		}
		if rec.Code == 304 && rec.Body.Len() != 0 {
			t.Errorf("%s: 304 with a body", tt.name)
		}
	}

	rec = serveFeed(&c, "HEAD", "/feed.atom", nil)
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %s", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
	}

	rec = serveFeed(&c, "GET", "/feed.atom", map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip not used: %v", rec.Header())
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !bytes.Equal(plain, body) {
		t.Error("gzip body differs from the feed")
	}
	gzTag := rec.Header().Get("ETag")
	if gzTag == etag || !strings.HasPrefix(gzTag, `"`) {
		t.Errorf("gzip ETag %q (identity %q)", gzTag, etag)
	}

	// A browser opening the feed gets it as XML it renders with the stylesheet.
	rec = serveFeed(&c, "GET", "/feed.atom", map[string]string{"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
	if ct := rec.Header().Get("Content-Type"); ct != "application/xml; charset=utf-8" {
		t.Errorf("browser navigation got %q", ct)
	}
	rec = serveFeed(&c, "GET", "/feed.atom", map[string]string{"Accept": "application/atom+xml, text/html;q=0.1"})
	if ct := rec.Header().Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("a reader asking for Atom got %q", ct)
	}

	for path, ct := range map[string]string{"/feed.rss": "application/rss+xml; charset=utf-8", "/feed.json": "application/feed+json; charset=utf-8"} {
		rec := serveFeed(&c, "GET", path, nil)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != ct {
			t.Errorf("%s: %d %q", path, rec.Code, rec.Header().Get("Content-Type"))
		}
		if bytes.Contains(rec.Body.Bytes(), []byte("xml-stylesheet")) {
			t.Errorf("%s names a stylesheet", path)
		}
		want := strings.Replace("https://feeds.example.org/feed.atom", "atom", path[len("/feed."):], 1)
		if !bytes.Contains(rec.Body.Bytes(), []byte(want)) {
			t.Errorf("%s does not give its own URL %s", path, want)
		}
	}
}

// TestFeedCacheLastModifiedFollowsChanges: a new render with the same bytes
// keeps the validators; new bytes with the same updated time (a reload
// changed the title) still move Last-Modified forward.
func TestFeedCacheLastModifiedFollowsChanges(t *testing.T) {
	var c feedCache
	if _, err := c.update(sampleFeed("One"), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	first := *c.get(feeds.FormatAtom)
	if _, err := c.update(sampleFeed("One"), t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	same := *c.get(feeds.FormatAtom)
	if same.etag != first.etag || !same.modified.Equal(first.modified) {
		t.Errorf("an identical render changed the validators: %v %v -> %v %v", first.etag, first.modified, same.etag, same.modified)
	}
	if _, err := c.update(sampleFeed("Two"), t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	changed := *c.get(feeds.FormatAtom)
	if changed.etag == first.etag {
		t.Error("a changed feed kept its ETag")
	}
	if !changed.modified.Equal(t0.Add(3 * time.Hour)) {
		t.Errorf("Last-Modified %v after a change at %v", changed.modified, t0.Add(3*time.Hour))
	}
	rec := serveFeed(&c, "GET", "/feed.atom", map[string]string{"If-Modified-Since": first.modified.Format(http.TimeFormat)})
	if rec.Code != 200 {
		t.Errorf("If-Modified-Since the old date after a change: %d, want 200", rec.Code)
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := map[string]bool{
		"":                    false,
		"gzip":                true,
		"GZIP":                true,
		"deflate, gzip;q=1":   true,
		"gzip;q=0":            false,
		"gzip; q=0.0":         false,
		"*":                   true,
		"*;q=0":               false,
		"gzip;q=0, *":         false,
		"identity":            false,
		"x-gzip":              true,
		"br;q=1.0, gzip;q=.5": true,
	}
	for header, want := range tests {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestStylesheetServed(t *testing.T) {
	req := httptest.NewRequest("GET", "/feed.css", nil)
	rec := httptest.NewRecorder()
	serveStylesheet(rec, req)
	h := rec.Header()
	if rec.Code != 200 || h.Get("Content-Type") != "text/css; charset=utf-8" ||
		!strings.Contains(rec.Body.String(), "@namespace url(http://www.w3.org/2005/Atom);") {
		t.Fatalf("GET /feed.css: %d %q", rec.Code, h.Get("Content-Type"))
	}
	if h.Get("Cache-Control") != "public, max-age=86400" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("ETag") == "" {
		t.Errorf("GET /feed.css headers: %v", h)
	}
	if strings.Contains(rec.Body.String(), "xsl") {
		t.Error("the stylesheet mentions XSLT")
	}
	req.Header.Set("If-None-Match", h.Get("ETag"))
	rec = httptest.NewRecorder()
	serveStylesheet(rec, req)
	if rec.Code != 304 {
		t.Errorf("conditional GET /feed.css: %d, want 304", rec.Code)
	}
}

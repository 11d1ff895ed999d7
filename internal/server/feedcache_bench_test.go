package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"aggregator/feeds"
)

// benchFeed is a feed of n entries of about a kilobyte each, the size the
// serving benchmark (bench/serve.sh) publishes.
func benchFeed(n int) feeds.Feed {
	f := sampleFeed("Serving benchmark")
	f.Entries = nil
	for i := range n {
		f.Entries = append(f.Entries, feeds.Entry{
			ID:    fmt.Sprintf("tag:feeds.example.org,2026-03-04:story:%d", i),
			Title: fmt.Sprintf("North Korea and Russia, story %d", i), Link: fmt.Sprintf("https://news.example/%d", i),
			Updated: t0, Author: "Wire A",
			SummaryHTML: "<p>" + strings.Repeat(fmt.Sprintf("word%d ", i), 120) + "</p>",
		})
	}
	return f
}

// headerWriter is a ResponseWriter that keeps nothing but a fresh header map
// per request, as net/http gives each request: what it measures is the
// handler's own work.
type headerWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *headerWriter) Header() http.Header         { return w.h }
func (w *headerWriter) WriteHeader(code int)        { w.code = code }
func (w *headerWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// BenchmarkServeFeed measures the daemon's work for one request of
// /feed.atom (100 entries) beyond what net/http does: plain, gzip, and a
// conditional request answered 304. The whole request over a socket is
// measured against nginx by bench/serve.sh (BENCHMARKS.md, section 4).
func BenchmarkServeFeed(b *testing.B) {
	s := &Server{sched: fakeSchedule{period: 15 * time.Minute, next: time.Now().Add(10 * time.Minute)}, now: time.Now}
	if _, err := s.feeds.update(benchFeed(100), t0); err != nil {
		b.Fatal(err)
	}
	rd := s.feeds.get(feeds.FormatAtom)
	for _, bc := range []struct {
		name   string
		header map[string]string
		code   int
		size   int
	}{
		{"plain", nil, 200, len(rd.body)},
		{"gzip", map[string]string{"Accept-Encoding": "gzip"}, 200, len(rd.gz)},
		{"304", map[string]string{"If-None-Match": rd.etag}, 304, 0},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/feed.atom", nil)
			for k, v := range bc.header {
				req.Header.Set(k, v)
			}
			w := &headerWriter{}
			b.ReportAllocs()
			for b.Loop() {
				w.h, w.code, w.n = make(http.Header), 0, 0
				s.serveFeed(w, req, feeds.FormatAtom)
			}
			if w.code != bc.code || w.n != bc.size {
				b.Fatalf("status %d with %d bytes, want %d with %d", w.code, w.n, bc.code, bc.size)
			}
		})
	}
}

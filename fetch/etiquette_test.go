package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseHints(t *testing.T) {
	tests := []struct {
		name, body string
		want       Hints
	}{
		{"rss ttl and skips", `<rss version="2.0"><channel><title>t</title><ttl>90</ttl>
			<skipHours><hour>0</hour><hour>1</hour><hour>24</hour><hour>x</hour></skipHours>
			<skipDays><day>Saturday</day><day>sunday</day><day>Funday</day></skipDays>
			<item><title>a</title><link>http://a.example/1</link></item></channel></rss>`,
			Hints{TTL: 90 * time.Minute, SkipHours: []int{0, 1}, SkipDays: []time.Weekday{time.Saturday, time.Sunday}}},
		{"rss sy", `<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>t</title>
			<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>
			<item><title>a</title></item></channel></rss>`,
			Hints{UpdatePeriod: 6 * time.Hour}},
		{"rss 1.0 sy", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
			xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>t</title>
			<sy:updatePeriod>hourly</sy:updatePeriod></channel><item><title>a</title><link>http://a.example/1</link></item></rdf:RDF>`,
			Hints{UpdatePeriod: time.Hour}},
		{"atom sy", `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
			<title>t</title><id>x</id><sy:updatePeriod>weekly</sy:updatePeriod>
			<entry><title>a</title><id>1</id></entry></feed>`,
			Hints{UpdatePeriod: 7 * 24 * time.Hour}},
		{"no hints", rss2Fixture, Hints{}},
		{"nonsense", `<rss version="2.0"><channel><ttl>-5</ttl><item><title>a</title></item></channel></rss>`, Hints{}},
		{"huge ttl", `<rss version="2.0"><channel><ttl>153722867280912931</ttl><item><title>a</title></item></channel></rss>`, Hints{TTL: maxHint}},
		{"out of range ttl", `<rss version="2.0"><channel><ttl>99999999999999999999999</ttl><item><title>a</title></item></channel></rss>`, Hints{TTL: maxHint}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, tt.body, "application/xml", "http://a.example/feed")
			if !reflect.DeepEqual(f.Hints, tt.want) {
				t.Errorf("hints = %+v, want %+v", f.Hints, tt.want)
			}
		})
	}
}

func TestCacheHints(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Add(kv[i], kv[i+1])
		}
		return h
	}
	tests := []struct {
		name    string
		h       http.Header
		maxAge  time.Duration
		expires time.Duration
	}{
		{"max-age", hdr("Cache-Control", "public, max-age=1800"), 30 * time.Minute, 0},
		{"max-age wins over expires", hdr("Cache-Control", "max-age=60", "Expires", "Thu, 01 Jan 2026 18:00:00 GMT"), time.Minute, 0},
		{"expires on the server's clock", hdr("Date", "Thu, 01 Jan 2026 10:00:00 GMT", "Expires", "Thu, 01 Jan 2026 11:00:00 GMT"), 0, time.Hour},
		{"expires without date", hdr("Expires", "Thu, 01 Jan 2026 14:00:00 GMT"), 0, 2 * time.Hour},
		{"expired", hdr("Expires", "0"), 0, 0},
		{"no-cache", hdr("Cache-Control", "no-cache, max-age=600"), 0, 0},
		{"huge max-age", hdr("Cache-Control", "max-age=99999999999999999999999"), maxHint, 0},
		{"none", hdr(), 0, 0},
	}
	for _, tt := range tests {
		maxAge, expires := cacheHints(tt.h, now)
		if maxAge != tt.maxAge || expires != tt.expires {
			t.Errorf("%s: max-age %v expires %v, want %v %v", tt.name, maxAge, expires, tt.maxAge, tt.expires)
		}
	}
}

// TestFetchRedirects checks which redirect chains move the source: only an
// unbroken chain of permanent redirects from the requested URL, and only
// when it ends at a feed.
func TestFetchRedirects(t *testing.T) {
	var base string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/301":
			http.Redirect(w, r, "/308", http.StatusMovedPermanently)
		case "/308":
			http.Redirect(w, r, "/feed", http.StatusPermanentRedirect)
		case "/302":
			http.Redirect(w, r, "/feed", http.StatusFound)
		case "/307":
			http.Redirect(w, r, "/feed", http.StatusTemporaryRedirect)
		case "/301-then-302":
			http.Redirect(w, r, "/302", http.StatusMovedPermanently)
		case "/302-then-301":
			http.Redirect(w, r, "/301", http.StatusFound)
		case "/301-to-html":
			http.Redirect(w, r, "/login", http.StatusMovedPermanently)
		case "/login":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body>please log in</body></html>")
		case "/feed":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, rss2Fixture)
		}
	})
	base = srv.URL
	tests := []struct{ path, moved string }{
		{"/301", base + "/feed"},
		{"/308", base + "/feed"},
		{"/302", ""},
		{"/307", ""},
		{"/301-then-302", base + "/302"},
		{"/302-then-301", ""},
		{"/301-to-html", ""},
		{"/feed", ""},
	}
	f := New(Options{}, nil, nil)
	for _, tt := range tests {
		res := f.Fetch(context.Background(), Request{Name: "r", URL: base + tt.path})
		if res.MovedTo != tt.moved {
			t.Errorf("%s: MovedTo = %q, want %q (err %v)", tt.path, res.MovedTo, tt.moved, res.Err)
		}
	}
}

func TestFetchRetryAfterOnlyOn429And503(t *testing.T) {
	for _, code := range []int{429, 503, 500, 404} {
		srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
			w.WriteHeader(code)
		})
		res := New(Options{}, nil, nil).Fetch(context.Background(), Request{Name: "s", URL: srv.URL})
		want := code == 429 || code == 503
		if got := res.RetryAfter > 59*time.Minute && res.RetryAfter <= time.Hour; got != want {
			t.Errorf("status %d: RetryAfter = %v", code, res.RetryAfter)
		}
	}
}

func TestFetchCacheHintsInResult(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Header().Set("ETag", `"x"`)
		if r.Header.Get("If-None-Match") == `"x"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, `<rss version="2.0"><channel><ttl>120</ttl><item><title>a</title></item></channel></rss>`)
	})
	f := New(Options{}, nil, nil)
	res := f.Fetch(context.Background(), Request{Name: "s", URL: srv.URL})
	if res.Err != nil || res.MaxAge != time.Hour || res.Feed.Hints.TTL != 2*time.Hour {
		t.Fatalf("200: err %v, max-age %v, hints %+v", res.Err, res.MaxAge, res.Feed)
	}
	res = f.Fetch(context.Background(), Request{Name: "s", URL: srv.URL, ETag: `"x"`})
	if !res.NotModified || res.MaxAge != time.Hour {
		t.Fatalf("304: not modified %v, max-age %v", res.NotModified, res.MaxAge)
	}
}

// TestFetchBodyFailures checks that a body cut off by the connection is a
// network error and a corrupt gzip stream an encoding error.
func TestFetchBodyFailures(t *testing.T) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(strings.Repeat(rss2Fixture, 20)))
	zw.Close()
	corrupt := append([]byte(nil), zipped.Bytes()...)
	for i := 20; i < 60; i++ {
		corrupt[i] ^= 0x55
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cut":
			w.Header().Set("Content-Length", "100000")
			w.Write([]byte(rss2Fixture[:200]))
			w.(http.Flusher).Flush()
			conn, _, _ := http.NewResponseController(w).Hijack()
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		case "/corrupt":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(corrupt)
		}
	})
	f := New(Options{}, nil, nil)
	res := f.Fetch(context.Background(), Request{Name: "cut", URL: srv.URL + "/cut"})
	if Kind(res.Err) != "network" || !errors.Is(res.Err, ErrRequest) {
		t.Errorf("cut: kind %q, err %v", Kind(res.Err), res.Err)
	}
	res = f.Fetch(context.Background(), Request{Name: "corrupt", URL: srv.URL + "/corrupt"})
	if Kind(res.Err) != "encoding" {
		t.Errorf("corrupt gzip: kind %q, err %v", Kind(res.Err), res.Err)
	}
}

// panicTransport is a RoundTripper that panics, standing in for any bug
// that one source's response could trigger.
type panicTransport struct{}

func (panicTransport) RoundTrip(*http.Request) (*http.Response, error) { panic("boom") }

func TestFetchContainsPanics(t *testing.T) {
	f := New(Options{}, &http.Client{Transport: panicTransport{}}, nil)
	res := f.Fetch(context.Background(), Request{Name: "bug", URL: "http://127.0.0.1:1/feed", ETag: `"e"`})
	if res.Err == nil || res.Err.Error() != "fetch bug: internal error: panic: boom" || res.Feed != nil || res.ETag != `"e"` {
		t.Fatalf("a panic was not turned into the source's error: %+v", res)
	}
}

func TestRetryAfterHugeValues(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, v := range []string{"10000000000", "99999999999999999999999", "9223372036", "Fri, 31 Dec 9999 23:59:59 GMT"} {
		if got := retryAfter(v, now); got != maxHint {
			t.Errorf("Retry-After %q = %v, want the %v cap (a server asking for a very long wait gets it, not an overflow)", v, got, maxHint)
		}
	}
	if got := retryAfter("-99999999999999999999999", now); got != 0 {
		t.Errorf("a hugely negative Retry-After = %v, want 0", got)
	}
}

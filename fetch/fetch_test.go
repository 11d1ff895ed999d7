package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchFormats(t *testing.T) {
	tests := []struct {
		name, body, contentType string
		entries                 int
		firstGUID               string
	}{
		{"rss 2.0", rss2Fixture, "application/rss+xml; charset=utf-8", 3, "nk-1"},
		{"atom", atomFixture, "application/atom+xml", 2, "tag:atom.example,2024:1"},
		{"json feed", jsonFixture, "application/feed+json", 2, "j1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotUA, gotAccept, gotAE string
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				gotUA, gotAccept, gotAE = r.UserAgent(), r.Header.Get("Accept"), r.Header.Get("Accept-Encoding")
				w.Header().Set("Content-Type", tt.contentType)
				w.Header().Set("ETag", `"v1"`)
				w.Header().Set("Last-Modified", "Tue, 16 Jan 2024 10:00:00 GMT")
				fmt.Fprint(w, tt.body)
			})
			f := New(Options{UserAgent: "aggregator/test"}, nil, nil)
			res := f.Fetch(context.Background(), Request{Name: "src", URL: srv.URL + "/feed"})
			if res.Err != nil {
				t.Fatalf("Fetch: %v", res.Err)
			}
			if res.Status != 200 || res.NotModified || res.Feed == nil || len(res.Feed.Entries) != tt.entries || res.Feed.Entries[0].GUID != tt.firstGUID {
				t.Fatalf("result = status %d, feed %+v", res.Status, res.Feed)
			}
			if res.ETag != `"v1"` || res.LastModified != "Tue, 16 Jan 2024 10:00:00 GMT" || res.FinalURL != srv.URL+"/feed" || res.Bytes != int64(len(tt.body)) {
				t.Errorf("validators %q %q, final %q, bytes %d", res.ETag, res.LastModified, res.FinalURL, res.Bytes)
			}
			if gotUA != "aggregator/test" || gotAccept != acceptHeader || gotAE != "gzip" {
				t.Errorf("request headers: UA %q, Accept %q, Accept-Encoding %q", gotUA, gotAccept, gotAE)
			}
		})
	}
}

func TestFetchConditionalGet(t *testing.T) {
	const etag, lastMod = `"abc"`, "Wed, 01 May 2024 00:00:00 GMT"
	var sawConditional atomic.Bool
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag && r.Header.Get("If-Modified-Since") == lastMod {
			sawConditional.Store(true)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		fmt.Fprint(w, rss2Fixture)
	})
	f := New(Options{}, nil, nil)
	first := f.Fetch(context.Background(), Request{Name: "src", URL: srv.URL})
	if first.Err != nil || first.NotModified || first.ETag != etag || first.LastModified != lastMod {
		t.Fatalf("first fetch: err %v, not modified %v, validators %q %q", first.Err, first.NotModified, first.ETag, first.LastModified)
	}
	second := f.Fetch(context.Background(), Request{Name: "src", URL: srv.URL, ETag: first.ETag, LastModified: first.LastModified})
	if !sawConditional.Load() {
		t.Fatal("server never saw If-None-Match and If-Modified-Since")
	}
	if second.Err != nil || !second.NotModified || second.Feed != nil || second.Status != 304 {
		t.Fatalf("second fetch: err %v, not modified %v, feed %v, status %d", second.Err, second.NotModified, second.Feed, second.Status)
	}
	if second.ETag != etag || second.LastModified != lastMod {
		t.Errorf("304 must keep the old validators, got %q %q", second.ETag, second.LastModified)
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFetchGzip(t *testing.T) {
	body := gzipped(t, rss2Fixture)
	tests := []struct{ name, encoding string }{
		{"declared", "gzip"},
		{"undeclared, sniffed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				w.Write(body)
			})
			res := New(Options{}, nil, nil).Fetch(context.Background(), Request{Name: "gz", URL: srv.URL})
			if res.Err != nil || len(res.Feed.Entries) != 3 || res.Bytes != int64(len(rss2Fixture)) {
				t.Fatalf("err %v, bytes %d; want 3 entries and %d decompressed bytes", res.Err, res.Bytes, len(rss2Fixture))
			}
		})
	}
}

func TestFetchGzipBomb(t *testing.T) {
	const limit = 1 << 20
	// 50 MiB of XML-looking filler compresses to about 50 KiB.
	var raw bytes.Buffer
	zw := gzip.NewWriter(&raw)
	zw.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>`))
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	for range 50 {
		zw.Write(chunk)
	}
	zw.Close()
	bomb := raw.Bytes()

	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(bomb)
	})
	start := time.Now()
	res := New(Options{MaxBodyBytes: limit}, nil, nil).Fetch(context.Background(), Request{Name: "bomb", URL: srv.URL})
	elapsed := time.Since(start)
	if !errors.Is(res.Err, ErrBodyTooLarge) || Kind(res.Err) != "too_large" {
		t.Fatalf("err = %v, want ErrBodyTooLarge", res.Err)
	}
	if want := fmt.Sprintf("fetch bomb: body exceeds %d bytes", limit); res.Err.Error() != want {
		t.Errorf("error = %q, want %q", res.Err, want)
	}
	if res.Bytes > limit || res.Feed != nil {
		t.Errorf("read %d bytes (limit %d), feed %v", res.Bytes, limit, res.Feed)
	}
	// Generous bound: inflating all 50 MiB would still pass, but a hang would not.
	if elapsed > 10*time.Second {
		t.Errorf("took %v", elapsed)
	}
}

func TestFetchBodyLimitPlain(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 2048))
	})
	res := New(Options{MaxBodyBytes: 1024}, nil, nil).Fetch(context.Background(), Request{Name: "big", URL: srv.URL})
	if !errors.Is(res.Err, ErrBodyTooLarge) {
		t.Fatalf("err = %v, want ErrBodyTooLarge", res.Err)
	}
}

func TestFetchHTMLPage(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>News</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml"></head><body>Hello</body></html>`)
	})
	res := New(Options{}, nil, nil).Fetch(context.Background(), Request{Name: "site", URL: srv.URL + "/news"})
	if !errors.Is(res.Err, ErrNotAFeed) || res.Feed != nil || res.Status != 200 {
		t.Fatalf("err = %v, status %d; want ErrNotAFeed", res.Err, res.Status)
	}
	want := "fetch site: not a feed (text/html); the page advertises feeds: " + srv.URL + "/rss.xml"
	if res.Err.Error() != want {
		t.Errorf("error = %q, want %q", res.Err, want)
	}
}

func TestFetchErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    error
		kind    string
		message string
		status  int
	}{
		{"server error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) }, ErrStatus, "status", "fetch src: status 500", 500},
		{"not found", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, ErrStatus, "status", "fetch src: status 404", 404},
		{"empty body", func(w http.ResponseWriter, r *http.Request) {}, ErrEmptyBody, "empty", "fetch src: empty body", 200},
		{"malformed json", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"items": [}`) }, ErrParse, "parse", "fetch src: parse: ", 200},
		{"redirect loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, r.URL.Path, http.StatusFound) }, ErrTooManyRedirects, "redirects", "too many redirects", 302},
		{"redirect to ftp", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "ftp://example.com/feed", http.StatusFound)
		}, ErrBadURL, "bad_url", "scheme must be http or https", 302},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.handler)
			res := New(Options{}, nil, nil).Fetch(context.Background(), Request{Name: "src", URL: srv.URL + "/feed", ETag: `"old"`})
			if !errors.Is(res.Err, tt.want) || Kind(res.Err) != tt.kind {
				t.Fatalf("err = %v (kind %q), want %v", res.Err, Kind(res.Err), tt.want)
			}
			if !strings.Contains(res.Err.Error(), tt.message) {
				t.Errorf("error %q does not contain %q", res.Err, tt.message)
			}
			if tt.status != 302 && res.Status != tt.status {
				t.Errorf("status = %d, want %d", res.Status, tt.status)
			}
			if res.Feed != nil || res.ETag != `"old"` {
				t.Errorf("feed %v, ETag %q; want no feed and the old validators kept", res.Feed, res.ETag)
			}
		})
	}
}

func TestFetchRetryAfter(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	res := New(Options{}, nil, nil).Fetch(context.Background(), Request{Name: "nknews", URL: srv.URL})
	if res.Err == nil || res.Err.Error() != "fetch nknews: status 503" || res.RetryAfter != 2*time.Minute {
		t.Errorf("err %v, RetryAfter %v", res.Err, res.RetryAfter)
	}
	var se *StatusError
	if !errors.As(res.Err, &se) || se.Code != 503 {
		t.Errorf("errors.As StatusError: %v", se)
	}
}

func TestFetchBadURL(t *testing.T) {
	for _, u := range []string{"ftp://example.com/feed", "not a url", "http://"} {
		res := New(Options{}, nil, nil).Fetch(context.Background(), Request{Name: "bad", URL: u})
		if !errors.Is(res.Err, ErrBadURL) || res.Status != 0 {
			t.Errorf("%q: err = %v, want ErrBadURL", u, res.Err)
		}
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	start := time.Now()
	// The response-header timeout fires long before the total one.
	res := New(Options{Timeout: 20 * time.Second, HeaderTimeout: 200 * time.Millisecond}, nil, nil).
		Fetch(context.Background(), Request{Name: "slow", URL: srv.URL})
	if !errors.Is(res.Err, ErrTimeout) || Kind(res.Err) != "timeout" {
		t.Fatalf("err = %v, want ErrTimeout", res.Err)
	}
	if res.Err.Error() != "fetch slow: timeout after 200ms waiting for the response headers" {
		t.Errorf("error = %q", res.Err)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("took %v, the timeout was not honoured", elapsed)
	}
}

func TestFetchSlowBodyTimeout(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<rss version="2.0"><channel>`)
		w.(http.Flusher).Flush()
		<-r.Context().Done() // headers sent, body never finishes
	})
	res := New(Options{Timeout: 200 * time.Millisecond}, nil, nil).Fetch(context.Background(), Request{Name: "trickle", URL: srv.URL})
	if !errors.Is(res.Err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout while reading the body", res.Err)
	}
}

func TestFetchCallerCancel(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	res := New(Options{}, nil, nil).Fetch(ctx, Request{Name: "c", URL: srv.URL})
	if !errors.Is(res.Err, context.Canceled) || errors.Is(res.Err, ErrTimeout) || Kind(res.Err) != "canceled" {
		t.Fatalf("err = %v, want context.Canceled and not ErrTimeout", res.Err)
	}
}

func TestFetchAllLimits(t *testing.T) {
	const perHost, global, n = 2, 3, 12
	var inFlight, maxInFlight atomic.Int64
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			old := maxInFlight.Load()
			if cur <= old || maxInFlight.CompareAndSwap(old, cur) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		fmt.Fprint(w, rss2Fixture)
	})
	reqs := make([]Request, n)
	for i := range reqs {
		reqs[i] = Request{Name: fmt.Sprintf("s%d", i), URL: fmt.Sprintf("%s/feed/%d", srv.URL, i)}
	}
	f := New(Options{PerHost: perHost, Concurrency: global}, nil, nil)
	seen := map[string]int{}
	f.FetchAll(context.Background(), reqs, func(r Result) {
		seen[r.Request.Name]++ // no lock: fn must be called from one goroutine only
		if r.Err != nil {
			t.Errorf("%s: %v", r.Request.Name, r.Err)
		}
	})
	if len(seen) != n {
		t.Errorf("got results for %d requests, want %d", len(seen), n)
	}
	for name, c := range seen {
		if c != 1 {
			t.Errorf("%s delivered %d times", name, c)
		}
	}
	if m := maxInFlight.Load(); m > perHost {
		t.Errorf("max in flight to one host = %d, limit %d", m, perHost)
	} else if m < 1 {
		t.Error("server saw no requests")
	}
}

func TestFetchAllGlobalLimit(t *testing.T) {
	// Many hosts on one server: 127.0.0.1 and localhost count as different hosts
	// for the per-host limit, so only the global limit binds across them.
	var inFlight, maxInFlight atomic.Int64
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			old := maxInFlight.Load()
			if cur <= old || maxInFlight.CompareAndSwap(old, cur) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		fmt.Fprint(w, rss2Fixture)
	})
	local := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	var reqs []Request
	for i := range 10 {
		base := srv.URL
		if i%2 == 1 {
			base = local
		}
		reqs = append(reqs, Request{Name: fmt.Sprint(i), URL: fmt.Sprintf("%s/%d", base, i)})
	}
	count := 0
	New(Options{PerHost: 5, Concurrency: 1}, nil, nil).FetchAll(context.Background(), reqs, func(Result) { count++ })
	if count != len(reqs) || maxInFlight.Load() != 1 {
		t.Errorf("delivered %d of %d, max in flight %d; want all and 1", count, len(reqs), maxInFlight.Load())
	}
}

func TestFetchAllCancel(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	reqs := make([]Request, 6)
	for i := range reqs {
		reqs[i] = Request{Name: fmt.Sprint(i), URL: fmt.Sprintf("%s/%d", srv.URL, i)}
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	done := make(chan struct{})
	go func() {
		New(Options{PerHost: 1}, nil, nil).FetchAll(ctx, reqs, func(Result) {})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("FetchAll did not return after cancellation")
	}
}

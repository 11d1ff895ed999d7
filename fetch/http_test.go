package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// The HTTP layer on its own: Get, with no feed in sight.

func TestGetConditional(t *testing.T) {
	const etag, lastMod = `"page-1"`, "Wed, 01 May 2024 00:00:00 GMT"
	var gotUA, gotAccept string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAccept = r.UserAgent(), r.Header.Get("Accept")
		w.Header().Set("Cache-Control", "max-age=600")
		if r.Header.Get("If-None-Match") == etag && r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "hello")
	})
	f := New(Options{UserAgent: "aggregator/test"}, nil, nil)

	first, err := f.Get(context.Background(), GetRequest{URL: srv.URL + "/page"})
	if err != nil {
		t.Fatalf("first Get: %v", err)
	}
	if first.Status != 200 || first.NotModified || string(first.Body) != "hello" || first.Bytes != 5 ||
		first.ETag != etag || first.LastModified != lastMod || first.URL != srv.URL+"/page" ||
		first.ContentType != "text/plain; charset=utf-8" || first.MaxAge != 10*time.Minute {
		t.Fatalf("first Get = %+v", first)
	}
	if gotUA != "aggregator/test" || gotAccept != "*/*" {
		t.Errorf("request headers: User-Agent %q, Accept %q", gotUA, gotAccept)
	}

	second, err := f.Get(context.Background(), GetRequest{URL: srv.URL + "/page", ETag: first.ETag, LastModified: first.LastModified, Accept: "text/html"})
	if err != nil {
		t.Fatalf("conditional Get: %v", err)
	}
	if second.Status != 304 || !second.NotModified || second.Body != nil || second.Bytes != 0 || second.MaxAge != 10*time.Minute {
		t.Fatalf("conditional Get = %+v, want a 304 with no body", second)
	}
	if second.ETag != etag || second.LastModified != lastMod {
		t.Errorf("a 304 that repeats no validators must keep the request's, got %q %q", second.ETag, second.LastModified)
	}
	if gotAccept != "text/html" {
		t.Errorf("Accept = %q, want the request's", gotAccept)
	}
}

func TestGetGzipInWindows1251(t *testing.T) {
	const page = `<html><head><title>Пхеньян и Москва</title></head><body>Переговоры — «итоги»</body></html>`
	raw, err := charmap.Windows1251.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			t.Errorf("Accept-Encoding = %q", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Type", "text/html; charset=windows-1251")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gzipped(t, raw))
	})
	resp, err := New(Options{}, nil, nil).Get(context.Background(), GetRequest{Name: "article", URL: srv.URL})
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if string(resp.Body) != page {
		t.Errorf("body = %q, want %q", resp.Body, page)
	}
	if resp.Bytes != int64(len(raw)) || resp.Bytes == int64(len(page)) {
		t.Errorf("Bytes = %d, want %d (decompressed, before conversion)", resp.Bytes, len(raw))
	}
}

func TestGetBodyLimit(t *testing.T) {
	const limit = 1024
	plain := bytes.Repeat([]byte("x"), 4*limit)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/plain":
			w.Write(plain)
		case "/gzip":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipped(t, string(plain)))
		case "/small":
			w.Write(plain[:limit])
		}
	})
	f := New(Options{MaxBodyBytes: limit}, nil, nil)
	for _, path := range []string{"/plain", "/gzip"} {
		resp, err := f.Get(context.Background(), GetRequest{Name: "big", URL: srv.URL + path})
		if !errors.Is(err, ErrBodyTooLarge) || Kind(err) != "too_large" {
			t.Fatalf("%s: err = %v, want ErrBodyTooLarge", path, err)
		}
		if want := fmt.Sprintf("fetch big: body exceeds %d bytes", limit); err.Error() != want {
			t.Errorf("%s: error %q, want %q", path, err, want)
		}
		if resp.Status != 200 || resp.Body != nil || resp.Bytes > limit {
			t.Errorf("%s: status %d, body %d bytes, read %d; want 200, none, at most %d", path, resp.Status, len(resp.Body), resp.Bytes, limit)
		}
	}
	resp, err := f.Get(context.Background(), GetRequest{Name: "small", URL: srv.URL + "/small"})
	if err != nil || len(resp.Body) != limit {
		t.Errorf("a body of exactly the limit: err %v, %d bytes", err, len(resp.Body))
	}
}

func TestGetErrors(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "90")
		w.Header().Set("Cache-Control", "max-age=600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	f := New(Options{}, nil, nil)
	resp, err := f.Get(context.Background(), GetRequest{URL: srv.URL + "/busy"})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 429 || err.Error() != "fetch "+srv.URL+"/busy: status 429" {
		t.Fatalf("err = %v, want a StatusError naming the URL", err)
	}
	if resp.Status != 429 || resp.RetryAfter != 90*time.Second || resp.MaxAge != 0 {
		t.Errorf("response = %+v, want status 429, RetryAfter 90s and no cache hints", resp)
	}
	if _, err := f.Get(context.Background(), GetRequest{Name: "x", URL: "ftp://example.com/"}); !errors.Is(err, ErrBadURL) ||
		!strings.HasPrefix(err.Error(), "fetch x: bad url") {
		t.Errorf("ftp URL: err = %v, want ErrBadURL naming the request", err)
	}
}

// TestPanicsLoggedWithStack checks that a recovered panic keeps its
// message for the source's error and is logged at error level with the
// stack, from Get and from Fetch.
func TestPanicsLoggedWithStack(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))
	f := New(Options{}, &http.Client{Transport: panicTransport{}}, logger)

	_, err := f.Get(context.Background(), GetRequest{Name: "page", URL: "http://127.0.0.1:1/"})
	var pe *PanicError
	if err == nil || err.Error() != "fetch page: internal error: panic: boom" || !errors.As(err, &pe) || pe.Value != "boom" {
		t.Fatalf("Get: err = %v, want the panic as the request's error", err)
	}
	res := f.Fetch(context.Background(), Request{Name: "feed", URL: "http://127.0.0.1:1/feed"})
	if res.Err == nil || res.Err.Error() != "fetch feed: internal error: panic: boom" || !errors.As(res.Err, &pe) {
		t.Fatalf("Fetch: err = %v", res.Err)
	}
	for _, who := range []string{`"name":"page"`, `"source":"feed"`} {
		line := ""
		for l := range strings.Lines(logs.String()) {
			if strings.Contains(l, who) {
				line = l
			}
		}
		if !strings.Contains(line, `"level":"ERROR"`) || !strings.Contains(line, `"panic":"boom"`) ||
			!strings.Contains(line, "panicTransport.RoundTrip") {
			t.Errorf("%s: no error log with the panic's stack: %q", who, line)
		}
	}
}

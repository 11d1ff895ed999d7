package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"aggregator"
)

// TestSecurityHeadersOnEveryResponse requests every route of a real
// server, errors and 304s included: each response carries a
// Content-Security-Policy that allows no script from elsewhere and no
// framing, and X-Content-Type-Options: nosniff.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	b := testBackend(t, aggregator.Source{Name: "a", URL: "http://a.example/feed"})
	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute, next: t0.Add(time.Minute)}})
	if err := s.Publish(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	etag := func(path string) string {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("ETag")
	}
	tests := []struct {
		method, path string
		header       map[string]string
		status       int
		csp          string
	}{
		{"GET", "/feed.atom", nil, 200, defaultCSP},
		{"GET", "/feed.atom", map[string]string{"Accept": "text/html"}, 200, defaultCSP}, // a browser
		{"GET", "/feed.rss", nil, 200, defaultCSP},
		{"GET", "/feed.json", nil, 200, defaultCSP},
		{"HEAD", "/feed.atom", nil, 200, defaultCSP},
		{"GET", "/feed.atom", map[string]string{"If-None-Match": etag("/feed.atom")}, 304, defaultCSP},
		{"GET", "/feed.atom", map[string]string{"Accept-Encoding": "gzip"}, 200, defaultCSP},
		{"POST", "/feed.atom", nil, 405, defaultCSP},
		{"GET", "/feed.css", nil, 200, defaultCSP},
		{"GET", "/healthz", nil, 200, defaultCSP},
		{"GET", "/metrics", nil, 200, defaultCSP},
		{"GET", "/", nil, 200, statusCSP},
		{"GET", "/status", nil, 200, statusCSP},
		{"GET", "/archive/2000-01.atom", nil, 404, defaultCSP},
		{"GET", "/no-such-page", nil, 404, defaultCSP},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range tt.header {
			req.Header.Set(k, v)
		}
		resp, err := srv.Client().Transport.RoundTrip(req) // no transparent gzip
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		name := tt.method + " " + tt.path + " " + strings.Join(headerNames(tt.header), ",")
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", name, resp.StatusCode, tt.status)
		}
		if got := resp.Header.Values("X-Content-Type-Options"); len(got) != 1 || got[0] != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q, want nosniff", name, got)
		}
		csp := resp.Header.Values("Content-Security-Policy")
		if len(csp) != 1 || csp[0] != tt.csp {
			t.Errorf("%s: Content-Security-Policy %q, want %q", name, csp, tt.csp)
		}
	}
	for _, p := range []string{defaultCSP, statusCSP} {
		for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"} {
			if !strings.Contains(p, want) {
				t.Errorf("policy %q lacks %s", p, want)
			}
		}
		if strings.Contains(p, "unsafe-eval") || strings.Contains(p, "script-src *") {
			t.Errorf("policy %q lets scripts run", p)
		}
	}
}

func headerNames(h map[string]string) []string {
	var names []string
	for k := range h {
		names = append(names, k)
	}
	return names
}

package server

import "net/http"

// Content-Security-Policy values. Every response gets defaultCSP, which
// lets a browser that opens a feed apply its CSS stylesheet from this
// origin (/feed.css, under style-src), and nothing else: no script of any
// origin runs (none is served here, and nosniff keeps anything else from
// running as one), no frame, form, plugin or remote image. HTML pages set
// the stricter statusCSP themselves.
const (
	defaultCSP = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src data:; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	statusCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; " +
		"form-action 'none'; frame-ancestors 'none'"
)

// The header values, made once: a request only puts them in its header
// map. They are shared by every response and never modified.
var (
	defaultCSPValue = []string{defaultCSP}
	nosniffValue    = []string{"nosniff"}
)

// securityHeaders sets Content-Security-Policy and X-Content-Type-Options:
// nosniff on every response of h, error pages and /metrics included, before
// h runs; a handler may replace the policy with a stricter one.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr["Content-Security-Policy"] = defaultCSPValue
		hdr["X-Content-Type-Options"] = nosniffValue
		h.ServeHTTP(w, r)
	})
}

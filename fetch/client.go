package fetch

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// newClient returns the default HTTP client: bounded dial and TLS waits, no transparent decompression (readBody counts decompressed bytes
// itself), at most MaxRedirects redirects and only to http/https. The
// overall deadline comes from the request's context, not Client.Timeout.
func newClient(opts Options) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: opts.HeaderTimeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   opts.PerHost,
		DisableCompression:    true,
	}
	return &http.Client{Transport: transport, CheckRedirect: checkRedirect}
}

// checkRedirect follows at most MaxRedirects redirects, only to http and https.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fmt.Errorf("%w: stopped after %d", ErrTooManyRedirects, MaxRedirects)
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return fmt.Errorf("%w: redirect to %q: scheme must be http or https", ErrBadURL, req.URL.Redacted())
	}
	return nil
}

// permanentTarget returns the URL that an unbroken chain of permanent
// redirects (301, 308) from the first request led to: "" when there was no
// redirect or the first one was temporary. After a temporary hop the rest of
// the chain does not count: the source's own URL was not moved.
func permanentTarget(resp *http.Response) string {
	var after []*http.Request // the request made after each redirect, last redirect first
	for r := resp.Request; r != nil && r.Response != nil; r = r.Response.Request {
		after = append(after, r)
	}
	moved := ""
	for i := len(after) - 1; i >= 0; i-- {
		code := after[i].Response.StatusCode
		if code != http.StatusMovedPermanently && code != http.StatusPermanentRedirect {
			break
		}
		moved = after[i].URL.String()
	}
	return moved
}

package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// GetRequest is one GET for the HTTP layer: a URL, the validators from the
// previous response, and what to accept. It knows nothing of feeds.
type GetRequest struct {
	Name         string // names the request in errors and logs; "" uses URL
	URL          string // absolute http or https URL
	ETag         string // sent as If-None-Match; "" sends none
	LastModified string // sent as If-Modified-Since; "" sends none
	Accept       string // the Accept header; "" sends "*/*"
}

// Response is what the HTTP layer learned from one GET. On error it holds
// what was learned before the failure: Status, URL, MovedTo and
// ContentType once a response arrived, RetryAfter for a 429 or 503, Bytes
// when the body failed part-way.
type Response struct {
	Status      int    // HTTP status, 0 when there was no response
	URL         string // the final URL, after redirects
	NotModified bool   // 304: the caller's copy is current; Body is nil
	// MovedTo is the URL an unbroken chain of permanent redirects (301, 308)
	// from the requested URL led to, "" if none; whether the move counts
	// (the target may be a login page) is the caller's call.
	MovedTo string
	// ETag and LastModified are the validators to send next time: the
	// response's, or on a 304 the request's own where the response repeats
	// none.
	ETag         string
	LastModified string
	ContentType  string // the Content-Type header, "" if none
	// Body is the decompressed body converted to UTF-8. The evidence, in
	// order: a byte-order mark or the zero bytes of UTF-16/32; bytes that
	// are valid UTF-8; the Content-Type's charset; an XML declaration's
	// encoding (rewritten to utf-8); else windows-1252 when no byte sequence
	// is multi-byte UTF-8, else UTF-8 with U+FFFD for the invalid bytes. Nil
	// on a 304 and on error.
	Body  []byte
	Bytes int64 // decompressed body bytes read, before charset conversion
	// MaxAge and ExpiresIn are the cache hints of a 2xx or 304 response:
	// Cache-Control max-age, else the lifetime its Expires header gives
	// (measured from its Date header); zero when absent.
	MaxAge    time.Duration
	ExpiresIn time.Duration
	// RetryAfter is the wait a 429 or 503 asked for with Retry-After, at
	// most a year; zero otherwise.
	RetryAfter time.Duration
}

// Get performs one conditional GET of req.URL within the fetcher's limits:
// it waits for a free slot (global and per host), sends the fetcher's
// User-Agent, follows redirects as the client allows, bounds the whole
// request by Options.Timeout and the decompressed body by
// Options.MaxBodyBytes, and decodes the body to UTF-8. Any status other
// than 2xx or 304 is an error (a *StatusError). Errors name req and wrap
// the package's sentinel errors (see Kind); a panic becomes a *PanicError,
// logged with its stack.
func (f *Fetcher) Get(ctx context.Context, req GetRequest) (Response, error) {
	return f.getWithin(ctx, req, f.feedLimits())
}

// getLimits are what bound one GET: Options.Timeout and MaxBodyBytes for
// feeds, the Article options for article pages. htmlMeta lets the body's
// HTML <meta> charset count as evidence of its encoding (see toUTF8).
type getLimits struct {
	timeout  time.Duration
	maxBody  int64
	htmlMeta bool
}

// feedLimits are the limits of Get and of feed fetches.
func (f *Fetcher) feedLimits() getLimits {
	return getLimits{timeout: f.opts.Timeout, maxBody: f.opts.MaxBodyBytes}
}

// getWithin is Get bounded by lim instead of the feed limits.
func (f *Fetcher) getWithin(ctx context.Context, req GetRequest, lim getLimits) (Response, error) {
	if req.Name == "" {
		req.Name = req.URL
	}
	u, release, err := f.slot(ctx, req.Name, req.URL)
	if err != nil {
		return Response{}, err
	}
	defer release()

	start := time.Now()
	var resp Response
	err = f.safeGet(ctx, u, req, lim, &resp)
	f.logPanic(slog.String("name", req.Name), req.URL, err)
	f.logger.Debug("got", slog.String("name", req.Name), slog.String("url", req.URL),
		slog.Int("status", resp.Status), slog.Duration("duration", time.Since(start)),
		slog.Int64("bytes", resp.Bytes), slog.Bool("not_modified", resp.NotModified), slog.String("kind", Kind(err)))
	return resp, err
}

// safeGet runs get and turns a panic into req's error: nothing one server
// sends may take the program down. resp keeps what get had learned, but
// no body.
func (f *Fetcher) safeGet(ctx context.Context, u *url.URL, req GetRequest, lim getLimits, resp *Response) (err error) {
	defer func() {
		if r := recover(); r != nil {
			resp.Body = nil
			err = fmt.Errorf("fetch %s: internal error: %w", req.Name, newPanicError(r))
		}
	}()
	return f.get(ctx, u, req, lim, resp)
}

// logPanic logs at error level, with its stack, a panic that err carries;
// who names the request ("name" for Get, "source" for Fetch).
func (f *Fetcher) logPanic(who slog.Attr, rawURL string, err error) {
	var pe *PanicError
	if errors.As(err, &pe) {
		f.logger.Error("recovered from a panic", who, slog.String("url", rawURL),
			slog.String("panic", fmt.Sprint(pe.Value)), slog.String("error", err.Error()), slog.String("stack", string(pe.Stack)))
	}
}

// slot checks rawURL and waits for a free slot for its host; release must
// be called once the request is done with. Errors name the request.
func (f *Fetcher) slot(ctx context.Context, name, rawURL string) (u *url.URL, release func(), err error) {
	u, err = parseFetchURL(rawURL)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch %s: %w", name, err)
	}
	release, err = f.limits.acquire(ctx, strings.ToLower(u.Hostname()))
	if err != nil {
		return nil, nil, fmt.Errorf("fetch %s: wait for a free slot: %w", name, err)
	}
	return u, release, nil
}

// get runs one GET of u, the caller holding a slot, and fills resp as it
// learns (so that a panic leaves what was known); see Get.
func (f *Fetcher) get(parent context.Context, u *url.URL, req GetRequest, lim getLimits, resp *Response) error {
	ctx, cancel := context.WithTimeout(parent, lim.timeout)
	defer cancel()
	a := attempt{name: req.Name, parent: parent, ctx: ctx, timeout: lim.timeout}

	hreq, err := f.newRequest(ctx, u, req)
	if err != nil {
		return a.fail("", fmt.Errorf("%w: %w", ErrBadURL, err))
	}
	hresp, err := f.client.Do(hreq)
	if err != nil {
		return a.transportError(err, f.opts.HeaderTimeout)
	}
	defer func() {
		drain(hresp)
		hresp.Body.Close()
	}()
	resp.Status = hresp.StatusCode
	resp.URL = hresp.Request.URL.String()
	resp.MovedTo = permanentTarget(hresp)
	resp.ContentType = hresp.Header.Get("Content-Type")

	switch code := hresp.StatusCode; {
	case code == http.StatusNotModified:
		resp.NotModified = true
		resp.ETag, resp.LastModified = req.ETag, req.LastModified
		if v := hresp.Header.Get("ETag"); v != "" {
			resp.ETag = v
		}
		if v := hresp.Header.Get("Last-Modified"); v != "" {
			resp.LastModified = v
		}
		resp.MaxAge, resp.ExpiresIn = cacheHints(hresp.Header, time.Now())
		return nil
	case code < 200 || code > 299:
		if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
			resp.RetryAfter = retryAfter(hresp.Header.Get("Retry-After"), time.Now())
		}
		return a.fail("", &StatusError{Code: code})
	}

	body, err := readBody(hresp, lim.maxBody)
	resp.Bytes = int64(len(body))
	if err != nil {
		if errors.Is(err, ErrBodyTooLarge) || errors.Is(err, ErrEncoding) {
			return fmt.Errorf("fetch %s: %w", req.Name, err)
		}
		return a.fail("read body", fmt.Errorf("%w: %w", ErrRequest, err))
	}
	if lim.htmlMeta {
		resp.Body = htmlToUTF8(body, resp.ContentType)
	} else {
		resp.Body = toUTF8(body, resp.ContentType)
	}
	resp.ETag = hresp.Header.Get("ETag")
	resp.LastModified = hresp.Header.Get("Last-Modified")
	resp.MaxAge, resp.ExpiresIn = cacheHints(hresp.Header, time.Now())
	return nil
}

// newRequest builds the GET for u with the fetcher's headers and req's
// validators.
func (f *Fetcher) newRequest(ctx context.Context, u *url.URL, req GetRequest) (*http.Request, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err // the caller says what was being done
	}
	accept := req.Accept
	if accept == "" {
		accept = "*/*"
	}
	hreq.Header.Set("User-Agent", f.opts.UserAgent)
	hreq.Header.Set("Accept", accept)
	hreq.Header.Set("Accept-Encoding", "gzip")
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
	return hreq, nil
}

// attempt is one GET in progress: what its errors name, and the two
// contexts that tell the fetcher's own timeout from the caller's
// cancellation. It lives no longer than the call to get.
type attempt struct {
	name    string
	parent  context.Context // the caller's
	ctx     context.Context // parent bounded by timeout
	timeout time.Duration
}

// fail wraps err, naming the request and what was being done ("" for the
// request itself); once the fetcher's own timeout has passed (and the
// caller's context has not ended) the error is ErrTimeout instead.
func (a attempt) fail(what string, err error) error {
	timedOut := a.parent.Err() == nil && a.ctx.Err() != nil
	switch {
	case timedOut && what == "":
		return fmt.Errorf("fetch %s: %w after %s", a.name, ErrTimeout, a.timeout)
	case timedOut:
		return fmt.Errorf("fetch %s: %w after %s (%s)", a.name, ErrTimeout, a.timeout, what)
	case what == "":
		return fmt.Errorf("fetch %s: %w", a.name, err)
	default:
		return fmt.Errorf("fetch %s: %s: %w", a.name, what, err)
	}
}

// transportError classifies an error from Client.Do: redirects refused,
// the caller's cancellation or the fetcher's timeout, a network timeout
// (headerTimeout when the headers never came), else ErrRequest.
func (a attempt) transportError(err error, headerTimeout time.Duration) error {
	switch {
	case errors.Is(err, ErrTooManyRedirects), errors.Is(err, ErrBadURL):
		return a.fail("", err)
	case a.parent.Err() != nil, a.ctx.Err() != nil:
		return a.fail("", a.parent.Err())
	case isTimeout(err) && strings.Contains(err.Error(), "awaiting response headers"):
		return fmt.Errorf("fetch %s: %w after %s waiting for the response headers", a.name, ErrTimeout, headerTimeout)
	case isTimeout(err):
		return fmt.Errorf("fetch %s: %w: %w", a.name, ErrTimeout, err)
	default:
		return a.fail("", fmt.Errorf("%w: %w", ErrRequest, err))
	}
}

// isTimeout reports whether err is a network timeout (dial, TLS, headers).
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// parseFetchURL accepts absolute http and https URLs only.
func parseFetchURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%w: %q: scheme must be http or https", ErrBadURL, raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%w: %q: no host", ErrBadURL, raw)
	}
	return u, nil
}

// drain reads and discards what is left of a body that announced a small
// length (at most 64 KiB), so that the connection can be reused. Any other
// body is left unread: closing it closes the connection, which costs less
// than waiting on a server that sends slowly or without end.
func drain(resp *http.Response) {
	if resp.ContentLength >= 0 && resp.ContentLength <= 64<<10 {
		_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	}
}

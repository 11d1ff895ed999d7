// Package fetch polls one feed source over HTTP — conditional GET, bounded in
// time, size and concurrency — parses the body with gofeed (RSS 0.9x/1.0/2.0,
// Atom, JSON Feed) and normalises its entries: absolute and canonical URLs,
// plain text from HTML, Unicode NFKC, dates.
//
// Every failure comes back in Result.Err, naming the source and wrapping one
// of the package's sentinel errors (ErrStatus, ErrNotAFeed, ErrBodyTooLarge…).
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults applied by New for zero Options fields.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBodyBytes = 10 << 20
	DefaultUserAgent    = "aggregator/dev (+feed curation; North Korea-Russia news)"
	DefaultConcurrency  = 8
	DefaultPerHost      = 2
	// MaxRedirects is how many redirects the default client follows.
	MaxRedirects = 5
)

// acceptHeader is sent with every request: feed types first, anything last.
const acceptHeader = "application/atom+xml, application/rss+xml, application/feed+json, " +
	"application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"

// Options bounds the fetcher. Zero fields take the defaults above.
type Options struct {
	Timeout      time.Duration // whole request including the body; default 30s
	MaxBodyBytes int64         // limit on decompressed body bytes; default 10 MiB
	UserAgent    string        // default DefaultUserAgent
	Concurrency  int           // parallel requests overall; default 8
	PerHost      int           // parallel requests to one host; default 2
	// HeaderTimeout bounds the wait for the response headers once the
	// request is sent; default half of Timeout, at most Timeout. It applies to
	// the default client only.
	HeaderTimeout time.Duration
}

// Fetcher fetches and parses feeds. It is safe for concurrent use; the
// global and per-host limits apply across all concurrent calls.
type Fetcher struct {
	opts   Options
	client *http.Client
	logger *slog.Logger
	limits *limiter
}

// New returns a Fetcher. A nil client gets a dedicated one with bounded dial,
// TLS and header timeouts that follows at most MaxRedirects redirects and only
// to http/https; a nil logger discards.
func New(opts Options, client *http.Client, logger *slog.Logger) *Fetcher {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.HeaderTimeout <= 0 || opts.HeaderTimeout > opts.Timeout {
		opts.HeaderTimeout = opts.Timeout / 2
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.PerHost <= 0 {
		opts.PerHost = DefaultPerHost
	}
	if client == nil {
		client = newClient(opts)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Fetcher{
		opts:   opts,
		client: client,
		logger: logger,
		limits: newLimiter(opts.Concurrency, opts.PerHost),
	}
}

// Request names one source to fetch and the validators from its previous fetch.
type Request struct {
	Name         string // source name, for logs and errors
	URL          string
	ETag         string // from the previous fetch, "" if none
	LastModified string // from the previous fetch, "" if none
}

// Result is the outcome of one fetch.
type Result struct {
	Request      Request
	Status       int           // HTTP status, 0 when there was no response
	NotModified  bool          // 304: nothing new, nothing parsed
	ETag         string        // validators to store for the next fetch ("" = none)
	LastModified string        //
	FinalURL     string        // after redirects
	Feed         *Feed         // nil when NotModified or Err != nil
	Err          error         // names the source and the failure; see Kind
	Duration     time.Duration // from sending the request to the parsed feed (queueing excluded)
	Bytes        int64         // body bytes read, after decompression
	RetryAfter   time.Duration // from a Retry-After header on 429/503, else 0
	// MovedTo is the URL that an unbroken chain of permanent redirects
	// (301, 308) from req.URL led to, set only when it led to a feed (or a
	// 304); "" when there was none. Temporary redirects (302, 303, 307)
	// leave it empty.
	MovedTo string
	// MaxAge and ExpiresIn are the response's cache hints: Cache-Control
	// max-age, else the lifetime its Expires header gives (measured from its
	// Date header); zero when absent.
	MaxAge    time.Duration
	ExpiresIn time.Duration
}

// Fetch performs one conditional GET of req.URL within the fetcher's limits
// and parses the body. It waits for a free slot (global and per host) first;
// if ctx ends while waiting, Result.Err wraps ctx's error. On error and on 304
// the Result carries req's validators so that storing them is always safe.
func (f *Fetcher) Fetch(ctx context.Context, req Request) Result {
	res := Result{Request: req, ETag: req.ETag, LastModified: req.LastModified}
	u, err := parseFetchURL(req.URL)
	if err != nil {
		res.Err = fmt.Errorf("fetch %s: %w", req.Name, err)
		return res
	}
	release, err := f.limits.acquire(ctx, strings.ToLower(u.Hostname()))
	if err != nil {
		res.Err = fmt.Errorf("fetch %s: wait for a free slot: %w", req.Name, err)
		return res
	}
	defer release()

	start := time.Now()
	f.safeDo(ctx, u, &res)
	res.Duration = time.Since(start)

	attrs := []any{
		slog.String("source", req.Name), slog.String("url", req.URL),
		slog.Int("status", res.Status), slog.Duration("duration", res.Duration),
		slog.Int64("bytes", res.Bytes), slog.Bool("not_modified", res.NotModified),
	}
	if res.Feed != nil {
		attrs = append(attrs, slog.Int("entries", len(res.Feed.Entries)))
	}
	if res.Err != nil {
		attrs = append(attrs, slog.String("kind", Kind(res.Err)), slog.String("error", res.Err.Error()))
	}
	f.logger.Debug("fetched", attrs...)
	return res
}

// safeDo runs do and turns a panic into the source's error: nothing one
// source sends may take the program down.
func (f *Fetcher) safeDo(ctx context.Context, u *url.URL, res *Result) {
	defer func() {
		if r := recover(); r != nil {
			res.Feed, res.NotModified, res.MovedTo = nil, false, ""
			res.ETag, res.LastModified = res.Request.ETag, res.Request.LastModified
			res.Err = fmt.Errorf("fetch %s: internal error: panic: %v", res.Request.Name, r)
		}
	}()
	f.do(ctx, u, res)
}

// do runs the request and fills res; any error is wrapped with the source name.
func (f *Fetcher) do(parent context.Context, u *url.URL, res *Result) {
	name := res.Request.Name
	ctx, cancel := context.WithTimeout(parent, f.opts.Timeout)
	defer cancel()
	// fail turns err into the Result's error, telling our own timeout from the caller's cancellation.
	fail := func(what string, err error) {
		switch {
		case parent.Err() == nil && ctx.Err() != nil && what == "":
			res.Err = fmt.Errorf("fetch %s: %w after %s", name, ErrTimeout, f.opts.Timeout)
		case parent.Err() == nil && ctx.Err() != nil:
			res.Err = fmt.Errorf("fetch %s: %w after %s (%s)", name, ErrTimeout, f.opts.Timeout, what)
		case what == "":
			res.Err = fmt.Errorf("fetch %s: %w", name, err)
		default:
			res.Err = fmt.Errorf("fetch %s: %s: %w", name, what, err)
		}
	}

	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		fail("", fmt.Errorf("%w: %w", ErrBadURL, err))
		return
	}
	hreq.Header.Set("User-Agent", f.opts.UserAgent)
	hreq.Header.Set("Accept", acceptHeader)
	hreq.Header.Set("Accept-Encoding", "gzip")
	if res.Request.ETag != "" {
		hreq.Header.Set("If-None-Match", res.Request.ETag)
	}
	if res.Request.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", res.Request.LastModified)
	}

	resp, err := f.client.Do(hreq)
	if err != nil {
		switch {
		case errors.Is(err, ErrTooManyRedirects), errors.Is(err, ErrBadURL):
			fail("", err)
		case parent.Err() != nil, ctx.Err() != nil:
			fail("", parent.Err())
		case isTimeout(err) && strings.Contains(err.Error(), "awaiting response headers"):
			res.Err = fmt.Errorf("fetch %s: %w after %s waiting for the response headers", name, ErrTimeout, f.opts.HeaderTimeout)
		case isTimeout(err):
			res.Err = fmt.Errorf("fetch %s: %w: %w", name, ErrTimeout, err)
		default:
			fail("", fmt.Errorf("%w: %w", ErrRequest, err))
		}
		return
	}
	defer func() {
		drain(resp)
		resp.Body.Close()
	}()
	res.Status = resp.StatusCode
	res.FinalURL = resp.Request.URL.String()
	moved := permanentTarget(resp)

	switch {
	case resp.StatusCode == http.StatusNotModified:
		res.NotModified = true
		res.MovedTo = moved
		res.MaxAge, res.ExpiresIn = cacheHints(resp.Header, time.Now())
		if v := resp.Header.Get("ETag"); v != "" {
			res.ETag = v
		}
		if v := resp.Header.Get("Last-Modified"); v != "" {
			res.LastModified = v
		}
		return
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			res.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
		fail("", &StatusError{Code: resp.StatusCode})
		return
	}

	body, err := readBody(resp, f.opts.MaxBodyBytes)
	res.Bytes = int64(len(body))
	if err != nil {
		switch {
		case errors.Is(err, ErrBodyTooLarge), errors.Is(err, ErrEncoding):
			res.Err = fmt.Errorf("fetch %s: %w", name, err)
		default:
			fail("read body", fmt.Errorf("%w: %w", ErrRequest, err))
		}
		return
	}

	feed, err := Parse(body, resp.Header.Get("Content-Type"), res.FinalURL)
	if err != nil {
		res.Err = fmt.Errorf("fetch %s: %w", name, err) // never a timeout: the body is in hand
		return
	}
	res.Feed = feed
	res.ETag = resp.Header.Get("ETag")
	res.LastModified = resp.Header.Get("Last-Modified")
	res.MovedTo = moved
	res.MaxAge, res.ExpiresIn = cacheHints(resp.Header, time.Now())
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

// retryAfter parses a Retry-After header (seconds or an HTTP date); 0 when
// absent or invalid. The wait is capped at maxHint, so that no value can
// overflow into a short or negative one.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if secs < 0 {
			return 0
		}
		return time.Duration(min(secs, int64(maxHint/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxHint)
	}
	return 0
}

// mediaType returns the lower-case media type of a Content-Type value, "" if none.
func mediaType(contentType string) string {
	if contentType == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// FetchAll fetches every request with a pool of Options.Concurrency
// workers that take the requests in order (so with a concurrency of one the
// sources are polled, and fn called, in the order given), each request also
// bounded by the per-host limit. fn is called for each result from the
// calling goroutine only, in completion order; results wait for fn, so a
// slow consumer holds back fetching instead of piling up parsed feeds. Once
// ctx is cancelled fn is no longer called; FetchAll returns when every
// worker has stopped.
func (f *Fetcher) FetchAll(ctx context.Context, reqs []Request, fn func(Result)) {
	FetchEach(ctx, f, reqs, func(_ context.Context, r Result) Result { return r }, fn)
}

// FetchEach is FetchAll with a step of the caller's run on each result in
// the worker that fetched it, concurrently with the other workers and
// outside the fetch limits: what can be worked out from one result alone
// (analysing its entries) is done there, and fn, called from the calling
// goroutine in completion order, gets prepare's value. prepare must be safe
// for concurrent use; a panic in it is the caller's to recover.
func FetchEach[T any](ctx context.Context, f *Fetcher, reqs []Request, prepare func(context.Context, Result) T, fn func(T)) {
	workers := min(f.opts.Concurrency, len(reqs))
	next := make(chan Request)
	results := make(chan T)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				results <- prepare(ctx, f.Fetch(ctx, r))
			}
		}()
	}
	go func() {
		defer close(next)
		for _, r := range reqs {
			select {
			case next <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	for res := range results {
		if ctx.Err() == nil {
			fn(res)
		}
	}
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

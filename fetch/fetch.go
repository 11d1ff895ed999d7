// Package fetch polls feed sources over HTTP and turns what they send into
// normalised entries. It has two layers.
//
// The HTTP layer (Fetcher.Get, GetRequest, Response; http.go and the files
// beside it) knows nothing of feeds. It makes one conditional GET
// (If-None-Match, If-Modified-Since) with a descriptive User-Agent, within
// the global and per-host concurrency limits and Options.Timeout; follows
// redirects and notes permanent moves; decompresses gzip and deflate,
// stopping at Options.MaxBodyBytes of decompressed body; converts the body
// to UTF-8; reads the cache hints of the headers (Cache-Control max-age,
// Expires, Retry-After); and classifies failures (see Kind). The article
// fetcher (Fetcher.Article; article.go, articlewall.go) shares it, and with
// it the politeness towards each host, with its own timeout and body limit,
// and extracts a page's article text with go-trafilatura.
//
// The feed layer (Parse; parse.go, notfeed.go, jsonfix.go, repair.go,
// hints.go, text.go, canonical.go) parses a body with gofeed (RSS
// 0.9x/1.0/2.0, Atom, JSON Feed), mends malformed ones, recognises what is
// not a feed (listing the feeds an HTML page advertises), reads the feed's
// own hints and normalises its entries: absolute and canonical URLs, plain
// text from HTML, Unicode NFKC, dates.
//
// Fetcher.Fetch, FetchAll and FetchEach are the two together: a GET, then
// Parse on the body. Every failure comes back in Result.Err, naming the
// source and wrapping one of the package's sentinel errors (ErrStatus,
// ErrNotAFeed, ErrBodyTooLarge…).
package fetch

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
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
	// DefaultArticleTimeout and DefaultArticleMaxBodyBytes bound the GET
	// of an article page (Fetcher.Article).
	DefaultArticleTimeout      = 20 * time.Second
	DefaultArticleMaxBodyBytes = 5 << 20
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
	// ArticleTimeout bounds the GET of an article page (Fetcher.Article),
	// body included; default 20s. The header wait is HeaderTimeout's.
	ArticleTimeout time.Duration
	// ArticleMaxBodyBytes limits an article page's decompressed body;
	// default 5 MiB.
	ArticleMaxBodyBytes int64
}

// Fetcher makes GETs (Get) and fetches and parses feeds (Fetch). It is
// safe for concurrent use; the global and per-host limits apply across all
// concurrent calls of both.
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
	if opts.ArticleTimeout <= 0 {
		opts.ArticleTimeout = DefaultArticleTimeout
	}
	if opts.ArticleMaxBodyBytes <= 0 {
		opts.ArticleMaxBodyBytes = DefaultArticleMaxBodyBytes
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
// The slot is held until the body is parsed.
func (f *Fetcher) Fetch(ctx context.Context, req Request) Result {
	res := Result{Request: req, ETag: req.ETag, LastModified: req.LastModified}
	u, release, err := f.slot(ctx, req.Name, req.URL)
	if err != nil {
		res.Err = err
		return res
	}
	defer release()

	start := time.Now()
	f.safeDo(ctx, u, &res)
	res.Duration = time.Since(start)
	f.logPanic(slog.String("source", req.Name), req.URL, res.Err)
	f.logFetched(res)
	return res
}

// logFetched logs one fetch at debug level.
func (f *Fetcher) logFetched(res Result) {
	attrs := []any{
		slog.String("source", res.Request.Name), slog.String("url", res.Request.URL),
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
}

// safeDo runs do and turns a panic into the source's error: nothing one
// source sends may take the program down. The error carries the panic's
// stack (a *PanicError), which Fetch logs.
func (f *Fetcher) safeDo(ctx context.Context, u *url.URL, res *Result) {
	defer func() {
		if r := recover(); r != nil {
			res.Feed, res.NotModified, res.MovedTo = nil, false, ""
			res.ETag, res.LastModified = res.Request.ETag, res.Request.LastModified
			res.Err = fmt.Errorf("fetch %s: internal error: %w", res.Request.Name, newPanicError(r))
		}
	}()
	f.do(ctx, u, res)
}

// do is the feed fetch path: the HTTP layer's GET, then Parse's work on
// the UTF-8 body. It fills res; errors name the source.
func (f *Fetcher) do(ctx context.Context, u *url.URL, res *Result) {
	req := res.Request
	var resp Response
	defer func() { // also on a panic: what the GET learned stays in res
		res.Status, res.FinalURL, res.Bytes, res.RetryAfter = resp.Status, resp.URL, resp.Bytes, resp.RetryAfter
	}()
	greq := GetRequest{Name: req.Name, URL: req.URL, ETag: req.ETag, LastModified: req.LastModified, Accept: acceptHeader}
	if err := f.get(ctx, u, greq, f.feedLimits(), &resp); err != nil {
		res.Err = err
		return
	}
	if !resp.NotModified {
		feed, err := parseText(resp.Body, resp.ContentType, resp.URL)
		if err != nil {
			res.Err = fmt.Errorf("fetch %s: %w", req.Name, err) // never a timeout: the body is in hand
			return
		}
		res.Feed = feed
	}
	res.NotModified = resp.NotModified
	res.ETag, res.LastModified = resp.ETag, resp.LastModified
	res.MovedTo = resp.MovedTo
	res.MaxAge, res.ExpiresIn = resp.MaxAge, resp.ExpiresIn
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

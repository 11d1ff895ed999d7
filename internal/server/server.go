// Package server is the daemon's HTTP side: the curated feed and the event
// feed in Atom, RSS and JSON Feed, rendered once per poll cycle and served
// with ETag, Last-Modified, 304 and gzip; the curated feed's RFC 5005
// monthly archives; the reading page; the CSS stylesheet that makes the
// Atom feeds readable in a browser; the HTML status page; /healthz; and
// /metrics.
//
// The daemon hands it a Backend (the pipeline and its store), replaces it on
// a reload, and reports every finished cycle with RecordCycle.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"aggregator"
	"aggregator/feeds"
	"aggregator/internal/push"
)

// Backend is what the server reads: the pipeline (for the feed and the
// explanations) and its store (for the status page and the health check).
type Backend struct {
	Pipeline *aggregator.Pipeline
	Store    Store
}

// Store is what the status page and the health check read of the store.
type Store interface {
	aggregator.FeedStore
	// Counts returns the store's totals.
	Counts(ctx context.Context) (aggregator.Counts, error)
	// RecentItems returns the newest items (by first-seen time) whose
	// verdict is one of verdicts, with their sources.
	RecentItems(ctx context.Context, limit int, verdicts ...aggregator.Verdict) ([]aggregator.SourcedItem, error)
	// VerdictCounts returns how many items of each source got each
	// verdict, by source name.
	VerdictCounts(ctx context.Context) (map[string]map[aggregator.Verdict]int, error)
	// Ping reports whether the store answers.
	Ping(ctx context.Context) error
	// CheckWritable reports whether the store takes writes, changing
	// nothing.
	CheckWritable(ctx context.Context) error
}

// Schedule is what the server needs to know about the daemon's schedule.
type Schedule interface {
	Spec() string
	Next() time.Time
	Period() time.Duration
}

// Options configure a Server.
type Options struct {
	// Schedule is the poll schedule: the feed's max-age and the health
	// check follow it.
	Schedule Schedule
	Metrics  *Metrics     // nil: new metrics
	Logger   *slog.Logger // nil: discard
	Now      func() time.Time
	// FeedChanged, when set, is called by Publish with the self URLs of
	// the feed documents whose bytes changed (the WebSub publisher's
	// queue); it must not block.
	FeedChanged func(urls []string)
	// Hubs and Webhooks, when set, report the WebSub hubs and the webhooks
	// for the status page and /metrics.
	Hubs, Webhooks func() []push.TargetStatus
}

// Server serves the feed and its archives, the reading page, the status
// page, /healthz and /metrics.
type Server struct {
	sched   Schedule
	metrics *Metrics
	logger  *slog.Logger
	now     func() time.Time
	started time.Time

	backend  atomic.Pointer[Backend]
	feeds    feedCache
	events   feedCache // the event feed
	archives archiveCache
	page     atomic.Pointer[rendering] // the reading page, rendered by Publish
	maxAgeAt atomic.Pointer[maxAgeAt]  // the last max-age worked out
	langs    langFeeds

	mu   sync.Mutex
	last cycleState

	feedChanged    func(urls []string)
	hubs, webhooks func() []push.TargetStatus
}

// cycleState is what the status page and the health check know about
// cycles.
type cycleState struct {
	report      aggregator.Report
	err         error
	finished    bool      // a cycle has finished since start
	lastSuccess time.Time // when the last cycle without a store error finished
	notWritable error     // why the store took no writes after the last cycle failed; nil when it did
}

// writeCheckTimeout bounds the check, after a failed cycle, that the store
// still takes writes.
const writeCheckTimeout = 5 * time.Second

// New returns a server for b.
func New(b Backend, opts Options) *Server {
	s := &Server{sched: opts.Schedule, metrics: opts.Metrics, logger: opts.Logger, now: opts.Now,
		feedChanged: opts.FeedChanged, hubs: opts.Hubs, webhooks: opts.Webhooks}
	s.events.name = eventFeedName
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	s.metrics.setPush(opts.Hubs, opts.Webhooks)
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.started = s.now()
	s.SetBackend(b)
	return s
}

// SetBackend replaces the backend, as a reload does; requests in flight
// finish with the one they started with. Sources no longer configured leave
// the metrics.
func (s *Server) SetBackend(b Backend) {
	var old []string
	if prev := s.backend.Load(); prev != nil {
		old = sourceNames(prev.Pipeline)
	}
	names := sourceNames(b.Pipeline)
	var removed []string
	for _, n := range old {
		if !slices.Contains(names, n) {
			removed = append(removed, n)
		}
	}
	s.backend.Store(&b)
	s.archives.clear()
	s.langs.invalidate()
	s.metrics.setSources(names, removed)
}

func sourceNames(p *aggregator.Pipeline) []string {
	var names []string
	for _, src := range p.Options().Sources {
		names = append(names, src.Name)
	}
	return names
}

// Backend returns the backend in use.
func (s *Server) Backend() Backend { return *s.backend.Load() }

// Metrics returns the server's metrics.
func (s *Server) Metrics() *Metrics { return s.metrics }

// Publish renders the curated feed and the event feed from the stored
// state in every format, and the reading page; requests get the new bytes
// from then on.
func (s *Server) Publish(ctx context.Context) error {
	b := s.Backend()
	f, err := b.Pipeline.Feed(ctx)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	ef, err := b.Pipeline.EventFeed(ctx)
	if err != nil {
		return fmt.Errorf("publish: event feed: %w", err)
	}
	f.Stylesheet, ef.Stylesheet = Stylesheet, Stylesheet
	if f.PrevArchiveURL, err = b.Pipeline.PrevArchiveURL(ctx); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	changed, err := s.feeds.update(f, s.now())
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	eventsChanged, err := s.events.update(ef, s.now())
	if err != nil {
		return fmt.Errorf("publish: event feed: %w", err)
	}
	changed = append(changed, eventsChanged...)
	s.archives.clear()
	page, err := s.renderPage(ctx)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	s.page.Store(page)
	s.langs.invalidate()
	if len(changed) > 0 && s.feedChanged != nil {
		s.feedChanged(changed)
	}
	return nil
}

// RecordCycle records a finished poll cycle for the metrics, the status
// page and the health check. err is the error Poll returned.
// A cycle that failed on the store (not one cancelled) is followed by a
// check that the store takes writes; while it does not, the daemon is
// unhealthy at once.
func (s *Server) RecordCycle(rep aggregator.Report, err error) {
	s.metrics.observeCycle(rep, err)
	var notWritable error
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		ctx, cancel := context.WithTimeout(context.Background(), writeCheckTimeout)
		notWritable = s.Backend().Store.CheckWritable(ctx)
		cancel()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last.report, s.last.err, s.last.finished, s.last.notWritable = rep, err, true, notWritable
	if err == nil {
		s.last.lastSuccess = rep.Finished
		if s.last.lastSuccess.IsZero() {
			s.last.lastSuccess = s.now()
		}
	}
}

func (s *Server) cycle() cycleState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// Health returns nil when the store answers and the last cycle finished
// within two schedule periods (counting from start until one has), else an
// error that says which is wrong. When the last cycle failed and the store
// took no writes after it, the daemon is unhealthy at once.
func (s *Server) Health(ctx context.Context) error {
	if err := s.Backend().Store.Ping(ctx); err != nil {
		return fmt.Errorf("store does not answer: %w", err)
	}
	if c := s.cycle(); c.notWritable != nil {
		return fmt.Errorf("the last poll cycle failed and the store is not writable: %w", c.notWritable)
	}
	period := s.sched.Period()
	if period <= 0 {
		return nil
	}
	limit := 2 * period
	now := s.now()
	c := s.cycle()
	if c.lastSuccess.IsZero() {
		if since := now.Sub(s.started); since > limit {
			msg := fmt.Sprintf("no poll cycle has completed in the %s since start (limit: two schedule periods, %s)",
				since.Round(time.Second), limit)
			if c.err != nil {
				msg += "; last cycle failed: " + c.err.Error()
			}
			return errors.New(msg)
		}
		return nil
	}
	if since := now.Sub(c.lastSuccess); since > limit {
		msg := fmt.Sprintf("last poll cycle completed %s ago (limit: two schedule periods, %s)", since.Round(time.Second), limit)
		if c.err != nil {
			msg += "; last cycle failed: " + c.err.Error()
		}
		return errors.New(msg)
	}
	return nil
}

// maxAge is how long a client may keep the feed: until the next cycle is
// due, at most one period. It is worked out at most once a second (of the
// server's clock): asking the scheduler for its next run is a round trip to
// the cron goroutine, too dear for every request.
func (s *Server) maxAge() time.Duration {
	now := s.now()
	sec := now.Unix()
	if m := s.maxAgeAt.Load(); m != nil && m.sec == sec {
		return m.maxAge
	}
	d := s.sched.Period()
	if next := s.sched.Next(); !next.IsZero() {
		d = max(0, min(next.Sub(now), d))
	}
	s.maxAgeAt.Store(&maxAgeAt{sec: sec, maxAge: d})
	return d
}

// maxAgeAt is the max-age worked out in one second of Unix time.
type maxAgeAt struct {
	sec    int64
	maxAge time.Duration
}

// Handler returns the HTTP handler with every route; every response has a
// Content-Security-Policy and X-Content-Type-Options: nosniff.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for path, format := range formats {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			s.serveFeed(w, r, format)
		})
	}
	for path, format := range eventFormats {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			s.events.serve(w, r, format, s.maxAge())
		})
	}
	mux.HandleFunc("/feed.css", serveStylesheet)
	mux.HandleFunc("/archive/{month}", s.serveArchive)
	mux.HandleFunc("/sources.opml", s.serveSources)
	mux.HandleFunc("/healthz", s.serveHealth)
	mux.Handle("/metrics", s.metrics.Handler())
	mux.HandleFunc("/status", s.serveStatus)
	mux.HandleFunc("/{$}", s.servePage)
	return securityHeaders(mux)
}

// serveFeed answers a request for the feed in format.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, format feeds.Format) {
	if lang, err := requestedLanguage(r); err != nil || lang != "" {
		if !allowRead(w, r) {
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.serveLanguageFeed(w, r, format, lang)
		return
	}
	s.feeds.serve(w, r, format, s.maxAge())
}

func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	if !allowRead(w, r) {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.Health(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "unhealthy:", err)
		return
	}
	fmt.Fprintln(w, "ok")
}

package push

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// DefaultHubBackoff and DefaultHubAttempts are the retry policy of a
// publish ping: five attempts, 2 s, 4 s, 8 s and 16 s apart.
var DefaultHubBackoff = Backoff{Initial: 2 * time.Second, Max: time.Minute}

const DefaultHubAttempts = 5

// PublisherOptions configure a Publisher; zero values take the defaults.
type PublisherOptions struct {
	Client    *http.Client // nil: a client of its own
	UserAgent string
	Backoff   Backoff // zero: DefaultHubBackoff
	Attempts  int     // attempts per hub and URL; 0: DefaultHubAttempts
	Logger    *slog.Logger
	Now       func() time.Time
}

// Publisher tells WebSub hubs that feed URLs changed: for every hub and
// URL, a POST of hub.mode=publish&hub.url=URL, retried with its backoff up
// to its attempts. Publish only queues; Run sends.
type Publisher struct {
	opts   PublisherOptions
	status statusBook

	mu      sync.Mutex
	hubs    []string
	pending []string // feed URLs changed since the last round, in order
	wake    chan struct{}
}

// NewPublisher returns a publisher for hubs.
func NewPublisher(hubs []string, opts PublisherOptions) *Publisher {
	if opts.Client == nil {
		opts.Client = &http.Client{}
	}
	if opts.Backoff == (Backoff{}) {
		opts.Backoff = DefaultHubBackoff
	}
	if opts.Attempts <= 0 {
		opts.Attempts = DefaultHubAttempts
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &Publisher{opts: opts, wake: make(chan struct{}, 1)}
	p.SetHubs(hubs)
	return p
}

// SetHubs replaces the hubs (a reload); pings under way finish.
func (p *Publisher) SetHubs(hubs []string) {
	p.mu.Lock()
	p.hubs = append([]string(nil), hubs...)
	p.mu.Unlock()
	p.status.reset(hubs)
}

// Publish queues a ping of every hub for each URL; it never blocks.
func (p *Publisher) Publish(urls ...string) {
	p.mu.Lock()
	for _, u := range urls {
		if !slices.Contains(p.pending, u) {
			p.pending = append(p.pending, u)
		}
	}
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Status returns what is known of each hub.
func (p *Publisher) Status() []TargetStatus { return p.status.snapshot() }

// Run sends the queued pings until ctx ends: every hub in parallel, the
// URLs queued meanwhile in the next round.
func (p *Publisher) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		}
		p.Flush(ctx)
	}
}

// Flush sends the pings queued so far, every hub in parallel, and returns
// when each has succeeded or run out of attempts, or ctx ended
// ("aggregator fetch" calls it before it exits).
func (p *Publisher) Flush(ctx context.Context) {
	p.mu.Lock()
	hubs, urls := p.hubs, p.pending
	p.pending = nil
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, hub := range hubs {
		wg.Go(func() {
			for _, u := range urls {
				p.ping(ctx, hub, u)
			}
		})
	}
	wg.Wait()
}

// ping tells hub that topic changed, retrying with the backoff; each
// failure is logged, and the last when the attempts run out.
func (p *Publisher) ping(ctx context.Context, hub, topic string) {
	body := []byte(url.Values{"hub.mode": {"publish"}, "hub.url": {topic}}.Encode())
	for attempt := 1; ; attempt++ {
		err := post(ctx, p.opts.Client, hub, "application/x-www-form-urlencoded", p.opts.UserAgent, body, nil)
		if ctx.Err() != nil {
			return // stopping: not the hub's failure
		}
		p.status.record(hub, p.opts.Now(), err)
		if err == nil {
			p.opts.Logger.Debug("hub notified", "hub", hub, "url", topic, "attempt", attempt)
			return
		}
		if attempt >= p.opts.Attempts {
			p.opts.Logger.Error("hub not notified; giving up", "hub", hub, "url", topic, "attempts", attempt, "error", err)
			return
		}
		wait := p.opts.Backoff.Delay(attempt)
		p.opts.Logger.Warn("hub ping failed; retrying", "hub", hub, "url", topic, "attempt", attempt, "retry_in", wait, "error", err)
		p.status.update(hub, func(st *TargetStatus) { st.NextAttempt = p.opts.Now().Add(wait) })
		if !sleep(ctx, wait) {
			return
		}
		p.status.update(hub, func(st *TargetStatus) { st.NextAttempt = time.Time{} })
	}
}

package push

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"aggregator"
)

// DefaultWebhookBackoff is the retry policy of a webhook: 10 s after the
// first failure, doubling to at most an hour, for as long as the webhook
// stays configured.
var DefaultWebhookBackoff = Backoff{Initial: 10 * time.Second, Max: time.Hour}

// batch is the most notifications read from the outbox in one round.
const batch = 500

// Webhook is one configured receiver of new stories.
type Webhook struct {
	URL    string
	Secret string // "" sends no signature
}

// WebhooksOptions configure Webhooks; zero values take the defaults.
type WebhooksOptions struct {
	Client    *http.Client // nil: a client of its own
	UserAgent string
	Backoff   Backoff // zero: DefaultWebhookBackoff
	Logger    *slog.Logger
	Now       func() time.Time
}

// Webhooks delivers the outbox: a JSON POST of every queued new story to
// its webhook, signed when the webhook has a secret, marked delivered in
// the store after a 2xx. A webhook's notifications go in order: after a
// failure its oldest pending one waits out the backoff (its next attempt
// is stored) and the others wait behind it. A notification for a URL no
// longer configured stays pending, unsent.
type Webhooks struct {
	opts   WebhooksOptions
	status statusBook
	wake   chan struct{}

	mu      sync.Mutex
	store   aggregator.OutboxStore
	feedURL string
	hooks   []Webhook
}

// NewWebhooks returns a delivery worker; Configure gives it its store and
// webhooks.
func NewWebhooks(opts WebhooksOptions) *Webhooks {
	if opts.Client == nil {
		opts.Client = &http.Client{}
	}
	if opts.Backoff == (Backoff{}) {
		opts.Backoff = DefaultWebhookBackoff
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Webhooks{opts: opts, wake: make(chan struct{}, 1)}
}

// Configure sets the store the outbox is in, the feed URL the stories'
// ids are made from, and the webhooks (at start and on a reload).
func (w *Webhooks) Configure(st aggregator.OutboxStore, feedURL string, hooks []Webhook) {
	w.mu.Lock()
	w.store, w.feedURL, w.hooks = st, feedURL, append([]Webhook(nil), hooks...)
	w.mu.Unlock()
	names := make([]string, len(hooks))
	for i, h := range hooks {
		names[i] = webhookName(i, h.URL)
	}
	w.status.reset(names)
	w.Kick()
}

// webhookName names a webhook on the status page and in /metrics without
// its secrets: its place in the config and its redacted URL.
func webhookName(i int, u string) string { return fmt.Sprintf("notify[%d] %s", i, Redact(u)) }

// Kick asks for a delivery round now (after a cycle); it never blocks.
func (w *Webhooks) Kick() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Status returns what is known of each webhook.
func (w *Webhooks) Status() []TargetStatus { return w.status.snapshot() }

// Run delivers until ctx ends: a round when kicked, and when the next
// retry is due.
func (w *Webhooks) Run(ctx context.Context) {
	for {
		next, err := w.round(ctx)
		if err != nil && ctx.Err() == nil {
			w.opts.Logger.Error("webhook deliveries: read the outbox", "error", err)
			next = w.opts.Now().Add(w.opts.Backoff.Initial)
		}
		if !w.wait(ctx, next) {
			return
		}
	}
}

// wait waits for a kick, or until next when it is not zero; it reports
// false when ctx ended first.
func (w *Webhooks) wait(ctx context.Context, next time.Time) bool {
	var due <-chan time.Time
	if !next.IsZero() {
		t := time.NewTimer(max(0, next.Sub(w.opts.Now())))
		defer t.Stop()
		due = t.C
	}
	select {
	case <-ctx.Done():
		return false
	case <-w.wake:
	case <-due:
	}
	return true
}

// Flush delivers what is pending, retrying as the backoff says, until
// nothing is pending or ctx ends; it returns how many notifications are
// still pending ("aggregator fetch" before it exits).
func (w *Webhooks) Flush(ctx context.Context) (pending int, err error) {
	for {
		next, err := w.round(ctx)
		if err != nil {
			return w.pending(), err
		}
		if next.IsZero() {
			return w.pending(), nil
		}
		if deadline, ok := ctx.Deadline(); ok && next.After(deadline) {
			return w.pending(), nil
		}
		if !sleep(ctx, max(0, next.Sub(w.opts.Now()))) {
			return w.pending(), nil
		}
	}
}

func (w *Webhooks) pending() int {
	n := 0
	for _, st := range w.status.snapshot() {
		n += st.Pending
	}
	return n
}

// round delivers every due notification, each webhook in its own
// goroutine, and returns when the next retry is due (zero: none pending).
func (w *Webhooks) round(ctx context.Context) (time.Time, error) {
	w.mu.Lock()
	st, feedURL, hooks := w.store, w.feedURL, w.hooks
	w.mu.Unlock()
	if st == nil || len(hooks) == 0 {
		return time.Time{}, nil
	}
	rows, err := st.PendingNotifications(ctx, batch)
	if err != nil {
		return time.Time{}, err
	}
	byURL := map[string][]aggregator.Notification{}
	for _, n := range rows {
		byURL[n.Endpoint] = append(byURL[n.Endpoint], n)
	}
	var mu sync.Mutex
	var next time.Time
	var wg sync.WaitGroup
	for i, h := range hooks {
		wg.Go(func() {
			d := delivery{w: w, st: st, feedURL: feedURL, hook: h, name: webhookName(i, h.URL)}
			if at := d.run(ctx, byURL[h.URL]); !at.IsZero() {
				mu.Lock()
				if next.IsZero() || at.Before(next) {
					next = at
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(rows) == batch && next.IsZero() {
		next = w.opts.Now() // more behind this batch
	}
	return next, ctx.Err()
}

// delivery is one round's work for one webhook.
type delivery struct {
	w       *Webhooks
	st      aggregator.OutboxStore
	feedURL string
	hook    Webhook
	name    string
}

// run sends the webhook's due notifications in order, stopping at the
// first failure; it returns when the next attempt is due, zero when none
// is pending.
func (d *delivery) run(ctx context.Context, rows []aggregator.Notification) time.Time {
	left := len(rows)
	defer func() { d.w.status.update(d.name, func(s *TargetStatus) { s.Pending = left }) }()
	for _, n := range rows {
		if now := d.w.opts.Now(); n.NextAttempt.After(now) {
			d.w.status.update(d.name, func(s *TargetStatus) { s.NextAttempt = n.NextAttempt })
			return n.NextAttempt
		}
		err := d.send(ctx, n)
		if err != nil && ctx.Err() != nil {
			return time.Time{} // stopping: the notification stays as it was
		}
		now := d.w.opts.Now()
		d.w.status.record(d.name, now, err)
		if err == nil {
			left--
			// Recorded even when ctx ends now: the receiver has it.
			mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), RequestTimeout)
			merr := d.st.NotificationDelivered(mctx, n.ID, now)
			cancel()
			if merr != nil {
				// Not marked: it is sent again, as at-least-once allows.
				d.w.opts.Logger.Error("webhook delivered but not marked so", "webhook", d.name, "story", n.StoryID, "error", merr)
				return now.Add(d.w.opts.Backoff.Initial)
			}
			continue
		}
		wait := d.w.opts.Backoff.Delay(n.Attempts + 1)
		at := now.Add(wait)
		d.w.opts.Logger.Warn("webhook delivery failed; retrying", "webhook", d.name, "story", n.StoryID,
			"attempt", n.Attempts+1, "retry_in", wait, "error", err)
		if ferr := d.st.NotificationFailed(ctx, n.ID, n.Attempts+1, err.Error(), at); ferr != nil {
			d.w.opts.Logger.Error("webhook failure not recorded", "webhook", d.name, "story", n.StoryID, "error", ferr)
		}
		d.w.status.update(d.name, func(s *TargetStatus) { s.NextAttempt = at })
		return at
	}
	d.w.status.update(d.name, func(s *TargetStatus) { s.NextAttempt = time.Time{} })
	return time.Time{}
}

// send POSTs one notification, building and storing its body at the
// first attempt.
func (d *delivery) send(ctx context.Context, n aggregator.Notification) error {
	body := n.Body
	if body == nil {
		v, err := d.st.StoryViewByID(ctx, n.StoryID)
		if err != nil {
			return fmt.Errorf("build the body: %w", err)
		}
		if body, err = NewPayload(d.feedURL, v).Body(); err != nil {
			return fmt.Errorf("build the body: %w", err)
		}
		if err := d.st.SetNotificationBody(ctx, n.ID, body); err != nil {
			return fmt.Errorf("store the body: %w", err)
		}
	}
	header := http.Header{}
	if d.hook.Secret != "" {
		header.Set(SignatureHeader, Sign(d.hook.Secret, body))
	}
	return post(ctx, d.w.opts.Client, d.hook.URL, "application/json", d.w.opts.UserAgent, body, header)
}

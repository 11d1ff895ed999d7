// Package push tells others that the curated feed changed, without being
// asked: WebSub hubs get a publish ping for every feed URL whose bytes
// changed (Publisher), and webhooks a signed JSON POST for every new story
// (Webhooks), from the outbox the poll cycle fills in its transactions.
//
// Both work beside the poll cycle, never inside it: a cycle only queues
// (the feed URLs that changed; the outbox rows), and the daemon's
// goroutines deliver, retrying with Backoff. Status snapshots feed the
// status page and /metrics.
package push

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// RequestTimeout bounds one request to a hub or a webhook, body included.
const RequestTimeout = 10 * time.Second

// Backoff is a retry policy: the wait after the n-th consecutive failure
// is Initial × 2^(n−1), at most Max.
type Backoff struct {
	Initial, Max time.Duration
}

// Delay returns the wait after failures consecutive failures (at least 1).
func (b Backoff) Delay(failures int) time.Duration {
	d := b.Initial
	for i := 1; i < failures && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// TargetStatus is what is known of one hub or webhook since start.
type TargetStatus struct {
	Name                string // the hub's URL; a webhook's index and redacted URL
	Delivered, Failed   int    // requests answered 2xx, and the others
	ConsecutiveFailures int
	LastAttempt         time.Time
	LastSuccess         time.Time
	LastError           string // of the last failed request; "" after a success
	Pending             int    // webhooks: notifications not yet delivered
	NextAttempt         time.Time
}

// statusBook keeps a TargetStatus per name, safe for concurrent use.
type statusBook struct {
	mu    sync.Mutex
	order []string
	byKey map[string]*TargetStatus
}

// reset keeps the statuses of names and drops the others, in names' order.
func (b *statusBook) reset(names []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	next := make(map[string]*TargetStatus, len(names))
	for _, n := range names {
		if st := b.byKey[n]; st != nil {
			next[n] = st
		} else {
			next[n] = &TargetStatus{Name: n}
		}
	}
	b.order, b.byKey = append([]string(nil), names...), next
}

// update applies fn to the status of name, when name is known.
func (b *statusBook) update(name string, fn func(*TargetStatus)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if st := b.byKey[name]; st != nil {
		fn(st)
	}
}

// record counts one attempt's outcome.
func (b *statusBook) record(name string, at time.Time, err error) {
	b.update(name, func(st *TargetStatus) {
		st.LastAttempt = at
		if err != nil {
			st.Failed++
			st.ConsecutiveFailures++
			st.LastError = err.Error()
			return
		}
		st.Delivered++
		st.ConsecutiveFailures = 0
		st.LastSuccess, st.LastError = at, ""
	})
}

func (b *statusBook) snapshot() []TargetStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]TargetStatus, 0, len(b.order))
	for _, n := range b.order {
		out = append(out, *b.byKey[n])
	}
	return out
}

// post sends one POST and reports an error for anything but a 2xx. The
// response body is read (a little of it, for the error) and closed.
func post(ctx context.Context, client *http.Client, target, contentType, userAgent string, body []byte, header http.Header) error {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("post %s: %w", Redact(target), err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	if userAgent != "" {
		req.Header.Set("User-Agent", userAgent)
	}
	resp, err := client.Do(req)
	if err != nil {
		// url.Error names the whole URL, which may hold a webhook's token.
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err
		}
		return fmt.Errorf("post %s: %w", Redact(target), err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := strings.Join(strings.Fields(string(snippet)), " ")
		if msg != "" {
			msg = ": " + msg
		}
		return fmt.Errorf("post %s: %s%s", Redact(target), resp.Status, msg)
	}
	return nil
}

// Redact returns u without what may be a secret: its user information,
// query and path (a webhook's URL often carries its token there), as
// "https://host/…".
func Redact(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "(unparsable URL)"
	}
	s := p.Scheme + "://" + p.Host
	if (p.Path != "" && p.Path != "/") || p.RawQuery != "" {
		s += "/…"
	}
	return s
}

// sleep waits for d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

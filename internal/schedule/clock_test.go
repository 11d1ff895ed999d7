package schedule

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock that stands still until the test moves it on. Its
// timers fire when the clock reaches them, and it keeps every timer made
// so that a test can wait for the scheduler to set one and see when it is
// due.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	timers  []*fakeTimer  // every timer made, in order
	changed chan struct{} // closed and replaced whenever a timer is made or stopped
}

type fakeTimer struct {
	clock *fakeClock
	when  time.Time
	ch    chan time.Time
	done  bool // fired or stopped
}

func newFakeClock(now time.Time) *fakeClock {
	return &fakeClock{now: now, changed: make(chan struct{})}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{clock: c, when: c.now.Add(d), ch: make(chan time.Time, 1)}
	c.timers = append(c.timers, t)
	if d <= 0 {
		t.fire(c.now)
	}
	c.broadcast()
	return t
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	wasActive := !t.done
	t.done = true
	t.clock.broadcast()
	return wasActive
}

// fire sends now on the timer's channel; the clock's lock is held.
func (t *fakeTimer) fire(now time.Time) {
	t.done = true
	t.ch <- now
}

// broadcast wakes the waiters of waitUntil; the clock's lock is held.
func (c *fakeClock) broadcast() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// advanceTo sets the clock to when and fires, earliest first, the timers
// due by then.
func (c *fakeClock) advanceTo(when time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = when
	due := slices.DeleteFunc(slices.Clone(c.timers), func(t *fakeTimer) bool { return t.done || t.when.After(when) })
	slices.SortStableFunc(due, func(a, b *fakeTimer) int { return a.when.Compare(b.when) })
	for _, t := range due {
		t.fire(when)
	}
}

// waitUntil waits until cond, called with the clock locked, holds; the
// bound only guards against a hang.
func (c *fakeClock) waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	guard := time.After(10 * time.Second)
	for {
		c.mu.Lock()
		ok, changed := cond(), c.changed
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case <-guard:
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// pending returns the due times of the timers not fired or stopped,
// earliest first; the clock's lock is held.
func (c *fakeClock) pending() []time.Time {
	var whens []time.Time
	for _, t := range c.timers {
		if !t.done {
			whens = append(whens, t.when)
		}
	}
	slices.SortFunc(whens, time.Time.Compare)
	return whens
}

// waitPending waits until n timers are pending and returns their due
// times, earliest first.
func (c *fakeClock) waitPending(t *testing.T, n int, what string) []time.Time {
	t.Helper()
	var whens []time.Time
	c.waitUntil(t, what, func() bool {
		whens = c.pending()
		return len(whens) == n
	})
	return whens
}

// made returns how many timers have been made.
func (c *fakeClock) made() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// logLines is a slog handler that passes the message of every record to
// a channel.
type logLines chan string

func (l logLines) Enabled(context.Context, slog.Level) bool { return true }

func (l logLines) Handle(_ context.Context, r slog.Record) error {
	l <- r.Message
	return nil
}

func (l logLines) WithAttrs([]slog.Attr) slog.Handler { return l }

func (l logLines) WithGroup(string) slog.Handler { return l }

// waitMade waits until at least n timers have been made and returns the
// due times of all of them, in the order they were made.
func (c *fakeClock) waitMade(t *testing.T, n int, what string) []time.Time {
	t.Helper()
	var whens []time.Time
	c.waitUntil(t, what, func() bool {
		whens = whens[:0]
		for _, tm := range c.timers {
			whens = append(whens, tm.when)
		}
		return len(whens) >= n
	})
	return whens
}

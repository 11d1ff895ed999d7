package fetch

import (
	"context"
	"sync"
)

// limiter bounds parallel requests overall and per host.
type limiter struct {
	global  chan struct{}
	perHost int

	mu    sync.Mutex
	hosts map[string]*hostSlot
}

// hostSlot is one host's semaphore and how many callers hold or await it.
type hostSlot struct {
	sem   chan struct{}
	users int
}

func newLimiter(global, perHost int) *limiter {
	return &limiter{
		global:  make(chan struct{}, global),
		perHost: perHost,
		hosts:   make(map[string]*hostSlot),
	}
}

// acquire waits for a slot for host and then a global slot; the per-host slot
// is taken first so that waiting on a busy host never holds a global slot.
// It returns ctx's error if ctx ends first. release must be called once.
func (l *limiter) acquire(ctx context.Context, host string) (release func(), err error) {
	l.mu.Lock()
	hs := l.hosts[host]
	if hs == nil {
		hs = &hostSlot{sem: make(chan struct{}, l.perHost)}
		l.hosts[host] = hs
	}
	hs.users++
	l.mu.Unlock()

	done := func() {
		l.mu.Lock()
		hs.users--
		if hs.users == 0 {
			delete(l.hosts, host)
		}
		l.mu.Unlock()
	}

	select {
	case hs.sem <- struct{}{}:
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
	select {
	case l.global <- struct{}{}:
	case <-ctx.Done():
		<-hs.sem
		done()
		return nil, ctx.Err()
	}
	return func() {
		<-l.global
		<-hs.sem
		done()
	}, nil
}

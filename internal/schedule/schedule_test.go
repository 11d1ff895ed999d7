package schedule

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitFor fails the test when ch does not deliver within a generous bound
// (a hang guard, not a speed assertion).
func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		var zero T
		return zero
	}
}

func TestRunsAtStartThenOnSchedule(t *testing.T) {
	runs := make(chan int, 10)
	var n atomic.Int32
	s, err := New("@every 1s", 0, func(context.Context) { runs <- int(n.Add(1)) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer s.Stop(context.Background())
	if got := waitFor(t, runs, "the run at start"); got != 1 {
		t.Fatalf("first run is #%d", got)
	}
	if next := s.Next(); next.IsZero() || next.After(time.Now().Add(1500*time.Millisecond)) {
		t.Errorf("Next() = %v, want within a second", next)
	}
	waitFor(t, runs, "a scheduled run")
}

func TestSkipsWhilePreviousRunIsGoing(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	var running, maxRunning, total atomic.Int32
	s, err := New("@every 1s", 0, func(context.Context) {
		total.Add(1)
		r := running.Add(1)
		for {
			m := maxRunning.Load()
			if r <= m || maxRunning.CompareAndSwap(m, r) {
				break
			}
		}
		started <- struct{}{}
		<-release
		running.Add(-1)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	waitFor(t, started, "the run at start")
	// Let at least two activations pass while the first run is blocked.
	time.Sleep(2500 * time.Millisecond)
	if got := total.Load(); got != 1 {
		t.Errorf("%d runs started while the first was still going, want 1", got)
	}
	close(release)
	waitFor(t, started, "a run after the first finished")
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m := maxRunning.Load(); m != 1 {
		t.Errorf("%d runs overlapped", m)
	}
}

func TestStopWaitsForRunningJob(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	var finished atomic.Bool
	s, err := New("@every 1h", 0, func(ctx context.Context) {
		close(started)
		<-release
		finished.Store(ctx.Err() == nil)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	waitFor(t, started, "the run at start")
	stopped := make(chan error, 1)
	go func() { stopped <- s.Stop(context.Background()) }()
	select {
	case <-stopped:
		t.Fatal("Stop returned while the job was running")
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if err := waitFor(t, stopped, "Stop"); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if !finished.Load() {
		t.Error("the job did not finish with a live context")
	}
}

func TestStopCancelsAtDeadline(t *testing.T) {
	started := make(chan struct{})
	var cancelled atomic.Bool
	s, err := New("@every 1h", 0, func(ctx context.Context) {
		close(started)
		<-ctx.Done()
		cancelled.Store(true)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	waitFor(t, started, "the run at start")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.Stop(ctx); !errors.Is(err, ErrCancelled) {
		t.Fatalf("Stop = %v, want ErrCancelled", err)
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := s.Wait(wctx); err != nil {
		t.Fatal(err)
	}
	if !cancelled.Load() {
		t.Error("the job's context was not cancelled")
	}
}

func TestJitterDelaysScheduledRunsAndStopEndsIt(t *testing.T) {
	var mu sync.Mutex
	var times []time.Time
	runs := make(chan struct{}, 10)
	s, err := New("@every 1s", time.Hour, func(context.Context) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		runs <- struct{}{}
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	waitFor(t, runs, "the run at start (never delayed)")
	time.Sleep(1500 * time.Millisecond)
	// With up to an hour of jitter, a scheduled run almost surely waits;
	// Stop must not wait for the delay.
	done := make(chan error, 1)
	go func() { done <- s.Stop(context.Background()) }()
	if err := waitFor(t, done, "Stop during a jitter delay"); err != nil {
		t.Fatal(err)
	}
}

func TestReschedule(t *testing.T) {
	s, err := New("@every 1h", 0, func(context.Context) {}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer s.Stop(context.Background())
	if err := s.Reschedule("@every 2s", 0); err != nil {
		t.Fatal(err)
	}
	// cron recomputes Next when the entry is added.
	deadline := time.Now().Add(3 * time.Second)
	if next := s.Next(); next.IsZero() || next.After(deadline) {
		t.Errorf("after Reschedule Next() = %v, want within 2s", next)
	}
	if s.Spec() != "@every 2s" || s.Period() != 2*time.Second {
		t.Errorf("Spec %q Period %v", s.Spec(), s.Period())
	}
	if err := s.Reschedule("every now and then", 0); err == nil {
		t.Error("Reschedule accepted a bad spec")
	}
}

func TestPeriod(t *testing.T) {
	tests := []struct {
		spec string
		want time.Duration
	}{
		{"@every 15m", 15 * time.Minute},
		{"*/20 * * * *", 20 * time.Minute},
		{"@hourly", time.Hour},
		{"@daily", 24 * time.Hour},
	}
	for _, tt := range tests {
		got, err := Period(tt.spec)
		if err != nil || got != tt.want {
			t.Errorf("Period(%q) = %v, %v; want %v", tt.spec, got, err, tt.want)
		}
	}
	if _, err := Period("nope"); err == nil {
		t.Error("Period accepted a bad spec")
	}
}

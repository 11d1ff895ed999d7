package schedule

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

// The tests run the scheduler on a fakeClock (clock_test.go): time moves
// only when a test moves it, so they check the exact times runs start at
// and never sleep. The real-time bounds in waitFor and fakeClock.waitUntil
// only guard against a hang.

// t0 is a Wednesday morning, in local time like the schedules.
var t0 = time.Date(2025, time.January, 15, 10, 5, 0, 0, time.Local)

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

// newScheduler returns a scheduler on clock that calls run; it is stopped
// at the end of the test.
func newScheduler(t *testing.T, spec string, opts Options, run func(context.Context)) *Scheduler {
	t.Helper()
	return newFailingScheduler(t, spec, opts, func(ctx context.Context) error { run(ctx); return nil })
}

// newFailingScheduler is newScheduler for a job that may fail.
func newFailingScheduler(t *testing.T, spec string, opts Options, run func(context.Context) error) *Scheduler {
	t.Helper()
	s, err := New(spec, run, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Stop(ctx)
	})
	return s
}

// waitIdle waits until the runs started so far have returned, their
// wrappers included: cron's SkipIfStillRunning frees its slot only after
// the job has returned, so an activation right after a job has reported
// could still be skipped. No run starts while the fake clock stands
// still, which makes waiting on s.runs safe.
func waitIdle(t *testing.T, s *Scheduler) {
	t.Helper()
	idle := make(chan struct{})
	go func() {
		s.runs.Wait()
		close(idle)
	}()
	waitFor(t, idle, "the runs to return")
}

// runsAt returns a job that sends the clock's time on the returned
// channel each time it runs.
func runsAt(clock Clock) (func(context.Context), <-chan time.Time) {
	runs := make(chan time.Time, 100)
	return func(context.Context) { runs <- clock.Now() }, runs
}

func TestRunsAtStartThenAtEveryActivation(t *testing.T) {
	at := func(day, hour, minute, sec int) time.Time {
		return time.Date(2025, time.January, day, hour, minute, sec, 0, time.Local)
	}
	tests := []struct {
		spec  string
		start time.Time
		want  []time.Time // the scheduled runs after the one at start
	}{
		{"@every 1m", t0, []time.Time{at(15, 10, 6, 0), at(15, 10, 7, 0), at(15, 10, 8, 0)}},
		// "@every" activations fall on whole seconds.
		{"@every 90s", t0.Add(400 * time.Millisecond), []time.Time{at(15, 10, 6, 30), at(15, 10, 8, 0), at(15, 10, 9, 30)}},
		{"*/20 * * * *", t0, []time.Time{at(15, 10, 20, 0), at(15, 10, 40, 0), at(15, 11, 0, 0)}},
		{"@hourly", t0, []time.Time{at(15, 11, 0, 0), at(15, 12, 0, 0), at(15, 13, 0, 0)}},
		{"30 9 * * 1-5", t0, []time.Time{at(16, 9, 30, 0), at(17, 9, 30, 0), at(20, 9, 30, 0)}}, // Thu, Fri, Mon
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			clock := newFakeClock(tt.start)
			run, runs := runsAt(clock)
			s := newScheduler(t, tt.spec, Options{Clock: clock}, run)
			if next := s.Next(); !next.IsZero() {
				t.Errorf("before Start, Next() = %v, want the zero time", next)
			}
			s.Start()
			got := []time.Time{waitFor(t, runs, "the run at start")}
			for range tt.want {
				waitIdle(t, s)
				due := clock.waitPending(t, 1, "the timer for the next activation")[0]
				if next := s.Next(); !next.Equal(due) {
					t.Errorf("Next() = %v, but the scheduler waits until %v", next, due)
				}
				clock.advanceTo(due)
				got = append(got, waitFor(t, runs, "a scheduled run"))
			}
			want := append([]time.Time{tt.start}, tt.want...)
			for i := range want {
				if !got[i].Equal(want[i]) {
					t.Errorf("run %d at %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

func TestSkipsWhilePreviousRunIsGoing(t *testing.T) {
	clock := newFakeClock(t0)
	logs := make(logLines, 100)
	release := make(chan struct{})
	started := make(chan time.Time, 100)
	var running, overlaps atomic.Int32
	s := newScheduler(t, "@every 1m", Options{Clock: clock, Logger: slog.New(logs)}, func(context.Context) {
		if running.Add(1) > 1 {
			overlaps.Add(1)
		}
		defer running.Add(-1)
		started <- clock.Now()
		<-release
	})
	s.Start()
	waitFor(t, started, "the run at start")

	// Two activations while the first run is blocked: both are skipped.
	for range 2 {
		clock.advanceTo(clock.waitPending(t, 1, "the next activation")[0])
		if msg := waitFor(t, logs, "a log line"); msg != "previous cycle still running; skipping this one" {
			t.Errorf("log line %q, want the skip", msg)
		}
	}
	select {
	case at := <-started:
		t.Errorf("a run started at %v while the first was still going", at)
	default:
	}

	// Once it has finished, the next activation runs.
	close(release)
	waitIdle(t, s)
	due := clock.waitPending(t, 1, "the next activation")[0]
	clock.advanceTo(due)
	if at := waitFor(t, started, "a run after the first finished"); !at.Equal(due) {
		t.Errorf("run at %v, want %v", at, due)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := overlaps.Load(); n != 0 {
		t.Errorf("%d runs overlapped", n)
	}
}

func TestStopWaitsForRunningJob(t *testing.T) {
	clock := newFakeClock(t0)
	started := make(chan struct{})
	release := make(chan struct{})
	var returned, liveContext atomic.Bool
	var calls atomic.Int32
	s := newScheduler(t, "@every 1h", Options{Clock: clock}, func(ctx context.Context) {
		if calls.Add(1) > 1 {
			return
		}
		close(started)
		<-release
		liveContext.Store(ctx.Err() == nil)
		returned.Store(true)
	})
	s.Start()
	waitFor(t, started, "the run at start")
	clock.waitPending(t, 1, "the timer for the next activation")

	stopped := make(chan error, 1)
	go func() { stopped <- s.Stop(context.Background()) }()
	// Stop ends the wait for the next activation at once, then waits.
	clock.waitPending(t, 0, "Stop to end the wait for the next activation")
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned (%v) while the job was running", err)
	default:
	}
	close(release)
	if err := waitFor(t, stopped, "Stop"); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if !returned.Load() {
		t.Error("Stop returned before the job did")
	}
	if !liveContext.Load() {
		t.Error("the job's context ended before it finished")
	}

	// Stopped: time goes on, no timer is armed again, nothing runs.
	made := clock.made()
	clock.advanceTo(t0.Add(3 * time.Hour))
	clock.waitPending(t, 0, "no timer pending after Stop")
	if m := clock.made(); m != made {
		t.Errorf("%d timers made after Stop", m-made)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d runs, want only the one at start", n)
	}
}

func TestStopCancelsAtDeadline(t *testing.T) {
	clock := newFakeClock(t0)
	started := make(chan struct{})
	var cancelled atomic.Bool
	s := newScheduler(t, "@every 1h", Options{Clock: clock}, func(ctx context.Context) {
		close(started)
		<-ctx.Done()
		cancelled.Store(true)
	})
	s.Start()
	waitFor(t, started, "the run at start")
	deadline, cancel := context.WithCancel(context.Background())
	cancel() // the deadline has passed
	if err := s.Stop(deadline); !errors.Is(err, ErrCancelled) {
		t.Fatalf("Stop = %v, want ErrCancelled", err)
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := s.Wait(wctx); err != nil {
		t.Fatal(err)
	}
	if !cancelled.Load() {
		t.Error("Wait returned before the cancelled job did")
	}
}

func TestJitterDelaysScheduledRunsAndStopEndsIt(t *testing.T) {
	const jitter = 10 * time.Minute
	clock := newFakeClock(t0)
	run, runs := runsAt(clock)
	s := newScheduler(t, "@every 1h", Options{Clock: clock, Jitter: jitter}, run)
	s.Start()
	if at := waitFor(t, runs, "the run at start"); !at.Equal(t0) {
		t.Errorf("the run at start ran at %v, want %v: never delayed", at, t0)
	}

	// activate moves the clock to the next activation and returns when it
	// is and when its run is due after the jitter delay.
	activate := func() (activation, delayedTo time.Time) {
		activation = clock.waitPending(t, 1, "the next activation")[0]
		made := clock.made()
		clock.advanceTo(activation)
		// The timers for the activation after and for the jitter delay.
		whens := clock.waitMade(t, made+2, "the jitter delay")[made:]
		delayedTo = whens[0]
		if whens[1].Before(delayedTo) {
			delayedTo = whens[1]
		}
		if next := s.Next(); !next.Equal(activation.Add(time.Hour)) {
			t.Errorf("Next() = %v during the jitter delay, want the activation after, %v", next, activation.Add(time.Hour))
		}
		return activation, delayedTo
	}
	for range 5 {
		waitIdle(t, s)
		activation, delayedTo := activate()
		if delay := delayedTo.Sub(activation); delay < 0 || delay >= jitter {
			t.Errorf("run delayed by %v, want [0, %v)", delay, jitter)
		}
		clock.advanceTo(delayedTo)
		if at := waitFor(t, runs, "the delayed run"); !at.Equal(delayedTo) {
			t.Errorf("delayed run at %v, want %v", at, delayedTo)
		}
	}

	// Stop does not wait for a jitter delay, and the run it cancels never
	// comes.
	waitIdle(t, s)
	_, delayedTo := activate()
	done := make(chan error, 1)
	go func() { done <- s.Stop(context.Background()) }()
	if err := waitFor(t, done, "Stop during a jitter delay"); err != nil {
		t.Fatal(err)
	}
	made := clock.made()
	clock.advanceTo(delayedTo.Add(time.Minute))
	clock.waitPending(t, 0, "no timer pending after Stop")
	if m := clock.made(); m != made {
		t.Errorf("%d timers made after Stop", m-made)
	}
	select {
	case at := <-runs:
		t.Errorf("a run at %v after Stop", at)
	default:
	}
}

func TestReschedule(t *testing.T) {
	clock := newFakeClock(t0)
	run, runs := runsAt(clock)
	s := newScheduler(t, "@every 1h", Options{Clock: clock}, run)
	s.Start()
	waitFor(t, runs, "the run at start")
	waitIdle(t, s)
	clock.waitPending(t, 1, "the timer for the first activation")

	if err := s.Reschedule("@every 2m", 0); err != nil {
		t.Fatal(err)
	}
	if next := s.Next(); !next.Equal(t0.Add(2 * time.Minute)) {
		t.Errorf("after Reschedule Next() = %v, want %v", next, t0.Add(2*time.Minute))
	}
	if s.Spec() != "@every 2m" || s.Period() != 2*time.Minute {
		t.Errorf("Spec %q Period %v", s.Spec(), s.Period())
	}
	// The scheduler drops the old activation and waits for the new one.
	clock.waitUntil(t, "the timer for the new schedule", func() bool {
		p := clock.pending()
		return len(p) == 1 && p[0].Equal(t0.Add(2*time.Minute))
	})
	clock.advanceTo(t0.Add(2 * time.Minute))
	if at := waitFor(t, runs, "a run on the new schedule"); !at.Equal(t0.Add(2 * time.Minute)) {
		t.Errorf("run at %v, want %v", at, t0.Add(2*time.Minute))
	}

	if err := s.Reschedule("every now and then", 0); err == nil {
		t.Error("Reschedule accepted a bad spec")
	}
	if err := s.Reschedule("@every 5m", -time.Second); err == nil {
		t.Error("Reschedule accepted a negative jitter")
	}
	if s.Spec() != "@every 2m" {
		t.Errorf("a rejected Reschedule changed the spec to %q", s.Spec())
	}
}

func TestRescheduleBeforeStart(t *testing.T) {
	clock := newFakeClock(t0)
	run, runs := runsAt(clock)
	s := newScheduler(t, "@every 1h", Options{Clock: clock}, run)
	if err := s.Reschedule("@every 5m", 0); err != nil {
		t.Fatal(err)
	}
	if next := s.Next(); !next.IsZero() {
		t.Errorf("Next() = %v before Start, want the zero time", next)
	}
	s.Start()
	waitFor(t, runs, "the run at start")
	if due := clock.waitPending(t, 1, "the first activation")[0]; !due.Equal(t0.Add(5 * time.Minute)) {
		t.Errorf("first activation at %v, want %v", due, t0.Add(5*time.Minute))
	}
}

func TestStopWithoutStart(t *testing.T) {
	clock := newFakeClock(t0)
	run, runs := runsAt(clock)
	s := newScheduler(t, "@every 1m", Options{Clock: clock}, run)
	if err := s.Stop(context.Background()); err != nil {
		t.Errorf("Stop = %v", err)
	}
	select {
	case at := <-runs:
		t.Errorf("a run at %v without Start", at)
	default:
	}
}

func TestNewRejects(t *testing.T) {
	for _, tt := range []struct {
		name string
		spec string
		opts Options
	}{
		{"bad spec", "every now and then", Options{}},
		{"negative jitter", "@hourly", Options{Jitter: -time.Second}},
		{"negative retry", "@hourly", Options{Retry: -time.Second}},
	} {
		if _, err := New(tt.spec, func(context.Context) error { return nil }, tt.opts); err == nil {
			t.Errorf("%s: New succeeded", tt.name)
		}
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

// TestRunsAgainAfterAPanic checks that a run that panics is logged and
// the next activation runs again: the skip-if-still-running guard must not
// stay taken by the run that panicked.
func TestRunsAgainAfterAPanic(t *testing.T) {
	clock := newFakeClock(t0)
	runs := make(chan time.Time, 10)
	var calls atomic.Int32
	s := newScheduler(t, "@every 1m", Options{Clock: clock}, func(context.Context) {
		runs <- clock.Now()
		if calls.Add(1) == 1 {
			panic("a cycle's bug")
		}
	})
	s.Start()
	waitFor(t, runs, "the run at start, which panics")
	waitIdle(t, s)
	due := clock.waitPending(t, 1, "the next activation")[0]
	clock.advanceTo(due)
	if at := waitFor(t, runs, "a run after the panic"); !at.Equal(due) {
		t.Errorf("run at %v, want %v", at, due)
	}
}

// TestRetriesAFailedRunAfterBackoff: a run that fails is tried again after
// the retry wait, doubling with each failure in a row, instead of a whole
// period later; once a run succeeds, the schedule is followed again.
func TestRetriesAFailedRunAfterBackoff(t *testing.T) {
	clock := newFakeClock(t0)
	runs := make(chan time.Time, 10)
	var calls atomic.Int32
	s := newFailingScheduler(t, "@every 1h", Options{Clock: clock, Retry: 30 * time.Second}, func(context.Context) error {
		runs <- clock.Now()
		if calls.Add(1) <= 3 {
			return errors.New("store: not writable")
		}
		return nil
	})
	s.Start()
	got := []time.Time{waitFor(t, runs, "the run at start")}
	waitIdle(t, s)
	for _, wait := range []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute} {
		due := got[len(got)-1].Add(wait)
		clock.waitUntil(t, "the retry timer at "+due.String(), func() bool {
			p := clock.pending()
			return len(p) == 1 && p[0].Equal(due)
		})
		if next := s.Next(); !next.Equal(due) {
			t.Errorf("Next() = %v, want the retry at %v", next, due)
		}
		clock.advanceTo(due)
		got = append(got, waitFor(t, runs, "a retry"))
		waitIdle(t, s)
	}
	want := []time.Time{t0, t0.Add(30 * time.Second), t0.Add(90 * time.Second), t0.Add(210 * time.Second)}
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Errorf("run %d at %v, want %v", i, got[i], want[i])
		}
	}
	// The fourth run succeeded: the next is a period later.
	next := want[3].Add(time.Hour)
	clock.waitUntil(t, "the scheduled activation after the success", func() bool {
		p := clock.pending()
		return len(p) == 1 && p[0].Equal(next)
	})
}

// TestRetryNeverLaterThanTheSchedule: when the schedule's next activation
// comes before the retry would, the schedule runs it.
func TestRetryNeverLaterThanTheSchedule(t *testing.T) {
	clock := newFakeClock(t0)
	runs := make(chan time.Time, 10)
	s := newFailingScheduler(t, "@every 1m", Options{Clock: clock, Retry: 5 * time.Minute}, func(context.Context) error {
		runs <- clock.Now()
		return errors.New("transient")
	})
	s.Start()
	waitFor(t, runs, "the run at start")
	waitIdle(t, s)
	due := clock.waitPending(t, 1, "the next activation")[0]
	if want := t0.Add(time.Minute); !due.Equal(want) {
		t.Errorf("next run at %v, want the schedule's %v", due, want)
	}
}

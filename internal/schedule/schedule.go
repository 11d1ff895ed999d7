// Package schedule runs the daemon's poll cycle on a cron schedule (specs
// parsed by github.com/robfig/cron/v3): once at start, then at every
// activation of the schedule, never two runs at once (an activation that
// finds the previous run still going is skipped), each scheduled run after
// an optional random delay so that many instances do not hit the same
// upstreams in the same second. A run that fails is retried after a short
// backoff (30 s, doubling with each failure in a row, at most one period)
// when that comes before the schedule's next activation.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Options configure a Scheduler. The zero value is valid: no jitter, no
// log, the real clock.
type Options struct {
	// Jitter delays each scheduled run by a random duration below it
	// (0: none). The run at start is never delayed.
	Jitter time.Duration
	Logger *slog.Logger // nil: discard
	Clock  Clock        // nil: the real clock
	// Retry is the wait before a failed run is tried again (0:
	// DefaultRetry); it doubles with each failure in a row, up to the
	// schedule's period.
	Retry time.Duration
}

// DefaultRetry is the first wait before a failed run is tried again.
const DefaultRetry = 30 * time.Second

// Scheduler runs one job on a schedule. Create it with New, start it with
// Start, and stop it with Stop.
type Scheduler struct {
	job    cron.Job // the run, wrapped: panics recovered, overlaps skipped
	clock  Clock
	logger *slog.Logger

	ctx      context.Context // the jobs' context; cancel ends a running job
	cancel   context.CancelFunc
	stopping context.Context // ends when Stop is called: no more runs start
	stop     context.CancelFunc
	wake     chan struct{}  // Reschedule moved the next activation
	loop     sync.WaitGroup // the loop that starts the scheduled runs
	runs     sync.WaitGroup // runs in progress, with their jitter delays

	mu       sync.Mutex
	spec     string
	schedule cron.Schedule
	jitter   time.Duration
	retry    time.Duration
	started  bool
	next     time.Time // the next activation (maybe a retry); zero when there is none
	failures int       // runs failed in a row
}

// New returns a scheduler that calls run according to spec (a five-field
// cron spec, a descriptor such as "@hourly", or "@every 15m"). run gets a
// context that ends when Stop gives up waiting for it; an error it returns
// brings the next run forward to after the retry backoff.
func New(spec string, run func(ctx context.Context) error, opts Options) (*Scheduler, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", spec, err)
	}
	if opts.Jitter < 0 {
		return nil, fmt.Errorf("schedule: negative jitter %s", opts.Jitter)
	}
	if opts.Retry < 0 {
		return nil, fmt.Errorf("schedule: negative retry %s", opts.Retry)
	}
	if opts.Retry == 0 {
		opts.Retry = DefaultRetry
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	s := &Scheduler{clock: opts.Clock, logger: opts.Logger, wake: make(chan struct{}, 1), spec: spec, schedule: sched, jitter: opts.Jitter,
		retry: opts.Retry}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.stopping, s.stop = context.WithCancel(context.Background())
	cl := cronLogger{opts.Logger}
	// Recover inside the skip guard: cron's SkipIfStillRunning frees its
	// slot only when the job returns, so a panic escaping to it would make
	// every later run a "skip".
	s.job = cron.NewChain(cron.SkipIfStillRunning(cl), cron.Recover(cl)).Then(cron.FuncJob(func() {
		if s.stopping.Err() != nil {
			return
		}
		s.finished(run(s.ctx))
	}))
	return s, nil
}

// finished records how a run ended: a failure brings the next activation
// forward to after the backoff, a success resets the backoff.
func (s *Scheduler) finished(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.failures = 0
		return
	}
	s.failures++
	now := s.clock.Now()
	wait, limit := s.retry, period(s.schedule, now)
	if limit <= 0 {
		limit = 24 * time.Hour // a schedule with no next activation
	}
	for i := 1; i < s.failures && wait < limit; i++ {
		wait *= 2
	}
	at := now.Add(min(wait, limit))
	if s.stopping.Err() != nil || !s.next.IsZero() && !at.Before(s.next) {
		return // the schedule comes first
	}
	s.logger.Warn("run failed; trying again soon", "failures_in_a_row", s.failures, "retry_in", at.Sub(now), "retry_at", at)
	s.next = at
	s.wakeLoop()
}

// wakeLoop has the loop wait for s.next anew; s.mu is held.
func (s *Scheduler) wakeLoop() {
	select {
	case s.wake <- struct{}{}:
	default: // the loop has a wake-up pending
	}
}

// Start runs the job once now, in the background, and then on schedule.
func (s *Scheduler) Start() {
	now := s.clock.Now()
	s.mu.Lock()
	s.started = true
	s.next = s.schedule.Next(now)
	s.mu.Unlock()
	s.startRun(s.job)
	s.loop.Add(1)
	go func() {
		defer s.loop.Done()
		for ok := true; ok; {
			now, ok = s.waitForNext(now)
		}
	}()
}

// waitForNext waits, from now, for the next activation, which it starts a
// run for, for Reschedule to move it, or for Stop. It returns the time it
// woke at and false when the scheduler is stopping.
func (s *Scheduler) waitForNext(now time.Time) (time.Time, bool) {
	s.mu.Lock()
	next := s.next
	s.mu.Unlock()
	var fire <-chan time.Time // nil: no activation to wait for
	if !next.IsZero() {
		t := s.clock.NewTimer(next.Sub(now))
		defer t.Stop()
		fire = t.C()
	}
	select {
	case woke := <-fire:
		s.activate(woke)
		return woke, true
	case <-s.wake:
		return s.clock.Now(), true
	case <-s.stopping.Done():
		return now, false
	}
}

// activate starts a run, after the jitter delay, when the next activation
// has come by now, and works out the one after.
func (s *Scheduler) activate(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next.IsZero() || s.next.After(now) {
		return // rescheduled meanwhile
	}
	s.next = s.schedule.Next(now)
	s.startRun(s.delayed(s.jitter))
}

// startRun runs j in the background; Stop and Wait wait for it.
func (s *Scheduler) startRun(j cron.Job) {
	s.runs.Add(1)
	go func() {
		defer s.runs.Done()
		j.Run()
	}()
}

// delayed is the job as the schedule runs it: after the jitter delay, which
// ends early when the scheduler is stopped.
func (s *Scheduler) delayed(jitter time.Duration) cron.Job {
	if jitter <= 0 {
		return s.job
	}
	return cron.FuncJob(func() {
		t := s.clock.NewTimer(rand.N(jitter))
		defer t.Stop()
		select {
		case <-t.C():
			s.job.Run()
		case <-s.stopping.Done():
		}
	})
}

// Reschedule replaces the schedule and the jitter; a run in progress goes on,
// and the next one follows the new schedule. It does nothing when neither
// changed.
func (s *Scheduler) Reschedule(spec string, jitter time.Duration) error {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return fmt.Errorf("schedule %q: %w", spec, err)
	}
	if jitter < 0 {
		return fmt.Errorf("schedule: negative jitter %s", jitter)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if spec == s.spec && jitter == s.jitter {
		return nil
	}
	s.spec, s.schedule, s.jitter = spec, sched, jitter
	if s.started {
		s.next = sched.Next(s.clock.Now())
		s.wakeLoop()
	}
	return nil
}

// Spec returns the schedule in force.
func (s *Scheduler) Spec() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spec
}

// Next returns when the job runs next (before jitter), or the zero time
// when the scheduler is not started.
func (s *Scheduler) Next() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next
}

// Period returns the time between two runs of the schedule in force.
func (s *Scheduler) Period() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return period(s.schedule, s.clock.Now())
}

// ErrCancelled is returned by Stop when a run did not finish in time and
// was cancelled.
var ErrCancelled = errors.New("schedule: run cancelled at the stop deadline")

// Stop stops scheduling runs and waits for a run in progress to finish.
// When ctx ends first, the run's context is cancelled and Stop returns
// ErrCancelled at once; Wait then waits for the run to return.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.stop()
	select {
	case <-s.idle():
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel()
		return ErrCancelled
	}
}

// Wait stops scheduling runs, as Stop does, and waits until no run is in
// progress, or until ctx ends.
func (s *Scheduler) Wait(ctx context.Context) error {
	s.stop()
	select {
	case <-s.idle():
		return nil
	case <-ctx.Done():
		return fmt.Errorf("schedule: wait for the running job: %w", ctx.Err())
	}
}

// idle returns a channel closed once the loop has returned and no run is
// in progress. It is for after s.stop: no run starts once the loop is gone.
func (s *Scheduler) idle() <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		s.loop.Wait()
		s.runs.Wait()
		close(ch)
	}()
	return ch
}

// Period returns the time between two runs of the cron spec.
func Period(spec string) (time.Duration, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return 0, fmt.Errorf("schedule %q: %w", spec, err)
	}
	return period(sched, time.Now()), nil
}

// period is the fixed delay of an "@every" schedule, or else the gap
// between the next two activations after now.
func period(sched cron.Schedule, now time.Time) time.Duration {
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		return every.Delay
	}
	next := sched.Next(now)
	if next.IsZero() {
		return 0
	}
	return sched.Next(next).Sub(next)
}

// cronLogger passes the log lines of cron's job wrappers to slog; "skip"
// becomes a line that says what happened.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" {
		c.l.Warn("previous cycle still running; skipping this one")
		return
	}
	c.l.Debug("cron: "+msg, kv...)
}

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append([]any{"error", err}, kv...)...)
}

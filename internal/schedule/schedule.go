// Package schedule runs the daemon's poll cycle on a cron schedule
// (github.com/robfig/cron/v3): once at start, then at every activation of
// the schedule, never two runs at once (an activation that finds the
// previous run still going is skipped), each scheduled run after an optional
// random delay so that many instances do not hit the same upstreams in the
// same second.
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

// Scheduler runs one job on a schedule. Create it with New, start it with
// Start, and stop it with Stop.
type Scheduler struct {
	cron   *cron.Cron
	job    cron.Job // the run, wrapped: panics recovered, overlaps skipped
	logger *slog.Logger

	ctx      context.Context // the jobs' context; cancel ends a running job
	cancel   context.CancelFunc
	stopping context.Context // ends when Stop is called: no more runs start
	stop     context.CancelFunc
	first    sync.WaitGroup // the run at start, which cron does not track

	mu       sync.Mutex
	spec     string
	schedule cron.Schedule
	entry    cron.EntryID
	jitter   time.Duration
}

// New returns a scheduler that calls run according to spec (a five-field
// cron spec, a descriptor such as "@hourly", or "@every 15m"), each
// scheduled run delayed by a random duration below jitter (0: none). run
// gets a context that ends when Stop gives up waiting for it.
func New(spec string, jitter time.Duration, run func(ctx context.Context), logger *slog.Logger) (*Scheduler, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", spec, err)
	}
	if jitter < 0 {
		return nil, fmt.Errorf("schedule: negative jitter %s", jitter)
	}
	s := &Scheduler{logger: logger, spec: spec, schedule: sched, jitter: jitter}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.stopping, s.stop = context.WithCancel(context.Background())
	cl := cronLogger{logger}
	s.cron = cron.New(cron.WithLogger(cl))
	s.job = cron.NewChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)).Then(cron.FuncJob(func() {
		if s.stopping.Err() != nil {
			return
		}
		run(s.ctx)
	}))
	return s, nil
}

// Start runs the job once now, in the background, and then on schedule.
func (s *Scheduler) Start() {
	s.mu.Lock()
	s.entry = s.cron.Schedule(s.schedule, s.delayed(s.jitter))
	s.mu.Unlock()
	s.first.Add(1)
	go func() {
		defer s.first.Done()
		s.job.Run()
	}()
	s.cron.Start()
}

// delayed is the job as the schedule runs it: after the jitter delay, which
// ends early when the scheduler is stopped.
func (s *Scheduler) delayed(jitter time.Duration) cron.Job {
	if jitter <= 0 {
		return s.job
	}
	return cron.FuncJob(func() {
		t := time.NewTimer(rand.N(jitter))
		defer t.Stop()
		select {
		case <-t.C:
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
	if spec == s.spec && jitter == s.jitter {
		s.mu.Unlock()
		return nil
	}
	defer s.mu.Unlock()
	s.spec, s.schedule, s.jitter = spec, sched, jitter
	if s.entry != 0 {
		s.cron.Remove(s.entry)
		s.entry = s.cron.Schedule(sched, s.delayed(jitter))
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
	id := s.entry
	s.mu.Unlock()
	if id == 0 {
		return time.Time{}
	}
	return s.cron.Entry(id).Next
}

// Period returns the time between two runs of the schedule in force.
func (s *Scheduler) Period() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return period(s.schedule, time.Now())
}

// ErrCancelled is returned by Stop when a run did not finish in time and
// was cancelled.
var ErrCancelled = errors.New("schedule: run cancelled at the stop deadline")

// Stop stops scheduling runs and waits for a run in progress to finish.
// When ctx ends first, the run's context is cancelled and Stop returns
// ErrCancelled at once; Wait then waits for the run to return.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.stop()
	cronCtx := s.cron.Stop()
	select {
	case <-s.done(cronCtx):
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel()
		return ErrCancelled
	}
}

// Wait waits until no run is in progress, or until ctx ends.
func (s *Scheduler) Wait(ctx context.Context) error {
	select {
	case <-s.done(s.cron.Stop()):
		return nil
	case <-ctx.Done():
		return fmt.Errorf("schedule: wait for the running job: %w", ctx.Err())
	}
}

// done returns a channel closed when the runs cron started (cronCtx) and
// the run at start have all returned.
func (s *Scheduler) done(cronCtx context.Context) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		<-cronCtx.Done()
		s.first.Wait()
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

// cronLogger passes cron's log lines to slog; cron's "skip" becomes a line
// that says what happened.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) {
	switch msg {
	case "skip":
		c.l.Warn("previous cycle still running; skipping this one")
	case "start", "stop", "schedule", "wake", "run", "added", "removed":
		// cron's own bookkeeping: noise in the daemon's log.
	default:
		c.l.Debug("cron: "+msg, kv...)
	}
}

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append([]any{"error", err}, kv...)...)
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"aggregator/internal/config"
	"aggregator/internal/schedule"
	"aggregator/internal/server"
	"aggregator/internal/systemd"
	"aggregator/store"
)

// HTTP server limits: slow or idle clients cannot hold connections for long.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
)

// daemon is "aggregator serve": the scheduled poll cycle, the HTTP server
// and the service lifecycle (reload, shutdown, systemd notifications).
type daemon struct {
	cfgPath         string
	jitter          time.Duration
	shutdownTimeout time.Duration
	logger          *slog.Logger
	level           *slog.LevelVar
	notify          *systemd.Notifier

	sched *schedule.Scheduler
	srv   *server.Server

	// cycleSem is held by a poll cycle, and by a reload while it builds and
	// swaps the pipeline, so that a new pipeline's index never misses what a
	// running cycle stores.
	cycleSem chan struct{}

	mu  sync.Mutex // guards cfg and the store the daemon owns
	cfg *config.Config
	st  *store.Store
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// Catch SIGHUP before anything else: its default action ends the process.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, os.Interrupt)
	defer signal.Stop(sigs)

	fs := newFlagSet("serve", "serve --config FILE [--shutdown-timeout D] [--jitter D]", stderr)
	cfgPath := fs.String("config", "config.yaml", "config `file`; SIGHUP reloads it")
	shutdownTimeout := fs.Duration("shutdown-timeout", 10*time.Second,
		"on SIGTERM, how long a running cycle may go on before it is cancelled, and how long open HTTP requests get to finish")
	jitter := fs.Duration("jitter", 0, "delay each scheduled cycle by a random `duration` up to this, so that many instances do not poll at the same second")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "aggregator serve: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *shutdownTimeout <= 0 || *jitter < 0 {
		fmt.Fprintln(stderr, "aggregator serve: --shutdown-timeout must be positive and --jitter not negative")
		return exitUsage
	}
	cfg, opts, ok := loadConfig(*cfgPath, stderr)
	if !ok {
		return exitUsage
	}
	level := new(slog.LevelVar)
	setLevel(level, cfg.Log.Level)
	logger := newDaemonLogger(stderr, level, underJournal(stderr))
	notify := systemd.NewNotifier(os.Getenv("NOTIFY_SOCKET"))
	defer notify.Close()
	watchdog, err := systemd.WatchdogInterval(os.Getenv("WATCHDOG_USEC"), os.Getenv("WATCHDOG_PID"), os.Getpid())
	if err != nil {
		logger.Warn("watchdog disabled", "error", err)
	}

	d := &daemon{cfgPath: *cfgPath, jitter: *jitter, shutdownTimeout: *shutdownTimeout,
		logger: logger, level: level, notify: notify, cycleSem: make(chan struct{}, 1), cfg: cfg}

	a, err := openApp(ctx, cfg, opts, logger)
	if err != nil {
		if ctx.Err() != nil {
			return exitOK // stopped while starting
		}
		logger.Error("start-up failed", "error", err)
		return exitFailure
	}
	d.st = a.store
	defer d.closeStore()
	if d.sched, err = schedule.New(cfg.Schedule, d.cycle, schedule.Options{Jitter: d.jitter, Logger: logger}); err != nil {
		logger.Error("start-up failed", "error", err)
		return exitFailure
	}
	d.srv = server.New(server.Backend{Pipeline: a.pipeline, Store: a.store}, server.Options{Schedule: d.sched, Logger: logger})
	if err := d.srv.Publish(ctx); err != nil {
		logger.Error("start-up failed: render the stored feed", "error", err)
		return exitFailure
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		logger.Error("start-up failed", "error", fmt.Errorf("listen on %s: %w", cfg.Listen, err))
		return exitFailure
	}
	httpSrv := &http.Server{
		Handler:           d.srv.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()

	d.sched.Start()
	logger.Info("serving", "addr", ln.Addr().String(), "sources", len(opts.Sources), "schedule", cfg.Schedule,
		"state", cfg.State, "version", programVersion())
	d.notifyErr(notify.Ready(fmt.Sprintf("serving %d sources on %s", len(opts.Sources), ln.Addr())))

	// Background work that ends when stopping is cancelled.
	stopCtx, stopBackground := context.WithCancel(context.Background())
	var background sync.WaitGroup
	if watchdog > 0 && notify.Enabled() {
		background.Go(func() { d.watchdog(stopCtx, watchdog) })
	}
	reloads := make(chan struct{}, 1)
	background.Go(func() {
		for {
			select {
			case <-reloads:
				d.reload(stopCtx)
			case <-stopCtx.Done():
				return
			}
		}
	})

	code := exitOK
	var reason string
loop:
	for {
		select {
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				select {
				case reloads <- struct{}{}:
				default: // a reload is already pending
				}
				continue
			}
			reason = sig.String()
			break loop
		case <-ctx.Done():
			// main cancels ctx on the same SIGTERM or SIGINT that reaches
			// sigs: take that signal as this first one, not as a second.
			reason = "context cancelled"
			select {
			case sig := <-sigs:
				reason = sig.String()
			case <-time.After(100 * time.Millisecond):
			}
			break loop
		case err := <-serveErr:
			logger.Error("HTTP server failed", "error", err)
			reason, code = "HTTP server failed", exitFailure
			break loop
		}
	}
	return d.shutdown(reason, code, sigs, httpSrv, stopBackground, &background)
}

// shutdown stops the daemon in order: no new cycles; the running cycle
// finishes or is cancelled at the deadline; the HTTP server finishes its
// requests; the store is closed (by runServe's defer). A second SIGTERM or
// SIGINT abandons all that and exits with exitFailure at once.
func (d *daemon) shutdown(reason string, code int, sigs <-chan os.Signal, httpSrv *http.Server,
	stopBackground context.CancelFunc, background *sync.WaitGroup) int {
	d.logger.Info("shutting down", "reason", reason, "deadline", d.shutdownTimeout)
	d.notifyErr(d.notify.Stopping("shutting down: " + reason))
	stopBackground()

	force := make(chan os.Signal, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case sig := <-sigs:
				if sig != syscall.SIGHUP {
					force <- sig
					return
				}
			case <-done:
				return
			}
		}
	}()
	// wait runs step and waits for it, unless a second signal comes first.
	wait := func(step func()) bool {
		finished := make(chan struct{})
		go func() { defer close(finished); step() }()
		select {
		case <-finished:
			return true
		case sig := <-force:
			d.logger.Error("second signal: exiting at once", "signal", sig.String())
			return false
		}
	}

	ok := wait(func() {
		ctx, cancel := context.WithTimeout(context.Background(), d.shutdownTimeout)
		defer cancel()
		if err := d.sched.Stop(ctx); errors.Is(err, schedule.ErrCancelled) {
			d.logger.Warn("running cycle cancelled at the shutdown deadline", "deadline", d.shutdownTimeout)
			wctx, wcancel := context.WithTimeout(context.Background(), d.shutdownTimeout)
			defer wcancel()
			if err := d.sched.Wait(wctx); err != nil {
				d.logger.Error("cancelled cycle did not return", "error", err)
			}
		}
	})
	ok = ok && wait(func() {
		// A fresh context: the graceful part must not start out expired.
		ctx, cancel := context.WithTimeout(context.Background(), d.shutdownTimeout)
		defer cancel()
		if err := httpSrv.Shutdown(ctx); err != nil {
			d.logger.Warn("HTTP connections still open at the deadline; closing them", "error", err)
			httpSrv.Close()
		}
	})
	ok = ok && wait(background.Wait)
	if !ok {
		d.mu.Lock()
		d.st = nil // exit now: SQLite's journal makes an unclosed store safe
		d.mu.Unlock()
		return exitFailure
	}
	d.logger.Info("stopped")
	return code
}

// closeStore closes the store the daemon owns at exit.
func (d *daemon) closeStore() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.st == nil {
		return
	}
	if err := d.st.Close(); err != nil {
		d.logger.Error("close store", "error", err)
	}
	d.st = nil
}

// watchdog pings systemd's watchdog every interval while the daemon is
// healthy (the store answers, cycles complete on time); when it is not,
// the pings stop and systemd restarts the service.
func (d *daemon) watchdog(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var failing bool
	for {
		hctx, cancel := context.WithTimeout(ctx, interval)
		err := d.srv.Health(hctx)
		cancel()
		switch {
		case err == nil:
			d.notifyErr(d.notify.Watchdog())
			if failing {
				d.logger.Info("healthy again; watchdog pings resumed")
			}
			failing = false
		case ctx.Err() != nil:
			return
		case !failing:
			d.logger.Error("unhealthy; watchdog pings withheld", "error", err)
			failing = true
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

func (d *daemon) notifyErr(err error) {
	if err != nil {
		d.logger.Warn("systemd notification failed", "error", err)
	}
}

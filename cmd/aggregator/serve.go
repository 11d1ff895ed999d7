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
	"sync"
	"time"

	"aggregator"
	"aggregator/internal/config"
	"aggregator/internal/schedule"
	"aggregator/internal/server"
	"aggregator/internal/systemd"
	"aggregator/store/sqlite"
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
	noWait          bool // fail at once when another process holds the state
	jitter          time.Duration
	shutdownTimeout time.Duration
	logger          *slog.Logger
	level           *slog.LevelVar
	notify          *systemd.Notifier

	sched *schedule.Scheduler
	srv   *server.Server
	push  pushers // the WebSub publisher and the webhook worker

	// cycleSem is held by a poll cycle, and by a reload while it builds and
	// swaps the pipeline, so that a new pipeline's index never misses what a
	// running cycle stores.
	cycleSem chan struct{}

	mu  sync.Mutex // guards cfg and the store the daemon owns
	cfg *config.Config
	st  *sqlite.Store
}

// serveFlags are the flags of "aggregator serve".
type serveFlags struct {
	cfgPath         string
	noWait          bool
	shutdownTimeout time.Duration
	jitter          time.Duration
}

// runServe runs the daemon until a stop signal ends ctx or the HTTP server
// fails, and returns the exit status. sigs (nil: none) brings the reload
// requests of SIGHUP and the forced exit of a second stop signal.
func runServe(ctx context.Context, sigs *signals, args []string, stdout, stderr io.Writer) int {
	// Catch SIGHUP before anything else: its default action ends the process.
	reloads := sigs.reloads()
	flags, code := parseServeFlags(args, stderr)
	if code >= 0 {
		return code
	}
	cfg, opts, ok := loadConfig(flags.cfgPath, stderr)
	if !ok {
		return exitUsage
	}
	d := newDaemon(flags, cfg, stderr)
	defer d.notify.Close()
	watchdog := d.watchdogInterval()
	defer d.closeStore()
	ln, code := d.start(ctx, opts)
	if code >= 0 {
		return code
	}
	httpSrv := newHTTPServer(d.srv.Handler(), d.logger)
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()

	d.sched.Start()
	d.logger.Info("serving", "addr", ln.Addr().String(), "sources", len(opts.Sources), "schedule", cfg.Schedule,
		"state", cfg.State, "version", programVersion())
	d.notifyErr(d.notify.Ready(fmt.Sprintf("serving %d sources on %s", len(opts.Sources), ln.Addr())))
	bg := d.startBackground(watchdog, reloads)

	reason, code := d.waitForStop(ctx, serveErr)
	return d.shutdown(ctx, reason, code, sigs.forced(), httpSrv, bg)
}

// parseServeFlags parses the arguments of "aggregator serve"; it returns
// the exit status to stop with, or -1 to go on.
func parseServeFlags(args []string, stderr io.Writer) (serveFlags, int) {
	fs := newFlagSet("serve", "serve --config FILE [--shutdown-timeout D] [--jitter D] [--no-wait]", stderr)
	cfgPath := fs.String("config", "config.yaml", "config `file`; SIGHUP reloads it")
	shutdownTimeout := fs.Duration("shutdown-timeout", 10*time.Second,
		"on SIGTERM, how long a running cycle may go on before it is cancelled, and how long open HTTP requests get to finish")
	noWait := fs.Bool("no-wait", false, "exit at once with an error when another process holds the state file, instead of waiting for it")
	jitter := fs.Duration("jitter", 0, "delay each scheduled cycle by a random `duration` up to this, so that many instances do not poll at the same second")
	if code := parseFlags(fs, args); code >= 0 {
		return serveFlags{}, code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "aggregator serve: unexpected argument %q\n", fs.Arg(0))
		return serveFlags{}, exitUsage
	}
	if *shutdownTimeout <= 0 || *jitter < 0 {
		fmt.Fprintln(stderr, "aggregator serve: --shutdown-timeout must be positive and --jitter not negative")
		return serveFlags{}, exitUsage
	}
	return serveFlags{cfgPath: *cfgPath, noWait: *noWait, shutdownTimeout: *shutdownTimeout, jitter: *jitter}, -1
}

// newDaemon returns the daemon for a loaded config: it logs on stderr at
// the configured level and notifies systemd when NOTIFY_SOCKET is set.
func newDaemon(flags serveFlags, cfg *config.Config, stderr io.Writer) *daemon {
	level := new(slog.LevelVar)
	setLevel(level, cfg.Log.Level)
	logger := newDaemonLogger(stderr, level, underJournal(stderr))
	notify := systemd.NewNotifier(os.Getenv("NOTIFY_SOCKET"))
	return &daemon{cfgPath: flags.cfgPath, noWait: flags.noWait, jitter: flags.jitter, shutdownTimeout: flags.shutdownTimeout,
		logger: logger, level: level, notify: notify, cycleSem: make(chan struct{}, 1), cfg: cfg}
}

// watchdogInterval is how often systemd's watchdog wants a ping, or 0;
// a watchdog set up wrong is logged and disabled.
func (d *daemon) watchdogInterval() time.Duration {
	watchdog, err := systemd.WatchdogInterval(os.Getenv("WATCHDOG_USEC"), os.Getenv("WATCHDOG_PID"), os.Getpid())
	if err != nil {
		d.logger.Warn("watchdog disabled", "error", err)
	}
	return watchdog
}

// start opens the store and builds on it the pipeline, the scheduler and
// the HTTP handlers; it renders the stored feed and listens on the
// configured address. When it fails it logs why and returns the exit
// status (exitOK when ctx ended meanwhile), else -1.
func (d *daemon) start(ctx context.Context, opts aggregator.Options) (net.Listener, int) {
	cfg, logger := d.cfg, d.logger
	a, err := openApp(ctx, cfg, opts, logger, writerLock("serve", d.noWait, func(holder string) {
		logger.Warn("the state file is held by another process; waiting for it (--no-wait fails instead)",
			"state", cfg.State, "holder", holder)
	}))
	if err != nil {
		if ctx.Err() != nil {
			return nil, exitOK // stopped while starting
		}
		logger.Error("start-up failed", "error", err)
		return nil, exitFailure
	}
	d.st = a.store
	if d.sched, err = schedule.New(cfg.Schedule, d.cycle, schedule.Options{Jitter: d.jitter, Logger: logger}); err != nil {
		logger.Error("start-up failed", "error", err)
		return nil, exitFailure
	}
	d.push = newPushers(cfg, a.store, logger)
	d.srv = server.New(server.Backend{Pipeline: a.pipeline, Store: a.store}, server.Options{Schedule: d.sched, Logger: logger,
		FeedChanged: func(urls []string) { d.push.hubs.Publish(urls...) },
		Hubs:        d.push.hubs.Status, Webhooks: d.push.hooks.Status})
	if err := d.srv.Publish(ctx); err != nil {
		logger.Error("start-up failed: render the stored feed", "error", err)
		return nil, exitFailure
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		logger.Error("start-up failed", "error", fmt.Errorf("listen on %s: %w", cfg.Listen, err))
		return nil, exitFailure
	}
	return ln, -1
}

// newHTTPServer returns the daemon's HTTP server for h, with its limits.
func newHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// background is the daemon's work beside the cycles and the HTTP server:
// watchdog pings, reloads, WebSub pings and webhook deliveries. Shutdown ends it with stop and waits for it.
type background struct {
	stop context.CancelFunc
	wg   sync.WaitGroup
}

// startBackground pings systemd's watchdog every interval (0: never),
// reloads the config on every request from reloads, and runs the WebSub
// publisher and the webhook worker, until stopped.
func (d *daemon) startBackground(watchdog time.Duration, reloads <-chan struct{}) *background {
	ctx, stop := context.WithCancel(context.Background())
	bg := &background{stop: stop}
	if watchdog > 0 && d.notify.Enabled() {
		bg.wg.Go(func() { d.watchdog(ctx, watchdog) })
	}
	bg.wg.Go(func() { d.push.hubs.Run(ctx) })
	bg.wg.Go(func() { d.push.hooks.Run(ctx) })
	bg.wg.Go(func() {
		for {
			select {
			case <-reloads:
				d.reload(ctx)
			case <-ctx.Done():
				return
			}
		}
	})
	return bg
}

// waitForStop waits until the daemon is to stop, on a stop signal (ctx
// ends) or because the HTTP server failed, and returns why and the exit
// status to stop with.
func (d *daemon) waitForStop(ctx context.Context, serveErr <-chan error) (reason string, code int) {
	select {
	case <-ctx.Done():
		return stopReason(ctx), exitOK
	case err := <-serveErr:
		d.logger.Error("HTTP server failed", "error", err)
		return "HTTP server failed", exitFailure
	}
}

// shutdown stops the daemon in order: no new cycles; the running cycle
// finishes or is cancelled at the deadline; the HTTP server finishes its
// requests; the background work ends; the store is closed (by runServe's
// defer). A second SIGTERM or SIGINT (forced) abandons all that and exits
// with exitFailure at once; so does the first when the shutdown did not
// start on one (ctx has not ended yet).
func (d *daemon) shutdown(ctx context.Context, reason string, code int, forced <-chan os.Signal,
	httpSrv *http.Server, bg *background) int {
	d.logger.Info("shutting down", "reason", reason, "deadline", d.shutdownTimeout)
	d.notifyErr(d.notify.Stopping("shutting down: " + reason))
	bg.stop()

	var stopRequested <-chan struct{}
	if ctx.Err() == nil {
		stopRequested = ctx.Done()
	}
	for _, step := range []func(){d.stopCycles, func() { d.stopHTTP(httpSrv) }, bg.wg.Wait} {
		if !d.finishUnlessForced(ctx, step, forced, stopRequested) {
			d.mu.Lock()
			d.st = nil // exit now: SQLite's journal makes an unclosed store safe
			d.mu.Unlock()
			return exitFailure
		}
	}
	d.logger.Info("stopped")
	return code
}

// finishUnlessForced runs step and waits for it to return, unless a
// forced exit is asked for first: a signal on forced, or stopRequested
// closing. It reports whether step finished.
func (d *daemon) finishUnlessForced(ctx context.Context, step func(), forced <-chan os.Signal, stopRequested <-chan struct{}) bool {
	finished := make(chan struct{})
	go func() { defer close(finished); step() }()
	select {
	case <-finished:
		return true
	case sig := <-forced:
		d.logger.Error("second signal: exiting at once", "signal", sig.String())
	case <-stopRequested:
		d.logger.Error("second signal: exiting at once", "signal", stopReason(ctx))
	}
	return false
}

// stopCycles stops the scheduler: the running cycle may go on for the
// shutdown timeout, then it is cancelled and given as long again to return.
func (d *daemon) stopCycles() {
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
}

// stopHTTP lets open HTTP requests finish within the shutdown timeout,
// then closes the connections still open.
func (d *daemon) stopHTTP(httpSrv *http.Server) {
	// A fresh context: the graceful part must not start out expired.
	ctx, cancel := context.WithTimeout(context.Background(), d.shutdownTimeout)
	defer cancel()
	if err := httpSrv.Shutdown(ctx); err != nil {
		d.logger.Warn("HTTP connections still open at the deadline; closing them", "error", err)
		httpSrv.Close()
	}
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

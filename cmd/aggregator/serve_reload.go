package main

import (
	"context"
	"fmt"
	"slices"

	"aggregator"
	"aggregator/fetch"
	"aggregator/internal/config"
	"aggregator/internal/server"
	"aggregator/internal/wiring"
	"aggregator/store/sqlite"
)

// reload re-reads the config file, as SIGHUP asks. A config that does not
// load or validate is logged and the running one stays. A good one takes
// effect without dropping a connection: a new pipeline (on the same store
// when "state" is unchanged) replaces the old one between two cycles, with
// its sources, feed settings, dedupe and fetch settings, schedule and log
// level. The listening address cannot change without a restart.
func (d *daemon) reload(ctx context.Context) {
	d.notifyErr(d.notify.Reloading("reloading " + d.cfgPath))
	status := d.reloadConfig(ctx)
	if ctx.Err() != nil {
		return // shutting down: STOPPING=1 has been sent, READY=1 would contradict it
	}
	d.notifyErr(d.notify.Ready(status))
}

// reloadConfig does the reload and returns the status line for systemd.
func (d *daemon) reloadConfig(ctx context.Context) string {
	d.logger.Info("reloading", "config", d.cfgPath)
	old := d.runningConfig()
	cfg, opts, err := d.loadNewConfig(old)
	if err != nil {
		return d.reloadFailed(err)
	}
	st, opened, err := d.storeFor(ctx, cfg, old)
	if err != nil {
		return d.reloadFailed(err)
	}

	// Wait for a running cycle: the new pipeline's index must see what it
	// stored.
	if !d.holdCycles(ctx) {
		return d.abandonReload(ctx, opened, ctx.Err())
	}
	defer d.releaseCycles()

	prev, err := d.swapPipeline(ctx, cfg, opts, st, opened)
	if err != nil {
		return d.abandonReload(ctx, opened, err)
	}
	if err := d.srv.Publish(ctx); err != nil {
		d.logger.Error("feed not updated after reload", "error", err)
	}

	added, removed := sourceChanges(prev.Pipeline.Options().Sources, opts.Sources)
	d.logger.Info("reloaded", "config", d.cfgPath, "sources", len(opts.Sources), "added", added, "removed", removed,
		"schedule", cfg.Schedule, "state", cfg.State)
	return fmt.Sprintf("serving %d sources (reloaded)", len(opts.Sources))
}

// runningConfig returns the config in force.
func (d *daemon) runningConfig() *config.Config {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cfg
}

// loadNewConfig loads and validates the config file and derives the
// pipeline's options from it. The listening address stays old's: a
// change is logged and undone.
func (d *daemon) loadNewConfig(old *config.Config) (*config.Config, aggregator.Options, error) {
	cfg, err := config.Load(d.cfgPath)
	var opts aggregator.Options
	if err == nil {
		opts, err = wiring.PipelineOptions(cfg)
	}
	if err != nil {
		return nil, opts, err
	}
	if cfg.Listen != old.Listen {
		d.logger.Warn("listen changed; the daemon keeps its listener until it is restarted",
			"listening", old.Listen, "configured", cfg.Listen)
		cfg.Listen = old.Listen
	}
	return cfg, opts, nil
}

// storeFor returns the store the pipeline for cfg works on: the running
// one when "state" is unchanged, else one it opens, which it also returns
// as opened for the caller to adopt or close.
func (d *daemon) storeFor(ctx context.Context, cfg, old *config.Config) (st, opened *sqlite.Store, err error) {
	d.mu.Lock()
	st = d.st
	d.mu.Unlock()
	if cfg.State != old.State {
		// A reload never waits: a state held by another process fails it.
		if opened, err = openStore(ctx, cfg.State, writerLock("serve", true, nil)); err != nil {
			return nil, nil, err
		}
		st = opened
	}
	return st, opened, nil
}

// swapPipeline builds the pipeline for cfg on st, moves the schedule and
// the log level to cfg's and puts the pipeline in place of the running
// one, which it returns. When the pipeline is on a store it opened
// (opened), the daemon adopts that store and closes the previous one.
func (d *daemon) swapPipeline(ctx context.Context, cfg *config.Config, opts aggregator.Options, st, opened *sqlite.Store) (server.Backend, error) {
	p, err := aggregator.New(ctx, st, fetch.New(wiring.FetcherOptions(cfg, programVersion()), nil, d.logger), opts, d.logger)
	if err != nil {
		return server.Backend{}, err
	}
	if err := d.sched.Reschedule(cfg.Schedule, d.jitter); err != nil {
		return server.Backend{}, err
	}
	prev := d.srv.Backend()
	d.srv.SetBackend(server.Backend{Pipeline: p, Store: st})
	setLevel(d.level, cfg.Log.Level)
	d.push.reconfigure(cfg, st)
	d.mu.Lock()
	d.cfg = cfg
	running := d.st
	if opened != nil {
		d.st = opened
	}
	d.mu.Unlock()
	if opened != nil {
		// Queries that started on the old store finish first.
		if err := running.Close(); err != nil {
			d.logger.Warn("close the previous store", "error", err)
		}
	}
	return prev, nil
}

// abandonReload closes the store opened for the reload, if any, and
// returns the status line: none when the daemon is shutting down, else
// that the reload failed with err.
func (d *daemon) abandonReload(ctx context.Context, opened *sqlite.Store, err error) string {
	if opened != nil {
		opened.Close()
	}
	if ctx.Err() != nil {
		d.logger.Info("reload abandoned: the daemon is shutting down")
		return ""
	}
	return d.reloadFailed(err)
}

// reloadFailed logs that the reload failed with err and returns the
// status line saying so.
func (d *daemon) reloadFailed(err error) string {
	d.logger.Error("reload failed; the running configuration stays", "error", err)
	return "reload failed; running the previous configuration"
}

// sourceChanges names the sources added and removed between two configs.
func sourceChanges(before, after []aggregator.Source) (added, removed []string) {
	names := func(ss []aggregator.Source) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = s.Name
		}
		return out
	}
	b, a := names(before), names(after)
	for _, n := range a {
		if !slices.Contains(b, n) {
			added = append(added, n)
		}
	}
	for _, n := range b {
		if !slices.Contains(a, n) {
			removed = append(removed, n)
		}
	}
	return added, removed
}

package main

import (
	"context"
	"fmt"
	"slices"

	"aggregator"
	"aggregator/fetch"
	"aggregator/internal/config"
	"aggregator/internal/server"
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
	status := d.reload1(ctx)
	if ctx.Err() != nil {
		return // shutting down: STOPPING=1 has been sent, READY=1 would contradict it
	}
	d.notifyErr(d.notify.Ready(status))
}

// reload1 does the reload and returns the status line for systemd.
func (d *daemon) reload1(ctx context.Context) string {
	d.logger.Info("reloading", "config", d.cfgPath)
	cfg, err := config.Load(d.cfgPath)
	var opts aggregator.Options
	if err == nil {
		opts, err = pipelineOptions(cfg)
	}
	if err != nil {
		d.logger.Error("reload failed; the running configuration stays", "error", err)
		return "reload failed; running the previous configuration"
	}
	d.mu.Lock()
	old, running := d.cfg, d.st
	d.mu.Unlock()
	if cfg.Listen != old.Listen {
		d.logger.Warn("listen changed; the daemon keeps its listener until it is restarted",
			"listening", old.Listen, "configured", cfg.Listen)
		cfg.Listen = old.Listen
	}

	var opened *sqlite.Store
	st := running
	if cfg.State != old.State {
		if opened, err = sqlite.Open(ctx, cfg.State); err != nil {
			d.logger.Error("reload failed; the running configuration stays", "error", err)
			return "reload failed; running the previous configuration"
		}
		st = opened
	}
	abandon := func(err error) string {
		if opened != nil {
			opened.Close()
		}
		if ctx.Err() != nil {
			d.logger.Info("reload abandoned: the daemon is shutting down")
			return ""
		}
		d.logger.Error("reload failed; the running configuration stays", "error", err)
		return "reload failed; running the previous configuration"
	}

	// Wait for a running cycle: the new pipeline's index must see what it
	// stored.
	select {
	case d.cycleSem <- struct{}{}:
	case <-ctx.Done():
		return abandon(ctx.Err())
	}
	defer func() { <-d.cycleSem }()

	p, err := aggregator.New(ctx, st, fetch.New(fetcherOptions(cfg), nil, d.logger), opts, d.logger)
	if err != nil {
		return abandon(err)
	}
	if err := d.sched.Reschedule(cfg.Schedule, d.jitter); err != nil {
		return abandon(err)
	}
	prev := d.srv.Backend()
	d.srv.SetBackend(server.Backend{Pipeline: p, Store: st})
	setLevel(d.level, cfg.Log.Level)
	d.mu.Lock()
	d.cfg = cfg
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
	if err := d.srv.Publish(ctx); err != nil {
		d.logger.Error("feed not updated after reload", "error", err)
	}

	added, removed := sourceChanges(prev.Pipeline.Options().Sources, opts.Sources)
	d.logger.Info("reloaded", "config", d.cfgPath, "sources", len(opts.Sources), "added", added, "removed", removed,
		"schedule", cfg.Schedule, "state", cfg.State)
	return fmt.Sprintf("serving %d sources (reloaded)", len(opts.Sources))
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

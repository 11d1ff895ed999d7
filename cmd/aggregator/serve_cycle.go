package main

import (
	"context"
	"time"
)

// cycle is the scheduled job: the same poll cycle as "aggregator fetch",
// then the feed is rendered again for the HTTP server (and the hubs told
// of the feed URLs that changed) and the webhook worker woken. It logs one
// line with the totals; the pipeline logs one line per failing source. It
// returns the cycle's error (a store failure), which has the scheduler try
// again after a short backoff; not one of a cycle cancelled by a stop.
func (d *daemon) cycle(ctx context.Context) error {
	if !d.holdCycles(ctx) {
		return nil
	}
	defer d.releaseCycles()

	b := d.srv.Backend()
	rep, err := b.Pipeline.Poll(ctx, nil)
	d.srv.RecordCycle(rep, err)
	t, failed := rep.Totals()
	skipped, retired := rep.Skipped()
	attrs := []any{"sources", len(rep.Sources) - skipped, "failed", failed, "not_due", skipped - retired, "retired", retired,
		"entries", t.Entries, "new", t.New,
		"duplicates", t.Duplicates, "off_topic", t.OffTopic, "updated", t.Updated,
		"duration", rep.Finished.Sub(rep.Started).Round(time.Millisecond)}
	if err != nil {
		d.logger.Error("cycle failed", append(attrs, "error", err)...)
	} else {
		d.logger.Info("cycle finished", attrs...)
	}
	if ctx.Err() != nil {
		return nil // stopping: the served feed stays as it was
	}
	if perr := d.srv.Publish(ctx); perr != nil {
		d.logger.Error("feed not updated", "error", perr)
	}
	if d.push.hooks != nil { // nil in a daemon built without start (tests)
		d.push.hooks.Kick() // deliver the new stories' webhooks, beside the next cycle
	}
	return err
}

// holdCycles waits until no cycle runs and keeps others from starting,
// until releaseCycles; it reports false when ctx ended first.
func (d *daemon) holdCycles(ctx context.Context) bool {
	select {
	case d.cycleSem <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// releaseCycles ends what holdCycles began.
func (d *daemon) releaseCycles() { <-d.cycleSem }

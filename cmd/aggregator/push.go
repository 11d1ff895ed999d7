package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"aggregator/internal/config"
	"aggregator/internal/push"
	"aggregator/internal/wiring"
	"aggregator/store/sqlite"
)

// pushWait bounds how long "aggregator fetch" waits, before it exits, for
// the webhooks and hubs to take what the cycle produced; what is not
// delivered by then stays in the outbox for the next run or the daemon.
const pushWait = 30 * time.Second

// pushers are the WebSub publisher and the webhook worker of a command.
type pushers struct {
	hubs  *push.Publisher
	hooks *push.Webhooks
}

// newPushers returns the publisher and the webhook worker for cfg, the
// worker delivering the outbox of st.
func newPushers(cfg *config.Config, st *sqlite.Store, logger *slog.Logger) pushers {
	ua := wiring.FetcherOptions(cfg, programVersion()).UserAgent
	p := pushers{
		hubs:  push.NewPublisher(cfg.Feed.Hubs, push.PublisherOptions{UserAgent: ua, Logger: logger}),
		hooks: push.NewWebhooks(push.WebhooksOptions{UserAgent: ua, Logger: logger}),
	}
	p.hooks.Configure(st, cfg.Feed.URL, webhooksOf(cfg))
	return p
}

// reconfigure moves the pushers to a reloaded config and its store.
func (p pushers) reconfigure(cfg *config.Config, st *sqlite.Store) {
	p.hubs.SetHubs(cfg.Feed.Hubs)
	p.hooks.Configure(st, cfg.Feed.URL, webhooksOf(cfg))
}

// webhooksOf are the config's webhooks.
func webhooksOf(cfg *config.Config) []push.Webhook {
	hooks := make([]push.Webhook, len(cfg.Notify))
	for i, n := range cfg.Notify {
		hooks[i] = push.Webhook{URL: n.URL, Secret: n.Secret}
	}
	return hooks
}

// flushPush is "aggregator fetch"'s last step: it delivers the pending
// webhooks and pings the hubs when the written feed changed, for at most
// pushWait, and reports the outcome on report.
func flushPush(ctx context.Context, a *app, feedChanged bool, report io.Writer, logger *slog.Logger) {
	cfg := a.cfg
	if len(cfg.Notify) == 0 && (len(cfg.Feed.Hubs) == 0 || !feedChanged) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, pushWait)
	defer cancel()
	p := newPushers(cfg, a.store, logger)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if feedChanged && len(cfg.Feed.Hubs) > 0 {
			p.hubs.Publish(cfg.Feed.URL)
			p.hubs.Flush(ctx)
		}
	}()
	if len(cfg.Notify) > 0 {
		pending, err := p.hooks.Flush(ctx)
		delivered := 0
		for _, st := range p.hooks.Status() {
			delivered += st.Delivered
		}
		switch {
		case err != nil && ctx.Err() == nil:
			fmt.Fprintf(report, "webhooks: %d delivered; the outbox could not be read: %v\n", delivered, err)
		case pending > 0:
			fmt.Fprintf(report, "webhooks: %d delivered, %d pending (kept for the next run)\n", delivered, pending)
		default:
			fmt.Fprintf(report, "webhooks: %d delivered\n", delivered)
		}
	}
	<-done
	for _, h := range p.hubs.Status() {
		if h.LastAttempt.IsZero() {
			continue
		}
		if h.LastError != "" {
			fmt.Fprintf(report, "hub %s: not notified: %s\n", h.Name, h.LastError)
		} else {
			fmt.Fprintf(report, "hub %s: notified\n", h.Name)
		}
	}
}

// fileChanged reports whether the file at path now holds other bytes than
// before (nil: it did not exist).
func fileChanged(path string, before []byte) bool {
	after, err := os.ReadFile(path)
	return err != nil || before == nil || !bytes.Equal(before, after)
}

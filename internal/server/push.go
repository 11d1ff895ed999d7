package server

import (
	_ "embed"
	"html/template"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"aggregator/internal/push"
)

// What the status page and /metrics show of the WebSub hubs and the
// webhooks (internal/push): the daemon hands the server their status
// snapshots (Options.Hubs, Options.Webhooks).

//go:embed push.html
var pushHTML string

var _ = template.Must(statusTemplate.New("push").Funcs(template.FuncMap{"pushRow": newPushRow}).Parse(pushHTML))

// pushRow is one row of the section: a hub or a webhook.
type pushRow struct {
	Kind string // "hub" or "webhook"
	S    push.TargetStatus
	Now  time.Time
}

func newPushRow(kind string, st push.TargetStatus, now time.Time) pushRow {
	return pushRow{Kind: kind, S: st, Now: now}
}

// pushView is the status page's section on hubs and webhooks; nil when
// neither is configured.
type pushView struct {
	Hubs, Webhooks []push.TargetStatus
}

func (s *Server) pushView() *pushView {
	var v pushView
	if s.hubs != nil {
		v.Hubs = s.hubs()
	}
	if s.webhooks != nil {
		v.Webhooks = s.webhooks()
	}
	if len(v.Hubs) == 0 && len(v.Webhooks) == 0 {
		return nil
	}
	return &v
}

// pushCollector exposes the hubs' and webhooks' counts as metrics, read
// from their status snapshots at each scrape.
type pushCollector struct {
	hubs, webhooks func() []push.TargetStatus
}

var (
	hubPublishesDesc = prometheus.NewDesc("aggregator_websub_publishes_total",
		"WebSub publish pings sent to a hub, by outcome: ok (2xx) or error.", []string{"hub", "outcome"}, nil)
	hubFailingDesc = prometheus.NewDesc("aggregator_websub_hub_failing",
		"1 when the last publish ping to the hub failed, else 0.", []string{"hub"}, nil)
	webhookDeliveriesDesc = prometheus.NewDesc("aggregator_webhook_deliveries_total",
		"Webhook requests, by outcome: ok (2xx) or error.", []string{"webhook", "outcome"}, nil)
	webhookPendingDesc = prometheus.NewDesc("aggregator_webhook_pending",
		"New stories queued for the webhook and not yet delivered.", []string{"webhook"}, nil)
)

// Describe sends nothing: the series follow the configured hubs and
// webhooks, so the collector is unchecked.
func (c pushCollector) Describe(chan<- *prometheus.Desc) {}

// Collect sends the current counts.
func (c pushCollector) Collect(ch chan<- prometheus.Metric) {
	if c.hubs != nil {
		for _, h := range c.hubs() {
			ch <- prometheus.MustNewConstMetric(hubPublishesDesc, prometheus.CounterValue, float64(h.Delivered), h.Name, outcomeOK)
			ch <- prometheus.MustNewConstMetric(hubPublishesDesc, prometheus.CounterValue, float64(h.Failed), h.Name, outcomeError)
			ch <- prometheus.MustNewConstMetric(hubFailingDesc, prometheus.GaugeValue, failing(h), h.Name)
		}
	}
	if c.webhooks != nil {
		for _, w := range c.webhooks() {
			ch <- prometheus.MustNewConstMetric(webhookDeliveriesDesc, prometheus.CounterValue, float64(w.Delivered), w.Name, outcomeOK)
			ch <- prometheus.MustNewConstMetric(webhookDeliveriesDesc, prometheus.CounterValue, float64(w.Failed), w.Name, outcomeError)
			ch <- prometheus.MustNewConstMetric(webhookPendingDesc, prometheus.GaugeValue, float64(w.Pending), w.Name)
		}
	}
}

func failing(st push.TargetStatus) float64 {
	if st.ConsecutiveFailures > 0 {
		return 1
	}
	return 0
}

// setPush registers the hubs' and webhooks' metrics, when there are any.
func (m *Metrics) setPush(hubs, webhooks func() []push.TargetStatus) {
	if hubs == nil && webhooks == nil {
		return
	}
	m.reg.MustRegister(pushCollector{hubs: hubs, webhooks: webhooks})
}

package server

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"aggregator"
)

// Metrics are the daemon's Prometheus metrics, on a registry of their own
// (nothing registers into the global one behind the daemon's back).
type Metrics struct {
	reg *prometheus.Registry

	fetches       *prometheus.CounterVec
	fetchDuration *prometheus.HistogramVec
	sourceErrors  *prometheus.CounterVec
	failing       *prometheus.GaugeVec
	retired       *prometheus.GaugeVec
	items         *prometheus.CounterVec
	stories       prometheus.Counter
	cycles        *prometheus.CounterVec
	cycleDuration prometheus.Histogram
	lastSuccess   prometheus.Gauge
	sources       prometheus.Gauge
}

// Fetch outcomes, the values of the "outcome" label.
const (
	outcomeOK          = "ok"
	outcomeNotModified = "not_modified"
	outcomeError       = "error"
)

// NewMetrics creates the metrics and their registry, with the Go runtime
// and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aggregator_fetches_total",
			Help: "Fetches of a source by outcome: ok, not_modified (304) or error.",
		}, []string{"source", "outcome"}),
		fetchDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "aggregator_fetch_duration_seconds",
			Help:    "Time to fetch and parse one source.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"source"}),
		sourceErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aggregator_source_errors_total",
			Help: "Failed fetches of a source.",
		}, []string{"source"}),
		failing: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "aggregator_source_failing",
			Help: "1 when the last fetch of the source failed, else 0.",
		}, []string{"source"}),
		retired: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "aggregator_source_retired",
			Help: "1 when a 410 Gone retired the source: it is not polled until its config entry changes.",
		}, []string{"source"}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aggregator_items_total",
			Help: "Feed entries by decision: new (published), duplicate, off_topic, updated, unchanged.",
		}, []string{"decision"}),
		stories: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "aggregator_stories_published_total",
			Help: "New stories published in the curated feed.",
		}),
		cycles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aggregator_cycles_total",
			Help: "Poll cycles by result: ok, or error when the store failed.",
		}, []string{"result"}),
		cycleDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "aggregator_cycle_duration_seconds",
			Help:    "Duration of one poll cycle.",
			Buckets: []float64{0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300},
		}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "aggregator_last_successful_cycle_timestamp_seconds",
			Help: "When the last poll cycle that completed finished, in Unix seconds.",
		}),
		sources: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "aggregator_sources",
			Help: "Sources in the configuration.",
		}),
	}
	m.reg.MustRegister(m.fetches, m.fetchDuration, m.sourceErrors, m.failing, m.retired, m.items, m.stories,
		m.cycles, m.cycleDuration, m.lastSuccess, m.sources,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, d := range []string{"new", "duplicate", "off_topic", "updated", "unchanged"} {
		m.items.WithLabelValues(d)
	}
	for _, r := range []string{"ok", "error"} {
		m.cycles.WithLabelValues(r)
	}
	return m
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry returns the registry the metrics are on.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// observeCycle records one poll cycle. A cycle that ended with an error
// (the store failed) still counts the sources it did.
func (m *Metrics) observeCycle(rep aggregator.Report, err error) {
	for _, s := range rep.Sources {
		m.observeSource(s)
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.cycles.WithLabelValues(result).Inc()
	if !rep.Finished.IsZero() && !rep.Started.IsZero() {
		m.cycleDuration.Observe(rep.Finished.Sub(rep.Started).Seconds())
	}
	if err == nil && !rep.Finished.IsZero() {
		m.lastSuccess.Set(float64(rep.Finished.UnixNano()) / float64(time.Second))
	}
}

func (m *Metrics) observeSource(s aggregator.SourceReport) {
	if s.Retired {
		m.retired.WithLabelValues(s.Name).Set(1)
	} else {
		m.retired.WithLabelValues(s.Name).Set(0)
	}
	if skipped(s) {
		return
	}
	outcome := outcomeOK
	switch {
	case s.Err != nil:
		outcome = outcomeError
	case s.NotModified:
		outcome = outcomeNotModified
	}
	m.fetches.WithLabelValues(s.Name, outcome).Inc()
	m.fetchDuration.WithLabelValues(s.Name).Observe(s.Duration.Seconds())
	if s.Err != nil {
		m.sourceErrors.WithLabelValues(s.Name).Inc()
		m.failing.WithLabelValues(s.Name).Set(1)
	} else {
		m.sourceErrors.WithLabelValues(s.Name).Add(0)
		m.failing.WithLabelValues(s.Name).Set(0)
	}
	m.items.WithLabelValues("new").Add(float64(s.New))
	m.items.WithLabelValues("duplicate").Add(float64(s.Duplicates))
	m.items.WithLabelValues("off_topic").Add(float64(s.OffTopic))
	m.items.WithLabelValues("updated").Add(float64(s.Updated))
	m.items.WithLabelValues("unchanged").Add(float64(s.Unchanged))
	m.stories.Add(float64(s.New))
}

// setSources records the configured sources and forgets the series of
// sources no longer configured, so a removed source leaves /metrics.
func (m *Metrics) setSources(names []string, removed []string) {
	m.sources.Set(float64(len(names)))
	for _, name := range removed {
		l := prometheus.Labels{"source": name}
		m.fetches.DeletePartialMatch(l)
		m.fetchDuration.DeletePartialMatch(l)
		m.sourceErrors.DeletePartialMatch(l)
		m.failing.DeletePartialMatch(l)
		m.retired.DeletePartialMatch(l)
	}
	for _, name := range names {
		m.sourceErrors.WithLabelValues(name)
	}
}

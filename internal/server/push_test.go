package server

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/internal/push"
	"aggregator/seeds"
	"aggregator/store/sqlite"
)

// TestWebSubDiscoveryAndChanges: with hubs configured, every feed response
// carries the hub and self Link headers, and Publish reports the feed URLs
// whose bytes changed, never at the first render nor when nothing changed.
func TestWebSubDiscoveryAndChanges(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hubs := []string{"https://hub.example.net/", "https://other-hub.example.com/publish"}
	p, err := aggregator.New(ctx, st, fetch.New(fetch.Options{}, nil, nil), aggregator.Options{
		Feed:   aggregator.FeedOptions{Title: "T", URL: "https://feeds.example.org/feed.atom", MaxEntries: 10, Hubs: hubs},
		Dedupe: dedupe.DefaultConfig(), Window: 720 * time.Hour, Seeds: seeds.Embedded(),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var changes [][]string
	s := New(Backend{Pipeline: p, Store: st}, Options{Schedule: fakeSchedule{period: time.Minute}, Now: func() time.Time { return t0 },
		FeedChanged: func(urls []string) { mu.Lock(); changes = append(changes, urls); mu.Unlock() }})
	addStory(t, st, "g0", "Story g0", "", t0) // a feed without stories is dated now: its bytes change every second
	if err := s.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	for path, self := range map[string]string{
		"/feed.atom": "https://feeds.example.org/feed.atom",
		"/feed.rss":  "https://feeds.example.org/feed.rss",
		"/feed.json": "https://feeds.example.org/feed.json",
	} {
		rec := get(t, s, path, nil)
		want := []string{`<https://hub.example.net/>; rel="hub"`, `<https://other-hub.example.com/publish>; rel="hub"`, "<" + self + `>; rel="self"`}
		if got := rec.Result().Header.Values("Link"); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Link %q, want %q", path, got, want)
		}
		if !strings.Contains(rec.Body.String(), self) {
			t.Errorf("%s: the document does not name its self URL %s", path, self)
		}
		nm := get(t, s, path, map[string]string{"If-None-Match": rec.Result().Header.Get("ETag")})
		if nm.Code != 304 || len(nm.Result().Header.Values("Link")) != 3 {
			t.Errorf("%s: 304 = %d with Link %q", path, nm.Code, nm.Result().Header.Values("Link"))
		}
	}
	if err := s.Publish(ctx); err != nil { // the same bytes
		t.Fatal(err)
	}
	if len(changes) != 0 {
		t.Fatalf("changes reported without a change: %q", changes)
	}

	addStory(t, st, "g1", "Story g1", "", t0)
	if err := s.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"https://feeds.example.org/feed.atom", "https://feeds.example.org/feed.json", "https://feeds.example.org/feed.rss",
		"https://feeds.example.org/events.atom", "https://feeds.example.org/events.json", "https://feeds.example.org/events.rss"}}
	if !reflect.DeepEqual(changes, want) {
		t.Errorf("changes = %q, want %q", changes, want)
	}
}

// TestPushStatusAndMetrics: the status page and /metrics show each hub's
// and webhook's deliveries, failures and pending notifications.
func TestPushStatusAndMetrics(t *testing.T) {
	b := testBackend(t, aggregator.Source{Name: "a", URL: "http://a.example/feed"})
	hubs := []push.TargetStatus{{Name: "https://hub.example.net/", Delivered: 3, Failed: 2, ConsecutiveFailures: 2,
		LastAttempt: t0.Add(-time.Minute), LastError: "post https://hub.example.net: 503 Service Unavailable: <busy>"}}
	hooks := []push.TargetStatus{{Name: "notify[0] https://desk.example.com/…", Delivered: 7, Pending: 4, LastAttempt: t0.Add(-time.Hour)}}
	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute}, Now: func() time.Time { return t0 },
		Hubs: func() []push.TargetStatus { return hubs }, Webhooks: func() []push.TargetStatus { return hooks }})
	if err := s.Publish(context.Background()); err != nil {
		t.Fatal(err)
	}
	page := get(t, s, "/status", nil).Body.String()
	for _, want := range []string{
		`id="push"`, "https://hub.example.net/", "503 Service Unavailable: &lt;busy&gt;", "(2 failures in a row)",
		"notify[0] https://desk.example.com/…", `data-label="Pending">4<`, `data-label="Delivered">7<`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	metrics := get(t, s, "/metrics", nil).Body.String()
	for _, want := range []string{
		`aggregator_websub_publishes_total{hub="https://hub.example.net/",outcome="error"} 2`,
		`aggregator_websub_publishes_total{hub="https://hub.example.net/",outcome="ok"} 3`,
		`aggregator_websub_hub_failing{hub="https://hub.example.net/"} 1`,
		`aggregator_webhook_deliveries_total{outcome="ok",webhook="notify[0] https://desk.example.com/…"} 7`,
		`aggregator_webhook_pending{webhook="notify[0] https://desk.example.com/…"} 4`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	// Without hubs or webhooks the page has no such section.
	plain := New(b, Options{Schedule: fakeSchedule{period: time.Minute}, Now: func() time.Time { return t0 }})
	if strings.Contains(get(t, plain, "/status", nil).Body.String(), `id="push"`) {
		t.Error("a push section without hubs or webhooks")
	}
}

// addStory stores a new story, as a cycle would.

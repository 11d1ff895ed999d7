package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/seeds"
	"aggregator/store/sqlite"
)

// fakeSchedule is a schedule with a fixed period and next run.
type fakeSchedule struct {
	period time.Duration
	next   time.Time
}

func (f fakeSchedule) Spec() string          { return "@every " + f.period.String() }
func (f fakeSchedule) Next() time.Time       { return f.next }
func (f fakeSchedule) Period() time.Duration { return f.period }

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var t0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// testBackend opens a store in a temporary directory and builds a pipeline
// with the given sources on it.
func testBackend(t *testing.T, sources ...aggregator.Source) Backend {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := aggregator.New(ctx, st, fetch.New(fetch.Options{}, nil, nil), aggregator.Options{
		Sources: sources,
		Feed:    aggregator.FeedOptions{Title: "Test <feed>", URL: "https://feeds.example.org/feed.atom", MaxEntries: 10},
		Dedupe:  dedupe.DefaultConfig(),
		Window:  720 * time.Hour,
		Seeds:   seeds.Embedded(),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return Backend{Pipeline: p, Store: st}
}

func TestHealth(t *testing.T) {
	b := testBackend(t, aggregator.Source{Name: "a", URL: "http://a.example/feed"})
	clk := &clock{t: t0}
	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute}, Now: clk.Now})
	ctx := context.Background()

	if err := s.Health(ctx); err != nil {
		t.Errorf("right after start: %v", err)
	}
	clk.Add(2*time.Minute + time.Second)
	if err := s.Health(ctx); err == nil || !strings.Contains(err.Error(), "no poll cycle has completed") {
		t.Errorf("two periods after start without a cycle: %v", err)
	}
	s.RecordCycle(aggregator.Report{Started: clk.Now().Add(-time.Second), Finished: clk.Now()}, nil)
	if err := s.Health(ctx); err != nil {
		t.Errorf("after a cycle: %v", err)
	}
	clk.Add(90 * time.Second)
	s.RecordCycle(aggregator.Report{Started: clk.Now(), Finished: clk.Now()}, context.Canceled)
	if err := s.Health(ctx); err != nil {
		t.Errorf("1.5 periods after the last good cycle: %v", err)
	}
	clk.Add(31 * time.Second)
	err := s.Health(ctx)
	if err == nil || !strings.Contains(err.Error(), "last poll cycle completed 2m1s ago") || !strings.Contains(err.Error(), "last cycle failed") {
		t.Errorf("more than two periods after the last good cycle: %v", err)
	}

	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "last poll cycle completed") {
		t.Errorf("/healthz = %d %q, want 503 with the reason", rec.Code, rec.Body.String())
	}

	b.Store.(*sqlite.Store).Close()
	clk.Add(-2 * time.Minute)
	if err := s.Health(ctx); err == nil || !strings.Contains(err.Error(), "store does not answer") {
		t.Errorf("with the store closed: %v", err)
	}
}

func TestMetricsFromCycle(t *testing.T) {
	b := testBackend(t, aggregator.Source{Name: "a", URL: "http://a.example/feed"}, aggregator.Source{Name: "b", URL: "http://b.example/feed"})
	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute}})
	s.RecordCycle(aggregator.Report{Started: t0, Finished: t0.Add(3 * time.Second), Sources: []aggregator.SourceReport{
		{Name: "a", Status: 200, Duration: 200 * time.Millisecond, Entries: 5, New: 2, Duplicates: 1, OffTopic: 2},
		{Name: "b", Err: io.ErrUnexpectedEOF, Duration: time.Second},
	}}, nil)
	s.RecordCycle(aggregator.Report{Started: t0, Finished: t0.Add(time.Second), Sources: []aggregator.SourceReport{
		{Name: "a", Status: 304, NotModified: true},
		{Name: "b", Status: 200, Entries: 1, New: 1},
	}}, nil)
	// Sources not polled count in no fetch metric; a retired one says so.
	s.RecordCycle(aggregator.Report{Started: t0, Finished: t0.Add(time.Second), Sources: []aggregator.SourceReport{
		{Name: "a", Skipped: true},
		{Name: "b", Skipped: true, Retired: true},
	}}, nil)
	body := get(t, s, "/metrics", nil).Body.String()
	for _, want := range []string{
		`aggregator_fetches_total{outcome="ok",source="a"} 1`,
		`aggregator_fetches_total{outcome="not_modified",source="a"} 1`,
		`aggregator_fetches_total{outcome="error",source="b"} 1`,
		`aggregator_fetches_total{outcome="ok",source="b"} 1`,
		`aggregator_source_errors_total{source="b"} 1`,
		`aggregator_source_failing{source="b"} 0`,
		`aggregator_items_total{decision="new"} 3`,
		`aggregator_items_total{decision="duplicate"} 1`,
		`aggregator_items_total{decision="off_topic"} 2`,
		`aggregator_stories_published_total 3`,
		`aggregator_cycles_total{result="ok"} 3`,
		`aggregator_cycle_duration_seconds_count 3`,
		`aggregator_source_retired{source="b"} 1`,
		`aggregator_source_retired{source="a"} 0`,
		`aggregator_fetch_duration_seconds_count{source="b"} 2`,
		`aggregator_last_successful_cycle_timestamp_seconds 1.772600768e+09`,
		`aggregator_sources 2`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	// A reload that drops source b drops its series.
	s.SetBackend(testBackend(t, aggregator.Source{Name: "a", URL: "http://a.example/feed"}))
	body = get(t, s, "/metrics", nil).Body.String()
	if strings.Contains(body, `source="b"`) {
		t.Error("a removed source is still in the metrics")
	}
	if !strings.Contains(body, `aggregator_sources 1`) {
		t.Error("aggregator_sources not updated on reload")
	}
}

func TestStatusPageEscapesAndListsSources(t *testing.T) {
	b := testBackend(t,
		aggregator.Source{Name: "<b>Wire</b>", URL: "http://a.example/feed"},
		aggregator.Source{Name: "Never polled", URL: "http://n.example/feed"})
	ctx := context.Background()
	src, err := b.Store.(*sqlite.Store).EnsureSource(ctx, "<b>Wire</b>", "http://a.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := b.Store.(*sqlite.Store).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head := aggregator.Item{SourceID: src.ID, GUID: "1", URL: "http://a.example/1", CanonicalURL: "http://a.example/1",
		Title: `Kim <script>alert(1)</script> meets Putin`, Body: "text", Published: t0, FirstSeen: t0, Updated: t0,
		Decision: aggregator.Decision{Verdict: "new", OnTopic: true, TopicRule: "keywords"}}
	if err := tx.NewStory(ctx, &head); err != nil {
		t.Fatal(err)
	}
	off := aggregator.Item{SourceID: src.ID, GUID: "2", URL: "javascript:alert(2)", Title: "Football results",
		Body: "text", Published: t0, FirstSeen: t0, Updated: t0,
		Decision: aggregator.Decision{Verdict: "off_topic", TopicRule: "no keyword group matched"}}
	if err := tx.InsertItem(ctx, &off); err != nil {
		t.Fatal(err)
	}
	src.LastFetchAt, src.LastStatus, src.LastError, src.ErrorCount = t0, 500, "upstream <error>", 3
	if err := tx.SaveSourceState(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute, next: t0.Add(time.Minute)}})
	rec := get(t, s, "/status", nil)
	page := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("status page: %d %s", rec.Code, page)
	}
	for _, bad := range []string{"<script>", "<b>Wire</b>", `href="javascript:`, "upstream <error>"} {
		if strings.Contains(page, bad) {
			t.Errorf("status page contains unescaped %q", bad)
		}
	}
	for _, want := range []string{"&lt;b&gt;Wire&lt;/b&gt;", "Never polled", "not yet", "Kim &lt;script&gt;", "upstream &lt;error&gt;",
		"3 failures in a row", "off_topic", "no keyword group matched", "Test &lt;feed&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	if rec := get(t, s, "/nope", nil); rec.Code != 404 {
		t.Errorf("unknown path: %d", rec.Code)
	}
}

func get(t *testing.T, s *Server, path string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

// TestStatusPageShowsPollingState: the sources table shows what the
// fetching etiquette stored — retirement, a permanent move, the next fetch
// and what set it, the upstream's cache hints.
func TestStatusPageShowsPollingState(t *testing.T) {
	b := testBackend(t,
		aggregator.Source{Name: "Gone", URL: "http://gone.example/feed"},
		aggregator.Source{Name: "Moved", URL: "http://old.example/feed"})
	ctx := context.Background()
	gone, _ := b.Store.(*sqlite.Store).EnsureSource(ctx, "Gone", "http://gone.example/feed")
	moved, _ := b.Store.(*sqlite.Store).EnsureSource(ctx, "Moved", "http://old.example/feed")
	tx, err := b.Store.(*sqlite.Store).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gone.LastFetchAt, gone.LastStatus, gone.RetiredAt = t0, 410, t0
	gone.LastError, gone.LastErrorKind = "fetch Gone: status 410", "gone"
	moved.LastFetchAt, moved.LastSuccessAt, moved.LastStatus = t0, t0, 200
	moved.MovedURL, moved.MovedAt = "http://new.example/feed", t0
	moved.NextFetchAt, moved.NextFetchReason = t0.Add(2*time.Hour), "ttl"
	moved.TTL, moved.SkipDays, moved.ETag = time.Hour, []time.Weekday{time.Sunday}, `"v1"`
	for _, s := range []aggregator.Source{gone, moved} {
		if err := tx.SaveSourceState(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute, next: t0.Add(time.Minute)}, Now: func() time.Time { return t0 }})
	page := get(t, s, "/status", nil).Body.String()
	for _, want := range []string{
		"410 retired", "not polled again until its config entry changes",
		"moved permanently to <a href=\"http://new.example/feed\">",
		"in 2 h", `<span class="pill warn">ttl</span>`,
		"<dt>RSS ttl</dt><dd>1h0m0s</dd>", "<dt>skipDays</dt><dd>Sunday</dd>", "<dt>ETag</dt><dd>&#34;v1&#34;</dd>",
		"<dt>error kind</dt><dd>gone</dd>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
}

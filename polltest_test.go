package aggregator_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/feeds"
	"aggregator/fetch"
	"aggregator/seeds"
	"aggregator/store/sqlite"
)

// Helpers shared by the etiquette and hostile-upstream tests: a pipeline on
// a real SQLite store with a settable clock, a feed server that counts its
// requests, and a snapshot of what a user sees of the stored state.

// testClock is a clock the test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)} // a Tuesday
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// pollFixture is a pipeline over a fresh store.
type pollFixture struct {
	p     *aggregator.Pipeline
	store *sqlite.Store
	clock *testClock
	opts  aggregator.Options
	fopts fetch.Options
}

// newPollFixture builds a pipeline polling sources with the given fetch
// options, a 15-minute schedule and the embedded seeds.
func newPollFixture(t *testing.T, fopts fetch.Options, sources ...aggregator.Source) *pollFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := newTestClock()
	opts := aggregator.Options{
		Sources:  sources,
		Feed:     aggregator.FeedOptions{Title: "test", URL: "https://feeds.example.org/test/feed.atom", MaxEntries: 50},
		Dedupe:   dedupe.DefaultConfig(),
		Window:   30 * 24 * time.Hour,
		Seeds:    seeds.Embedded(),
		Now:      clock.Now,
		Interval: 15 * time.Minute,
	}
	p, err := aggregator.New(ctx, st, fetch.New(fopts, nil, nil), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &pollFixture{p: p, store: st, clock: clock, opts: opts, fopts: fopts}
}

// reconfigure rebuilds the pipeline on the same store with new sources, as
// a restart with an edited config does.
func (f *pollFixture) reconfigure(t *testing.T, sources ...aggregator.Source) {
	t.Helper()
	f.opts.Sources = sources
	p, err := aggregator.New(context.Background(), f.store, fetch.New(f.fopts, nil, nil), f.opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.p = p
}

func (f *pollFixture) poll(t *testing.T) aggregator.Report {
	t.Helper()
	rep, err := f.p.Poll(context.Background(), nil)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	return rep
}

func (f *pollFixture) source(t *testing.T, name string) aggregator.Source {
	t.Helper()
	src, err := f.store.SourceByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// reportFor returns the report line of one source.
func reportFor(t *testing.T, rep aggregator.Report, name string) aggregator.SourceReport {
	t.Helper()
	for _, s := range rep.Sources {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no report for source %q in %+v", name, rep.Sources)
	return aggregator.SourceReport{}
}

// onTopicRSS is an RSS feed of n distinct stories about North Korea and
// Russia (distinct enough that none is a near-copy of another or of a
// seed), with extra channel elements spliced in.
func onTopicRSS(prefix string, n int, channelExtra string) string {
	words := strings.Fields(`amber basalt cedar delta ember fjord garnet harbor indigo juniper kestrel lagoon
		meadow nickel orchid pepper quartz raven saffron tundra umber velvet willow yarrow zephyr anchor bramble
		cobalt dune estuary falcon glacier heron iris jasper kelp lantern marble nectar opal pine`)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>` + prefix + `</title><link>https://` +
		prefix + `.example/</link>` + channelExtra)
	for i := range n {
		var body []string
		for j := range 60 {
			body = append(body, words[(i*7+j*j+j*i*3)%len(words)]+fmt.Sprint((i*31+j)%97))
		}
		fmt.Fprintf(&b, `<item><title>North Korea and Russia: %s dispatch %d</title><link>https://%s.example/story/%d</link>
			<guid>%s-%d</guid><pubDate>Mon, 09 Mar 2026 %02d:00:00 GMT</pubDate>
			<description>%s</description></item>`,
			prefix, i, prefix, i, prefix, i, i%24,
			html.EscapeString("Pyongyang and Moscow officials met again. "+strings.Join(body, " ")+"."))
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// feedHandler serves one body with an ETag and counts requests.
type feedHandler struct {
	body    string
	header  http.Header // extra response headers
	count   atomic.Int64
	lastINM atomic.Value // If-None-Match of the last request
}

func (h *feedHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.count.Add(1)
	h.lastINM.Store(r.Header.Get("If-None-Match"))
	for k, v := range h.header {
		w.Header()[k] = v
	}
	etag := fmt.Sprintf(`"%d"`, len(h.body))
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprint(w, h.body)
}

func serveHandler(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// snapshot is what a user can observe of the stored state: the counts, every
// item with its verdict and story, and the bytes of the served feed.
type snapshot struct {
	items, stories int
	byVerdict      string
	itemLines      string
	feed           []byte
}

func takeSnapshot(t *testing.T, p *aggregator.Pipeline, st *sqlite.Store) snapshot {
	t.Helper()
	ctx := context.Background()
	c, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	items, err := st.RecentItems(ctx, 100000)
	if err != nil {
		t.Fatal(err)
	}
	var lines strings.Builder
	for _, it := range items {
		fmt.Fprintf(&lines, "%s|%s|%s|%s|%d|%s\n", it.SourceName, it.GUID, it.Title, it.Decision.Verdict, it.StoryID, it.URL)
	}
	f, err := p.Feed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := feeds.Write(&buf, feeds.FormatAtom, f); err != nil {
		t.Fatal(err)
	}
	return snapshot{items: c.Items, stories: c.Stories, byVerdict: fmt.Sprint(c.ByVerdict), itemLines: lines.String(), feed: buf.Bytes()}
}

func (s snapshot) diff(o snapshot) string {
	switch {
	case s.items != o.items || s.stories != o.stories || s.byVerdict != o.byVerdict:
		return fmt.Sprintf("counts: %d items %d stories %s, want %d items %d stories %s", s.items, s.stories, s.byVerdict, o.items, o.stories, o.byVerdict)
	case s.itemLines != o.itemLines:
		return fmt.Sprintf("items:\n%s\nwant:\n%s", s.itemLines, o.itemLines)
	case !bytes.Equal(s.feed, o.feed):
		return fmt.Sprintf("served feed differs:\n%s\nwant:\n%s", s.feed, o.feed)
	}
	return ""
}

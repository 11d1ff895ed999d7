package server

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/store/sqlite"
)

// TestReadingPage renders the page over a store with hostile content: a
// story with a script in its title and summary, one whose only link is a
// javascript: URL, copies from other outlets with and without a safe link.
func TestReadingPage(t *testing.T) {
	b := testBackend(t, aggregator.Source{Name: "Wire", URL: "http://wire.example/feed"},
		aggregator.Source{Name: "Daily", URL: "http://daily.example/feed"})
	ctx := context.Background()
	st := b.Store.(*sqlite.Store)
	wire, _ := st.EnsureSource(ctx, "Wire", "http://wire.example/feed")
	daily, _ := st.EnsureSource(ctx, "Daily", "http://daily.example/feed")
	item := func(src aggregator.Source, n int, link, title, summary string, at time.Time) aggregator.Item {
		return aggregator.Item{SourceID: src.ID, GUID: fmt.Sprint(n), URL: link, CanonicalURL: link, Title: title,
			SummaryHTML: summary, Body: "North Korea and Russia.", Published: at, FirstSeen: at, Updated: at,
			Decision: aggregator.Decision{Verdict: aggregator.VerdictNew, OnTopic: true, TopicRule: "keywords"}}
	}
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head := item(wire, 1, "https://wire.example/kim-putin", `Kim <script>alert(1)</script> meets Putin`,
		`<p>The leaders met in <b>Vladivostok</b>.<script>alert(2)</script><img src="https://wire.example/x.png" onerror="alert(3)"></p>`, t0)
	if err := tx.NewStory(ctx, &head); err != nil {
		t.Fatal(err)
	}
	linked := item(daily, 2, "https://daily.example/summit", "Summit in Vladivostok", "", t0.Add(time.Hour))
	unsafe := item(daily, 3, "javascript:alert(4)", "Summit, second take", "", t0.Add(2*time.Hour))
	for _, c := range []*aggregator.Item{&linked, &unsafe} {
		c.StoryID = head.StoryID
		c.Decision = aggregator.Decision{Verdict: aggregator.VerdictStoryCopy, Match: aggregator.StoryKey(head.StoryID)}
		if err := tx.InsertItem(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := tx.TouchStory(ctx, head.StoryID, c.FirstSeen); err != nil {
			t.Fatal(err)
		}
	}
	nolink := item(wire, 4, "javascript:void(0)", "Rail link reopens", "<p>Trains run again.</p>", t0.Add(-time.Hour))
	if err := tx.NewStory(ctx, &nolink); err != nil {
		t.Fatal(err)
	}
	// Another story of the summit's event, older than the rail story.
	sibling := item(daily, 5, "https://daily.example/summit-dinner", "Dinner after the summit", "<p>A state dinner.</p>", t0.Add(-2*time.Hour))
	if err := tx.NewStory(ctx, &sibling); err != nil {
		t.Fatal(err)
	}
	event := aggregator.StoryKey(head.StoryID).String()
	for _, id := range []int64{head.StoryID, sibling.StoryID} {
		if err := tx.SetStoryEvent(ctx, id, event, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute}, Now: func() time.Time { return t0.Add(3 * time.Hour) }})
	rec := get(t, s, "/", nil)
	page := rec.Body.String()
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /: %d %q\n%s", rec.Code, rec.Header().Get("Content-Type"), page)
	}
	if got := rec.Header().Get("Content-Security-Policy"); got != contentSecurityPolicy || !strings.Contains(got, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", got)
	}
	if status := get(t, s, "/status", nil); status.Header().Get("Content-Security-Policy") != rec.Header().Get("Content-Security-Policy") {
		t.Error("the reading page and the status page have different policies")
	}
	if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no X-Content-Type-Options: nosniff")
	}
	for _, bad := range []string{"<script", "javascript:", `href=""`, "onerror", "alert(1)</script>"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	for _, want := range []string{
		`<meta name="viewport" content="width=device-width, initial-scale=1">`,
		`<a href="https://wire.example/kim-putin">Kim &lt;script&gt;alert(1)&lt;/script&gt; meets Putin</a>`,
		`<span class="outlet">Wire</span>`,
		`The leaders met in <b>Vladivostok</b>.`, // the summary as HTML, sanitised
		`<h3>Also reported by</h3>`,
		`<a href="https://daily.example/summit">Daily</a>: Summit in Vladivostok`,
		`<span class="outlet">Daily</span>: Summit, second take`, // its link was unsafe: plain text
		`<h2 class="title">Rail link reopens</h2>`,               // no safe link: a title, not a link
		`<a href="status">Status</a>`,
		`<a href="archive/2026-03.atom">Archives</a>`,
		`updated <time datetime="2026-03-04T07:06:07Z">4 Mar 2026, 07:06 UTC</time>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if i, j := strings.Index(page, "Kim &lt;script"), strings.Index(page, "Rail link reopens"); i < 0 || j < i {
		t.Error("stories are not newest first")
	}
	// The summit's other story is shown inside the summit's entry, before
	// the (newer) rail story, not as an entry of its own.
	section := between(page, `<section class="event" aria-label="Other reports of this event">`, "</section>")
	if !strings.Contains(section, `<a href="https://daily.example/summit-dinner">Dinner after the summit</a>`) ||
		!strings.Contains(section, "A state dinner.") {
		t.Errorf("no other report of the summit's event:\n%s", page)
	}
	if i, j := strings.Index(page, "Dinner after the summit"), strings.Index(page, "Rail link reopens"); j < i {
		t.Error("the event's other story is not grouped with the event's newest")
	}
	if n := strings.Count(page, `<section class="event"`); n != 1 {
		t.Errorf("%d event sections, want 1 (the rail story is alone in no event)", n)
	}
	if rec := get(t, s, "/?x=1", map[string]string{}); rec.Code != 200 {
		t.Errorf("GET /?x=1: %d", rec.Code)
	}
}

// TestGroupByEvent: stories of one event become one group, led by its
// newest story, in the order of the events' newest stories; stories
// without an event stay alone.
func TestGroupByEvent(t *testing.T) {
	stories := []pageStory{{ID: 9, Event: "summit"}, {ID: 8}, {ID: 7, Event: "rail"}, {ID: 6, Event: "summit"}, {ID: 5}, {ID: 4, Event: "rail"}}
	var got []string
	for _, g := range groupByEvent(stories) {
		s := fmt.Sprint(g.Lead.ID)
		for _, o := range g.Others {
			s += fmt.Sprintf("+%d", o.ID)
		}
		got = append(got, s)
	}
	if strings.Join(got, " ") != "9+6 8 7+4 5" {
		t.Errorf("groups %v, want [9+6 8 7+4 5]", got)
	}
}

func TestSafeLink(t *testing.T) {
	for link, want := range map[string]string{
		"https://a.example/x": "https://a.example/x", "http://a.example/": "http://a.example/",
		"javascript:alert(1)": "", "": "", "/relative": "", "mailto:a@b.example": "", "https:///nohost": "",
	} {
		if got := safeLink(link); got != want {
			t.Errorf("safeLink(%q) = %q, want %q", link, got, want)
		}
	}
}

// between returns the part of s from the first start up to the next end.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], end)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j]
}

// TestReadingPagePublished: the page is rendered by Publish, served with a
// strong ETag (304 on revalidation) and gzip, and changes with the next
// Publish only.
func TestReadingPagePublished(t *testing.T) {
	f := newArchiveFixture(t, time.Date(2026, 5, 31, 23, 0, 0, 0, time.UTC))
	f.addStory(t, time.Date(2026, 5, 30, 6, 0, 0, 0, time.UTC))
	f.publish(t)
	resp := f.get(t, "/", nil)
	body, _ := io.ReadAll(resp.Body)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Story number 1") || etag == "" {
		t.Fatalf("GET /: %d, ETag %q\n%s", resp.StatusCode, etag, body)
	}
	if resp.Header.Get("Content-Security-Policy") != contentSecurityPolicy || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("headers %v", resp.Header)
	}
	if r := f.get(t, "/", map[string]string{"If-None-Match": etag}); r.StatusCode != 304 {
		t.Errorf("revalidation: %d, want 304", r.StatusCode)
	}
	req, _ := http.NewRequest("GET", f.srv.URL+"/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	gzResp, err := f.srv.Client().Transport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer gzResp.Body.Close()
	zr, err := gzip.NewReader(gzResp.Body)
	if err != nil || gzResp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip: %v, Content-Encoding %q", err, gzResp.Header.Get("Content-Encoding"))
	}
	if unzipped, _ := io.ReadAll(zr); string(unzipped) != string(body) {
		t.Error("the gzip encoding differs from the page")
	}

	f.addStory(t, time.Date(2026, 5, 31, 6, 0, 0, 0, time.UTC))
	if _, b := readAll(t, f.get(t, "/", nil)); strings.Contains(b, "Story number 2") {
		t.Error("the page changed before Publish")
	}
	f.publish(t)
	r := f.get(t, "/", map[string]string{"If-None-Match": etag})
	if _, b := readAll(t, r); r.StatusCode != 200 || !strings.Contains(b, "Story number 2") {
		t.Errorf("after Publish: %d, new story shown: %v", r.StatusCode, strings.Contains(b, "Story number 2"))
	}
}

func readAll(t *testing.T, resp *http.Response) (*http.Response, string) {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

package server

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/seeds"
	"aggregator/store/sqlite"
)

const archiveFeedURL = "https://feeds.example.org/feed.atom"

// archiveFixture is a daemon's server over a store whose stories were
// created over several months, on a settable clock.
type archiveFixture struct {
	st  *sqlite.Store
	src aggregator.Source
	clk *clock
	s   *Server
	srv *httptest.Server
	n   int // stories added
}

func newArchiveFixture(t *testing.T, now time.Time) *archiveFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &archiveFixture{st: st, clk: &clock{t: now}}
	src := aggregator.Source{Name: "wire", URL: "http://wire.example/feed"}
	p, err := aggregator.New(ctx, st, fetch.New(fetch.Options{}, nil, nil), aggregator.Options{
		Sources: []aggregator.Source{src},
		Feed:    aggregator.FeedOptions{Title: "Archived", URL: archiveFeedURL, MaxEntries: 10},
		Dedupe:  dedupe.DefaultConfig(),
		Window:  720 * time.Hour,
		Seeds:   seeds.Embedded(),
		Now:     f.clk.Now,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.src, err = st.EnsureSource(ctx, src.Name, src.URL); err != nil {
		t.Fatal(err)
	}
	f.s = New(Backend{Pipeline: p, Store: st}, Options{Schedule: fakeSchedule{period: time.Minute}, Now: f.clk.Now})
	f.srv = httptest.NewServer(f.s.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

// addStory stores a new story first seen at at, and returns its Atom id.
func (f *archiveFixture) addStory(t *testing.T, at time.Time) string {
	t.Helper()
	ctx := context.Background()
	f.n++
	it := aggregator.Item{SourceID: f.src.ID, GUID: fmt.Sprint("g", f.n),
		URL: fmt.Sprintf("https://wire.example/news/%d", f.n), CanonicalURL: fmt.Sprintf("https://wire.example/news/%d", f.n),
		Title: fmt.Sprintf("Story number %d", f.n), Body: "North Korea and Russia.",
		Published: at, FirstSeen: at, Updated: at,
		Decision: aggregator.Decision{Verdict: aggregator.VerdictNew, OnTopic: true, TopicRule: "keywords"}}
	tx, err := f.st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := tx.NewStory(ctx, &it); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return aggregator.EntryID(archiveFeedURL, aggregator.Story{ID: it.StoryID, Created: at})
}

func (f *archiveFixture) publish(t *testing.T) {
	t.Helper()
	if err := f.s.Publish(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// archiveDoc is what a client walking the archives reads of a document.
type archiveDoc struct {
	path    string
	header  http.Header
	body    string
	archive bool
	links   map[string]string // by rel; each rel checked to appear once
	ids     []string
}

func (f *archiveFixture) get(t *testing.T, path string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", f.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (f *archiveFixture) doc(t *testing.T, path string) archiveDoc {
	t.Helper()
	resp := f.get(t, path, nil)
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v\n%s", path, resp.StatusCode, err, body)
	}
	var parsed struct {
		Archive *struct{} `xml:"http://purl.org/syndication/history/1.0 archive"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
		Entries []struct {
			ID string `xml:"http://www.w3.org/2005/Atom id"`
		} `xml:"http://www.w3.org/2005/Atom entry"`
	}
	if err := xml.Unmarshal(body, &parsed); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	d := archiveDoc{path: path, header: resp.Header, body: string(body), archive: parsed.Archive != nil, links: map[string]string{}}
	for _, l := range parsed.Links {
		if _, dup := d.links[l.Rel]; dup {
			t.Errorf("%s: two rel=%s links", path, l.Rel)
		}
		d.links[l.Rel] = l.Href
	}
	for _, e := range parsed.Entries {
		d.ids = append(d.ids, e.ID)
	}
	return d
}

// localPath is the path of one of the daemon's public URLs.
func localPath(t *testing.T, href string) string {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil || u.Host != "feeds.example.org" {
		t.Fatalf("link %q is not one of the feed's URLs", href)
	}
	return u.Path
}

// walk follows prev-archive from /feed.atom to the end and returns the
// subscription document and the archives, newest first.
func (f *archiveFixture) walk(t *testing.T) (archiveDoc, []archiveDoc) {
	t.Helper()
	sub := f.doc(t, "/feed.atom")
	if sub.archive {
		t.Error("the subscription document carries fh:archive")
	}
	var docs []archiveDoc
	seen := map[string]bool{}
	for href := sub.links["prev-archive"]; href != ""; {
		path := localPath(t, href)
		if seen[path] || len(docs) > 100 {
			t.Fatalf("prev-archive loops back to %s", path)
		}
		seen[path] = true
		d := f.doc(t, path)
		if !d.archive {
			t.Errorf("%s has no fh:archive", path)
		}
		if d.links["current"] != archiveFeedURL || d.links["self"] != href {
			t.Errorf("%s: current %q, self %q", path, d.links["current"], d.links["self"])
		}
		if n := len(docs); n > 0 && d.links["next-archive"] != docs[n-1].links["self"] {
			t.Errorf("%s: next-archive %q, want %q", path, d.links["next-archive"], docs[n-1].links["self"])
		}
		docs = append(docs, d)
		href = d.links["prev-archive"]
	}
	return sub, docs
}

// TestArchiveWalk stores 150 stories over five months, walks prev-archive
// from the feed and counts: every story exactly once, in the archive of its
// month; closed months with a year's caching, the current one with the
// feed's; a closed month's entries unchanged by later stories.
func TestArchiveWalk(t *testing.T) {
	start := time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)
	f := newArchiveFixture(t, time.Date(2026, 5, 31, 23, 0, 0, 0, time.UTC))
	want := map[string]string{} // entry id → month
	for i := range 150 {
		at := start.Add(time.Duration(i) * 24 * time.Hour) // Jan 1 … May 30
		want[f.addStory(t, at)] = at.Format("2006-01")
	}
	f.publish(t)
	sub, docs := f.walk(t)
	if len(sub.ids) != 10 {
		t.Errorf("the subscription document has %d entries, want max_entries 10", len(sub.ids))
	}
	var paths []string
	for _, d := range docs {
		paths = append(paths, d.path)
	}
	if got := strings.Join(paths, " "); got != "/archive/2026-05.atom /archive/2026-04.atom /archive/2026-03.atom /archive/2026-02.atom /archive/2026-01.atom" {
		t.Fatalf("walked %s", got)
	}
	if _, ok := docs[0].links["next-archive"]; ok {
		t.Error("the current month's archive has a next-archive link")
	}
	if _, ok := docs[len(docs)-1].links["prev-archive"]; ok {
		t.Error("the oldest archive has a prev-archive link")
	}
	count := map[string]int{}
	for _, d := range docs {
		month := strings.TrimSuffix(strings.TrimPrefix(d.path, "/archive/"), ".atom")
		for _, id := range d.ids {
			count[id]++
			if want[id] != month {
				t.Errorf("%s holds %s, a story of %q", d.path, id, want[id])
			}
		}
	}
	if len(count) != len(want) {
		t.Errorf("walking the archives reached %d stories, want %d", len(count), len(want))
	}
	for id, n := range count {
		if n != 1 {
			t.Errorf("%s is in %d archives", id, n)
		}
	}
	t.Logf("walked %d archives: %d stories, each once", len(docs), len(count))

	// The feed's entries are in the archives, rendered the same.
	for _, id := range sub.ids {
		if count[id] != 1 {
			t.Errorf("feed entry %s is not in the archives", id)
		}
	}
	if e := entryXML(sub.body, sub.ids[0]); e == "" || e != entryXML(docs[0].body, sub.ids[0]) {
		t.Errorf("entry %s differs between the feed and its archive:\n%s\n%s", sub.ids[0], e, entryXML(docs[0].body, sub.ids[0]))
	}

	// Caching: a year for closed months, the feed's max-age for the
	// current one; ETags answer 304.
	for i, d := range docs {
		cc, etag := d.header.Get("Cache-Control"), d.header.Get("ETag")
		if wantCC := "public, max-age=31536000"; i > 0 && cc != wantCC {
			t.Errorf("%s (closed): Cache-Control %q, want %q", d.path, cc, wantCC)
		}
		if i == 0 && cc == "public, max-age=31536000" {
			t.Errorf("%s (current month): Cache-Control %q", d.path, cc)
		}
		if etag == "" || d.header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
			t.Errorf("%s: ETag %q, Content-Type %q", d.path, etag, d.header.Get("Content-Type"))
		}
		if resp := f.get(t, d.path, map[string]string{"If-None-Match": etag}); resp.StatusCode != 304 {
			t.Errorf("%s with If-None-Match: %d, want 304", d.path, resp.StatusCode)
		}
	}

	// June: new stories never enter a closed month; May closes and links on.
	april := docs[1]
	f.clk.Add(48 * time.Hour)
	june := f.addStory(t, f.clk.Now())
	f.publish(t)
	_, docs = f.walk(t)
	if len(docs) != 6 || docs[0].path != "/archive/2026-06.atom" || len(docs[0].ids) != 1 || docs[0].ids[0] != june {
		t.Fatalf("after a June story: %d archives, the newest %s with %v", len(docs), docs[0].path, docs[0].ids)
	}
	if docs[1].header.Get("Cache-Control") != "public, max-age=31536000" || docs[1].links["next-archive"] == "" {
		t.Errorf("May after its end: Cache-Control %q, next-archive %q", docs[1].header.Get("Cache-Control"), docs[1].links["next-archive"])
	}
	if got := docs[2]; got.body != april.body || got.header.Get("ETag") != april.header.Get("ETag") {
		t.Error("April's archive changed after its month closed")
	}
}

// entryXML is the <entry> element with the given id in an Atom document.
func entryXML(doc, id string) string {
	for _, part := range strings.SplitAfter(doc, "</entry>") {
		if i := strings.Index(part, "<entry>"); i >= 0 && strings.Contains(part, "<id>"+id+"</id>") {
			return part[i:]
		}
	}
	return ""
}

// TestArchiveNotFound: names that are not a month, and months outside the
// archives, are 404 with a message naming what is wrong.
func TestArchiveNotFound(t *testing.T) {
	f := newArchiveFixture(t, time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC))
	if resp := f.get(t, "/archive/2026-05.atom", nil); resp.StatusCode != 404 {
		t.Errorf("an archive before any story: %d, want 404", resp.StatusCode)
	}
	f.addStory(t, time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC))
	f.publish(t)
	for path, msg := range map[string]string{
		"/archive/2026-13.atom": "archives are named YEAR-MONTH.atom",
		"/archive/2026-5.atom":  "archives are named YEAR-MONTH.atom",
		"/archive/2026-05.rss":  "archives are named YEAR-MONTH.atom",
		"/archive/2026-02.atom": "the archives run from 2026-03 to 2026-05",
		"/archive/2026-06.atom": "the archives run from 2026-03 to 2026-05",
	} {
		resp := f.get(t, path, nil)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 404 || !strings.Contains(string(body), msg) {
			t.Errorf("GET %s: %d %q, want 404 saying %q", path, resp.StatusCode, body, msg)
		}
	}
	if d := f.doc(t, "/archive/2026-04.atom"); len(d.ids) != 0 || !d.archive || d.links["prev-archive"] == "" {
		t.Errorf("an empty month between: %d entries, links %v", len(d.ids), d.links)
	}
	if resp := f.get(t, "/archive/2026-04.atom", nil); resp.Header.Get("Cache-Control") != "public, max-age=31536000" {
		t.Errorf("empty closed month: Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
}

package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"aggregator"
	"aggregator/internal/opml"
	"aggregator/store/sqlite"
)

// TestSourcesOPML reads /sources.opml back as OPML: every configured
// source in order, with its full-text setting and, once fetched, the site
// link its feed gave.
func TestSourcesOPML(t *testing.T) {
	b := testBackend(t,
		aggregator.Source{Name: "Wire <A>", URL: "https://a.example/feed?x=1&y=2"},
		aggregator.Source{Name: "연합뉴스", URL: "http://b.example/rss", FullText: aggregator.FullTextAuto})
	ctx := context.Background()
	st := b.Store.(*sqlite.Store)
	src, err := st.EnsureSource(ctx, "Wire <A>", "https://a.example/feed?x=1&y=2")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	src.FeedLink = "https://a.example/"
	if err := tx.SaveSourceState(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute}, Now: func() time.Time { return t0 }})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/sources.opml")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/x-opml; charset=utf-8" {
		t.Fatalf("/sources.opml: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	l, err := opml.Read(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	im := opml.Plan(l, nil)
	want := []opml.Feed{
		{Title: "Wire <A>", XMLURL: "https://a.example/feed?x=1&y=2", HTMLURL: "https://a.example/"},
		{Title: "연합뉴스", XMLURL: "http://b.example/rss", FullText: "auto"},
	}
	if l.Version != "2.0" || l.Title != "Test <feed>: sources" || !reflect.DeepEqual(im.Feeds, want) {
		t.Errorf("read back version %q, title %q, feeds %+v; want 2.0 and %+v", l.Version, l.Title, im.Feeds, want)
	}
	if rec := get(t, s, "/sources.opml", nil); rec.Code != 200 {
		t.Errorf("GET through the handler: %d", rec.Code)
	}
	req := httptest.NewRequest("POST", "/sources.opml", nil)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", rec.Code)
	}
}

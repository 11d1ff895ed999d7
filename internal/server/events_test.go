package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/store/sqlite"
)

// eventStories stores three stories: an English and an Indonesian report
// of one event and, between them in time, a report of another event. It
// returns their items.
func eventStories(t *testing.T, b Backend) []aggregator.Item {
	t.Helper()
	ctx := context.Background()
	st := b.Store.(*sqlite.Store)
	src, err := st.EnsureSource(ctx, "Wire", "http://a.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var items []aggregator.Item
	for i, s := range []struct{ title, lang string }{
		{"Russian delegation arrives in Pyongyang for bridge talks", "en"},
		{"Kim opens a clinic staffed by doctors from Vladivostok", "en"},
		{"Delegasi Rusia tiba di Pyongyang untuk membahas jembatan", "id"},
	} {
		at := t0.Add(time.Duration(i) * time.Hour)
		link := "http://a.example/" + string(rune('a'+i))
		it := aggregator.Item{SourceID: src.ID, GUID: link, URL: link, CanonicalURL: link, Title: s.title, Body: "text",
			Published: at, FirstSeen: at, Updated: at, Language: s.lang,
			Decision: aggregator.Decision{Verdict: "new", OnTopic: true, TopicRule: "keywords"}}
		if err := tx.NewStory(ctx, &it); err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	event := aggregator.StoryKey(items[0].StoryID).String()
	for i, key := range []string{event, aggregator.StoryKey(items[1].StoryID).String(), event} {
		if err := tx.SetStoryEvent(ctx, items[i].StoryID, key, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return items
}

type eventsDoc struct {
	ID      string     `xml:"id"`
	Links   []linkAttr `xml:"link"`
	Entries []struct {
		ID         string     `xml:"id"`
		Title      string     `xml:"title"`
		Updated    string     `xml:"updated"`
		Summary    string     `xml:"summary"`
		Links      []linkAttr `xml:"link"`
		Categories []struct {
			Term   string `xml:"term,attr"`
			Scheme string `xml:"scheme,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

type linkAttr struct {
	Rel      string `xml:"rel,attr"`
	Href     string `xml:"href,attr"`
	HrefLang string `xml:"hreflang,attr"`
}

// TestEventFeedServed: /events.atom is served from the same cache as the
// curated feed (ETag, 304, gzip), in every format, one entry per event;
// /feed.atom links the two reports of the event with their languages.
func TestEventFeedServed(t *testing.T) {
	b := testBackend(t, aggregator.Source{Name: "Wire", URL: "http://a.example/feed"})
	items := eventStories(t, b)
	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute}, Now: func() time.Time { return t0.Add(5 * time.Hour) }})
	if rec := get(t, s, "/events.atom", nil); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("before the first publish: %d, want 503", rec.Code)
	}
	if err := s.Publish(context.Background()); err != nil {
		t.Fatal(err)
	}

	rec := get(t, s, "/events.atom", nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("GET /events.atom: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var doc eventsDoc
	if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("events feed is not XML: %v", err)
	}
	if doc.ID != "https://feeds.example.org/events.atom" || len(doc.Entries) != 2 {
		t.Fatalf("events feed id %q with %d entries, want events.atom with 2", doc.ID, len(doc.Entries))
	}
	ev := doc.Entries[0] // its Indonesian report is the newest
	if ev.Title != items[0].Title || !strings.HasSuffix(ev.ID, ":event:story:1") || ev.Updated != "2026-03-04T07:06:07Z" {
		t.Errorf("event entry %q id %q updated %s", ev.Title, ev.ID, ev.Updated)
	}
	if !strings.Contains(ev.Summary, "2 reports of this event, by 1 outlet in 2 languages") ||
		!strings.Contains(ev.Summary, "(Indonesian)") || !strings.Contains(ev.Summary, items[2].Title) {
		t.Errorf("event summary:\n%s", ev.Summary)
	}
	if !bytes.Contains(rec.Body.Bytes(), []byte(`<?xml-stylesheet type="text/css" href="feed.css"?>`)) {
		t.Error("the events feed names no stylesheet")
	}

	etag := rec.Header().Get("ETag")
	if rec := get(t, s, "/events.atom", map[string]string{"If-None-Match": etag}); rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match the current ETag: %d, want 304", rec.Code)
	}
	gz := get(t, s, "/events.atom", map[string]string{"Accept-Encoding": "gzip"})
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	if plain, err := io.ReadAll(zr); err != nil || !bytes.Equal(plain, rec.Body.Bytes()) || gz.Header().Get("ETag") == etag {
		t.Errorf("gzip: %v, same bytes %v, ETag %q", err, bytes.Equal(plain, rec.Body.Bytes()), gz.Header().Get("ETag"))
	}
	if feed := get(t, s, "/feed.atom", nil); feed.Header().Get("ETag") == etag {
		t.Error("the event feed and the curated feed share an ETag")
	}
	for path, self := range map[string]string{
		"/events.rss":  `href="https://feeds.example.org/events.rss" rel="self"`,
		"/events.json": `"feed_url": "https://feeds.example.org/events.json"`,
	} {
		if rec := get(t, s, path, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), self) {
			t.Errorf("GET %s: %d, self link %s missing:\n%.600s", path, rec.Code, self, rec.Body.String())
		}
	}

	var feed eventsDoc
	if err := xml.Unmarshal(get(t, s, "/feed.atom", nil).Body.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	related := map[string]string{} // entry's link: its related link and hreflang
	for _, e := range feed.Entries {
		var alt string
		for _, l := range e.Links {
			switch l.Rel {
			case "alternate":
				alt = l.Href
			case "related":
				related[alt] += l.Href + " " + l.HrefLang
			}
		}
	}
	if related[items[0].URL] != items[2].URL+" id" || related[items[2].URL] != items[0].URL+" en" || related[items[1].URL] != "" {
		t.Errorf("related links by entry: %q", related)
	}
}

// TestStatusPageGroupsStoriesByEvent: the two reports of one event are one
// group on the status page, the other event's story stands alone.
func TestStatusPageGroupsStoriesByEvent(t *testing.T) {
	b := testBackend(t, aggregator.Source{Name: "Wire", URL: "http://a.example/feed"})
	items := eventStories(t, b)
	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute, next: t0.Add(time.Minute)}, Now: func() time.Time { return t0 }})
	page := get(t, s, "/status", nil).Body.String()
	start := strings.Index(page, `<li class="event" data-event="story:1">`)
	if start < 0 {
		t.Fatalf("no group of event story:1:\n%s", page)
	}
	group := page[start:]
	group = group[:strings.Index(group, "</ul>")]
	if !strings.Contains(group, items[0].Title) || !strings.Contains(group, items[2].Title) || strings.Contains(group, items[1].Title) {
		t.Errorf("the event's group holds the wrong stories:\n%s", group)
	}
	if !strings.Contains(group, "2 stories") || !strings.Contains(group, "Wire · Indonesian") {
		t.Errorf("the group does not say its size or a report's language:\n%s", group)
	}
	if strings.Index(group, items[2].Title) > strings.Index(group, items[0].Title) {
		t.Error("the group's stories are not newest first")
	}
	alone := strings.Index(page, items[1].Title)
	if alone < 0 || strings.Contains(page[strings.LastIndex(page[:alone], "<li"):alone], "data-event") {
		t.Errorf("the other event's story is missing or inside a group")
	}
}

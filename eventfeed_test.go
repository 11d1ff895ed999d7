package aggregator_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/feeds"
	"aggregator/fetch"
	"aggregator/store/sqlite"
)

// eventFixture is a pipeline over a fresh store holding three stories:
// an English report (story 1) and an Indonesian report (story 2) of one
// event, and a report of another event on the same day (story 3). The
// events are set on the store directly, so that what is checked is how
// events are published, whatever the event step decides.
type eventFixture struct {
	p       *aggregator.Pipeline
	st      *sqlite.Store
	now     time.Time
	stories [3]aggregator.Item
}

const eventFeedURL = "https://feeds.example.org/nk/feed.atom"

var eventTexts = [3]struct{ source, lang, title, text string }{
	{"Wire A", "en", "Pyongyang hosts Russian delegation for talks on a new rail bridge",
		"A Russian delegation arrived in Pyongyang on Monday for talks on building a road bridge across the Tumen river, state media said."},
	{"Outlet B", "id", "Delegasi Rusia tiba di Pyongyang untuk membahas jembatan baru",
		"Sebuah delegasi Rusia tiba di Pyongyang pada hari Senin untuk membahas pembangunan jembatan jalan di atas sungai Tumen, kata media pemerintah."},
	{"Wire A", "en", "Pyongyang opens a clinic staffed by doctors from Vladivostok",
		"Doctors from Vladivostok began work at a new clinic for workers in Pyongyang on Monday, the embassy said."},
}

// newEventFixture stores the three stories, each first seen step after the
// one before.
func newEventFixture(t *testing.T, step time.Duration) *eventFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fx := &eventFixture{st: st, now: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	fx.p, err = aggregator.New(ctx, st, nil, aggregator.Options{
		Feed:   aggregator.FeedOptions{Title: "NK", URL: eventFeedURL},
		Dedupe: dedupe.DefaultConfig(), Window: 720 * time.Hour,
		Groups: []dedupe.KeywordGroup{{Name: "test", Terms: []string{"pyongyang"}}},
		Now:    func() time.Time { return fx.now },
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range eventTexts {
		link := "https://" + strings.ReplaceAll(strings.ToLower(a.source), " ", "-") + ".example/" + string(rune('a'+i))
		items := fx.ingest(t, a.source, fetch.Entry{GUID: a.title, URL: link, CanonicalURL: link, Title: a.title, Text: a.text, Published: fx.now.Add(time.Duration(i) * time.Hour), Language: a.lang})
		if items[0].StoryID == 0 || items[0].Decision.Verdict != aggregator.VerdictNew {
			t.Fatalf("report %d did not start a story: %+v", i, items[0].Decision)
		}
		fx.stories[i] = items[0]
		fx.now = fx.now.Add(step)
	}
	first := aggregator.StoryKey(fx.stories[0].StoryID).String()
	fx.setEvents(t, first, first, aggregator.StoryKey(fx.stories[2].StoryID).String())
	return fx
}

func (fx *eventFixture) ingest(t *testing.T, source string, e fetch.Entry) []aggregator.Item {
	t.Helper()
	items, err := fx.p.Ingest(context.Background(), aggregator.Source{Name: source, URL: "https://" + strings.ReplaceAll(source, " ", "") + ".example/feed"}, []fetch.Entry{e})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// setEvents sets the events of the three stories.
func (fx *eventFixture) setEvents(t *testing.T, keys ...string) {
	t.Helper()
	ctx := context.Background()
	tx, err := fx.st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i, k := range keys {
		if err := tx.SetStoryEvent(ctx, fx.stories[i].StoryID, k, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// entryOf returns the entry of f whose link is link.
func entryOf(t *testing.T, f feeds.Feed, link string) feeds.Entry {
	t.Helper()
	for _, e := range f.Entries {
		if e.Link == link {
			return e
		}
	}
	t.Fatalf("no entry links to %s", link)
	return feeds.Entry{}
}

// TestFeedLinksOtherReportsOfTheEvent: each report of an event links to
// the other (with its language) and names the event in a category; the
// report of another event links to nothing; entry ids stay the stories'.
func TestFeedLinksOtherReportsOfTheEvent(t *testing.T) {
	fx := newEventFixture(t, 0)
	f, err := fx.p.Feed(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) != 3 {
		t.Fatalf("%d entries, want one per story (3)", len(f.Entries))
	}
	en, id, other := entryOf(t, f, fx.stories[0].URL), entryOf(t, f, fx.stories[1].URL), entryOf(t, f, fx.stories[2].URL)
	event := aggregator.StoryKey(fx.stories[0].StoryID).String()
	for i, c := range []struct {
		e     feeds.Entry
		story aggregator.Item
		peer  int // the index of the other report, -1 for none
		event string
	}{
		{en, fx.stories[0], 1, event},
		{id, fx.stories[1], 0, event},
		{other, fx.stories[2], -1, aggregator.StoryKey(fx.stories[2].StoryID).String()},
	} {
		if want := aggregator.EntryID(eventFeedURL, aggregator.Story{ID: c.story.StoryID, Created: c.story.FirstSeen}); c.e.ID != want {
			t.Errorf("entry %d id %q, want the story's %q", i, c.e.ID, want)
		}
		want := feeds.Category{Term: "event:" + c.event, Scheme: "https://feeds.example.org/nk/events.atom", Label: "Event: " + eventTexts[0].title}
		if c.peer < 0 {
			want.Label = "Event: " + eventTexts[2].title
		}
		if len(c.e.SchemeCategories) != 1 || c.e.SchemeCategories[0] != want {
			t.Errorf("entry %d categories %+v, want %+v", i, c.e.SchemeCategories, want)
		}
		if c.peer < 0 {
			if len(c.e.Related) != 0 || strings.Contains(c.e.SummaryHTML, "Other reports") {
				t.Errorf("the other event's entry links to %+v:\n%s", c.e.Related, c.e.SummaryHTML)
			}
			continue
		}
		p := eventTexts[c.peer]
		wantLink := feeds.Link{Href: fx.stories[c.peer].URL, Title: p.source + ": " + p.title, Lang: p.lang}
		if len(c.e.Related) != 1 || c.e.Related[0] != wantLink {
			t.Errorf("entry %d related %+v, want %+v", i, c.e.Related, wantLink)
		}
		lang := map[string]string{"en": "English", "id": "Indonesian"}[p.lang]
		section := `<p>Other reports of this event:</p><ul><li><a href="` + fx.stories[c.peer].URL + `">` + p.source + `</a> (` + lang + `): ` + p.title + `</li></ul>`
		if !strings.HasSuffix(c.e.SummaryHTML, section) {
			t.Errorf("entry %d summary does not end with\n%s\n%s", i, section, c.e.SummaryHTML)
		}
	}
}

// TestEventFeedOneEntryPerEvent: the event feed has one entry per event,
// with an id made from the founding story, every report in its summary and
// links, and an updated time that moves when a copy joins a member.
func TestEventFeedOneEntryPerEvent(t *testing.T) {
	fx := newEventFixture(t, 0)
	ctx := context.Background()
	f, err := fx.p.EventFeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != "https://feeds.example.org/nk/events.atom" || f.SelfURL != f.ID {
		t.Errorf("event feed id %q self %q, want events.atom beside feed.atom", f.ID, f.SelfURL)
	}
	if len(f.Entries) != 2 {
		t.Fatalf("%d entries, want one per event (2): %+v", len(f.Entries), f.Entries)
	}
	// Newest first: the other event's report is an hour later than the
	// Indonesian one.
	other, ev := f.Entries[0], f.Entries[1]
	founded := fx.stories[0].FirstSeen
	if want := feeds.TagURI(eventFeedURL, founded, "event:story:"+itoa(fx.stories[0].StoryID)); ev.ID != want {
		t.Errorf("event id %q, want %q", ev.ID, want)
	}
	if ev.Title != eventTexts[0].title || ev.Link != fx.stories[0].URL || ev.Author != "Wire A, Outlet B" {
		t.Errorf("event entry title %q link %q author %q", ev.Title, ev.Link, ev.Author)
	}
	if len(ev.Related) != 1 || ev.Related[0].Href != fx.stories[1].URL || ev.Related[0].Lang != "id" {
		t.Errorf("event entry related %+v, want the Indonesian report", ev.Related)
	}
	for _, want := range []string{"2 reports of this event, by 2 outlets in 2 languages:",
		`<a href="` + fx.stories[0].URL + `">Wire A</a> (English): ` + eventTexts[0].title + ", 2026-12-02",
		`<a href="` + fx.stories[1].URL + `">Outlet B</a> (Indonesian): ` + eventTexts[1].title + ", 2026-12-02"} {
		if !strings.Contains(ev.SummaryHTML, want) {
			t.Errorf("event summary lacks %q:\n%s", want, ev.SummaryHTML)
		}
	}
	if !ev.Updated.Equal(fx.stories[1].Published) || !ev.Published.Equal(fx.stories[0].Published) {
		t.Errorf("event updated %v published %v, want the newest report's %v and the first's %v", ev.Updated, ev.Published, fx.stories[1].Published, fx.stories[0].Published)
	}
	if other.Related != nil || !strings.Contains(other.SummaryHTML, "1 report of this event, by 1 outlet:") {
		t.Errorf("the other event's entry: related %+v\n%s", other.Related, other.SummaryHTML)
	}

	// A copy of the Indonesian report from a third outlet, later: the
	// event's entry keeps its id and lists the copy; its updated time moves.
	fx.now = fx.now.Add(5 * time.Hour)
	copied := fx.ingest(t, "Digest C", fetch.Entry{GUID: "c1", URL: "https://digest-c.example/1", CanonicalURL: "https://digest-c.example/1", Title: eventTexts[1].title,
		Text: eventTexts[1].text, Published: fx.now, Language: "id"})
	if copied[0].StoryID != fx.stories[1].StoryID {
		t.Fatalf("the copy did not join the Indonesian story: %+v", copied[0].Decision)
	}
	f, err = fx.p.EventFeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	grown := f.Entries[0]
	if grown.ID != ev.ID || !grown.Updated.Equal(fx.now) || !strings.Contains(grown.SummaryHTML, "3 reports of this event, by 3 outlets") ||
		!strings.Contains(grown.SummaryHTML, `also reported by <a href="https://digest-c.example/1">Digest C</a></li>`) {
		t.Errorf("after a copy joined: id %q updated %v (want %v)\n%s", grown.ID, grown.Updated, fx.now, grown.SummaryHTML)
	}
}

// TestEventFeedSeedEvent: stories following a seed's event make one entry
// dated by the first of them; a story without an event is one of its own.
func TestEventFeedSeedEvent(t *testing.T) {
	fx := newEventFixture(t, 0)
	fx.setEvents(t, "seed:000_x", "seed:000_x", "")
	f, err := fx.p.EventFeed(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) != 2 {
		t.Fatalf("%d entries, want 2", len(f.Entries))
	}
	seed, alone := f.Entries[1], f.Entries[0]
	if want := feeds.TagURI(eventFeedURL, fx.stories[0].FirstSeen, "event:seed:000_x"); seed.ID != want || len(seed.Related) != 1 {
		t.Errorf("seed event id %q (want %q), related %+v", seed.ID, want, seed.Related)
	}
	if want := feeds.TagURI(eventFeedURL, fx.stories[2].FirstSeen, "event:story:"+itoa(fx.stories[2].StoryID)); alone.ID != want {
		t.Errorf("a story without an event has the id %q, want %q", alone.ID, want)
	}
	ff, err := fx.p.Feed(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if e := entryOf(t, ff, fx.stories[2].URL); e.SchemeCategories != nil || e.Related != nil {
		t.Errorf("a story without an event got %+v, %+v", e.SchemeCategories, e.Related)
	}
}

// TestEventFeedIDOfAFounderThatLeft: an event whose founding story has
// left it keeps the id dated by that story.
func TestEventFeedIDOfAFounderThatLeft(t *testing.T) {
	fx := newEventFixture(t, 48*time.Hour)
	key := aggregator.StoryKey(fx.stories[2].StoryID).String()
	fx.setEvents(t, key, key, "seed:000_x")
	f, err := fx.p.EventFeed(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := feeds.TagURI(eventFeedURL, fx.stories[2].FirstSeen, "event:"+key)
	for _, e := range f.Entries {
		if e.Link == fx.stories[0].URL {
			if e.ID != want {
				t.Errorf("event id %q, want %q (dated by its founder, not its first member)", e.ID, want)
			}
			return
		}
	}
	t.Fatalf("no event entry links the first report: %+v", f.Entries)
}

func itoa(n int64) string { return aggregator.StoryKey(n).String()[len("story:"):] }

package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"aggregator"
)

func sampleItem(sourceID int64, guid string, at time.Time) aggregator.Item {
	return aggregator.Item{
		SourceID: sourceID, GUID: guid, URL: "http://a.example/" + guid, CanonicalURL: "http://a.example/" + guid,
		Title: "Title " + guid, Body: "body", Categories: []string{"world", "asia"},
		Published: at, FirstSeen: at, Updated: at,
		Decision: aggregator.Decision{Verdict: aggregator.VerdictNew, OnTopic: true, TopicRule: "keywords", Stripped: []string{"Baca Juga: x"}},
		Shingles: []uint64{1, 2, 3}, Signature: []uint32{7, 8}, Lead: []uint32{9},
	}
}

func testStoryLifecycle(t *testing.T, s Store) {
	ctx := context.Background()
	a := ensure(t, s, "a", "http://a.example/feed")
	b := ensure(t, s, "b", "http://b.example/feed")
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	head := sampleItem(a.ID, "g1", t0)
	head.FeedPublished = t0.Add(40 * 24 * time.Hour) // a feed date replaced by the first-seen time
	commit(t, s, func(tx aggregator.CycleTx) error { return tx.NewStory(ctx, &head) })
	if head.ID == 0 || head.StoryID == 0 {
		t.Fatalf("ids not set: %+v", head)
	}
	cp := sampleItem(b.ID, "g2", t0.Add(time.Hour))
	cp.StoryID = head.StoryID
	cp.Decision = aggregator.Decision{Verdict: aggregator.VerdictStoryCopy, Match: aggregator.StoryKey(head.StoryID), Resemblance: 0.9, Containment: 0.95}
	commit(t, s, func(tx aggregator.CycleTx) error {
		if err := tx.InsertItem(ctx, &cp); err != nil {
			return err
		}
		if err := tx.TouchStory(ctx, head.StoryID, cp.FirstSeen); err != nil {
			return err
		}
		return tx.TouchStory(ctx, head.StoryID, t0) // never moves back
	})

	views, err := s.LatestStories(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 1 {
		t.Fatalf("got %d stories, want 1", len(views))
	}
	v := views[0]
	if v.Head.GUID != "g1" || v.Head.SourceName != "a" || len(v.Copies) != 1 || v.Copies[0].SourceName != "b" {
		t.Fatalf("story view = %+v", v)
	}
	if !v.Updated.Equal(t0.Add(time.Hour)) || !v.Created.Equal(t0) || v.HeadItemID != head.ID {
		t.Fatalf("created %v updated %v head %d", v.Created, v.Updated, v.HeadItemID)
	}
	if !reflect.DeepEqual(v.Head.Categories, []string{"world", "asia"}) || !reflect.DeepEqual(v.Head.Decision.Stripped, []string{"Baca Juga: x"}) {
		t.Fatalf("lists not round-tripped: %+v", v.Head)
	}
	if !v.Head.FeedPublished.Equal(head.FeedPublished) || !v.Copies[0].FeedPublished.IsZero() {
		t.Fatalf("replaced feed date %v, copy's %v; want %v and none", v.Head.FeedPublished, v.Copies[0].FeedPublished, head.FeedPublished)
	}
	if v.Copies[0].Decision.Match != aggregator.StoryKey(head.StoryID) || v.Copies[0].Decision.Containment != 0.95 {
		t.Fatalf("decision not round-tripped: %+v", v.Copies[0].Decision)
	}
	var published time.Time
	commit(t, s, func(tx aggregator.CycleTx) (err error) {
		published, err = tx.StoryHeadPublished(ctx, head.StoryID)
		return err
	})
	if !published.Equal(t0) {
		t.Errorf("StoryHeadPublished = %v, want %v", published, t0)
	}
}

// testSetStoryHead checks that an earlier copy can become the head and
// that the story keeps its id and creation time; an item of another story
// cannot.
func testSetStoryHead(t *testing.T, s Store) {
	ctx := context.Background()
	a := ensure(t, s, "a", "http://a.example/feed")
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	head, other := sampleItem(a.ID, "g1", t0), sampleItem(a.ID, "g9", t0)
	commit(t, s, func(tx aggregator.CycleTx) error {
		if err := tx.NewStory(ctx, &head); err != nil {
			return err
		}
		return tx.NewStory(ctx, &other)
	})
	early := sampleItem(a.ID, "g0", t0.Add(-time.Hour))
	early.StoryID = head.StoryID
	commit(t, s, func(tx aggregator.CycleTx) error {
		if err := tx.InsertItem(ctx, &early); err != nil {
			return err
		}
		return tx.SetStoryHead(ctx, head.StoryID, early.ID)
	})
	got, err := s.StoryHead(ctx, head.StoryID)
	if err != nil || got.ID != early.ID || got.SourceName != "a" {
		t.Fatalf("StoryHead = %+v, %v; want item %d", got, err, early.ID)
	}
	views, err := s.LatestStories(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range views {
		if v.ID == head.StoryID && (!v.Created.Equal(t0) || v.Head.ID != early.ID || len(v.Copies) != 1 || v.Copies[0].ID != head.ID) {
			t.Errorf("story after a new head: %+v", v)
		}
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := tx.SetStoryHead(ctx, head.StoryID, other.ID); err == nil {
		t.Error("an item of another story became the head")
	}
	if _, err := s.StoryHead(ctx, 999); !errors.Is(err, aggregator.ErrNotFound) {
		t.Errorf("StoryHead of a missing story: %v, want ErrNotFound", err)
	}
}

func testRollbackLeavesNothing(t *testing.T, s Store) {
	ctx := context.Background()
	a := ensure(t, s, "a", "http://a.example/feed")
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	it := sampleItem(a.ID, "g1", time.Now())
	if err := tx.NewStory(ctx, &it); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Items != 0 || c.Stories != 0 || c.Sources != 1 {
		t.Fatalf("rollback kept %d items, %d stories (%d sources)", c.Items, c.Stories, c.Sources)
	}
}

func testLookups(t *testing.T, s Store) {
	ctx := context.Background()
	a := ensure(t, s, "a", "http://a.example/feed")
	it := sampleItem(a.ID, "g1", time.Now())
	commit(t, s, func(tx aggregator.CycleTx) error { return tx.InsertItem(ctx, &it) })

	known, err := s.KnownGUIDs(ctx, a.ID, []string{"g1", "g2"})
	if err != nil || !known["g1"] || known["g2"] {
		t.Errorf("KnownGUIDs = %v, %v; want g1 only", known, err)
	}
	byURL, err := s.ItemsByURL(ctx, "http://a.example/g1", "")
	if err != nil || len(byURL) != 1 || byURL[0].SourceName != "a" || byURL[0].SourceURL != "http://a.example/feed" {
		t.Errorf("ItemsByURL = %+v, %v", byURL, err)
	}
	if one, err := s.ItemByID(ctx, it.ID); err != nil || one.GUID != "g1" || one.SourceName != "a" {
		t.Errorf("ItemByID = %+v, %v", one, err)
	}
	if _, err := s.ItemByID(ctx, it.ID+1000); !errors.Is(err, aggregator.ErrNotFound) {
		t.Errorf("ItemByID of a missing item: %v, want ErrNotFound", err)
	}

	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ItemByGUID(ctx, a.ID, "g1"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ItemByGUID(ctx, a.ID, "other"); !errors.Is(err, aggregator.ErrNotFound) {
		t.Fatalf("missing guid: %v", err)
	}
	if got, err := tx.ItemByCanonicalURL(ctx, "http://a.example/g1"); err != nil || got.ID != it.ID {
		t.Fatalf("by url: %v %v", got.ID, err)
	}
	if _, err := tx.ItemByCanonicalURL(ctx, "http://a.example/none"); !errors.Is(err, aggregator.ErrNotFound) {
		t.Fatalf("missing url: %v", err)
	}
	dup := sampleItem(a.ID, "g1", time.Now())
	if err := tx.InsertItem(ctx, &dup); err == nil {
		t.Fatal("same source and guid inserted twice")
	}
}

// testUpdateItemContent checks that an update refreshes the content and
// keeps the decision, the story and the first-seen and published times.
func testUpdateItemContent(t *testing.T, s Store) {
	ctx := context.Background()
	a := ensure(t, s, "a", "http://a.example/feed")
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	it := sampleItem(a.ID, "g1", t0)
	commit(t, s, func(tx aggregator.CycleTx) error { return tx.NewStory(ctx, &it) })
	upd := it
	upd.URL, upd.Title, upd.Body, upd.SummaryHTML = "http://a.example/g1?v=2", "New title", "new body", "<p>new</p>"
	upd.Author, upd.Categories, upd.Updated = "Desk", []string{"politics"}, t0.Add(time.Hour)
	upd.Decision = aggregator.Decision{Verdict: aggregator.VerdictOffTopic}
	upd.Published, upd.FirstSeen = t0.Add(time.Hour), t0.Add(time.Hour)
	commit(t, s, func(tx aggregator.CycleTx) error { return tx.UpdateItemContent(ctx, upd) })
	got, err := s.ItemByID(ctx, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := it
	want.URL, want.Title, want.Body, want.SummaryHTML = upd.URL, upd.Title, upd.Body, upd.SummaryHTML
	want.Author, want.Categories, want.Updated = upd.Author, upd.Categories, upd.Updated
	want.Shingles, want.Signature, want.Lead = nil, nil, nil // not read back with the item
	if !reflect.DeepEqual(got.Item, want) {
		t.Errorf("after update:\n got %+v\nwant %+v", got.Item, want)
	}
}

// testMatchKeysRoundTrip checks that every kind of match key is stored
// and read back as it was.
func testMatchKeysRoundTrip(t *testing.T, s Store) {
	ctx := context.Background()
	a := ensure(t, s, "a", "http://a.example/feed")
	keys := []aggregator.MatchKey{{}, aggregator.SeedKey("000_kim-putin.txt"), aggregator.StoryKey(12), aggregator.ItemKey(34),
		aggregator.StoredMatchKey("cluster:5")} // a key of another version is kept as it was
	ids := make([]int64, len(keys))
	commit(t, s, func(tx aggregator.CycleTx) error {
		for i, k := range keys {
			it := sampleItem(a.ID, k.String()+"-guid", time.Now())
			it.Decision = aggregator.Decision{Verdict: aggregator.VerdictSeedCopy, Match: k, Resemblance: 0.5, Containment: 0.25}
			if err := tx.InsertItem(ctx, &it); err != nil {
				return err
			}
			ids[i] = it.ID
		}
		return nil
	})
	for i, k := range keys {
		got, err := s.ItemByID(ctx, ids[i])
		if err != nil || got.Decision.Match != k || got.Decision.Resemblance != 0.5 || got.Decision.Containment != 0.25 {
			t.Errorf("key %q: read back %+v, %v", k, got.Decision, err)
		}
	}
}

// testArticleKey checks the outlet and article key round trip and the
// lookup by article key within a published-time range.
func testArticleKey(t *testing.T, s Store) {
	ctx := context.Background()
	a := ensure(t, s, "a", "http://a.example/feed")
	t0 := time.Date(2024, 6, 18, 6, 0, 0, 0, time.UTC)
	it := sampleItem(a.ID, "g1", t0)
	it.Outlet, it.ArticleKey = "Reuters", "reuters.com putin accepts kim s invitation"
	other := sampleItem(a.ID, "g2", t0.Add(time.Hour))
	other.ArticleKey = "apnews.com another headline of four"
	commit(t, s, func(tx aggregator.CycleTx) error {
		if err := tx.InsertItem(ctx, &it); err != nil {
			return err
		}
		return tx.InsertItem(ctx, &other)
	})
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	got, err := tx.ItemByArticleKey(ctx, it.ArticleKey, t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil || got.ID != it.ID || got.Outlet != "Reuters" || got.ArticleKey != it.ArticleKey {
		t.Fatalf("ItemByArticleKey = %+v, %v; want item %d with its outlet and key", got, err, it.ID)
	}
	if _, err := tx.ItemByArticleKey(ctx, it.ArticleKey, t0.Add(time.Minute), t0.Add(time.Hour)); !errors.Is(err, aggregator.ErrNotFound) {
		t.Errorf("outside the published range: %v, want ErrNotFound", err)
	}
	if _, err := tx.ItemByArticleKey(ctx, "reuters.com another", t0.Add(-time.Hour), t0.Add(time.Hour)); !errors.Is(err, aggregator.ErrNotFound) {
		t.Errorf("another key: %v, want ErrNotFound", err)
	}
}

// testHeadlineKey checks the headline key round trip and the lookup by
// headline key within a published-time range from another source.
func testHeadlineKey(t *testing.T, s Store) {
	ctx := context.Background()
	a := ensure(t, s, "a", "http://a.example/feed")
	b := ensure(t, s, "b", "http://b.example/feed")
	t0 := time.Date(2024, 6, 18, 6, 0, 0, 0, time.UTC)
	const key = "putin accepts kim s invitation to visit"
	first := sampleItem(a.ID, "g1", t0)
	first.HeadlineKey = key
	second := sampleItem(b.ID, "g2", t0.Add(time.Hour))
	second.HeadlineKey = key
	commit(t, s, func(tx aggregator.CycleTx) error {
		if err := tx.InsertItem(ctx, &first); err != nil {
			return err
		}
		return tx.InsertItem(ctx, &second)
	})
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	from, to := t0.Add(-time.Hour), t0.Add(2*time.Hour)
	for _, c := range []struct {
		name     string
		notSrc   int64
		from, to time.Time
		want     int64
	}{
		{"the earliest of another source", b.ID, from, to, first.ID},
		{"not the asking source's own", a.ID, from, to, second.ID},
		{"outside the published range", b.ID, t0.Add(2 * time.Hour), t0.Add(3 * time.Hour), 0},
	} {
		got, err := tx.ItemByHeadlineKey(ctx, key, c.notSrc, c.from, c.to)
		switch {
		case c.want == 0 && !errors.Is(err, aggregator.ErrNotFound):
			t.Errorf("%s: %+v, %v; want ErrNotFound", c.name, got, err)
		case c.want != 0 && (err != nil || got.ID != c.want || got.HeadlineKey != key):
			t.Errorf("%s: item %d (key %q), %v; want item %d", c.name, got.ID, got.HeadlineKey, err, c.want)
		}
	}
	if _, err := tx.ItemByHeadlineKey(ctx, "another headline of five words", b.ID, from, to); !errors.Is(err, aggregator.ErrNotFound) {
		t.Errorf("another key: %v, want ErrNotFound", err)
	}
}

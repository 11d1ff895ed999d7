package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestOpenMigratesAndReopens(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != len(migrations) {
		t.Fatalf("schema version = %d, %v; want %d", v, err, len(migrations))
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	if _, err := s.EnsureSource(ctx, "a", "http://a.example/feed"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := s2.SourceByName(ctx, "a"); err != nil {
		t.Fatalf("source lost across reopen: %v", err)
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "nope", "state.db"))
	if err == nil {
		t.Fatal("Open in a missing directory succeeded")
	}
}

func TestEnsureSourceURLChangeClearsValidators(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	src, err := s.EnsureSource(ctx, "a", "http://a.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	src.ETag, src.LastModified = `"v1"`, "Mon, 02 Jan 2006 15:04:05 GMT"
	tx, _ := s.Begin(ctx)
	if err := tx.SaveSourceState(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	same, _ := s.EnsureSource(ctx, "a", "http://a.example/feed")
	if same.ETag != `"v1"` {
		t.Fatalf("same URL lost the ETag: %q", same.ETag)
	}
	moved, _ := s.EnsureSource(ctx, "a", "http://b.example/feed")
	if moved.URL != "http://b.example/feed" || moved.ETag != "" || moved.LastModified != "" {
		t.Fatalf("after URL change: %+v", moved)
	}
}

func sampleItem(sourceID int64, guid string, at time.Time) Item {
	return Item{
		SourceID: sourceID, GUID: guid, URL: "http://a.example/" + guid, CanonicalURL: "http://a.example/" + guid,
		Title: "Title " + guid, Body: "body", Categories: []string{"world", "asia"},
		Published: at, FirstSeen: at, Updated: at,
		Decision: Decision{Verdict: "new", OnTopic: true, TopicRule: "keywords", Stripped: []string{"Baca Juga: x"}},
		Shingles: []uint64{1, 2, 3}, Signature: []uint32{7, 8}, Lead: []uint32{9},
	}
}

func TestStoryLifecycle(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	a, _ := s.EnsureSource(ctx, "a", "http://a.example/feed")
	b, _ := s.EnsureSource(ctx, "b", "http://b.example/feed")
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head := sampleItem(a.ID, "g1", t0)
	if err := tx.NewStory(ctx, &head); err != nil {
		t.Fatal(err)
	}
	if head.ID == 0 || head.StoryID == 0 {
		t.Fatalf("ids not set: %+v", head)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	tx, _ = s.Begin(ctx)
	cp := sampleItem(b.ID, "g2", t0.Add(time.Hour))
	cp.StoryID = head.StoryID
	cp.Decision = Decision{Verdict: "story_duplicate", MatchKey: "story:1", Resemblance: 0.9, Containment: 0.95}
	if err := tx.InsertItem(ctx, &cp); err != nil {
		t.Fatal(err)
	}
	if err := tx.TouchStory(ctx, head.StoryID, cp.FirstSeen); err != nil {
		t.Fatal(err)
	}
	if err := tx.TouchStory(ctx, head.StoryID, t0); err != nil { // never moves back
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

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
	if !v.Updated.Equal(t0.Add(time.Hour)) || !v.Created.Equal(t0) {
		t.Fatalf("created %v updated %v", v.Created, v.Updated)
	}
	if !reflect.DeepEqual(v.Head.Categories, []string{"world", "asia"}) || !reflect.DeepEqual(v.Head.Decision.Stripped, []string{"Baca Juga: x"}) {
		t.Fatalf("lists not round-tripped: %+v", v.Head)
	}
	if v.Copies[0].Decision.MatchKey != "story:1" || v.Copies[0].Decision.Containment != 0.95 {
		t.Fatalf("decision not round-tripped: %+v", v.Copies[0].Decision)
	}

	var heads []StoryHead
	if err := s.StoryHeads(ctx, t0, func(h StoryHead) error { heads = append(heads, h); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(heads) != 1 || !reflect.DeepEqual(heads[0].Shingles, []uint64{1, 2, 3}) ||
		!reflect.DeepEqual(heads[0].Signature, []uint32{7, 8}) || !reflect.DeepEqual(heads[0].Lead, []uint32{9}) {
		t.Fatalf("heads = %+v", heads)
	}
	heads = nil
	s.StoryHeads(ctx, t0.Add(2*time.Hour), func(h StoryHead) error { heads = append(heads, h); return nil })
	if len(heads) != 0 {
		t.Fatalf("window not applied: %d heads", len(heads))
	}
}

func TestRollbackLeavesNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	a, _ := s.EnsureSource(ctx, "a", "http://a.example/feed")
	tx, _ := s.Begin(ctx)
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
	if c.Items != 0 || c.Stories != 0 {
		t.Fatalf("rollback kept %d items, %d stories", c.Items, c.Stories)
	}
}

func TestLookups(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	a, _ := s.EnsureSource(ctx, "a", "http://a.example/feed")
	tx, _ := s.Begin(ctx)
	defer tx.Rollback()
	it := sampleItem(a.ID, "g1", time.Now())
	if err := tx.InsertItem(ctx, &it); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ItemByGUID(ctx, a.ID, "g1"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ItemByGUID(ctx, a.ID, "other"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing guid: %v", err)
	}
	if got, err := tx.ItemByCanonicalURL(ctx, "http://a.example/g1"); err != nil || got.ID != it.ID {
		t.Fatalf("by url: %v %v", got.ID, err)
	}
	dup := sampleItem(a.ID, "g1", time.Now())
	if err := tx.InsertItem(ctx, &dup); err == nil {
		t.Fatal("same source and guid inserted twice")
	}
}

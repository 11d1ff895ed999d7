package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func TestVerdictCounts(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	a, _ := s.EnsureSource(ctx, "a", "http://a.example/feed")
	b, _ := s.EnsureSource(ctx, "b", "http://b.example/feed")
	if _, err := s.EnsureSource(ctx, "quiet", "http://q.example/feed"); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	head := sampleItem(a.ID, "g1", t0)
	if err := tx.NewStory(ctx, &head); err != nil {
		t.Fatal(err)
	}
	for i, v := range []string{"off_topic", "off_topic", "seed_duplicate"} {
		it := sampleItem(a.ID, "a"+string(rune('0'+i)), t0)
		it.Decision.Verdict = v
		if err := tx.InsertItem(ctx, &it); err != nil {
			t.Fatal(err)
		}
	}
	cp := sampleItem(b.ID, "g2", t0)
	cp.StoryID = head.StoryID
	cp.Decision.Verdict = "story_duplicate"
	if err := tx.InsertItem(ctx, &cp); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	got, err := s.VerdictCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]int{
		"a": {"new": 1, "off_topic": 2, "seed_duplicate": 1},
		"b": {"story_duplicate": 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("VerdictCounts = %v, want %v", got, want)
	}
}

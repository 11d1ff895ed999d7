package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"aggregator"
)

// testStoriesCreated checks the archive's query: stories by creation time,
// from inclusive, to exclusive, newest first, with their copies; and the
// creation time of the oldest story.
func testStoriesCreated(t *testing.T, s Store) {
	ctx := context.Background()
	if _, err := s.FirstStoryCreated(ctx); !errors.Is(err, aggregator.ErrNotFound) {
		t.Fatalf("FirstStoryCreated on an empty store: %v, want ErrNotFound", err)
	}
	a := ensure(t, s, "a", "http://a.example/feed")
	b := ensure(t, s, "b", "http://b.example/feed")
	nov := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	dec := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	// Created: the last nanosecond of October, the first of November, the
	// middle of November, the first nanosecond of December.
	created := []time.Time{nov.Add(-time.Nanosecond), nov, nov.Add(15 * 24 * time.Hour), dec}
	ids := make([]int64, len(created))
	for i, at := range created {
		head := sampleItem(a.ID, fmt.Sprintf("g%d", i), at)
		commit(t, s, func(tx aggregator.CycleTx) error { return tx.NewStory(ctx, &head) })
		ids[i] = head.StoryID
	}
	// A copy joins the November story in December: it stays in November.
	cp := sampleItem(b.ID, "copy", dec.Add(time.Hour))
	cp.StoryID = ids[2]
	cp.Decision = aggregator.Decision{Verdict: aggregator.VerdictStoryCopy, Match: aggregator.StoryKey(ids[2])}
	commit(t, s, func(tx aggregator.CycleTx) error {
		if err := tx.InsertItem(ctx, &cp); err != nil {
			return err
		}
		return tx.TouchStory(ctx, ids[2], cp.FirstSeen)
	})

	commit(t, s, func(tx aggregator.CycleTx) error {
		return tx.SetStoryEvent(ctx, ids[1], aggregator.StoryKey(ids[0]).String(), []byte(`{"why":"test"}`))
	})

	views, err := s.StoriesCreated(ctx, nov, dec)
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 2 || views[0].ID != ids[2] || views[1].ID != ids[1] {
		t.Fatalf("November: %d stories %v, want stories %d and %d, newest first", len(views), storyIDs(views), ids[2], ids[1])
	}
	if v := views[0]; v.Head.GUID != "g2" || len(v.Copies) != 1 || v.Copies[0].GUID != "copy" || !v.Created.Equal(created[2]) {
		t.Errorf("November's newest story: head %q, %d copies, created %v", v.Head.GUID, len(v.Copies), v.Created)
	}
	if v := views[1]; v.Event != aggregator.StoryKey(ids[0]).String() || string(v.EventEvidence) != `{"why":"test"}` {
		t.Errorf("November's oldest story: event %q, evidence %q", v.Event, v.EventEvidence)
	}
	for _, r := range []struct {
		from, to time.Time
		want     []int64
	}{
		{time.Time{}, nov, []int64{ids[0]}},
		{dec, dec.AddDate(0, 1, 0), []int64{ids[3]}},
		{nov.AddDate(-1, 0, 0), nov.AddDate(1, 0, 0), []int64{ids[3], ids[2], ids[1], ids[0]}},
		{dec.AddDate(0, 1, 0), dec.AddDate(0, 2, 0), nil},
	} {
		views, err := s.StoriesCreated(ctx, r.from, r.to)
		if err != nil {
			t.Fatal(err)
		}
		if got := storyIDs(views); fmt.Sprint(got) != fmt.Sprint(r.want) {
			t.Errorf("StoriesCreated(%v, %v) = %v, want %v", r.from, r.to, got, r.want)
		}
	}
	first, err := s.FirstStoryCreated(ctx)
	if err != nil || !first.Equal(created[0]) {
		t.Errorf("FirstStoryCreated = %v, %v; want %v", first, err, created[0])
	}
}

func storyIDs(views []aggregator.StoryView) []int64 {
	var ids []int64
	for _, v := range views {
		ids = append(ids, v.ID)
	}
	return ids
}

package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"aggregator"
)

// testStoryEvent checks the event of a story: none until it is set, then
// read back with its evidence by LatestStories, StoryByID and
// EventStories (stories without an event and outside the window left out),
// all in the order the stories were created.
func testStoryEvent(t *testing.T, s Store) {
	ctx := context.Background()
	src := ensure(t, s, "a", "http://a.example/feed")
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	old, first, second, none := sampleItem(src.ID, "old", t0.Add(-30*24*time.Hour)), sampleItem(src.ID, "g1", t0),
		sampleItem(src.ID, "g2", t0.Add(time.Hour)), sampleItem(src.ID, "g3", t0.Add(2*time.Hour))
	commit(t, s, func(tx aggregator.CycleTx) error {
		for _, it := range []*aggregator.Item{&old, &first, &second, &none} {
			if err := tx.NewStory(ctx, it); err != nil {
				return err
			}
		}
		return nil
	})
	if st, err := s.StoryByID(ctx, first.StoryID); err != nil || st.Event != "" || st.EventEvidence != nil {
		t.Fatalf("a new story has an event: %+v, %v", st, err)
	}
	firstKey := aggregator.StoryKey(first.StoryID).String()
	evidence := []byte(`{"score":0.9}`)
	commit(t, s, func(tx aggregator.CycleTx) error {
		if err := tx.SetStoryEvent(ctx, old.StoryID, aggregator.SeedKey("000.txt").String(), nil); err != nil {
			return err
		}
		if err := tx.SetStoryEvent(ctx, first.StoryID, firstKey, []byte(`{"started":true}`)); err != nil {
			return err
		}
		return tx.SetStoryEvent(ctx, second.StoryID, firstKey, evidence)
	})
	commit(t, s, func(tx aggregator.CycleTx) error {
		if err := tx.SetStoryEvent(ctx, 999999, firstKey, nil); !errors.Is(err, aggregator.ErrNotFound) {
			t.Errorf("SetStoryEvent of a missing story: %v, want ErrNotFound", err)
		}
		return nil
	})

	st, err := s.StoryByID(ctx, second.StoryID)
	if err != nil || st.Event != firstKey || string(st.EventEvidence) != string(evidence) || st.HeadItemID != second.ID {
		t.Fatalf("StoryByID = %+v, %v; want event %s", st, err, firstKey)
	}
	if k, ok := st.EventKey(); !ok || k != aggregator.StoryKey(first.StoryID) {
		t.Errorf("EventKey = %v, %v", k, ok)
	}
	if _, err := s.StoryByID(ctx, 999999); !errors.Is(err, aggregator.ErrNotFound) {
		t.Errorf("StoryByID of a missing story: %v, want ErrNotFound", err)
	}

	views, err := s.LatestStories(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	events := map[int64]string{}
	for _, v := range views {
		events[v.ID] = v.Event
	}
	if events[first.StoryID] != firstKey || events[second.StoryID] != firstKey || events[none.StoryID] != "" || events[old.StoryID] != "seed:000.txt" {
		t.Errorf("LatestStories events = %v", events)
	}

	var got []aggregator.StoryView
	if err := s.EventStories(ctx, t0.Add(-time.Hour), func(v aggregator.StoryView) error { got = append(got, v); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != first.StoryID || got[1].ID != second.StoryID {
		t.Fatalf("EventStories = %+v, want stories %d and %d", got, first.StoryID, second.StoryID)
	}
	if got[1].Head.ID != second.ID || got[1].Head.Title != second.Title || got[1].Head.Body != second.Body ||
		got[1].Head.SourceName != "a" || got[1].Event != firstKey || string(got[1].EventEvidence) != string(evidence) {
		t.Errorf("EventStories head = %+v", got[1])
	}
}

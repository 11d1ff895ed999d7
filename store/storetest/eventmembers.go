package storetest

import (
	"context"
	"testing"
	"time"

	"aggregator"
)

// testEventMembers checks that EventMembers returns the stories of the
// events asked for, oldest first, with their heads and copies, and none of
// another event or without one.
func testEventMembers(t *testing.T, s Store) {
	ctx := context.Background()
	src := ensure(t, s, "a", "http://a.example/feed")
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	founder, joined, copyOf, other, none := sampleItem(src.ID, "f", t0), sampleItem(src.ID, "j", t0.Add(time.Hour)),
		sampleItem(src.ID, "c", t0.Add(2*time.Hour)), sampleItem(src.ID, "o", t0.Add(3*time.Hour)), sampleItem(src.ID, "n", t0)
	seedEvent := aggregator.SeedKey("000.txt").String()
	commit(t, s, func(tx aggregator.CycleTx) error {
		for _, it := range []*aggregator.Item{&founder, &joined, &other, &none} {
			if err := tx.NewStory(ctx, it); err != nil {
				return err
			}
		}
		copyOf.StoryID = joined.StoryID
		copyOf.Decision.Verdict = aggregator.VerdictStoryCopy
		if err := tx.InsertItem(ctx, &copyOf); err != nil {
			return err
		}
		key := aggregator.StoryKey(founder.StoryID).String()
		if err := tx.SetStoryEvent(ctx, founder.StoryID, key, nil); err != nil {
			return err
		}
		if err := tx.SetStoryEvent(ctx, joined.StoryID, key, nil); err != nil {
			return err
		}
		return tx.SetStoryEvent(ctx, other.StoryID, seedEvent, nil)
	})
	key := aggregator.StoryKey(founder.StoryID).String()

	got, err := s.EventMembers(ctx, []string{key})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != founder.StoryID || got[1].ID != joined.StoryID {
		t.Fatalf("EventMembers(%s) = %+v, want stories %d and %d", key, got, founder.StoryID, joined.StoryID)
	}
	if got[1].Event != key || got[1].Head.ID != joined.ID || got[1].Head.SourceName != "a" ||
		len(got[1].Copies) != 1 || got[1].Copies[0].ID != copyOf.ID || !got[0].Created.Equal(t0) {
		t.Errorf("EventMembers member = %+v, want its event, head, source, copy and creation time", got[1])
	}

	got, err = s.EventMembers(ctx, []string{seedEvent, key, "story:999999"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, v := range got {
		ids = append(ids, v.ID)
	}
	if len(ids) != 3 || ids[0] != founder.StoryID || ids[1] != joined.StoryID || ids[2] != other.StoryID {
		t.Errorf("EventMembers of two events = stories %v, want %d, %d, %d", ids, founder.StoryID, joined.StoryID, other.StoryID)
	}
	if got, err := s.EventMembers(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("EventMembers(nil) = %v, %v; want none", got, err)
	}
}

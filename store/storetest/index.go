package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"aggregator"
)

// testIndexEntries checks what the near-duplicate index is rebuilt from: a
// story head and an off-topic item come back without keys until their
// compact keys are stored, and with them afterwards; the analysed text stays
// readable for verification and for items without keys.
func testIndexEntries(t *testing.T, s Store) {
	ctx := context.Background()
	src := ensure(t, s, "a", "http://a.example/feed")
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	head := aggregator.Item{SourceID: src.ID, GUID: "1", URL: "http://a.example/1", Title: "t", FirstSeen: now, Updated: now, Published: now,
		Decision: aggregator.Decision{Verdict: aggregator.VerdictNew}, Shingles: []uint64{1, 2, 3}, Signature: []uint32{4}, Lead: []uint32{5}}
	off := aggregator.Item{SourceID: src.ID, GUID: "2", URL: "http://a.example/2", Title: "u", FirstSeen: now, Updated: now, Published: now,
		Decision: aggregator.Decision{Verdict: aggregator.VerdictOffTopic}, Shingles: []uint64{7, 8}, Signature: []uint32{9}, Lead: []uint32{10}}
	commit(t, s, func(tx aggregator.CycleTx) error {
		if err := tx.NewStory(ctx, &head); err != nil {
			return err
		}
		return tx.InsertItem(ctx, &off)
	})

	collect := func(since time.Time) []aggregator.IndexEntry {
		var out []aggregator.IndexEntry
		if err := s.IndexEntries(ctx, since, func(e aggregator.IndexEntry) error { out = append(out, e); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	got := collect(now.Add(-time.Hour))
	want := []aggregator.IndexEntry{{StoryID: head.StoryID, ItemID: head.ID, At: now}, {ItemID: off.ID, At: now}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("before keys: %+v\nwant %+v", got, want)
	}
	if n, err := s.CountIndexEntries(ctx, now.Add(-time.Hour)); err != nil || n != 2 {
		t.Errorf("CountIndexEntries = %d, %v; want 2", n, err)
	}
	if got[0].Key() != aggregator.StoryKey(head.StoryID) || got[1].Key() != aggregator.ItemKey(off.ID) {
		t.Errorf("entry keys %v, %v", got[0].Key(), got[1].Key())
	}

	if err := s.SaveIndexKeys(ctx, map[int64][]byte{head.ID: {1, 2}, off.ID: {3}}); err != nil {
		t.Fatal(err)
	}
	commit(t, s, func(tx aggregator.CycleTx) error { return tx.SetIndexKeys(ctx, off.ID, []byte{4}) })
	got = collect(now.Add(-time.Hour))
	want = []aggregator.IndexEntry{
		{StoryID: head.StoryID, ItemID: head.ID, At: now, Keys: []byte{1, 2}},
		{ItemID: off.ID, At: now, Keys: []byte{4}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after keys: %+v\nwant %+v", got, want)
	}
	if none := collect(now.Add(time.Hour)); len(none) != 0 {
		t.Fatalf("entries older than since: %+v", none)
	}
	if n, err := s.CountIndexEntries(ctx, now.Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("CountIndexEntries after the window = %d, %v; want 0", n, err)
	}

	if sh, err := s.StoryHeadShingles(ctx, head.StoryID); err != nil || !reflect.DeepEqual(sh, head.Shingles) {
		t.Errorf("StoryHeadShingles = %v, %v", sh, err)
	}
	if sh, err := s.ItemShingles(ctx, off.ID); err != nil || !reflect.DeepEqual(sh, off.Shingles) {
		t.Errorf("ItemShingles = %v, %v", sh, err)
	}
	wantA := aggregator.Analysis{Shingles: head.Shingles, Signature: head.Signature, Lead: head.Lead}
	if a, err := s.ItemAnalysis(ctx, head.ID); err != nil || !reflect.DeepEqual(a, wantA) {
		t.Errorf("ItemAnalysis = %+v, %v", a, err)
	}
	if _, err := s.ItemShingles(ctx, 999); !errors.Is(err, aggregator.ErrNotFound) {
		t.Errorf("ItemShingles of a missing item: %v, want ErrNotFound", err)
	}
	if _, err := s.ItemAnalysis(ctx, 999); !errors.Is(err, aggregator.ErrNotFound) {
		t.Errorf("ItemAnalysis of a missing item: %v, want ErrNotFound", err)
	}
}

// storeVerdicts stores, for source a, a story head, two off-topic items
// and a seed copy, and for source b a copy of the story.
func storeVerdicts(t *testing.T, s Store) (a, b aggregator.Source) {
	ctx := context.Background()
	a = ensure(t, s, "a", "http://a.example/feed")
	b = ensure(t, s, "b", "http://b.example/feed")
	ensure(t, s, "quiet", "http://q.example/feed")
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	commit(t, s, func(tx aggregator.CycleTx) error {
		head := sampleItem(a.ID, "g1", t0)
		if err := tx.NewStory(ctx, &head); err != nil {
			return err
		}
		for i, v := range []aggregator.Verdict{aggregator.VerdictOffTopic, aggregator.VerdictOffTopic, aggregator.VerdictSeedCopy} {
			it := sampleItem(a.ID, "a"+string(rune('0'+i)), t0.Add(time.Duration(i+1)*time.Minute))
			it.Decision.Verdict = v
			if err := tx.InsertItem(ctx, &it); err != nil {
				return err
			}
		}
		cp := sampleItem(b.ID, "g2", t0.Add(time.Hour))
		cp.StoryID = head.StoryID
		cp.Decision.Verdict = aggregator.VerdictStoryCopy
		return tx.InsertItem(ctx, &cp)
	})
	return a, b
}

func testVerdictCounts(t *testing.T, s Store) {
	ctx := context.Background()
	storeVerdicts(t, s)
	got, err := s.VerdictCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[aggregator.Verdict]int{
		"a": {"new": 1, "off_topic": 2, "seed_duplicate": 1},
		"b": {"story_duplicate": 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("VerdictCounts = %v, want %v", got, want)
	}
	c, err := s.Counts(ctx)
	wantC := aggregator.Counts{Sources: 3, Items: 5, Stories: 1,
		ByVerdict: map[aggregator.Verdict]int{"new": 1, "off_topic": 2, "seed_duplicate": 1, "story_duplicate": 1}}
	if err != nil || !reflect.DeepEqual(c, wantC) {
		t.Errorf("Counts = %+v, %v; want %+v", c, err, wantC)
	}
}

func testRecentItems(t *testing.T, s Store) {
	ctx := context.Background()
	storeVerdicts(t, s)
	got, err := s.RecentItems(ctx, 2, aggregator.VerdictOffTopic, aggregator.VerdictStoryCopy)
	if err != nil {
		t.Fatal(err)
	}
	var guids []string
	for _, it := range got {
		guids = append(guids, it.SourceName+"/"+it.GUID)
	}
	if want := []string{"b/g2", "a/a1"}; !reflect.DeepEqual(guids, want) {
		t.Errorf("RecentItems(2, off_topic, story_duplicate) = %v, want %v (newest first)", guids, want)
	}
	all, err := s.RecentItems(ctx, 10)
	if err != nil || len(all) != 5 {
		t.Errorf("RecentItems(10) = %d items, %v; want all 5", len(all), err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
	before, _ := s.Counts(ctx)
	if err := s.CheckWritable(ctx); err != nil {
		t.Errorf("CheckWritable on a writable store: %v", err)
	}
	if after, _ := s.Counts(ctx); !reflect.DeepEqual(after, before) {
		t.Errorf("CheckWritable changed the store: counts %+v, were %+v", after, before)
	}
}

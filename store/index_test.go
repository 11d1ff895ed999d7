package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

// TestIndexEntries checks what the near-duplicate index is rebuilt from: a
// story head and an off-topic item come back without keys until their
// compact keys are stored, and with them afterwards; the analysed text stays
// readable for verification and for items without keys.
func TestIndexEntries(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	src, err := s.EnsureSource(ctx, "a", "http://a.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	head := Item{SourceID: src.ID, GUID: "1", URL: "http://a.example/1", Title: "t", FirstSeen: now, Updated: now, Published: now,
		Decision: Decision{Verdict: "new"}, Shingles: []uint64{1, 2, 3}, Signature: []uint32{4}, Lead: []uint32{5}}
	off := Item{SourceID: src.ID, GUID: "2", URL: "http://a.example/2", Title: "u", FirstSeen: now, Updated: now, Published: now,
		Decision: Decision{Verdict: "off_topic"}, Shingles: []uint64{7, 8}, Signature: []uint32{9}, Lead: []uint32{10}}
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.NewStory(ctx, &head); err != nil {
		t.Fatal(err)
	}
	if err := tx.InsertItem(ctx, &off); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	collect := func() []IndexEntry {
		var out []IndexEntry
		if err := s.IndexEntries(ctx, now.Add(-time.Hour), func(e IndexEntry) error { out = append(out, e); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	got := collect()
	want := []IndexEntry{{StoryID: head.StoryID, ItemID: head.ID, At: now}, {ItemID: off.ID, At: now}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("before keys: %+v\nwant %+v", got, want)
	}

	if err := s.SetIndexKeys(ctx, map[int64][]byte{head.ID: {1, 2}, off.ID: {3}}); err != nil {
		t.Fatal(err)
	}
	got = collect()
	want = []IndexEntry{
		{StoryID: head.StoryID, ItemID: head.ID, At: now, Keys: []byte{1, 2}},
		{ItemID: off.ID, At: now, Keys: []byte{3}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after keys: %+v\nwant %+v", got, want)
	}
	if n := len(collect()); n != 2 {
		t.Fatalf("%d entries", n)
	}
	var none []IndexEntry
	if err := s.IndexEntries(ctx, now.Add(time.Hour), func(e IndexEntry) error { none = append(none, e); return nil }); err != nil || len(none) != 0 {
		t.Fatalf("entries older than since: %+v, %v", none, err)
	}

	if sh, err := s.StoryHeadShingles(ctx, head.StoryID); err != nil || !reflect.DeepEqual(sh, head.Shingles) {
		t.Errorf("StoryHeadShingles = %v, %v", sh, err)
	}
	if sh, err := s.ItemShingles(ctx, off.ID); err != nil || !reflect.DeepEqual(sh, off.Shingles) {
		t.Errorf("ItemShingles = %v, %v", sh, err)
	}
	if sh, sig, lead, err := s.ItemAnalysis(ctx, head.ID); err != nil || !reflect.DeepEqual(sh, head.Shingles) ||
		!reflect.DeepEqual(sig, head.Signature) || !reflect.DeepEqual(lead, head.Lead) {
		t.Errorf("ItemAnalysis = %v %v %v, %v", sh, sig, lead, err)
	}
	if _, err := s.ItemShingles(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("ItemShingles of a missing item: %v, want ErrNotFound", err)
	}
}

package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"aggregator"
)

// testLanguage checks that an item's language is stored and read back by
// every read of items: the lookups in a cycle, the story views' heads and
// copies, and the explanation's reads; an item without one reads back "".
func testLanguage(t *testing.T, s Store) {
	ctx := context.Background()
	a := ensure(t, s, "a", "http://a.example/feed")
	b := ensure(t, s, "b", "http://b.example/feed")
	t0 := time.Date(2024, 6, 19, 6, 0, 0, 0, time.UTC)
	head := sampleItem(a.ID, "g1", t0)
	head.Language = "en"
	cp := sampleItem(b.ID, "g2", t0.Add(time.Hour))
	cp.Language = "id"
	none := sampleItem(b.ID, "g3", t0.Add(2*time.Hour))
	commit(t, s, func(tx aggregator.CycleTx) error {
		if err := tx.NewStory(ctx, &head); err != nil {
			return err
		}
		cp.StoryID = head.StoryID
		cp.Decision = aggregator.Decision{Verdict: aggregator.VerdictStoryCopy, Match: aggregator.StoryKey(head.StoryID)}
		if err := tx.InsertItem(ctx, &cp); err != nil {
			return err
		}
		return tx.InsertItem(ctx, &none)
	})
	views, err := s.LatestStories(ctx, 10)
	if err != nil || len(views) != 1 || len(views[0].Copies) != 1 {
		t.Fatalf("LatestStories = %+v, %v; want one story with one copy", views, err)
	}
	if views[0].Head.Language != "en" || views[0].Copies[0].Language != "id" {
		t.Errorf("story view languages: head %q, copy %q; want en, id", views[0].Head.Language, views[0].Copies[0].Language)
	}
	if h, err := s.StoryHead(ctx, head.StoryID); err != nil || h.Language != "en" {
		t.Errorf("StoryHead language %q, %v; want en", h.Language, err)
	}
	if it, err := s.ItemByID(ctx, cp.ID); err != nil || it.Language != "id" {
		t.Errorf("ItemByID language %q, %v; want id", it.Language, err)
	}
	if its, err := s.ItemsByURL(ctx, none.URL, none.CanonicalURL); err != nil || len(its) != 1 || its[0].Language != "" {
		t.Errorf("ItemsByURL = %+v, %v; want one item without a language", its, err)
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if it, err := tx.ItemByGUID(ctx, a.ID, "g1"); err != nil || it.Language != "en" {
		t.Errorf("ItemByGUID language %q, %v; want en", it.Language, err)
	}
	if it, err := tx.ItemByCanonicalURL(ctx, cp.CanonicalURL); err != nil || it.Language != "id" {
		t.Errorf("ItemByCanonicalURL language %q, %v; want id", it.Language, err)
	}
}

// testLatestStoriesIn checks the stories of one language: only those whose
// head is in it (a copy in it does not count), newest first, at most
// limit, with their copies; none for a language no head has.
func testLatestStoriesIn(t *testing.T, s Store) {
	ctx := context.Background()
	a := ensure(t, s, "a", "http://a.example/feed")
	t0 := time.Date(2024, 6, 19, 6, 0, 0, 0, time.UTC)
	var heads []aggregator.Item
	for i, lang := range []string{"en", "id", "en", "", "en"} {
		h := sampleItem(a.ID, "h"+string(rune('0'+i)), t0.Add(time.Duration(i)*time.Hour))
		h.Language = lang
		commit(t, s, func(tx aggregator.CycleTx) error { return tx.NewStory(ctx, &h) })
		heads = append(heads, h)
	}
	cp := sampleItem(a.ID, "copy", t0.Add(10*time.Hour))
	cp.Language, cp.StoryID = "ko", heads[0].StoryID
	cp.Decision = aggregator.Decision{Verdict: aggregator.VerdictStoryCopy, Match: aggregator.StoryKey(heads[0].StoryID)}
	commit(t, s, func(tx aggregator.CycleTx) error { return tx.InsertItem(ctx, &cp) })
	ids := func(lang string, limit int) []int64 {
		views, err := s.LatestStoriesIn(ctx, lang, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, v := range views {
			if v.Head.Language != lang {
				t.Errorf("%s: story %d's head is in %q", lang, v.ID, v.Head.Language)
			}
			out = append(out, v.ID)
		}
		return out
	}
	if got, want := ids("en", 10), []int64{heads[4].StoryID, heads[2].StoryID, heads[0].StoryID}; !reflect.DeepEqual(got, want) {
		t.Errorf("en stories %v, want %v", got, want)
	}
	if got, want := ids("en", 2), []int64{heads[4].StoryID, heads[2].StoryID}; !reflect.DeepEqual(got, want) {
		t.Errorf("en stories, limit 2: %v, want %v", got, want)
	}
	if got, want := ids("id", 10), []int64{heads[1].StoryID}; !reflect.DeepEqual(got, want) {
		t.Errorf("id stories %v, want %v", got, want)
	}
	if got := ids("ko", 10); got != nil {
		t.Errorf("ko stories %v, want none (only a copy is in ko)", got)
	}
	if got := ids("", 10); got != nil {
		t.Errorf("stories of no language %v, want none", got)
	}
	views, err := s.LatestStoriesIn(ctx, "en", 10)
	if err != nil || len(views) != 3 || len(views[2].Copies) != 1 || views[2].Copies[0].GUID != "copy" {
		t.Errorf("en stories with copies: %+v, %v; want the oldest with its copy", views, err)
	}
}

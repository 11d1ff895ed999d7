// Package storetest is the test suite every store implementation passes:
// Run exercises a store through the interfaces the pipeline and the status
// page use (aggregator.Store, server.Store), so that a new backend is
// known to mean what the SQLite one means.
package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"aggregator"
	"aggregator/internal/server"
)

// Store is every interface a store implements: the pipeline's, and the
// reads of the status page and of "aggregator explain".
type Store interface {
	aggregator.Store
	server.Store
	// SourceByName returns the stored source with this name, or
	// aggregator.ErrNotFound ("aggregator explain" shows its state).
	SourceByName(ctx context.Context, name string) (aggregator.Source, error)
}

// Run runs the suite; open returns a new, empty store that lives until the
// test ends.
func Run(t *testing.T, open func(t *testing.T) Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s Store)
	}{
		{"EnsureSourceURLChangeClearsValidators", testEnsureSourceURLChangeClearsValidators},
		{"SourceEtiquetteRoundTrip", testSourceEtiquetteRoundTrip},
		{"EnsureSourceURLChangeClearsEtiquette", testEnsureSourceURLChangeClearsEtiquette},
		{"StoryLifecycle", testStoryLifecycle},
		{"SetStoryHead", testSetStoryHead},
		{"StoryEvent", testStoryEvent},
		{"EventMembers", testEventMembers},
		{"RollbackLeavesNothing", testRollbackLeavesNothing},
		{"Lookups", testLookups},
		{"UpdateItemContent", testUpdateItemContent},
		{"MatchKeysRoundTrip", testMatchKeysRoundTrip},
		{"ArticleKey", testArticleKey},
		{"HeadlineKey", testHeadlineKey},
		{"Language", testLanguage},
		{"LatestStoriesIn", testLatestStoriesIn},
		{"IndexEntries", testIndexEntries},
		{"VerdictCounts", testVerdictCounts},
		{"RecentItems", testRecentItems},
		{"ArticleRoundTrip", testArticleRoundTrip},
		{"StoriesCreated", testStoriesCreated},
		{"Outbox", testOutbox},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// commit runs fn in a transaction and commits it.
func commit(t *testing.T, s Store, fn func(tx aggregator.CycleTx) error) {
	t.Helper()
	ctx := context.Background()
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func ensure(t *testing.T, s Store, name, url string) aggregator.Source {
	t.Helper()
	src, err := s.EnsureSource(context.Background(), name, url)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func testEnsureSourceURLChangeClearsValidators(t *testing.T, s Store) {
	ctx := context.Background()
	src := ensure(t, s, "a", "http://a.example/feed")
	src.ETag, src.LastModified = `"v1"`, "Mon, 02 Jan 2006 15:04:05 GMT"
	commit(t, s, func(tx aggregator.CycleTx) error { return tx.SaveSourceState(ctx, src) })
	same := ensure(t, s, "a", "http://a.example/feed")
	if same.ETag != `"v1"` {
		t.Fatalf("same URL lost the ETag: %q", same.ETag)
	}
	moved := ensure(t, s, "a", "http://b.example/feed")
	if moved.URL != "http://b.example/feed" || moved.ETag != "" || moved.LastModified != "" {
		t.Fatalf("after URL change: %+v", moved)
	}
}

func testSourceEtiquetteRoundTrip(t *testing.T, s Store) {
	ctx := context.Background()
	src := ensure(t, s, "a", "http://a.example/feed")
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	src.ETag, src.LastModified = `"e"`, "Wed, 04 Mar 2026 05:06:07 GMT"
	src.FeedID, src.FeedTitle, src.FeedLink = "urn:a", "A", "http://a.example/"
	src.LastFetchAt, src.LastSuccessAt, src.LastStatus = at, at.Add(-time.Hour), 429
	src.LastError, src.LastErrorKind, src.ErrorCount = "fetch a: status 429", "status", 3
	src.NextFetchAt, src.NextFetchReason, src.RetryAfterUntil = at.Add(time.Hour), "retry-after", at.Add(time.Hour)
	src.MovedURL, src.MovedAt = "https://new.example/feed", at
	src.TTL, src.MaxAge, src.Expires, src.UpdatePeriod = time.Hour, 30*time.Minute, at.Add(2*time.Hour), 24*time.Hour
	src.SkipHours, src.SkipDays = []int{0, 1, 23}, []time.Weekday{time.Saturday, time.Sunday}
	commit(t, s, func(tx aggregator.CycleTx) error { return tx.SaveSourceState(ctx, src) })
	got, err := s.SourceByName(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, src) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, src)
	}
	if got.FetchURL() != "https://new.example/feed" {
		t.Errorf("FetchURL = %q, want the moved URL", got.FetchURL())
	}
	all, err := s.Sources(ctx)
	if err != nil || len(all) != 1 || !reflect.DeepEqual(all[0], src) {
		t.Errorf("Sources = %+v, %v", all, err)
	}
}

func testEnsureSourceURLChangeClearsEtiquette(t *testing.T, s Store) {
	ctx := context.Background()
	src := ensure(t, s, "a", "http://a.example/feed")
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	src.RetiredAt, src.MovedURL, src.ErrorCount, src.NextFetchAt = at, "http://c.example/feed", 4, at.Add(time.Hour)
	src.RetryAfterUntil = at.Add(time.Hour)
	commit(t, s, func(tx aggregator.CycleTx) error { return tx.SaveSourceState(ctx, src) })

	same := ensure(t, s, "a", "http://a.example/feed")
	if !same.Retired() || same.MovedURL == "" || same.ErrorCount != 4 {
		t.Fatalf("same config URL lost the state: %+v", same)
	}
	changed := ensure(t, s, "a", "http://b.example/feed")
	if changed.Retired() || changed.MovedURL != "" || changed.ErrorCount != 0 || !changed.NextFetchAt.IsZero() ||
		!changed.RetryAfterUntil.IsZero() || changed.FetchURL() != "http://b.example/feed" {
		t.Fatalf("a new config URL must start afresh: %+v", changed)
	}
}

package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestSourceEtiquetteRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	src, err := s.EnsureSource(ctx, "a", "http://a.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	src.LastError, src.LastErrorKind, src.ErrorCount = "fetch a: status 429", "status", 3
	src.NextFetchAt, src.NextFetchReason, src.RetryAfterUntil = at.Add(time.Hour), "retry-after", at.Add(time.Hour)
	src.MovedURL, src.MovedAt = "https://new.example/feed", at
	src.TTL, src.MaxAge, src.Expires, src.UpdatePeriod = time.Hour, 30*time.Minute, at.Add(2*time.Hour), 24*time.Hour
	src.SkipHours, src.SkipDays = []int{0, 1, 23}, []time.Weekday{time.Saturday, time.Sunday}
	tx, _ := s.Begin(ctx)
	if err := tx.SaveSourceState(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.SourceByName(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, src) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, src)
	}
	if got.FetchURL() != "https://new.example/feed" {
		t.Errorf("FetchURL = %q, want the moved URL", got.FetchURL())
	}
}

func TestEnsureSourceURLChangeClearsEtiquette(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	src, _ := s.EnsureSource(ctx, "a", "http://a.example/feed")
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	src.RetiredAt, src.MovedURL, src.ErrorCount, src.NextFetchAt = at, "http://c.example/feed", 4, at.Add(time.Hour)
	src.RetryAfterUntil = at.Add(time.Hour)
	tx, _ := s.Begin(ctx)
	if err := tx.SaveSourceState(ctx, src); err != nil {
		t.Fatal(err)
	}
	tx.Commit()

	same, _ := s.EnsureSource(ctx, "a", "http://a.example/feed")
	if !same.Retired() || same.MovedURL == "" || same.ErrorCount != 4 {
		t.Fatalf("same config URL lost the state: %+v", same)
	}
	changed, _ := s.EnsureSource(ctx, "a", "http://b.example/feed")
	if changed.Retired() || changed.MovedURL != "" || changed.ErrorCount != 0 || !changed.NextFetchAt.IsZero() ||
		!changed.RetryAfterUntil.IsZero() || changed.FetchURL() != "http://b.example/feed" {
		t.Fatalf("a new config URL must start afresh: %+v", changed)
	}
}

// TestMigrateFromVersion1 opens a database written by the first schema and
// checks that its sources survive with empty etiquette state.
func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE schema_version (version INTEGER NOT NULL)`,
		migrations[0],
		`INSERT INTO schema_version (version) VALUES (1)`,
		`INSERT INTO sources (name, url, etag, error_count) VALUES ('old', 'http://old.example/feed', '"e"', 2)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open a version-1 database: %v", err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v != len(migrations) {
		t.Errorf("schema version %d, want %d", v, len(migrations))
	}
	src, err := s.SourceByName(ctx, "old")
	if err != nil {
		t.Fatal(err)
	}
	if src.ETag != `"e"` || src.ErrorCount != 2 || src.Retired() || src.MovedURL != "" || src.SkipHours != nil {
		t.Errorf("migrated source: %+v", src)
	}
}

package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

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

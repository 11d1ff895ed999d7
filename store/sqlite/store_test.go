package sqlite

import (
	"aggregator/store/storetest"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestOpenMigratesAndReopens(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != len(migrations) {
		t.Fatalf("schema version = %d, %v; want %d", v, err, len(migrations))
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	if _, err := s.EnsureSource(ctx, "a", "http://a.example/feed"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := s2.SourceByName(ctx, "a"); err != nil {
		t.Fatalf("source lost across reopen: %v", err)
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "nope", "state.db"))
	if err == nil {
		t.Fatal("Open in a missing directory succeeded")
	}
}

// TestStore runs the store test suite on a SQLite file.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store {
		s, _ := openTemp(t)
		return s
	})
}

// TestArticleKeyLookupUsesItsIndex checks the plan of the article key
// lookup, made for every new item: a scan of the items table would make a
// poll cycle quadratic in the items stored.
func TestArticleKeyLookupUsesItsIndex(t *testing.T) {
	queryUsesIndex(t, itemByArticleKeyQuery, "items_article_key", "k", 0, 1)
}

// TestHeadlineKeyLookupUsesItsIndex is the same for the headline key
// lookup, made for every new item the index finds no copy of.
func TestHeadlineKeyLookupUsesItsIndex(t *testing.T) {
	queryUsesIndex(t, itemByHeadlineKeyQuery, "items_headline_key", "k", 0, 1, 7)
}

// queryUsesIndex checks that SQLite's plan for query names index.
func queryUsesIndex(t *testing.T, query, index string, args ...any) {
	t.Helper()
	s, _ := openTemp(t)
	rows, err := s.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if p := strings.Join(plan, "; "); !strings.Contains(p, index) {
		t.Errorf("the lookup does not use %s: %s", index, p)
	}
}

package sqlite

import (
	"aggregator"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SetIndexKeys stores the compact index keys of an item, so that the index
// can be rebuilt without reading its shingle set.
func (t *Tx) SetIndexKeys(ctx context.Context, itemID int64, keys []byte) error {
	_, err := t.exec(ctx, `INSERT INTO index_keys (item_id, keys) VALUES (?, ?)
		ON CONFLICT (item_id) DO UPDATE SET keys = excluded.keys`, itemID, keys)
	if err != nil {
		return fmt.Errorf("store: set index keys of item %d: %w", itemID, err)
	}
	return nil
}

// SaveIndexKeys stores the compact index keys of many items in one
// transaction: keys by item ID.
func (s *Store) SaveIndexKeys(ctx context.Context, keys map[int64][]byte) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for id, k := range keys {
		if err := tx.SetIndexKeys(ctx, id, k); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// IndexEntries calls fn for every story updated at or after since, with its
// head item, and then for every off-topic item first seen at or after since
// whose analysed text was stored (the selection of StoryHeads and
// OffTopicItems), oldest first, with their index keys.
func (s *Store) IndexEntries(ctx context.Context, since time.Time, fn func(aggregator.IndexEntry) error) error {
	queries := []string{
		`SELECT s.id, s.head_item_id, s.updated_at, k.keys
			FROM stories s LEFT JOIN index_keys k ON k.item_id = s.head_item_id
			WHERE s.updated_at >= ? ORDER BY s.id`,
		`SELECT 0, i.id, i.first_seen_at, k.keys
			FROM items i LEFT JOIN index_keys k ON k.item_id = i.id
			WHERE i.verdict = 'off_topic' AND i.story_id IS NULL AND i.first_seen_at >= ?
			AND (k.keys IS NOT NULL OR i.shingles IS NOT NULL)
			ORDER BY i.id`,
	}
	for _, q := range queries {
		if err := s.indexEntries(ctx, q, since, fn); err != nil {
			return err
		}
	}
	return nil
}

// CountIndexEntries returns how many entries IndexEntries would give, so
// that the index can be sized before it is filled.
func (s *Store) CountIndexEntries(ctx context.Context, since time.Time) (int, error) {
	var stories, items int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM stories WHERE updated_at >= ?`, unixNano(since)).Scan(&stories)
	if err == nil {
		err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM items i
			WHERE i.verdict = 'off_topic' AND i.story_id IS NULL AND i.first_seen_at >= ?`, unixNano(since)).Scan(&items)
	}
	if err != nil {
		return 0, fmt.Errorf("store: count index entries: %w", err)
	}
	return stories + items, nil
}

func (s *Store) indexEntries(ctx context.Context, query string, since time.Time, fn func(aggregator.IndexEntry) error) error {
	rows, err := s.db.QueryContext(ctx, query, unixNano(since))
	if err != nil {
		return fmt.Errorf("store: index entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e aggregator.IndexEntry
		var at int64
		if err := rows.Scan(&e.StoryID, &e.ItemID, &at, &e.Keys); err != nil {
			return fmt.Errorf("store: index entries: %w", err)
		}
		e.At = fromUnixNano(at)
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: index entries: %w", err)
	}
	return nil
}

// ItemShingles returns the stored shingle set of an item, or ErrNotFound.
func (s *Store) ItemShingles(ctx context.Context, itemID int64) ([]uint64, error) {
	return s.shingles(ctx, `SELECT shingles FROM items WHERE id = ?`, itemID)
}

// StoryHeadShingles returns the stored shingle set of a story's head item,
// or ErrNotFound.
func (s *Store) StoryHeadShingles(ctx context.Context, storyID int64) ([]uint64, error) {
	return s.shingles(ctx, `SELECT i.shingles FROM stories s JOIN items i ON i.id = s.head_item_id WHERE s.id = ?`, storyID)
}

func (s *Store) shingles(ctx context.Context, query string, id int64) ([]uint64, error) {
	var b []byte
	st, err := s.prepared(ctx, query) // a point read made often while deciding: compiled once
	if err == nil {
		err = st.QueryRowContext(ctx, id).Scan(&b)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: shingles of %d: %w", id, aggregator.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: shingles of %d: %w", id, err)
	}
	return decodeUint64s(b), nil
}

// ItemAnalysis returns the stored analysed text of an item: its shingle
// set, signature and lead signature, or ErrNotFound.
func (s *Store) ItemAnalysis(ctx context.Context, itemID int64) (aggregator.Analysis, error) {
	var sh, sig, ld []byte
	err := s.db.QueryRowContext(ctx, `SELECT shingles, signature, lead FROM items WHERE id = ?`, itemID).Scan(&sh, &sig, &ld)
	if errors.Is(err, sql.ErrNoRows) {
		return aggregator.Analysis{}, fmt.Errorf("store: analysis of item %d: %w", itemID, aggregator.ErrNotFound)
	}
	if err != nil {
		return aggregator.Analysis{}, fmt.Errorf("store: analysis of item %d: %w", itemID, err)
	}
	return aggregator.Analysis{Shingles: decodeUint64s(sh), Signature: decodeUint32s(sig), Lead: decodeUint32s(ld)}, nil
}

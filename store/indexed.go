package store

import (
	"context"
	"fmt"
	"time"
)

// IndexedItem is what the near-duplicate index needs of an item that
// belongs to no story but is still compared against: an off-topic item,
// so that its copies are recognised as copies of it.
type IndexedItem struct {
	ItemID    int64
	FirstSeen time.Time
	Shingles  []uint64
	Signature []uint32
	Lead      []uint32
}

// OffTopicItems calls fn for every off-topic item first seen at or after
// since whose analysed text was stored, oldest first.
func (s *Store) OffTopicItems(ctx context.Context, since time.Time, fn func(IndexedItem) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id, first_seen_at, shingles, signature, lead FROM items
		WHERE verdict = 'off_topic' AND story_id IS NULL AND shingles IS NOT NULL AND first_seen_at >= ?
		ORDER BY id`, unixNano(since))
	if err != nil {
		return fmt.Errorf("store: off-topic items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it IndexedItem
		var seen int64
		var sh, sig, lead []byte
		if err := rows.Scan(&it.ItemID, &seen, &sh, &sig, &lead); err != nil {
			return fmt.Errorf("store: off-topic items: %w", err)
		}
		it.FirstSeen = fromUnixNano(seen)
		it.Shingles, it.Signature, it.Lead = decodeUint64s(sh), decodeUint32s(sig), decodeUint32s(lead)
		if len(it.Shingles) == 0 {
			continue
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: off-topic items: %w", err)
	}
	return nil
}

// ItemByID returns one item with its source, or ErrNotFound.
func (s *Store) ItemByID(ctx context.Context, id int64) (SourcedItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+itemColumns+`, src.name, src.url
		FROM items i JOIN sources src ON src.id = i.source_id WHERE i.id = ?`, id)
	if err != nil {
		return SourcedItem{}, fmt.Errorf("store: item %d: %w", id, err)
	}
	items, err := scanSourcedItems(rows)
	if err != nil {
		return SourcedItem{}, err
	}
	if len(items) == 0 {
		return SourcedItem{}, fmt.Errorf("store: item %d: %w", id, ErrNotFound)
	}
	return items[0], nil
}

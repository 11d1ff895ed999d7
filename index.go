package aggregator

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"aggregator/dedupe"
	"aggregator/store"
)

// backfillBatch is how many missing index keys loadIndex writes per
// transaction.
const backfillBatch = 10_000

// loadIndex builds the near-duplicate index from the seeds, the heads of the
// stories stored within the window and the off-topic items seen within it.
// It runs at start-up and after a failed transaction, so that the index
// always agrees with the store. Entries are filed from their stored compact
// keys; an item stored without them (by an earlier version, or under other
// bands or rows) is filed from its analysed text and its keys are written
// back, so that the next start-up is fast. The index loads shingle sets
// from the store when it verifies candidates.
func (p *Pipeline) loadIndex(ctx context.Context) error {
	since := p.now().Add(-p.opts.Window)
	n, err := p.store.CountIndexEntries(ctx, since)
	if err != nil {
		return fmt.Errorf("aggregator: load index: %w", err)
	}
	ix := dedupe.NewIndexWith(p.opts.Dedupe, dedupe.IndexOptions{Shingles: p.loadShingles, Capacity: n + len(p.seedDocs)})
	for key, doc := range p.seedDocs {
		ix.Add(key, doc, time.Time{})
	}
	backfill := make(map[int64][]byte)
	err = p.store.IndexEntries(ctx, since, func(e store.IndexEntry) error {
		key := storyKey(e.StoryID)
		if e.StoryID == 0 {
			key = itemKey(e.ItemID)
		}
		if e.Keys != nil {
			if err := ix.AddEncoded(key, e.Keys, e.At); !errors.Is(err, dedupe.ErrStaleKeys) {
				return err
			}
		}
		var doc dedupe.Doc
		var err error
		if doc.Shingles, doc.Signature, doc.Lead, err = p.store.ItemAnalysis(ctx, e.ItemID); err != nil {
			return err
		}
		ix.Add(key, doc, e.At)
		if k := ix.EncodeKeys(doc); k != nil {
			backfill[e.ItemID] = k
		}
		if len(backfill) >= backfillBatch {
			if err := p.store.SetIndexKeys(ctx, backfill); err != nil {
				return err
			}
			clear(backfill)
		}
		return nil
	})
	if err == nil && len(backfill) > 0 {
		err = p.store.SetIndexKeys(ctx, backfill)
	}
	if err != nil {
		return fmt.Errorf("aggregator: load index: %w", err)
	}
	ix.Settle()
	p.index = ix
	return nil
}

// fileIndex adds doc to the index under key and stores the compact keys it
// is filed under with the item, in the transaction that stores the item.
func (p *Pipeline) fileIndex(ctx context.Context, tx *store.Tx, key string, itemID int64, doc dedupe.Doc, at time.Time) error {
	p.index.Add(key, doc, at)
	return tx.SetIndexKeys(ctx, itemID, p.index.EncodeKeys(doc))
}

// loadShingles is the index's dedupe.ShingleLoader: the shingle set of a
// story's head item or of an off-topic item, read from the store. The index
// keeps the sets of the entries added most recently in memory, so it never
// asks for an item of a transaction that has not committed. It is a point
// read by primary key, made without a context because the index's
// verification has none; SQLite's busy timeout bounds it.
func (p *Pipeline) loadShingles(key string) ([]uint64, error) {
	ctx := context.Background()
	if id := storyID(key); id != 0 {
		return p.store.StoryHeadShingles(ctx, id)
	}
	if rest, ok := strings.CutPrefix(key, "item:"); ok {
		if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
			return p.store.ItemShingles(ctx, id)
		}
	}
	return nil, fmt.Errorf("aggregator: index key %q names no stored item", key)
}

// IndexLen returns the number of entries in the near-duplicate index, the
// seeds included.
func (p *Pipeline) IndexLen() int { return p.index.Len() }

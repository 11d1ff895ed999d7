package aggregator

import (
	"context"
	"errors"
	"fmt"
	"time"

	"aggregator/dedupe"
)

// backfillBatch is how many missing index keys loadIndex writes per
// transaction.
const backfillBatch = 10_000

// DefaultOffTopicWindow is the default Options.OffTopicWindow: copies of
// one report reach the feeds within a few days, and off-topic items are
// most of the index (139,000 of 160,000 entries after the benchmark's
// 10,000-source cycle).
const DefaultOffTopicWindow = 7 * 24 * time.Hour

// offTopicWindow is how long off-topic items stay in the index.
func (p *Pipeline) offTopicWindow() time.Duration {
	w := p.opts.OffTopicWindow
	if w <= 0 {
		w = DefaultOffTopicWindow
	}
	return min(w, p.opts.Window)
}

// pruneIndex drops from the index the stories filed before the window and
// the off-topic items filed before their shorter one, and the events of
// stories filed before the window.
func (p *Pipeline) pruneIndex(now time.Time) {
	p.index.Prune(now.Add(-p.opts.Window))
	p.index.PrunePrefix(itemPrefix, now.Add(-p.offTopicWindow()))
	p.events.Prune(now.Add(-p.opts.Window))
}

// loadIndex builds the near-duplicate index from the seeds, the heads of the
// stories stored within the window and the off-topic items seen within
// theirs (offTopicWindow).
// It runs at start-up and after a failed transaction, so that the index
// always agrees with the store. Entries are filed from their stored compact
// keys; an item stored without them (by an earlier version, or under other
// bands or rows) is filed from its analysed text and its keys are written
// back, so that the next start-up is fast (keys written before the index
// kept sketches are stale: the first start-up after that change files every
// entry from its text once). The index loads a shingle set from the store
// only where a candidate's sketch cannot settle it.
func (p *Pipeline) loadIndex(ctx context.Context) error {
	since := p.now().Add(-p.opts.Window)
	n, err := p.store.CountIndexEntries(ctx, since)
	if err != nil {
		return fmt.Errorf("aggregator: load index: %w", err)
	}
	ix := dedupe.NewIndexWith(p.opts.Dedupe, dedupe.IndexOptions{Shingles: p.loadShingles, Capacity: n + len(p.seedDocs)})
	for key, doc := range p.seedDocs {
		ix.Add(key.String(), doc, time.Time{})
	}
	bf := backfill{store: p.store, keys: make(map[int64][]byte)}
	offSince := p.now().Add(-p.offTopicWindow())
	err = p.store.IndexEntries(ctx, since, func(e IndexEntry) error {
		if e.StoryID == 0 && e.At.Before(offSince) {
			return nil
		}
		return p.fileStored(ctx, ix, e, &bf)
	})
	if err == nil {
		err = bf.flush(ctx)
	}
	if err != nil {
		return fmt.Errorf("aggregator: load index: %w", err)
	}
	ix.Settle()
	p.index = ix
	return p.loadEvents(ctx)
}

// fileStored files one stored entry in ix: from its compact keys when they
// were stored under the index's current settings, else from its analysed
// text, whose keys then go to bf.
func (p *Pipeline) fileStored(ctx context.Context, ix *dedupe.Index, e IndexEntry, bf *backfill) error {
	key := e.Key().String()
	if e.Keys != nil {
		if err := ix.AddEncoded(key, e.Keys, e.At); !errors.Is(err, dedupe.ErrStaleKeys) {
			return err
		}
	}
	a, err := p.store.ItemAnalysis(ctx, e.ItemID)
	if err != nil {
		return err
	}
	doc := dedupe.Doc{Shingles: a.Shingles, Signature: a.Signature, Lead: a.Lead}
	ix.Add(key, doc, e.At)
	return bf.add(ctx, e.ItemID, ix.EncodeKeys(doc))
}

// backfill collects the index keys of items stored without them and writes
// them in batches.
type backfill struct {
	store IndexStore
	keys  map[int64][]byte
}

func (b *backfill) add(ctx context.Context, itemID int64, keys []byte) error {
	if keys == nil {
		return nil
	}
	b.keys[itemID] = keys
	if len(b.keys) < backfillBatch {
		return nil
	}
	return b.flush(ctx)
}

func (b *backfill) flush(ctx context.Context) error {
	if len(b.keys) == 0 {
		return nil
	}
	err := b.store.SaveIndexKeys(ctx, b.keys)
	clear(b.keys)
	return err
}

// fileIndex adds doc to the index under key and stores the compact keys it
// is filed under with the item, in the transaction that stores the item.
func (p *Pipeline) fileIndex(ctx context.Context, tx CycleTx, key MatchKey, itemID int64, doc dedupe.Doc, at time.Time) error {
	p.index.Add(key.String(), doc, at)
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
	k, err := ParseMatchKey(key)
	switch {
	case err != nil:
		return nil, fmt.Errorf("aggregator: index key: %w", err)
	case k.Kind == MatchStory:
		return p.store.StoryHeadShingles(ctx, k.ID)
	case k.Kind == MatchItem:
		return p.store.ItemShingles(ctx, k.ID)
	}
	return nil, fmt.Errorf("aggregator: index key %q names no stored item", key)
}

// IndexLen returns the number of entries in the near-duplicate index, the
// seeds included.
func (p *Pipeline) IndexLen() int { return p.index.Len() }

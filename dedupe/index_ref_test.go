package dedupe

import (
	"sync"
	"time"
)

// refIndex is the index as it was before it was made compact, kept as the
// reference that Index must decide exactly like: it holds every shingle set
// in memory, files entries in maps of 64-bit band keys and sampled shingles,
// and verifies every candidate.
type refIndex struct {
	bands, rows int

	mu       sync.RWMutex
	entries  map[string]*refEntry
	buckets  map[uint64][]*refEntry // band key → entries
	postings map[uint64][]*refEntry // sampled shingle → entries
}

type refEntry struct {
	key      string
	shingles []uint64
	at       time.Time // zero: permanent
	bands    []uint64  // bucket keys the entry is filed under
	samples  int       // sampled shingles, each in postings
}

// refSampled reports whether shingle h is one of the 1-in-8 kept in postings.
func refSampled(h uint64) bool { return h&7 == 0 }

// refMinShared is the least number of sampled shingles a candidate from
// the postings must share with the query; it must also share at least half
// of the sampled shingles of the smaller of the two.
const refMinShared = 3

// newRefIndex returns an empty index banding signatures as cfg says.
func newRefIndex(cfg Config) *refIndex {
	return &refIndex{
		bands:    cfg.Bands,
		rows:     cfg.Rows,
		entries:  make(map[string]*refEntry),
		buckets:  make(map[uint64][]*refEntry),
		postings: make(map[uint64][]*refEntry),
	}
}

// Add files doc under key, replacing any entry with that key. An entry added
// with a zero at is permanent: Prune never drops it. A doc without shingles
// is not added.
func (ix *refIndex) Add(key string, doc Doc, at time.Time) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(key)
	if len(doc.Shingles) == 0 {
		return
	}
	e := &refEntry{key: key, shingles: doc.Shingles, at: at, bands: ix.bandKeys(doc)}
	ix.entries[key] = e
	for _, b := range e.bands {
		ix.buckets[b] = append(ix.buckets[b], e)
	}
	for _, h := range e.shingles {
		if refSampled(h) {
			ix.postings[h] = append(ix.postings[h], e)
			e.samples++
		}
	}
}

// Remove drops the entry filed under key, if any.
func (ix *refIndex) Remove(key string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(key)
}

func (ix *refIndex) remove(key string) {
	e, ok := ix.entries[key]
	if !ok {
		return
	}
	delete(ix.entries, key)
	for _, b := range e.bands {
		refUnfile(ix.buckets, b, e)
	}
	for _, h := range e.shingles {
		if refSampled(h) {
			refUnfile(ix.postings, h, e)
		}
	}
}

// refUnfile removes e from the list filed under k in m.
func refUnfile(m map[uint64][]*refEntry, k uint64, e *refEntry) {
	list := m[k]
	for i, x := range list {
		if x == e {
			list[i] = list[len(list)-1]
			list[len(list)-1] = nil
			list = list[:len(list)-1]
			break
		}
	}
	if len(list) == 0 {
		delete(m, k)
	} else {
		m[k] = list
	}
}

// Len returns the number of entries.
func (ix *refIndex) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.entries)
}

// Prune drops the non-permanent entries added with a time before before and
// returns how many it dropped.
func (ix *refIndex) Prune(before time.Time) int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var old []string
	for k, e := range ix.entries {
		if !e.at.IsZero() && e.at.Before(before) {
			old = append(old, k)
		}
	}
	for _, k := range old {
		ix.remove(k)
	}
	return len(old)
}

// Best returns the best verified candidate for doc: the one with the highest
// resemblance or (guarded) containment, ties going to the smaller key. It
// reports false when LSH finds no candidate sharing a shingle with doc. The
// match may be below the thresholds; Config.IsNearDuplicate decides.
func (ix *refIndex) Best(doc Doc) (Match, bool) {
	if len(doc.Shingles) == 0 {
		return Match{}, false
	}
	keys := ix.bandKeys(doc)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var cands []*refEntry
	seen := make(map[*refEntry]bool)
	for _, b := range keys {
		for _, e := range ix.buckets[b] {
			if !seen[e] {
				seen[e] = true
				cands = append(cands, e)
			}
		}
	}
	shared := make(map[*refEntry]int)
	samples := 0
	for _, h := range doc.Shingles {
		if refSampled(h) {
			samples++
			for _, e := range ix.postings[h] {
				shared[e]++
			}
		}
	}
	for e, n := range shared {
		if !seen[e] && n >= refMinShared && 2*n >= min(samples, e.samples) {
			seen[e] = true
			cands = append(cands, e)
		}
	}

	var best Match
	found := false
	for _, e := range cands {
		m := compare(e.key, doc.Shingles, e.shingles)
		if m.Shared == 0 {
			continue
		}
		if !found || m.score() > best.score() || m.score() == best.score() && m.Key < best.Key {
			best, found = m, true
		}
	}
	return best, found
}

// bandKeys returns the distinct bucket keys of doc's signature and lead
// signature. Both go into one table, so a summary's signature meets an
// article's lead signature and the other way round.
func (ix *refIndex) bandKeys(doc Doc) []uint64 {
	keys := make([]uint64, 0, 2*ix.bands)
	keys = ix.appendBands(keys, doc.Signature)
	keys = ix.appendBands(keys, doc.Lead)
	return sortedSet(keys)
}

func (ix *refIndex) appendBands(keys []uint64, sig []uint32) []uint64 {
	if len(sig) != ix.bands*ix.rows {
		return keys
	}
	for b := 0; b < ix.bands; b++ {
		h := mix64(uint64(b) + 0x9e3779b97f4a7c15)
		for _, v := range sig[b*ix.rows : (b+1)*ix.rows] {
			h = mix64(h ^ uint64(v))
		}
		keys = append(keys, h)
	}
	return keys
}

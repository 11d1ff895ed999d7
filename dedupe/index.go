package dedupe

import (
	"sync"
	"time"
)

// Match is a verified near-duplicate candidate.
type Match struct {
	Key         string  // e.g. "seed:000_c4fe606cd232d100.txt" or "story:42" (opaque to the index)
	Resemblance float64 // exact Jaccard of shingle sets
	Containment float64 // exact |A∩B| / min(|A|,|B|)
	Shared      int     // |A∩B|, shingles the two texts share
	Shorter     int     // min(|A|,|B|); containment counts only when it is at least MinContainmentShingles
}

// score ranks candidates: the larger of resemblance and containment, where
// containment counts only when the shorter side is long enough to pass.
func (m Match) score() float64 {
	if m.Shorter >= MinContainmentShingles && m.Containment > m.Resemblance {
		return m.Containment
	}
	return m.Resemblance
}

// Index finds near-duplicate candidates among seeds and stories and verifies
// them exactly against the stored shingle sets. Candidates come from two
// sources: LSH banding of signatures and lead signatures (similar texts, and a
// summary against the lead of its article), and postings of a fixed 1-in-8
// sample of shingle hashes (a text contained in a longer one wherever it
// starts, such as a wire write-through with a new first paragraph, which
// banding misses because its Jaccard similarity is low). It is safe for
// concurrent use.
type Index struct {
	bands, rows int

	mu       sync.RWMutex
	entries  map[string]*entry
	buckets  map[uint64][]*entry // band key → entries
	postings map[uint64][]*entry // sampled shingle → entries
}

type entry struct {
	key      string
	shingles []uint64
	at       time.Time // zero: permanent
	bands    []uint64  // bucket keys the entry is filed under
	samples  int       // sampled shingles, each in postings
}

// sampled reports whether shingle h is one of the 1-in-8 kept in postings.
func sampled(h uint64) bool { return h&7 == 0 }

// minSharedSamples is the least number of sampled shingles a candidate from
// the postings must share with the query; it must also share at least half
// of the sampled shingles of the smaller of the two.
const minSharedSamples = 3

// NewIndex returns an empty index banding signatures as cfg says.
func NewIndex(cfg Config) *Index {
	return &Index{
		bands:    cfg.Bands,
		rows:     cfg.Rows,
		entries:  make(map[string]*entry),
		buckets:  make(map[uint64][]*entry),
		postings: make(map[uint64][]*entry),
	}
}

// Add files doc under key, replacing any entry with that key. An entry added
// with a zero at is permanent: Prune never drops it. A doc without shingles
// is not added.
func (ix *Index) Add(key string, doc Doc, at time.Time) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(key)
	if len(doc.Shingles) == 0 {
		return
	}
	e := &entry{key: key, shingles: doc.Shingles, at: at, bands: ix.bandKeys(doc)}
	ix.entries[key] = e
	for _, b := range e.bands {
		ix.buckets[b] = append(ix.buckets[b], e)
	}
	for _, h := range e.shingles {
		if sampled(h) {
			ix.postings[h] = append(ix.postings[h], e)
			e.samples++
		}
	}
}

// Remove drops the entry filed under key, if any.
func (ix *Index) Remove(key string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(key)
}

func (ix *Index) remove(key string) {
	e, ok := ix.entries[key]
	if !ok {
		return
	}
	delete(ix.entries, key)
	for _, b := range e.bands {
		unfile(ix.buckets, b, e)
	}
	for _, h := range e.shingles {
		if sampled(h) {
			unfile(ix.postings, h, e)
		}
	}
}

// unfile removes e from the list filed under k in m.
func unfile(m map[uint64][]*entry, k uint64, e *entry) {
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
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.entries)
}

// Prune drops the non-permanent entries added with a time before before and
// returns how many it dropped.
func (ix *Index) Prune(before time.Time) int {
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
func (ix *Index) Best(doc Doc) (Match, bool) {
	if len(doc.Shingles) == 0 {
		return Match{}, false
	}
	keys := ix.bandKeys(doc)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var cands []*entry
	seen := make(map[*entry]bool)
	for _, b := range keys {
		for _, e := range ix.buckets[b] {
			if !seen[e] {
				seen[e] = true
				cands = append(cands, e)
			}
		}
	}
	shared := make(map[*entry]int)
	samples := 0
	for _, h := range doc.Shingles {
		if sampled(h) {
			samples++
			for _, e := range ix.postings[h] {
				shared[e]++
			}
		}
	}
	for e, n := range shared {
		if !seen[e] && n >= minSharedSamples && 2*n >= min(samples, e.samples) {
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

// compare computes the exact resemblance and containment of two sorted,
// unique shingle sets.
func compare(key string, a, b []uint64) Match {
	shared := intersectCount(a, b)
	shorter := min(len(a), len(b))
	m := Match{Key: key, Shared: shared, Shorter: shorter}
	if union := len(a) + len(b) - shared; union > 0 {
		m.Resemblance = float64(shared) / float64(union)
	}
	if shorter > 0 {
		m.Containment = float64(shared) / float64(shorter)
	}
	return m
}

// bandKeys returns the distinct bucket keys of doc's signature and lead
// signature. Both go into one table, so a summary's signature meets an
// article's lead signature and the other way round.
func (ix *Index) bandKeys(doc Doc) []uint64 {
	keys := make([]uint64, 0, 2*ix.bands)
	keys = ix.appendBands(keys, doc.Signature)
	keys = ix.appendBands(keys, doc.Lead)
	return sortedSet(keys)
}

func (ix *Index) appendBands(keys []uint64, sig []uint32) []uint64 {
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

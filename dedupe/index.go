package dedupe

import (
	"errors"
	"strings"
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
	// Estimated: Resemblance, Containment and Shared are estimates from the
	// entry's sketch (see sketch.go), whose bounds settle the outcome;
	// otherwise they are exact.
	Estimated bool
}

// score ranks candidates: the larger of resemblance and containment, where
// containment counts only when the shorter side is long enough to pass.
func (m Match) score() float64 {
	if m.Shorter >= MinContainmentShingles && m.Containment > m.Resemblance {
		return m.Containment
	}
	return m.Resemblance
}

// ShingleLoader returns the shingle set (sorted, unique) that the entry
// filed under key was added with. An Index calls it to verify a candidate
// whose set it does not keep in memory.
type ShingleLoader func(key string) ([]uint64, error)

// IndexOptions tune an Index beyond its Config.
type IndexOptions struct {
	// Shingles loads the shingle set of an entry for exact verification.
	// When it is set, the index keeps in memory only the shingle sets of
	// permanent entries and of the Recent most recently added ones, and
	// for every entry its keys and a sketch of its set (see sketch.go),
	// from which a candidate is judged; the loader is asked only where the
	// sketch cannot settle the outcome. When it is nil, every set stays in
	// memory and every candidate is compared exactly.
	Shingles ShingleLoader
	// Recent is how many of the most recently added entries keep their
	// shingle sets in memory when Shingles is set (default 4096). The loader
	// is never asked for these, so it need not see entries written in a
	// transaction that has not committed yet.
	Recent int
	// Capacity is the number of entries to reserve room for.
	Capacity int
}

// DefaultRecent is the default IndexOptions.Recent.
const DefaultRecent = 4096

// ErrNoLoader is returned by AddEncoded on an index without a ShingleLoader:
// an entry filed without its shingle set could never be verified.
var ErrNoLoader = errors.New("dedupe: index has no shingle loader")

// Index finds near-duplicate candidates among seeds and stories and verifies
// them against their shingle sets, exactly when the sets are in memory and
// else on their sketches (Index.verify). Candidates come from two sources:
// LSH banding of signatures and lead signatures (similar texts, and a
// summary against the lead of its article), and postings of a fixed 1-in-8
// sample of shingle hashes (a text contained in a longer one wherever it
// starts, such as a wire write-through with a new first paragraph, which
// banding misses because its Jaccard similarity is low). It is safe for
// concurrent use.
//
// The index is compact: entries are numbered, band keys and sampled
// shingles are kept as 32-bit keys in chained hash tables whose links are
// entry numbers, and removed entries are left as tombstones until a
// compaction rebuilds the tables. A 32-bit key that collides can only add a
// candidate, which verification then judges; it never hides one.
type Index struct {
	bands, rows     int
	stride          int // band slots per entry: 2*bands (signature and lead)
	minRes, minCont float64
	load            ShingleLoader
	recent          int

	mu    sync.Mutex
	byKey map[string]uint32

	// Per entry, by number.
	keys      []string
	at        []int64 // UnixNano; 0 for a permanent entry
	flags     []uint8
	sampStart []uint32 // first of the entry's nodes in samples; they end where the next entry's start

	// With a loader, per entry: its number of shingles and its sketch,
	// words sketch[sketchStart[e]:sketchStart[e+1]].
	size        []uint32
	sketchStart []uint32
	sketch      []uint64

	bandTab table // stride nodes per entry, entry = node / stride
	samples table // one node per sampled shingle, the entry's in a row from sampStart
	prefix  table // the entry's rarest sampled shingles (see Best), with their entry

	mem  map[uint32][]uint64 // shingle sets kept in memory
	ring []uint32            // the most recently added entries whose sets are in mem (with a loader)
	next int                 // next slot of ring

	live, dead int
	reprefixAt int  // number of entries at which the prefix table is chosen again
	pending    bool // entries were filed by AddEncoded without linking; settle links them

	scratch scratch
	stats   IndexStats
	last    struct { // the keys of the doc Best saw last, which Add is often given next
		id   docID
		keys entryKeys
	}
}

const (
	flagDead      = 1 << iota // removed: a tombstone until compaction
	flagPermanent             // added with a zero time; Prune keeps it
)

// sampled reports whether shingle h is one of the 1-in-8 kept in postings.
func sampled(h uint64) bool { return h&7 == 0 }

// sampleKey is the 32-bit key of a sampled shingle (its low three bits are
// zero, so the key takes the high half).
func sampleKey(h uint64) uint32 { return uint32(h >> 32) }

// minSharedSamples is the least number of sampled shingles a candidate from
// the postings must share with the query; it must also share at least half
// of the sampled shingles of the smaller of the two.
const minSharedSamples = 3

// NewIndex returns an empty index banding signatures as cfg says, which
// keeps every shingle set in memory.
func NewIndex(cfg Config) *Index {
	return NewIndexWith(cfg, IndexOptions{})
}

// NewIndexWith returns an empty index banding signatures as cfg says, tuned
// by opts.
func NewIndexWith(cfg Config, opts IndexOptions) *Index {
	ix := &Index{
		bands:  cfg.Bands,
		rows:   cfg.Rows,
		stride: 2 * cfg.Bands,
		minRes: cfg.MinResemblance, minCont: cfg.MinContainment,
		load:   opts.Shingles,
		recent: opts.Recent,
		byKey:  make(map[string]uint32, opts.Capacity),
		mem:    make(map[uint32][]uint64),
	}
	if ix.recent <= 0 {
		ix.recent = DefaultRecent
	}
	if ix.load != nil {
		ix.ring = make([]uint32, 0, ix.recent)
	}
	if n := opts.Capacity; n > 0 {
		ix.keys = make([]string, 0, n)
		ix.at = make([]int64, 0, n)
		ix.flags = make([]uint8, 0, n)
		ix.sampStart = make([]uint32, 0, n)
	}
	ix.samples.counted = true
	ix.prefix.owned = true
	ix.bandTab.dense, ix.samples.dense, ix.prefix.dense = true, true, true
	if n := opts.Capacity; n > 0 {
		ix.bandTab.reserve(n * ix.stride)
		ix.samples.reserve(n * 48)
	}
	return ix
}

// Add files doc under key, replacing any entry with that key. An entry added
// with a zero at is permanent: Prune never drops it. A doc without shingles
// is not added.
func (ix *Index) Add(key string, doc Doc, at time.Time) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.settle()
	var k entryKeys
	if ix.load != nil {
		k = ix.keysWithSketch(doc)
	} else {
		k = ix.keysOf(doc)
	}
	ix.remove(key)
	if len(doc.Shingles) == 0 {
		return
	}
	e := ix.file(key, k, at)
	ix.mem[e] = doc.Shingles
	if ix.load != nil && !at.IsZero() {
		ix.remember(e)
	}
	ix.maybeCompact()
}

// AddEncoded files an entry under key from the compact form EncodeKeys gave
// for its doc, replacing any entry with that key; its shingle set is loaded
// when needed. It fails on an index without a ShingleLoader and on keys
// encoded for other bands or rows (ErrStaleKeys).
func (ix *Index) AddEncoded(key string, encoded []byte, at time.Time) error {
	if ix.load == nil {
		return ErrNoLoader
	}
	k, err := ix.decodeKeys(encoded)
	if err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(key)
	if len(k.bands) == 0 {
		return nil
	}
	ix.pending = true
	ix.file(key, k, at)
	return nil
}

// file appends an entry and links its nodes; the caller holds mu and has
// removed any entry under key.
func (ix *Index) file(key string, k entryKeys, at time.Time) uint32 {
	e := uint32(len(ix.keys))
	var flags uint8
	var nanos int64
	if at.IsZero() {
		flags = flagPermanent
	} else {
		nanos = at.UnixNano()
	}
	ix.keys = append(ix.keys, key)
	ix.at = append(ix.at, nanos)
	ix.flags = append(ix.flags, flags)
	ix.byKey[key] = e
	ix.live++

	base := ix.bandTab.grow(ix.stride)
	for i := range ix.stride {
		switch {
		case i >= len(k.bands):
			ix.bandTab.unused(base + i)
		case ix.pending:
			ix.bandTab.put(base+i, k.bands[i], 0)
		default:
			ix.bandTab.set(base+i, k.bands[i], 0)
		}
	}
	ix.sampStart = append(ix.sampStart, uint32(len(ix.samples.nodes)))
	if ix.load != nil {
		ix.size = append(ix.size, uint32(k.size))
		ix.sketchStart = append(ix.sketchStart, uint32(len(ix.sketch)))
		ix.sketch = append(ix.sketch, k.sketch...)
	}
	base = ix.samples.grow(len(k.samples))
	if ix.pending {
		for i, s := range k.samples {
			ix.samples.put(base+i, s, e)
		}
		return e
	}
	pre := ix.rarest(k.samples, prefixLen(len(k.samples)))
	for i, s := range k.samples {
		ix.samples.set(base+i, s, e)
	}
	base = ix.prefix.grow(len(pre))
	for i, s := range pre {
		ix.prefix.set(base+i, s, e)
	}
	if len(ix.keys) >= ix.reprefixAt {
		ix.reprefix()
	}
	return e
}

// Settle links the entries AddEncoded filed, which Best, Add, Remove and
// Prune otherwise do when first called; a caller that wants the cost paid
// while it starts up calls it after the last AddEncoded.
func (ix *Index) Settle() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.settle()
}

// settle links the entries AddEncoded filed: all the nodes at once, which
// walks memory in order instead of at random, and the prefixes chosen with
// every chain length known. The caller holds mu.
func (ix *Index) settle() {
	if !ix.pending {
		return
	}
	ix.pending = false
	// The band table is the largest; it is linked while the other two are.
	done := make(chan struct{})
	go func() {
		defer close(done)
		ix.bandTab.rehash(len(ix.bandTab.nodes))
	}()
	ix.samples.rehash(len(ix.samples.nodes))
	ix.reprefix()
	<-done
}

// remember keeps e's shingle set in memory as one of the most recent,
// forgetting the set of the oldest of them.
func (ix *Index) remember(e uint32) {
	if len(ix.ring) < ix.recent {
		ix.ring = append(ix.ring, e)
		return
	}
	if old := ix.ring[ix.next]; ix.flags[old]&flagPermanent == 0 {
		delete(ix.mem, old)
	}
	ix.ring[ix.next] = e
	ix.next = (ix.next + 1) % ix.recent
}

// Remove drops the entry filed under key, if any.
func (ix *Index) Remove(key string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.settle()
	ix.remove(key)
	ix.maybeCompact()
}

// remove makes the entry under key a tombstone; the caller holds mu.
func (ix *Index) remove(key string) {
	e, ok := ix.byKey[key]
	if !ok {
		return
	}
	delete(ix.byKey, key)
	ix.kill(e)
}

func (ix *Index) kill(e uint32) {
	ix.flags[e] |= flagDead
	ix.keys[e] = ""
	delete(ix.mem, e) // the ring may still name e: forgetting it again is harmless
	ix.live--
	ix.dead++
}

// Len returns the number of entries.
func (ix *Index) Len() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.live
}

// Prune drops the non-permanent entries added with a time before before and
// returns how many it dropped.
func (ix *Index) Prune(before time.Time) int { return ix.PrunePrefix("", before) }

// PrunePrefix drops the non-permanent entries whose key starts with prefix
// added with a time before before, and returns how many it dropped: a
// kind of entry the caller keeps for a shorter window than the others.
func (ix *Index) PrunePrefix(prefix string, before time.Time) int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.settle()
	limit := before.UnixNano()
	n := 0
	for e, t := range ix.at {
		if ix.flags[e]&(flagDead|flagPermanent) == 0 && t < limit && strings.HasPrefix(ix.keys[e], prefix) {
			delete(ix.byKey, ix.keys[e])
			ix.kill(uint32(e))
			n++
		}
	}
	ix.maybeCompact()
	return n
}

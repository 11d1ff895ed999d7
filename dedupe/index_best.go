package dedupe

import (
	"slices"
	"sort"
)

// scratch is the per-query state of Best, kept between calls so that a query
// allocates nothing in proportion to the index.
type scratch struct {
	mark    []uint8  // per entry: markCand, markSeen
	touched []uint32 // entries whose mark is set
	cands   []uint32
	query   []uint32 // the query's sample keys, sorted
	filter  [filterWords]uint64
	byLen   []uint64
	cur     []uint32 // chain walks
	found   []uint32
	qprobes []uint64 // the query's sketch probes (verify)
	judged  []cand
}

// filterWords is the size of the bit filter of the query's sample keys that
// spares most binary searches when an entry's samples are counted.
const filterWords = 16

const (
	markCand = 1 << iota // a candidate
	markSeen             // met on a sample chain: its shared samples are to be counted
)

func (s *scratch) fit(n int) {
	if len(s.mark) < n {
		s.mark = append(s.mark, make([]uint8, n-len(s.mark))...)
	}
}

func (s *scratch) touch(e uint32, m uint8) {
	if s.mark[e] == 0 {
		s.touched = append(s.touched, e)
	}
	s.mark[e] |= m
}

func (s *scratch) reset() {
	for _, e := range s.touched {
		s.mark[e] = 0
	}
	s.touched, s.cands = s.touched[:0], s.cands[:0]
}

// need is the least number of sampled shingles two texts with a and b of
// them must share for the one to be a candidate of the other from the
// postings: minSharedSamples, and half of the smaller count.
func need(a, b int) int { return max(minSharedSamples, (min(a, b)+1)/2) }

// prefixLen is how many of an entry's n sampled shingles go into the prefix
// table: any n-need(n, n)+1 of them include one that a query sharing need
// of them shares (pigeonhole), so an entry with no more samples than the
// query is met on the prefix chain of a shared shingle.
func prefixLen(n int) int { return max(0, n-need(n, n)+1) }

// rarest returns the n keys of ks whose sample chains are shortest now. Any
// n of them would do for the pigeonhole argument; the rarest make the
// shortest chains.
func (ix *Index) rarest(ks []uint32, n int) []uint32 {
	if n >= len(ks) {
		return ks
	}
	if n <= 0 {
		return nil
	}
	byLen := ix.scratch.byLen[:0]
	for _, k := range ks {
		byLen = append(byLen, uint64(ix.samples.chainLen(k))<<32|uint64(k))
	}
	selectSmallest(byLen, n)
	out := make([]uint32, n)
	for i := range out {
		out[i] = uint32(byLen[i])
	}
	ix.scratch.byLen = byLen
	return out
}

// selectSmallest moves the n smallest values of v to its front, in no
// particular order (quickselect).
func selectSmallest(v []uint64, n int) {
	lo, hi := 0, len(v)-1
	for lo < hi {
		p := v[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for v[i] < p {
				i++
			}
			for v[j] > p {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case n-1 <= j:
			hi = j
		case n-1 >= i:
			lo = i
		default:
			return
		}
	}
}

// Best returns the best verified candidate for doc: the one with the highest
// resemblance or (guarded) containment, ties going to the smaller key. It
// reports false when LSH finds no candidate sharing a shingle with doc. The
// match may be below the thresholds; Config.IsNearDuplicate decides. When
// the shingle loader fails for a candidate, Best returns its error rather
// than a match found on partial evidence.
//
// The candidates are the entries sharing a band with doc, and the entries
// sharing at least need(q, e) sampled shingles with it, where q and e are
// the numbers of sampled shingles of doc and of the entry. The latter are
// found without walking the long chains of stock phrases, by prefix
// filtering: an entry with at most q samples shares one of its prefix (see
// prefixLen) with doc, so it is met on the prefix table chains of doc's
// samples; an entry with more than q shares with doc one of any
// q-need(q, q)+1 of doc's samples, so it is met on the sample table chains
// of doc's rarest ones. Every entry met is then counted exactly, from its
// own samples. The candidates are exactly those of counting every chain.
func (ix *Index) Best(doc Doc) (Match, bool, error) {
	if len(doc.Shingles) == 0 {
		return Match{}, false, nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.settle()
	k := ix.keysOf(doc)
	s := &ix.scratch
	s.fit(len(ix.keys))
	defer s.reset()

	s.cur, s.found = ix.bandTab.find(k.bands, s.cur, s.found[:0])
	for _, id := range s.found {
		e := id / uint32(ix.stride)
		if ix.flags[e]&flagDead == 0 && s.mark[e]&markCand == 0 {
			s.touch(e, markCand)
			s.cands = append(s.cands, e)
		}
	}

	sq := len(k.samples)
	s.cur, s.found = ix.prefix.find(k.samples, s.cur, s.found[:0])
	for _, id := range s.found {
		if e := ix.prefix.ents[id]; ix.flags[e]&flagDead == 0 && s.mark[e] == 0 {
			s.touch(e, markSeen)
			ix.stats.MetPrefix++
		}
	}
	s.cur, s.found = ix.samples.find(ix.rarest(k.samples, prefixLen(sq)), s.cur, s.found[:0])
	for _, id := range s.found {
		e := ix.sampleOwner(id)
		if ix.flags[e]&flagDead == 0 && s.mark[e] == 0 && ix.sampleCount(e) > sq {
			s.touch(e, markSeen)
			ix.stats.MetRare++
		}
	}
	s.query = append(s.query[:0], k.samples...)
	slices.Sort(s.query)
	s.filter = [filterWords]uint64{}
	for _, key := range s.query {
		s.filter[key>>6%filterWords] |= 1 << (key & 63)
	}
	for _, e := range s.touched {
		if s.mark[e]&markCand != 0 {
			continue
		}
		want := need(sq, ix.sampleCount(e))
		if ix.shared(e, want) >= want {
			s.mark[e] |= markCand
			s.cands = append(s.cands, e)
		}
	}

	ix.stats.Queries++
	ix.stats.Met += len(s.touched)
	ix.stats.Candidates += len(s.cands)
	return ix.verify(doc, s.cands)
}

// IndexStats count what Best did since the index was made.
type IndexStats struct {
	Queries     int // calls of Best with shingles
	Met         int // entries met on band and sample chains
	MetPrefix   int // entries met on the prefix chains of the query's samples
	MetRare     int // entries met on the sample chains of the query's rarest samples
	Candidates  int // candidates verified
	Estimated   int // candidates judged on their sketch
	Uncertain   int // of them, verified exactly because their bounds fell on both sides of a threshold
	Ranked      int // pairs of candidates verified exactly because they could change places
	Loads       int // shingle sets loaded through the ShingleLoader
	Compactions int // rebuilds that dropped tombstones
}

// Stats returns what Best did since the index was made.
func (ix *Index) Stats() IndexStats {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.stats
}

// shared counts, for every sample key of the query, the samples of entry e
// with that key: the number of sampled shingles they share. It stops early
// once the count cannot reach want.
func (ix *Index) shared(e uint32, want int) int {
	s := &ix.scratch
	n := 0
	start, end := ix.sampleRange(e)
	nodes := ix.samples.nodes[start:end]
	for i, nd := range nodes {
		if n+len(nodes)-i < want {
			return n
		}
		if s.filter[nd.key>>6%filterWords]&(1<<(nd.key&63)) == 0 {
			continue
		}
		j, found := slices.BinarySearch(s.query, nd.key)
		for ; found && j < len(s.query) && s.query[j] == nd.key; j++ {
			n++
		}
	}
	return n
}

// sampleOwner returns the entry that sample table node id belongs to.
func (ix *Index) sampleOwner(id uint32) uint32 {
	return uint32(sort.Search(len(ix.sampStart), func(i int) bool { return ix.sampStart[i] > id }) - 1)
}

// sampleRange returns the nodes of entry e in the sample table.
func (ix *Index) sampleRange(e uint32) (start, end uint32) {
	start, end = ix.sampStart[e], uint32(len(ix.samples.nodes))
	if int(e)+1 < len(ix.sampStart) {
		end = ix.sampStart[e+1]
	}
	return start, end
}

// sampleCount returns the number of sampled shingles of entry e.
func (ix *Index) sampleCount(e uint32) int {
	start, end := ix.sampleRange(e)
	return int(end - start)
}

package dedupe

// scratch is the per-query state of Best, kept between calls so that a query
// allocates nothing in proportion to the index.
type scratch struct {
	hits    []uint16 // per entry: sampled shingles it shares with the query, as counted so far
	mark    []uint8  // per entry: markCand, markHit, markHot
	touched []uint32 // entries whose mark is set
	cands   []uint32
	hot     []uint32
}

const (
	markCand = 1 << iota // a candidate
	markHit              // shares a sampled shingle on a chain that was walked: hits is exact
	markHot              // reached only through hot chains
)

func (s *scratch) fit(n int) {
	if len(s.mark) < n {
		s.mark = append(s.mark, make([]uint8, n-len(s.mark))...)
		s.hits = append(s.hits, make([]uint16, n-len(s.hits))...)
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
		s.mark[e], s.hits[e] = 0, 0
	}
	s.touched, s.cands, s.hot = s.touched[:0], s.cands[:0], s.hot[:0]
}

// Best returns the best verified candidate for doc: the one with the highest
// resemblance or (guarded) containment, ties going to the smaller key. It
// reports false when LSH finds no candidate sharing a shingle with doc. The
// match may be below the thresholds; Config.IsNearDuplicate decides.
//
// The candidates are the entries sharing a band with doc, and the entries
// sharing at least minSharedSamples sampled shingles with it, and at least
// half of the sampled shingles of the smaller of the two. Counting the
// latter walks the table chains of doc's sampled shingles, except hot ones
// (stock phrases shared by many stories): for an entry met on another chain
// their share is counted from the entry's own samples, and an entry met on
// none can only qualify through hot ones when doc has at least three, and
// then only if it has at most twice as many samples as doc has hot ones, or
// doc itself has (so the short table, or in the last case every chain, is
// walked for them). The candidates are exactly those of walking every chain.
func (ix *Index) Best(doc Doc) (Match, bool) {
	if len(doc.Shingles) == 0 {
		return Match{}, false
	}
	k := ix.entryKeys(doc)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	s := &ix.scratch
	s.fit(len(ix.keys))
	defer s.reset()

	for _, key := range k.bands {
		t := &ix.bandTab
		for id := t.first(key); id != 0; id = t.nodes[id-1].next {
			if t.nodes[id-1].key != key {
				continue
			}
			e := (id - 1) / uint32(ix.stride)
			if ix.flags[e]&flagDead == 0 && s.mark[e]&markCand == 0 {
				s.touch(e, markCand)
				s.cands = append(s.cands, e)
			}
		}
	}

	t := &ix.samples
	for _, key := range k.samples {
		if t.chainLen(key) >= ix.hotChain {
			s.hot = append(s.hot, key)
			continue
		}
		ix.countChain(t, key, markHit)
	}
	if len(s.hot) > 0 {
		for _, e := range s.touched {
			if s.mark[e]&markHit != 0 {
				s.hits[e] += uint16(ix.sharedHot(e, s.hot))
			}
		}
	}
	sq := len(k.samples)
	ix.stats.Queries++
	if len(s.hot) > 0 {
		ix.stats.HotQueries++
	}
	if h := len(s.hot); h >= minSharedSamples {
		t := &ix.shortTab
		ix.stats.ShortWalks++
		if sq <= 2*h || 2*h > shortSamples {
			t = &ix.samples
			ix.stats.ShortWalks--
			ix.stats.FullWalks++
		}
		for _, key := range s.hot {
			ix.countChain(t, key, markHot)
		}
	}
	for _, e := range s.touched {
		if s.mark[e]&markCand != 0 {
			continue
		}
		n := int(s.hits[e])
		if n >= minSharedSamples && 2*n >= min(sq, ix.sampleCount(e)) {
			s.mark[e] |= markCand
			s.cands = append(s.cands, e)
		}
	}

	ix.stats.Candidates += len(s.cands)
	var best Match
	found := false
	for _, e := range s.cands {
		sh, ok := ix.shingles(e)
		if !ok {
			continue
		}
		m := compare(ix.keys[e], doc.Shingles, sh)
		if m.Shared == 0 {
			continue
		}
		if !found || m.score() > best.score() || m.score() == best.score() && m.Key < best.Key {
			best, found = m, true
		}
	}
	return best, found
}

// countChain adds one hit to every live entry filed under key in t, marking
// it with m; entries marked markHit are skipped when m is markHot, their
// count being exact already.
func (ix *Index) countChain(t *table, key uint32, m uint8) {
	s := &ix.scratch
	for id := t.first(key); id != 0; id = t.nodes[id-1].next {
		if t.nodes[id-1].key != key {
			continue
		}
		e := t.ents[id-1]
		if ix.flags[e]&flagDead != 0 || m == markHot && s.mark[e]&markHit != 0 {
			continue
		}
		s.touch(e, m)
		s.hits[e]++
	}
}

// IndexStats count what Best did since the index was made.
type IndexStats struct {
	Queries     int // calls of Best with shingles
	Candidates  int // candidates verified
	Loads       int // shingle sets loaded through the ShingleLoader
	HotQueries  int // queries that had hot chains
	ShortWalks  int // queries that walked hot chains in the short table
	FullWalks   int // queries that walked hot chains in full
	Compactions int // rebuilds that dropped tombstones
}

// Stats returns what Best did since the index was made.
func (ix *Index) Stats() IndexStats {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.stats
}

// sharedHot counts the sampled shingles of entry e whose keys are in hot.
func (ix *Index) sharedHot(e uint32, hot []uint32) int {
	n := 0
	start, end := ix.sampleRange(e)
	for _, nd := range ix.samples.nodes[start:end] {
		for _, h := range hot {
			if nd.key == h {
				n++
			}
		}
	}
	return n
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

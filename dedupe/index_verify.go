package dedupe

import (
	"fmt"
	"math"
)

// cand is a candidate of Best with its match and the bounds of the number
// of shingles it shares with the query; exact when they come from the two
// shingle sets rather than the entry's sketch.
type cand struct {
	e       uint32
	m       Match
	lo, hi  int
	q, size int // shingles of the query and of the entry
	exact   bool
}

// verify returns the best of the candidates ents for doc, as comparing
// every one exactly would: the highest score, ties going to the smaller
// key. A candidate whose shingle set is in memory is compared exactly; any
// other is judged on its sketch, and verified exactly against its loaded
// set only when the estimate cannot settle the outcome: when its bounds
// fall on both sides of a threshold, or when it and the best so far could
// change places and either would pass. The caller holds mu.
func (ix *Index) verify(doc Doc, ents []uint32) (Match, bool, error) {
	s := &ix.scratch
	s.qprobes = s.qprobes[:0]
	cs := s.judged[:0]
	defer func() { s.judged = cs[:0] }()
	for _, e := range ents {
		c, err := ix.judge(doc, e)
		if err != nil {
			return Match{}, false, err
		}
		if c.hi > 0 {
			cs = append(cs, c)
		}
	}
	for {
		t := topCand(cs)
		if t < 0 {
			return Match{}, false, nil
		}
		r := ix.rival(cs, t)
		if r < 0 {
			return cs[t].m, true, nil
		}
		ix.stats.Ranked++
		for _, i := range [2]int{t, r} {
			if !cs[i].exact {
				if err := ix.exactly(doc, &cs[i]); err != nil {
					return Match{}, false, err
				}
			}
		}
	}
}

// topCand returns the candidate with the highest score (ties: the smaller
// key), or -1 when there is none.
func topCand(cs []cand) int {
	t := -1
	for i := range cs {
		if t < 0 {
			t = i
			continue
		}
		a, b := cs[i].m.score(), cs[t].m.score()
		if a > b || a == b && cs[i].m.Key < cs[t].m.Key {
			t = i
		}
	}
	return t
}

// rival returns a candidate that is not known exactly, or whose top is not,
// and that could outscore the top candidate t where the outcome would
// differ (either of them passes the thresholds); -1 when none can.
func (ix *Index) rival(cs []cand, t int) int {
	top := &cs[t]
	floor := ix.matchAt(top, float64(top.lo)).score()
	topPasses := ix.passes(ix.matchAt(top, float64(top.hi)))
	for i := range cs {
		c := &cs[i]
		if i == t || c.exact && top.exact {
			continue
		}
		best := ix.matchAt(c, float64(c.hi))
		if best.score() >= floor && (topPasses || ix.passes(best)) {
			return i
		}
	}
	return -1
}

// judge compares doc with entry e: exactly when its shingle set is in
// memory or it has no sketch, else on its sketch, and then exactly too when
// the sketch's bounds fall on both sides of a threshold.
func (ix *Index) judge(doc Doc, e uint32) (cand, error) {
	c := cand{e: e}
	if sh, ok := ix.mem[e]; ok {
		c.m = compare(ix.keys[e], doc.Shingles, sh)
		c.lo, c.hi, c.exact = c.m.Shared, c.m.Shared, true
		return c, nil
	}
	f := ix.sketchOf(e)
	if f == nil {
		return c, ix.exactly(doc, &c)
	}
	ix.stats.Estimated++
	q := ix.queryProbes(doc)
	c.q, c.size = len(q), int(ix.size[e])
	est, lo, hi := sharedBounds(sketchHits(f, q), c.q, c.size, falsePositiveRate(f))
	c.m = Match{Key: ix.keys[e], Estimated: true}
	c.lo, c.hi = lo, hi
	c.m = ix.matchAt(&c, est)
	if ix.passes(ix.matchAt(&c, float64(lo))) != ix.passes(ix.matchAt(&c, float64(hi))) {
		ix.stats.Uncertain++
		return c, ix.exactly(doc, &c)
	}
	return c, nil
}

// exactly compares doc with c's entry against its shingle set, loaded.
func (ix *Index) exactly(doc Doc, c *cand) error {
	sh, ok, err := ix.shingles(c.e)
	if err != nil {
		return err
	}
	if !ok {
		sh = nil
	}
	c.m = compare(ix.keys[c.e], doc.Shingles, sh)
	c.lo, c.hi, c.exact = c.m.Shared, c.m.Shared, true
	return nil
}

// matchAt returns c's match were it to share shared shingles with the
// query.
func (ix *Index) matchAt(c *cand, shared float64) Match {
	if c.exact {
		return c.m
	}
	m := c.m
	q, e := c.q, c.size
	m.Shared = int(math.Round(shared))
	m.Shorter = min(q, e)
	m.Resemblance, m.Containment = 0, 0
	if union := float64(q+e) - shared; union > 0 {
		m.Resemblance = shared / union
	}
	if m.Shorter > 0 {
		m.Containment = shared / float64(m.Shorter)
	}
	return m
}

// passes reports whether m passes the thresholds of the index's Config.
func (ix *Index) passes(m Match) bool {
	return m.Resemblance >= ix.minRes || m.Containment >= ix.minCont && m.Shorter >= MinContainmentShingles
}

// queryProbes returns the probe hashes of doc's shingles, computed once per
// query; the caller holds mu.
func (ix *Index) queryProbes(doc Doc) []uint64 {
	s := &ix.scratch
	if len(s.qprobes) == 0 {
		for _, h := range doc.Shingles {
			a, b := probes(h)
			s.qprobes = append(s.qprobes, uint64(b)<<32|uint64(a))
		}
	}
	return s.qprobes
}

// sketchOf returns the sketch of entry e, nil when it has none.
func (ix *Index) sketchOf(e uint32) []uint64 {
	if int(e) >= len(ix.sketchStart) {
		return nil
	}
	start, end := ix.sketchStart[e], uint32(len(ix.sketch))
	if int(e)+1 < len(ix.sketchStart) {
		end = ix.sketchStart[e+1]
	}
	if start == end {
		return nil
	}
	return ix.sketch[start:end]
}

// shingles returns the shingle set of entry e from memory or the loader
// (nil, false without either); the caller holds mu.
func (ix *Index) shingles(e uint32) ([]uint64, bool, error) {
	if s, ok := ix.mem[e]; ok {
		return s, true, nil
	}
	if ix.load == nil {
		return nil, false, nil
	}
	ix.stats.Loads++
	s, err := ix.load(ix.keys[e])
	if err != nil {
		return nil, false, fmt.Errorf("dedupe: verify candidate %s: %w", ix.keys[e], err)
	}
	return s, true, nil
}

// Similarity returns the exact resemblance (Jaccard) and containment (of
// the smaller in the larger) of two sorted, unique shingle sets, and the
// size of the smaller.
func Similarity(a, b []uint64) (resemblance, containment float64, shorter int) {
	m := compare("", a, b)
	return m.Resemblance, m.Containment, m.Shorter
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

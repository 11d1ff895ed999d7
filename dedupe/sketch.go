package dedupe

import (
	"math"
	"math/bits"
)

// An entry's sketch is a Bloom filter of its shingle set, sketchBits bits
// per shingle probed sketchProbes times: a query, whose own shingle set is
// at hand, counts how many of its shingles the filter holds. A filter has
// no false negatives, so that count c bounds the shingles the two share
// from above; each query shingle the entry lacks is counted with the
// filter's false-positive rate f = (bits set / bits)^sketchProbes (about
// 0.056 at 6 bits and 4 probes), so the shared count is c less a binomial
// number of false positives. The index estimates it as (c − f·q)/(1 − f)
// for a query of q shingles and bounds it from below by c less f·q plus
// sketchZ standard deviations plus one; resemblance and containment follow
// from the shared count and the two set sizes, which are exact. A
// candidate whose bounds fall on both sides of a threshold is verified
// exactly (see Index.verify).
const (
	sketchBits   = 6
	sketchProbes = 4
	sketchZ      = 4
	sketchSeed   = 0x5bd1e9955bd1e995
)

// sketchWords returns the number of 64-bit words of the sketch of a set of
// n shingles.
func sketchWords(n int) int { return max(1, (n*sketchBits+63)/64) }

// probes returns the two hashes from which the filter positions of shingle
// h are derived (double hashing).
func probes(h uint64) (a, b uint32) {
	x := mix64(h ^ sketchSeed)
	return uint32(x), uint32(x>>32) | 1
}

// newSketch returns the filter of a shingle set.
func newSketch(shingles []uint64) []uint64 {
	f := make([]uint64, sketchWords(len(shingles)))
	m := uint64(len(f)) * 64
	for _, h := range shingles {
		a, b := probes(h)
		for i := range uint32(sketchProbes) {
			p := (uint64(a+i*b) * m) >> 32
			f[p>>6] |= 1 << (p & 63)
		}
	}
	return f
}

// sketchHits counts the query shingles, given by their probe hashes, that
// filter f holds.
func sketchHits(f []uint64, q []uint64) int {
	m := uint64(len(f)) * 64
	n := 0
query:
	for _, x := range q {
		a, b := uint32(x), uint32(x>>32)
		for i := range uint32(sketchProbes) {
			p := (uint64(a+i*b) * m) >> 32
			if f[p>>6]&(1<<(p&63)) == 0 {
				continue query
			}
		}
		n++
	}
	return n
}

// falsePositiveRate returns the probability that filter f holds a shingle
// that was not put into it.
func falsePositiveRate(f []uint64) float64 {
	ones := 0
	for _, w := range f {
		ones += bits.OnesCount64(w)
	}
	return math.Pow(float64(ones)/float64(len(f)*64), sketchProbes)
}

// sharedBounds returns the estimate and the bounds of the number of
// shingles a query of q shingles shares with an entry of e shingles whose
// filter (false-positive rate f) holds hits of the query's.
func sharedBounds(hits, q, e int, f float64) (est float64, lo, hi int) {
	hi = min(hits, q, e)
	fp := f*float64(q) + sketchZ*math.Sqrt(float64(q)*f*(1-f)) + 1
	lo = max(0, hits-int(math.Ceil(fp)))
	est = (float64(hits) - f*float64(q)) / (1 - f)
	est = min(max(est, float64(lo)), float64(hi))
	return est, lo, hi
}

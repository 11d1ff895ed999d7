package dedupe

import (
	"math/bits"
	"slices"
)

// sortedSet sorts hs in place and removes repeats.
func sortedSet(hs []uint64) []uint64 {
	sortHashes(hs)
	return slices.Compact(hs)
}

// sortHashes sorts hs, which are hash values spread evenly over the 64-bit
// range, in expected linear time: one counting pass files them into about
// len(hs)/2 buckets by their top bits, then each bucket (two values on
// average) is insertion-sorted. A bucket that is unexpectedly large is
// sorted with slices.Sort, so skewed input costs no more than a comparison
// sort.
func sortHashes(hs []uint64) {
	n := len(hs)
	if n < 64 {
		slices.Sort(hs)
		return
	}
	shift := 64 - uint(bits.Len(uint(n))-1) // about n/2 buckets
	nb := 1 << (64 - shift)
	counts := make([]int32, nb+1)
	for _, h := range hs {
		counts[(h>>shift)+1]++
	}
	for i := 1; i <= nb; i++ {
		counts[i] += counts[i-1]
	}
	tmp := make([]uint64, n)
	for _, h := range hs {
		b := h >> shift
		tmp[counts[b]] = h
		counts[b]++
	}
	// counts[b] is now where bucket b ends, that is where b+1 starts.
	copy(counts[1:], counts[:nb])
	counts[0] = 0
	for b := 0; b < nb; b++ {
		lo, hi := counts[b], counts[b+1]
		bucket := tmp[lo:hi]
		if len(bucket) > 16 {
			slices.Sort(bucket)
			continue
		}
		for i := 1; i < len(bucket); i++ {
			for j := i; j > 0 && bucket[j] < bucket[j-1]; j-- {
				bucket[j], bucket[j-1] = bucket[j-1], bucket[j]
			}
		}
	}
	copy(hs, tmp)
}

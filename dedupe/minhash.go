package dedupe

import "math"

// emptyBin marks a bin that no shingle fell into. Hash values equal to it are
// lowered by one so that it stays unambiguous.
const emptyBin = math.MaxUint32

// Signature returns the MinHash signature of a set of shingle hashes with size
// values, computed by one-permutation hashing with optimal densification:
// each hash is used once, its high 32 bits choose a bin and its low 32 bits
// are the value kept when it is the bin's minimum; every bin left empty then
// borrows the value of a non-empty bin chosen by a fixed pseudo-random probe
// sequence of the empty bin's index, so that two sets agree on a bin with
// probability equal to their Jaccard similarity. An empty set gives a
// signature of all MaxUint32. The order and repeats of hashes do not matter.
func Signature(hashes []uint64, size int) []uint32 {
	sig := make([]uint32, size)
	for i := range sig {
		sig[i] = emptyBin
	}
	if len(hashes) == 0 || size == 0 {
		return sig
	}
	n := uint64(size)
	for _, h := range hashes {
		bin := ((h >> 32) * n) >> 32
		v := uint32(h)
		if v == emptyBin {
			v--
		}
		if v < sig[bin] {
			sig[bin] = v
		}
	}
	densify(sig)
	return sig
}

// densify fills the empty bins of sig from non-empty ones. The probe sequence
// of bin i depends only on i and the attempt number, never on the set, which
// is what makes filled bins of two similar sets agree.
func densify(sig []uint32) {
	filled := 0
	for _, v := range sig {
		if v != emptyBin {
			filled++
		}
	}
	if filled == len(sig) || filled == 0 {
		return
	}
	// Borrow only from bins that were filled before densification: work on
	// a copy of the original values.
	orig := make([]uint32, len(sig))
	copy(orig, sig)
	n := uint64(len(sig))
	for i, v := range orig {
		if v != emptyBin {
			continue
		}
		for attempt := uint64(1); ; attempt++ {
			j := ((mix64(uint64(i)<<32|attempt) >> 32) * n) >> 32
			if orig[j] != emptyBin {
				sig[i] = orig[j]
				break
			}
		}
	}
}

// EstimateJaccard returns the fraction of positions at which two signatures
// of the same length agree, an estimate of the Jaccard similarity of the
// sets they were computed from. Signatures of different lengths give 0.
func EstimateJaccard(a, b []uint32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(len(a))
}

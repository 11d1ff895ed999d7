package dedupe

import (
	"math/bits"

	"github.com/cespare/xxhash/v2"
)

// ShingleHashes returns the 64-bit hash of every run of k consecutive words,
// in text order (with repeats). Each word is hashed once with xxhash and the k
// word hashes of a shingle are combined in an order-sensitive way, so the
// cost is one xxhash per word whatever k is. A text with fewer than k words
// but at least one gives a single shingle of all its words; an empty text
// gives none.
func ShingleHashes(words []string, k int) []uint64 {
	if len(words) == 0 || k < 1 {
		return nil
	}
	wh := make([]uint64, len(words))
	for i, w := range words {
		wh[i] = xxhash.Sum64String(w)
	}
	return combineShingles(wh, k)
}

// combineShingles returns the shingle hashes of a text given the hashes of
// its words (see ShingleHashes).
func combineShingles(wh []uint64, k int) []uint64 {
	if len(wh) == 0 || k < 1 {
		return nil
	}
	if len(wh) < k {
		k = len(wh)
	}
	out := make([]uint64, len(wh)-k+1)
	for i := range out {
		var h uint64
		for _, x := range wh[i : i+k] {
			h = bits.RotateLeft64(h, 23) ^ x
		}
		out[i] = mix64(h ^ uint64(k))
	}
	return out
}

// Shingles returns the sorted, unique shingle hashes of words (see
// ShingleHashes).
func Shingles(words []string, k int) []uint64 {
	return sortedSet(ShingleHashes(words, k))
}

// mix64 is the 64-bit finaliser of MurmurHash3: every input bit affects
// every output bit, so the high and low halves of the result are independent
// enough to serve as bin and value in one-permutation hashing.
func mix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// intersectCount counts the values that two sorted, unique slices share.
func intersectCount(a, b []uint64) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

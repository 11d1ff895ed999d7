package dedupe

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// pairWithJaccard returns two sets of random hashes whose exact Jaccard
// similarity is shared/(shared+onlyA+onlyB).
func pairWithJaccard(r *rand.Rand, shared, onlyA, onlyB int) (a, b []uint64) {
	for range shared {
		h := r.Uint64()
		a = append(a, h)
		b = append(b, h)
	}
	for range onlyA {
		a = append(a, r.Uint64())
	}
	for range onlyB {
		b = append(b, r.Uint64())
	}
	return sortedSet(a), sortedSet(b)
}

func TestSignatureEstimateError(t *testing.T) {
	// Sizes like real bodies (a brief of ~60 shingles to a long article of
	// ~900) and Jaccard values over the whole range, including the
	// thresholds that matter.
	r := rand.New(rand.NewPCG(1, 2))
	sizes := []int{40, 60, 150, 300, 600, 900}
	jaccards := []float64{0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1}
	var sum float64
	var n int
	worst := map[float64]float64{}
	for _, size := range sizes {
		for _, j := range jaccards {
			for range 20 {
				// |A|=|B|=size, J = s/(2·size−s) → s = 2·size·J/(1+J).
				s := int(math.Round(2 * float64(size) * j / (1 + j)))
				a, b := pairWithJaccard(r, s, size-s, size-s)
				exact := float64(intersectCount(a, b)) / float64(len(a)+len(b)-intersectCount(a, b))
				est := EstimateJaccard(Signature(a, 128), Signature(b, 128))
				d := est - exact
				sum += d * d
				n++
				worst[j] = max(worst[j], math.Abs(d))
			}
		}
	}
	rmse := math.Sqrt(sum / float64(n))
	t.Logf("RMSE of the 128-value estimate over %d pairs: %.4f", n, rmse)
	for _, j := range jaccards {
		t.Logf("J=%.2f worst error %.3f", j, worst[j])
	}
	if rmse > 0.035 {
		t.Errorf("RMSE %.4f > 0.035", rmse)
	}
	if worst[0] != 0 || worst[1] != 0 {
		t.Errorf("disjoint or identical sets must estimate exactly: errors %.3f and %.3f", worst[0], worst[1])
	}
}

func TestSignatureProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	a, _ := pairWithJaccard(r, 0, 200, 0)
	sig := Signature(a, 128)
	if len(sig) != 128 {
		t.Fatalf("len = %d, want 128", len(sig))
	}
	for i, v := range sig {
		if v == emptyBin {
			t.Fatalf("bin %d left empty for a 200-element set", i)
		}
	}
	// Order and repeats do not change the signature.
	shuffled := append(slices.Clone(a), a[:50]...)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if !slices.Equal(Signature(shuffled, 128), sig) {
		t.Error("signature depends on order or repeats of the hashes")
	}
	// A tiny set still fills every bin (densification).
	for i, v := range Signature(a[:3], 128) {
		if v == emptyBin {
			t.Fatalf("bin %d left empty for a 3-element set", i)
		}
	}
	for i, v := range Signature(nil, 128) {
		if v != emptyBin {
			t.Fatalf("empty set: bin %d = %d, want MaxUint32", i, v)
		}
	}
}

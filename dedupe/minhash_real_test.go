package dedupe

import (
	"math"
	"strings"
	"testing"
)

// TestSignatureEstimateErrorRealText measures the error of the 128-value
// MinHash estimate against the exact Jaccard similarity on pairs of real
// texts: the labelled pairs of the shared corpus, and pairs built from the
// news-id articles that span the whole range of similarity (an article
// against its first lines, against itself with some lines replaced by
// another article's, and against the next, unrelated article). The root
// mean square error must stay within 0.035 on each set.
func TestSignatureEstimateErrorRealText(t *testing.T) {
	dir := sharedDir(t)
	an := newTestAnalyzer(t)
	news, err := readNewsID()
	if err != nil {
		t.Fatal(err)
	}

	type pair struct{ a, b Doc }
	var built []pair
	for i, art := range news {
		lines := nonBlank(strings.Split(art.Body, "\n"))
		if len(lines) < 4 {
			continue
		}
		other := nonBlank(strings.Split(news[(i+1)%len(news)].Body, "\n"))
		full := an.Analyze(art.Title, art.Body)
		cut := 1 + i%(len(lines)-1) // first 1 … n-1 lines
		built = append(built, pair{full, an.Analyze(art.Title, strings.Join(lines[:cut], "\n"))})
		mixed := append([]string(nil), lines...)
		for j := range mixed {
			if (i+j)%4 < 1+i%3 && j < len(other) { // replace a quarter to three quarters
				mixed[j] = other[j]
			}
		}
		built = append(built, pair{full, an.Analyze(art.Title, strings.Join(mixed, "\n"))})
		built = append(built, pair{full, an.Analyze("", strings.Join(other, "\n"))})
	}

	var labelled []pair
	docs := corpusDocs(t, dir, an)
	rows := readPairs(t, dir)
	for _, r := range rows[1:] {
		a, okA := docs[r[0]]
		b, okB := docs[r[1]]
		if okA && okB {
			labelled = append(labelled, pair{a, b})
		}
	}

	for _, set := range []struct {
		name  string
		pairs []pair
	}{{"news-id built pairs", built}, {"corpus labelled pairs", labelled}} {
		if len(set.pairs) == 0 {
			t.Fatalf("%s: no pairs", set.name)
		}
		var sq, sumJ float64
		bins := [5]struct {
			n  int
			sq float64
		}{}
		for _, p := range set.pairs {
			exact := compare("", p.a.Shingles, p.b.Shingles).Resemblance
			d := EstimateJaccard(p.a.Signature, p.b.Signature) - exact
			sq += d * d
			sumJ += exact
			bin := min(int(exact*5), 4)
			bins[bin].n++
			bins[bin].sq += d * d
		}
		rmse := math.Sqrt(sq / float64(len(set.pairs)))
		t.Logf("%s: %d pairs, mean Jaccard %.3f, RMSE %.4f", set.name, len(set.pairs), sumJ/float64(len(set.pairs)), rmse)
		for i, b := range bins {
			if b.n > 0 {
				t.Logf("  Jaccard %.1f–%.1f: %4d pairs, RMSE %.4f", float64(i)/5, float64(i+1)/5, b.n, math.Sqrt(b.sq/float64(b.n)))
			}
		}
		if rmse > 0.035 {
			t.Errorf("%s: RMSE %.4f > 0.035", set.name, rmse)
		}
	}
}

func nonBlank(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

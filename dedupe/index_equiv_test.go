package dedupe

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// equivDocs returns texts for the equivalence tests: the test texts, the
// benchmark corpus and cut, mixed and re-headlined variants of them, so
// that every kind of candidate (band, lead, sampled shingles) occurs.
func equivDocs(t *testing.T, an *Analyzer) []Doc {
	t.Helper()
	texts := loadBenchTexts(t)
	for _, name := range []string{"article.txt", "independent.txt", "offtopic.txt"} {
		texts = append(texts, benchText{Title: name, Body: readTestdata(t, name)})
	}
	if len(texts) > 400 {
		texts = texts[:400]
	}
	var docs []Doc
	for i, tx := range texts {
		lines := nonBlank(strings.Split(tx.Body, "\n"))
		docs = append(docs, an.Analyze(tx.Title, tx.Body))
		if len(lines) < 2 {
			continue
		}
		other := nonBlank(strings.Split(texts[(i+7)%len(texts)].Body, "\n"))
		docs = append(docs,
			an.Analyze(tx.Title, lines[0]),
			an.Analyze(tx.Title, strings.Join(lines[:len(lines)/2+1], "\n")),
			an.Analyze("", "Pengantar baru dari redaksi lain.\n"+strings.Join(lines[len(lines)/3:], "\n")),
			an.Analyze(tx.Title, strings.Join(append(slices.Clone(lines[:len(lines)/2]), other...), "\n")))
	}
	return docs
}

// stockDocs returns docs made of few words, so that shingles repeat across
// many of them and the sample table has hot chains, long and short.
func stockDocs(an *Analyzer, n int) []Doc {
	r := rand.New(rand.NewPCG(7, 8))
	docs := make([]Doc, n)
	for i := range docs {
		var b strings.Builder
		words := 20 + r.IntN(300)
		if i%3 == 0 {
			words = 12 + r.IntN(60) // short: a summary
		}
		for range words {
			if r.IntN(8) == 0 {
				fmt.Fprintf(&b, "u%d ", r.IntN(100000))
			} else {
				fmt.Fprintf(&b, "s%d ", r.IntN(8))
			}
		}
		docs[i] = an.Analyze("", b.String())
	}
	return docs
}

// TestIndexMatchesReference streams docs through the compact Index (with and
// without a shingle loader, with compactions) and through the reference
// index, querying before adding as the pipeline does and pruning and
// replacing entries on the way. Every Best must be identical to the
// reference's when it is exact (always without a loader); one estimated
// from a sketch must take the same decision (see sameOutcome), and the
// estimates' error is bounded.
func TestIndexMatchesReference(t *testing.T) {
	an := newTestAnalyzer(t)
	docs := append(equivDocs(t, an), stockDocs(an, 1500)...)
	r := rand.New(rand.NewPCG(1, 1))
	r.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	t.Logf("%d docs", len(docs))

	for _, mode := range []string{"in memory", "loader"} {
		t.Run(mode, func(t *testing.T) {
			cfg := DefaultConfig()
			ref := newRefIndex(cfg)
			stored := map[string][]uint64{}
			loads := 0
			opts := IndexOptions{}
			if mode != "in memory" {
				opts = IndexOptions{Recent: 16, Shingles: func(key string) ([]uint64, error) {
					loads++
					s, ok := stored[key]
					if !ok {
						return nil, errors.New("no such key " + key)
					}
					return s, nil
				}}
			}
			ix := NewIndexWith(cfg, opts)
			var errs estimateErrors
			r := rand.New(rand.NewPCG(2, 2))
			start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			for i, d := range docs {
				now := start.Add(time.Duration(i) * time.Minute)
				got, gotOK := mustBest(t, ix, d)
				want, wantOK := ref.Best(d)
				if !sameOutcome(cfg, got, gotOK, want, wantOK) {
					t.Fatalf("doc %d: Best = %+v, %v; reference %+v, %v", i, got, gotOK, want, wantOK)
				}
				if got.Estimated && got.Key == want.Key {
					errs.add(got, want)
				}
				key := fmt.Sprintf("story:%d", i)
				at := now
				switch {
				case i%50 == 0:
					at = time.Time{} // permanent, like a seed
				case i%17 == 0 && i > 0:
					key = fmt.Sprintf("story:%d", i-1) // replaces an entry
				}
				if i%5 == 1 && mode != "in memory" {
					if err := ix.AddEncoded(key, ix.EncodeKeys(d), at); err != nil {
						t.Fatal(err)
					}
				} else {
					ix.Add(key, d, at)
				}
				stored[key] = d.Shingles
				ref.Add(key, d, at)
				switch {
				case i%97 == 0:
					cut := now.Add(-300 * time.Minute)
					if a, b := ix.Prune(cut), ref.Prune(cut); a != b {
						t.Fatalf("doc %d: Prune dropped %d, reference %d", i, a, b)
					}
				case i%13 == 0:
					k := fmt.Sprintf("story:%d", r.IntN(i+1))
					ix.Remove(k)
					ref.Remove(k)
				case i%400 == 0:
					ix.mu.Lock()
					ix.compact()
					ix.mu.Unlock()
				}
				if ix.Len() != ref.Len() {
					t.Fatalf("doc %d: Len = %d, reference %d", i, ix.Len(), ref.Len())
				}
			}
			st := ix.Stats()
			t.Logf("%+v; %d loads", st, loads)
			errs.check(t)
			if mode != "in memory" && st.Estimated == 0 {
				t.Error("no candidate was judged on its sketch: the test does not exercise them")
			}
			if st.Compactions == 0 {
				t.Error("no compaction: the test does not exercise them")
			}
		})
	}
}

func TestSelectSmallest(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, size := range []int{1, 2, 3, 10, 48, 200} {
		for n := 1; n <= size; n++ {
			v := make([]uint64, size)
			for i := range v {
				v[i] = uint64(r.IntN(size)) // repeats
			}
			want := slices.Clone(v)
			slices.Sort(want)
			selectSmallest(v, n)
			got := slices.Clone(v[:n])
			slices.Sort(got)
			if !slices.Equal(got, want[:n]) {
				t.Fatalf("size %d, n %d: %v, want %v", size, n, got, want[:n])
			}
		}
	}
}

// sameOutcome reports whether the index's Best (got) decides as the
// reference's (want) does: it passes the thresholds exactly when the
// reference's does, with the same key when it does; and a match that is
// exact and of the same candidate is identical. Below the thresholds the
// closest candidate may differ from the reference's when it is chosen on
// estimates, and an estimate may name a candidate that shares no shingle
// (the sketch's false positives), which the reference does not report.
func sameOutcome(cfg Config, got Match, gotOK bool, want Match, wantOK bool) bool {
	if !got.Estimated && got.Key == want.Key && (got != want || gotOK != wantOK) {
		return false
	}
	if !wantOK || !cfg.IsNearDuplicate(want) {
		return !gotOK || !cfg.IsNearDuplicate(got)
	}
	return gotOK && got.Key == want.Key && cfg.IsNearDuplicate(got)
}

// estimateErrors gathers the errors of estimated matches against the exact
// ones of the same candidate.
type estimateErrors struct {
	n               int
	sumRes, sumCont float64
	maxRes, maxCont float64
}

func (e *estimateErrors) add(got, want Match) {
	dr, dc := got.Resemblance-want.Resemblance, got.Containment-want.Containment
	e.n++
	e.sumRes += dr * dr
	e.sumCont += dc * dc
	e.maxRes, e.maxCont = max(e.maxRes, math.Abs(dr)), max(e.maxCont, math.Abs(dc))
}

// check logs the errors and fails when their root mean square exceeds 0.05
// (the sketch's false positives, corrected for, leave about 0.01–0.03).
func (e *estimateErrors) check(t *testing.T) {
	if e.n == 0 {
		return
	}
	rmsRes, rmsCont := math.Sqrt(e.sumRes/float64(e.n)), math.Sqrt(e.sumCont/float64(e.n))
	t.Logf("%d estimated matches: RMSE resemblance %.4f (max %.4f), containment %.4f (max %.4f)", e.n, rmsRes, e.maxRes, rmsCont, e.maxCont)
	if rmsRes > 0.05 || rmsCont > 0.05 {
		t.Errorf("estimates too far from the exact figures: RMSE resemblance %.4f, containment %.4f (want ≤ 0.05)", rmsRes, rmsCont)
	}
}

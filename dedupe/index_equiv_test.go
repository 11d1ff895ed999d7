package dedupe

import (
	"errors"
	"fmt"
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
// replacing entries on the way, and requires every Best to be identical.
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
			r := rand.New(rand.NewPCG(2, 2))
			start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			for i, d := range docs {
				now := start.Add(time.Duration(i) * time.Minute)
				got, gotOK := mustBest(t, ix, d)
				want, wantOK := ref.Best(d)
				if got != want || gotOK != wantOK {
					t.Fatalf("doc %d: Best = %+v, %v; reference %+v, %v", i, got, gotOK, want, wantOK)
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

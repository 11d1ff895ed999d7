package main

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"aggregator/dedupe"
)

// storyGen generates realistic synthetic news stories for the index
// benchmarks from a word-bigram model of a real corpus: each story follows
// the corpus's word-to-next-word transitions, so stock phrases recur across
// stories about as often as in real news, with a share of novel tokens
// (names, numbers) that make each story its own. Some items are near-copies
// of a story published shortly before: its lead only (a feed summary) or the
// whole text lightly edited. Item i is a pure function of i and the model,
// so a story's text can be generated again to verify it, as the store would
// load it.
type storyGen struct {
	an      *dedupe.Analyzer
	vocab   []string
	starts  []uint32 // the first word of each corpus text
	lengths []int    // the word count of each corpus text
	tokens  []uint32 // every corpus token, in order
	succ    []uint32 // successors of each word, grouped by word
	succAt  []uint32 // word → start of its successors in succ; len(vocab)+1
	novel   float64  // probability that a word is a novel token
	phrases float64  // probability that a word starts a phrase copied from the corpus
	copies  float64  // probability that an item is a near-copy of a recent story
	seed    uint64
}

// newStoryGen trains the model on the body texts of a CSV file with a
// header row (the news-id layout: the body in column isi_berita), after
// boilerplate stripping, as Analyze sees them.
func newStoryGen(an *dedupe.Analyzer, path string, novel, phrases, copies float64) (*storyGen, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bench: corpus: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("bench: corpus %s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("bench: corpus %s: no rows", path)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "isi_berita" || h == "body" {
			col = i
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("bench: corpus %s: no isi_berita or body column", path)
	}
	g := &storyGen{an: an, novel: novel, phrases: phrases, copies: copies, seed: 0x5eed}
	ids := map[string]uint32{}
	id := func(w string) uint32 {
		if v, ok := ids[w]; ok {
			return v
		}
		v := uint32(len(g.vocab))
		ids[w] = v
		g.vocab = append(g.vocab, w)
		return v
	}
	var docs [][]uint32
	for _, r := range rows[1:] {
		kept, _ := dedupe.StripBoilerplate(r[col])
		var doc []uint32
		for _, l := range kept {
			for _, w := range dedupe.Words(l) {
				doc = append(doc, id(w))
			}
		}
		if len(doc) < 3 {
			continue
		}
		docs = append(docs, doc)
		g.starts = append(g.starts, doc[0])
		g.lengths = append(g.lengths, len(doc))
		g.tokens = append(g.tokens, doc...)
	}
	counts := make([]uint32, len(g.vocab)+1)
	for _, d := range docs {
		for _, w := range d[:len(d)-1] {
			counts[w+1]++
		}
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	g.succAt = counts
	g.succ = make([]uint32, counts[len(counts)-1])
	fill := append([]uint32(nil), counts[:len(g.vocab)]...)
	for _, d := range docs {
		for i, w := range d[:len(d)-1] {
			g.succ[fill[w]] = d[i+1]
			fill[w]++
		}
	}
	return g, nil
}

// rng returns the random source of item i.
func (g *storyGen) rng(i uint64) *rand.Rand { return rand.New(rand.NewPCG(g.seed, i)) }

// words returns the words of item i, and the item it copies (or -1).
func (g *storyGen) words(i uint64) ([]string, int64) {
	r := g.rng(i)
	if i > 0 && r.Float64() < g.copies {
		base := i - 1 - uint64(r.IntN(int(min(i, 1000))))
		w, _ := g.words(base)
		return g.perturb(r, w), int64(base)
	}
	return g.fresh(r), -1
}

// fresh generates a new story.
func (g *storyGen) fresh(r *rand.Rand) []string {
	n := g.lengths[r.IntN(len(g.lengths))]
	out := make([]string, 0, n)
	w := g.starts[r.IntN(len(g.starts))]
	for len(out) < n {
		if p := r.Float64(); p < g.phrases {
			// A stock phrase: 4 to 10 words as the corpus has them.
			at := r.IntN(len(g.tokens))
			for _, t := range g.tokens[at:min(len(g.tokens), at+4+r.IntN(7))] {
				out = append(out, g.vocab[t])
				w = t
			}
			continue
		} else if p < g.phrases+g.novel {
			out = append(out, "x"+strconv.FormatUint(r.Uint64()>>20, 36))
			w = g.tokens[r.IntN(len(g.tokens))]
			continue
		}
		out = append(out, g.vocab[w])
		lo, hi := g.succAt[w], g.succAt[w+1]
		if lo == hi {
			w = g.tokens[r.IntN(len(g.tokens))]
		} else {
			w = g.succ[lo+uint32(r.IntN(int(hi-lo)))]
		}
	}
	return out
}

// perturb makes a near-copy of w: half the time its lead (30 to 60 words,
// a feed summary), otherwise the whole text with about one word in twenty
// replaced.
func (g *storyGen) perturb(r *rand.Rand, w []string) []string {
	if r.IntN(2) == 0 {
		return append([]string(nil), w[:min(len(w), 30+r.IntN(31))]...)
	}
	out := append([]string(nil), w...)
	for i := range out {
		if r.IntN(20) == 0 {
			out[i] = "y" + strconv.FormatUint(r.Uint64()>>20, 36)
		}
	}
	return out
}

// doc analyses item i.
func (g *storyGen) doc(i uint64) dedupe.Doc {
	w, _ := g.words(i)
	return g.an.AnalyzeWords(w)
}

// storyKey is the index key of item i filed as a story.
func benchKey(i uint64) string { return "story:" + strconv.FormatUint(i, 10) }

// load is the ShingleLoader of the benchmark: it generates the story again,
// as the pipeline reads it from the store.
func (g *storyGen) load(key string) ([]uint64, error) {
	i, err := strconv.ParseUint(strings.TrimPrefix(key, "story:"), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("bench: load %q: %w", key, err)
	}
	return g.doc(i).Shingles, nil
}

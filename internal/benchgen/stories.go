package benchgen

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"aggregator/dedupe"
)

// Stories generates realistic synthetic news stories for the index
// benchmarks from a word-bigram model of a real corpus: each story follows
// the corpus's word-to-next-word transitions, so stock phrases recur across
// stories about as often as in real news, with a share of novel tokens
// (names, numbers) that make each story its own. Some items are near-copies
// of a story published shortly before: its lead only (a feed summary) or the
// whole text lightly edited. Item i is a pure function of i and the model,
// so a story's text can be generated again to verify it, as the store would
// load it. A Stories is safe for concurrent use.
type Stories struct {
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

// StoryMix sets what the generated stories are made of.
type StoryMix struct {
	Novel   float64 // probability that a word is a novel token (a name, a number)
	Phrases float64 // probability that a word starts a phrase of 4 to 10 words copied from the corpus
	Copies  float64 // probability that an item is a near-copy of one of the last 1,000 items
}

// NewStories trains the model on the body texts of a CSV file with a
// header row (the news-id layout: the body in column isi_berita, or body),
// after boilerplate stripping, as Analyze sees them. The analyzer turns
// generated words into documents.
func NewStories(an *dedupe.Analyzer, path string, mix StoryMix) (*Stories, error) {
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
	g := &Stories{an: an, novel: mix.Novel, phrases: mix.Phrases, copies: mix.Copies, seed: 0x5eed}
	g.train(rows[1:], col)
	return g, nil
}

// train builds the vocabulary and the successor table from the texts in
// column col of rows.
func (g *Stories) train(rows [][]string, col int) {
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
	for _, r := range rows {
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
}

// CorpusSize returns the number of texts the model was trained on, their
// words and their distinct words.
func (g *Stories) CorpusSize() (texts, words, distinct int) {
	return len(g.lengths), len(g.tokens), len(g.vocab)
}

// Rand returns the random source of item i.
func (g *Stories) Rand(i uint64) *rand.Rand { return rand.New(rand.NewPCG(g.seed, i)) }

// Words returns the words of item i, and the item it copies (or -1).
func (g *Stories) Words(i uint64) ([]string, int64) {
	r := g.Rand(i)
	if i > 0 && r.Float64() < g.copies {
		base := i - 1 - uint64(r.IntN(int(min(i, 1000))))
		w, _ := g.Words(base)
		return g.Perturb(r, w), int64(base)
	}
	return g.Fresh(r), -1
}

// Fresh generates a new story's words from r.
func (g *Stories) Fresh(r *rand.Rand) []string {
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

// Perturb makes a near-copy of w with r: half the time its lead (30 to 60
// words, a feed summary), otherwise the whole text with about one word in
// twenty replaced.
func (g *Stories) Perturb(r *rand.Rand, w []string) []string {
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

// Doc analyses item i.
func (g *Stories) Doc(i uint64) dedupe.Doc {
	w, _ := g.Words(i)
	return g.an.AnalyzeWords(w)
}

// Docs analyses items first, first+1, … into out on every core.
func (g *Stories) Docs(first uint64, out []dedupe.Doc) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(out); i += workers {
				out[i] = g.Doc(first + uint64(i))
			}
		}()
	}
	wg.Wait()
}

// StoryKey is the index key of item i filed as a story, the key Load
// takes.
func StoryKey(i uint64) string { return "story:" + strconv.FormatUint(i, 10) }

// Load is a dedupe.ShingleLoader for an index whose keys are StoryKeys: it
// generates the story again, as the pipeline reads it from the store.
func (g *Stories) Load(key string) ([]uint64, error) {
	i, err := strconv.ParseUint(strings.TrimPrefix(key, "story:"), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("bench: load %q: %w", key, err)
	}
	return g.Doc(i).Shingles, nil
}

// Sharing returns, for the corpus's first 1,000 texts and for 1,000
// generated stories, the share of shingle occurrences whose shingle occurs
// in another of the texts: how much stock phrasing the texts share.
func (g *Stories) Sharing() (real, synth float64) {
	var realDocs, synthDocs [][]uint64
	at := 0
	for i, n := range g.lengths {
		if i < 1000 {
			words := make([]string, n)
			for j, w := range g.tokens[at : at+n] {
				words[j] = g.vocab[w]
			}
			realDocs = append(realDocs, g.an.AnalyzeWords(words).Shingles)
		}
		at += n
	}
	for i := range 1000 {
		synthDocs = append(synthDocs, g.an.AnalyzeWords(g.Fresh(g.Rand(1<<50+uint64(i)))).Shingles)
	}
	return sharedShare(realDocs), sharedShare(synthDocs)
}

// sharedShare returns the share of the shingle occurrences in docs whose
// shingle occurs more than once among them.
func sharedShare(docs [][]uint64) float64 {
	df := map[uint64]int{}
	for _, d := range docs {
		for _, h := range d {
			df[h]++
		}
	}
	var all, shared int
	for _, d := range docs {
		for _, h := range d {
			all++
			if df[h] > 1 {
				shared++
			}
		}
	}
	return float64(shared) / float64(max(all, 1))
}

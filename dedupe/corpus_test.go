package dedupe

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// corpusItem is one line of testdata/corpus/items.jsonl in the shared dir.
type corpusItem struct {
	ID      string `json:"id"`
	Lang    string `json:"lang"`
	Title   string `json:"title"`
	Body    string `json:"body"`
	OnTopic bool   `json:"-"`
	DupOf   string `json:"-"`
}

// sharedDir returns $AGGREGATOR_SHARED or skips the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("AGGREGATOR_SHARED")
	if dir == "" {
		t.Skip("AGGREGATOR_SHARED is not set; skipping the measurement on the shared corpus and seeds")
	}
	return dir
}

// loadSeeds reads the seed articles: first non-blank line is the title.
func loadSeeds(t testing.TB, dir string) []SeedText {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "seeds", "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no seeds in %s/seeds (err %v)", dir, err)
	}
	sort.Strings(paths)
	var seeds []SeedText
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		title, text, _ := strings.Cut(strings.TrimLeft(string(b), "\n"), "\n")
		seeds = append(seeds, SeedText{Name: filepath.Base(p), Title: title, Text: text})
	}
	return seeds
}

func loadCorpus(t testing.TB, dir string) []corpusItem {
	t.Helper()
	cdir := filepath.Join(dir, "testdata", "corpus")
	f, err := os.Open(filepath.Join(cdir, "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	labels := make(map[string][]string)
	for _, r := range rows[1:] {
		labels[r[0]] = r
	}
	g, err := os.Open(filepath.Join(cdir, "items.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	var items []corpusItem
	sc := bufio.NewScanner(g)
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	for sc.Scan() {
		var it corpusItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatal(err)
		}
		l, ok := labels[it.ID]
		if !ok {
			t.Fatalf("item %s has no label", it.ID)
		}
		it.OnTopic = l[1] == "1"
		it.DupOf = l[3]
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return items
}

// confusion counts binary decisions against labels.
type confusion struct{ tp, fp, fn, tn int }

func (c *confusion) add(pred, truth bool) {
	switch {
	case pred && truth:
		c.tp++
	case pred && !truth:
		c.fp++
	case !pred && truth:
		c.fn++
	default:
		c.tn++
	}
}

func (c confusion) String() string {
	p := ratio(c.tp, c.tp+c.fp)
	r := ratio(c.tp, c.tp+c.fn)
	f := 0.0
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return fmt.Sprintf("P=%.3f R=%.3f F1=%.3f (tp=%d fp=%d fn=%d tn=%d)", p, r, f, c.tp, c.fp, c.fn, c.tn)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TestCorpusTopic measures the topic decision on the labelled corpus and
// logs precision, recall and F1 of keywords alone, seed similarity alone and
// both combined, split into real and written items. It fails only when the
// combined rule's precision or recall on the whole corpus falls well below
// what was measured when the default threshold was chosen.
func TestCorpusTopic(t *testing.T) {
	dir := sharedDir(t)
	seeds := loadSeeds(t, dir)
	items := loadCorpus(t, dir)
	topic, err := NewTopic(DefaultKeywordGroups(), seeds, DefaultMinSeedSimilarity)
	if err != nil {
		t.Fatal(err)
	}
	wholeText := *topic
	wholeText.leadWords = 0
	type split struct{ kw, kwWhole, sim, both confusion }
	stats := map[string]*split{"real": {}, "written": {}, "all": {}}
	var sims []struct {
		sim   float64
		truth bool
		kw    bool
		id    string
	}
	for _, it := range items {
		res := topic.Match(it.Title, it.Body)
		kw := strings.HasPrefix(res.Rule, "keywords:")
		kwWhole := strings.HasPrefix(wholeText.Match(it.Title, it.Body).Rule, "keywords:")
		sim := res.Similarity >= DefaultMinSeedSimilarity
		origin := "real"
		if strings.HasPrefix(it.ID, "w") {
			origin = "written"
		}
		for _, k := range []string{origin, "all"} {
			stats[k].kw.add(kw, it.OnTopic)
			stats[k].kwWhole.add(kwWhole, it.OnTopic)
			stats[k].sim.add(sim, it.OnTopic)
			stats[k].both.add(res.OnTopic, it.OnTopic)
		}
		sims = append(sims, struct {
			sim   float64
			truth bool
			kw    bool
			id    string
		}{res.Similarity, it.OnTopic, kw, it.ID})
	}
	for _, k := range []string{"real", "written", "all"} {
		s := stats[k]
		t.Logf("%-7s keywords anywhere in the text (not used): %v", k, s.kwWhole)
		t.Logf("%-7s keywords only:   %v", k, s.kw)
		t.Logf("%-7s similarity only: %v", k, s.sim)
		t.Logf("%-7s combined:        %v", k, s.both)
	}
	// Threshold sweep for seed similarity alone, and what it adds to keywords.
	for _, th := range []float64{0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40} {
		var alone, both confusion
		for _, s := range sims {
			alone.add(s.sim >= th, s.truth)
			both.add(s.kw || s.sim >= th, s.truth)
		}
		t.Logf("threshold %.2f: similarity only %v | combined %v", th, alone, both)
	}
	all := stats["all"].both
	if p := ratio(all.tp, all.tp+all.fp); p < 0.8 {
		t.Errorf("combined precision %.3f < 0.8", p)
	}
	if r := ratio(all.tp, all.tp+all.fn); r < 0.8 {
		t.Errorf("combined recall %.3f < 0.8", r)
	}
}

// corpusDocs analyses every corpus item (by id) and every seed (by its
// index key).
func corpusDocs(t testing.TB, dir string, an *Analyzer) map[string]Doc {
	t.Helper()
	docs := make(map[string]Doc)
	for _, it := range loadCorpus(t, dir) {
		docs[it.ID] = an.Analyze(it.Title, it.Body)
	}
	for _, s := range loadSeeds(t, dir) {
		docs[SeedKeyPrefix+s.Name] = an.Analyze(s.Title, s.Text)
	}
	return docs
}

// readPairs returns the rows of the corpus's pairs.csv, header included.
func readPairs(t testing.TB, dir string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "testdata", "corpus", "pairs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

package dedupe

import (
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSeedVariants makes the near-copies of each real seed that feeds carry
// (re-headlined with other boilerplate, the lead paragraph only, the first
// half) and checks that each is a seed duplicate, while the seeds that cover
// the same event as each other are not copies of one another.
func TestSeedVariants(t *testing.T) {
	dir := sharedDir(t)
	seeds := loadSeeds(t, dir)
	cfg := DefaultConfig()
	an := newTestAnalyzer(t)
	topic, err := NewTopic(DefaultKeywordGroups(), seeds, cfg.MinSeedSimilarity)
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(cfg)
	for _, s := range seeds {
		ix.Add(SeedKeyPrefix+s.Name, an.Analyze(s.Title, s.Text), time.Time{})
	}
	for _, s := range seeds {
		kept, _ := StripBoilerplate(s.Text)
		// The lead: the first kept line after the headline, with the next
		// one when it is a one-sentence lead.
		lead := kept[0]
		if strings.EqualFold(strings.TrimSpace(lead), strings.TrimSpace(s.Title)) || len(Words(lead)) < 8 {
			kept = kept[1:]
			lead = kept[0]
		}
		if len(Words(lead)) < 30 {
			lead += "\n" + kept[1]
		}
		half := strings.Join(kept[:len(kept)/2+1], "\n")
		rehead := "Iklan\nBerita Terkini\nJudul Baru Yang Sama Sekali Lain Untuk Artikel Ini\nReporter: Seseorang\n" +
			strings.Join(kept, "\n\nBaca Juga: Tautan Lain Yang Tidak Berhubungan\n\n") + "\nShare\nTweet\nCopyright © 2025 Situs Lain"
		for _, v := range []struct{ kind, title, body string }{
			{"re-headlined with boilerplate", "Judul Baru", rehead},
			{"lead paragraph only", s.Title, lead},
			{"first half", s.Title, half},
		} {
			d := mustDecide(t, cfg, ix, topic, an.Analyze(v.title, v.body), v.title, v.body)
			if d.Verdict != VerdictSeedCopy || d.Match.Key != SeedKeyPrefix+s.Name {
				t.Errorf("%s, %s: %s with %+v; want seed_duplicate of it", s.Name, v.kind, d.Verdict, d.Match)
			} else {
				t.Logf("%s, %s: resemblance %.2f containment %.2f (shorter %d)", s.Name, v.kind, d.Match.Resemblance, d.Match.Containment, d.Match.Shorter)
			}
		}
	}
	// Seeds 000, 002 and 004 report the same event independently.
	for _, s := range seeds {
		others := NewIndex(cfg)
		for _, o := range seeds {
			if o.Name != s.Name {
				others.Add(SeedKeyPrefix+o.Name, an.Analyze(o.Title, o.Text), time.Time{})
			}
		}
		m, _ := mustBest(t, others, an.Analyze(s.Title, s.Text))
		if cfg.IsNearDuplicate(m) {
			t.Errorf("seed %s counted as a copy of %+v", s.Name, m)
		}
	}
}

// TestCorpusPairs measures resemblance and containment on the labelled pairs
// of the corpus, how the decision treats them, and the error of the MinHash
// estimate on real text.
func TestCorpusPairs(t *testing.T) {
	dir := sharedDir(t)
	cfg := DefaultConfig()
	an := newTestAnalyzer(t)
	docs := corpusDocs(t, dir, an)
	rows := readPairs(t, dir)
	type tally struct {
		n, pass, found  int     // pairs, passing exactly, passing and found by the LSH index
		maxRes, maxCont float64 // highest scores seen
	}
	byRelation := map[string]*tally{}
	var sq float64
	var nEst int
	for _, r := range rows[1:] {
		a, b, rel := r[0], r[1], r[2]
		da, okA := docs[a]
		db, okB := docs[b]
		if !okA || !okB {
			t.Logf("pair %s,%s: unknown id", a, b)
			continue
		}
		m := compare(b, da.Shingles, db.Shingles)
		if byRelation[rel] == nil {
			byRelation[rel] = &tally{}
		}
		byRelation[rel].n++
		c := byRelation[rel]
		c.maxRes, c.maxCont = max(c.maxRes, m.Resemblance), max(c.maxCont, m.Containment)
		if cfg.IsNearDuplicate(m) {
			c.pass++
			ix := NewIndex(cfg)
			ix.Add(b, db, time.Now())
			if got, ok := mustBest(t, ix, da); ok && got.Key == b {
				c.found++
			} else {
				t.Logf("%s pair %s,%s passes (%+v) but the index missed it; lead estimate %.2f, signature estimate %.2f, words %d/%d",
					rel, a, b, m, EstimateJaccard(da.Lead, db.Lead), EstimateJaccard(da.Signature, db.Signature), da.Words, db.Words)
			}
		}
		if r[3] == "0" && cfg.IsNearDuplicate(m) {
			t.Errorf("%s pair %s,%s is not a near-duplicate but passes: %+v", rel, a, b, m)
		}
		if r[3] == "1" && !cfg.IsNearDuplicate(m) {
			t.Logf("%s pair %s,%s is a near-duplicate but does not pass: %+v", rel, a, b, m)
		}
		est := EstimateJaccard(da.Signature, db.Signature)
		sq += (est - m.Resemblance) * (est - m.Resemblance)
		nEst++
	}
	rels := slices.Sorted(maps.Keys(byRelation))
	for _, rel := range rels {
		c := byRelation[rel]
		t.Logf("%-14s %3d pairs, %3d pass as near-duplicates (%d of them found by the index); max resemblance %.2f, max containment %.2f",
			rel, c.n, c.pass, c.found, c.maxRes, c.maxCont)
		if c.found != c.pass {
			t.Errorf("%s: the index found %d of %d passing pairs", rel, c.found, c.pass)
		}
	}
	if c := byRelation["copy"]; c == nil || float64(c.pass) < 0.9*float64(c.n) {
		t.Errorf("fewer than 90%% of the copy pairs pass: %+v", c)
	}
	t.Logf("MinHash RMSE on %d labelled real-text pairs: %.4f", nEst, math.Sqrt(sq/float64(max(nEst, 1))))
}

// TestCorpusStream feeds the corpus through Decide in publication order, as
// the pipeline would (seeds in the index, each new on-topic item added as a
// story, each off-topic item recorded), and counts verdicts against labels.
func TestCorpusStream(t *testing.T) {
	dir := sharedDir(t)
	cfg := DefaultConfig()
	an := newTestAnalyzer(t)
	seeds := loadSeeds(t, dir)
	topic, err := NewTopic(DefaultKeywordGroups(), seeds, cfg.MinSeedSimilarity)
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(cfg)
	for _, s := range seeds {
		ix.Add(SeedKeyPrefix+s.Name, an.Analyze(s.Title, s.Text), time.Time{})
	}
	counts := map[Verdict]int{}
	for _, it := range loadCorpus(t, dir) {
		doc := an.Analyze(it.Title, it.Body)
		d := mustDecide(t, cfg, ix, topic, doc, it.Title, it.Body)
		counts[d.Verdict]++
		if it.OnTopic && (d.Verdict == VerdictSeedCopy || d.Verdict == VerdictStoryCopy) {
			t.Errorf("%s (on topic, no near-duplicate in the corpus) decided %s of %+v", it.ID, d.Verdict, d.Match)
		}
		if d.Verdict == VerdictNew {
			ix.Add("story:"+it.ID, doc, time.Now())
		}
	}
	t.Logf("verdicts over the corpus: %v", counts)
}

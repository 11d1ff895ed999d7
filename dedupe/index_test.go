package dedupe

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestIndexAddRemovePrune(t *testing.T) {
	an := newTestAnalyzer(t)
	ix := NewIndex(DefaultConfig())
	article := readTestdata(t, "article.txt")
	doc := an.Analyze("", article)
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

	if _, ok := mustBest(t, ix, doc); ok {
		t.Fatal("empty index found a candidate")
	}
	ix.Add("seed:a", doc, time.Time{})
	ix.Add("story:1", doc, now.Add(-48*time.Hour))
	ix.Add("story:2", an.Analyze("", readTestdata(t, "independent.txt")), now.Add(-time.Hour))
	ix.Add("story:empty", an.Analyze("", ""), now)
	if ix.Len() != 3 {
		t.Fatalf("Len = %d, want 3 (an empty doc is not added)", ix.Len())
	}

	m, ok := mustBest(t, ix, doc)
	if !ok || m.Key != "seed:a" || m.Resemblance != 1 || m.Containment != 1 {
		t.Fatalf("Best = %+v, %v; want seed:a (ties go to the smaller key) at 1/1", m, ok)
	}

	if n := ix.Prune(now.Add(-24 * time.Hour)); n != 1 {
		t.Fatalf("Prune dropped %d, want 1 (story:1)", n)
	}
	if n := ix.Prune(now.Add(24 * time.Hour)); n != 1 {
		t.Fatalf("second Prune dropped %d, want 1 (story:2); seeds are permanent", n)
	}
	if ix.Len() != 1 {
		t.Fatalf("Len = %d after pruning, want 1", ix.Len())
	}

	ix.Remove("seed:a")
	ix.Remove("never-added")
	if ix.Len() != 0 {
		t.Fatalf("Len = %d after Remove, want 0", ix.Len())
	}
	if _, ok := mustBest(t, ix, doc); ok {
		t.Fatal("removed entry still found")
	}

	// Adding under an existing key replaces the entry.
	ix.Add("story:3", doc, now)
	ix.Add("story:3", an.Analyze("", readTestdata(t, "offtopic.txt")), now)
	if m, ok := mustBest(t, ix, doc); ok {
		t.Errorf("replaced entry still matches: %+v", m)
	}
}

// TestIndexSummaryAndArticle checks that a feed summary (the lead paragraph)
// and its full article find each other in both orders, among many unrelated
// entries, although their Jaccard similarity is low.
func TestIndexSummaryAndArticle(t *testing.T) {
	an := newTestAnalyzer(t)
	article := readTestdata(t, "article.txt")
	paras := paragraphs(article)
	filler := fillerDocs(an, 200)

	for _, n := range []int{1, 2} { // lead paragraph, first two paragraphs
		summary := strings.Join(paras[:n], "\n")
		for _, order := range []string{"article first", "summary first"} {
			ix := NewIndex(DefaultConfig())
			for i, d := range filler {
				ix.Add(fmt.Sprintf("story:f%d", i), d, time.Now())
			}
			stored, query := an.Analyze("", article), an.Analyze("Menlu Korut tiba di Moskow", summary)
			if order == "summary first" {
				stored, query = query, stored
			}
			ix.Add("story:target", stored, time.Now())
			m, ok := mustBest(t, ix, query)
			if !ok || m.Key != "story:target" {
				t.Errorf("%d paragraph(s), %s: Best = %+v, %v; want story:target", n, order, m, ok)
				continue
			}
			if m.Containment < 0.95 || m.Resemblance > 0.3 {
				t.Errorf("%d paragraph(s), %s: resemblance %.2f containment %.2f; want low resemblance, full containment",
					n, order, m.Resemblance, m.Containment)
			}
			if !DefaultConfig().IsNearDuplicate(m) {
				t.Errorf("%d paragraph(s), %s: %+v is not a near-duplicate", n, order, m)
			}
		}
	}
}

// TestIndexExcerptFound checks that paragraphs from the middle of an article
// (Jaccard about 0.3, so LSH banding alone would usually miss them) are found
// through the sampled-shingle postings, among many unrelated entries.
func TestIndexExcerptFound(t *testing.T) {
	an := newTestAnalyzer(t)
	ix := NewIndex(DefaultConfig())
	for i, d := range fillerDocs(an, 200) {
		ix.Add(fmt.Sprintf("story:f%d", i), d, time.Now())
	}
	paras := paragraphs(readTestdata(t, "article.txt"))
	ix.Add("seed:article", an.Analyze("", strings.Join(paras, "\n")), time.Time{})
	excerpt := an.Analyze("", "Sebuah pengantar baru yang ditulis redaksi lain.\n"+strings.Join(paras[4:7], "\n"))
	m, ok := mustBest(t, ix, excerpt)
	if !ok || m.Key != "seed:article" || !DefaultConfig().IsNearDuplicate(m) {
		t.Fatalf("Best = %+v, %v; want a passing match with seed:article", m, ok)
	}
	if m.Resemblance > 0.4 {
		t.Errorf("resemblance %.2f: the excerpt is not the hard case this test is for", m.Resemblance)
	}
}

// fillerDocs returns n unrelated documents made of pseudo-random words.
func fillerDocs(an *Analyzer, n int) []Doc {
	docs := make([]Doc, n)
	x := uint64(42)
	for i := range docs {
		var b strings.Builder
		for range 300 {
			x = mix64(x + 1)
			fmt.Fprintf(&b, "w%d ", x%5000)
		}
		docs[i] = an.Analyze("", b.String())
	}
	return docs
}

// TestBestLoaderError checks that a shingle set that cannot be loaded ends
// the search with an error that names the candidate, instead of a decision
// taken without it: the query's containment in the entry is exactly the
// threshold, which the entry's sketch cannot settle.
func TestBestLoaderError(t *testing.T) {
	cfg := DefaultConfig()
	entry, query := thresholdPair(800, 480, 320)
	enc := NewIndex(cfg).EncodeKeys(entry)
	fail := func(key string) ([]uint64, error) { return nil, fmt.Errorf("database is gone") }
	ix := NewIndexWith(cfg, IndexOptions{Shingles: fail})
	if err := ix.AddEncoded("story:7", enc, time.Time{}); err != nil {
		t.Fatal(err)
	}
	m, ok, err := ix.Best(query)
	if err == nil || !strings.Contains(err.Error(), "story:7") || !strings.Contains(err.Error(), "database is gone") {
		t.Fatalf("Best = %+v, %v, %v; want the loader's error naming story:7", m, ok, err)
	}
	if _, err := Decide(cfg, ix, nil, query, "", ""); err == nil {
		t.Fatal("Decide took a decision although a candidate could not be verified")
	}
	if st := ix.Stats(); st.Uncertain == 0 {
		t.Errorf("stats %+v: the candidate was not counted as uncertain", st)
	}
}

// thresholdPair returns an entry of n random shingles and a query of
// shared of them and fresh others.
func thresholdPair(n, shared, fresh int) (entry, query Doc) {
	r := rand.New(rand.NewPCG(3, 3))
	all := make([]uint64, n+fresh)
	for i := range all {
		all[i] = r.Uint64()
	}
	e := slices.Clone(all[:n])
	q := append(slices.Clone(all[:shared]), all[n:]...)
	slices.Sort(e)
	slices.Sort(q)
	size := DefaultConfig().SignatureSize
	entry = Doc{Shingles: e, Signature: Signature(e, size), Lead: Signature(e[:LeadShingles], size)}
	query = Doc{Shingles: q, Signature: Signature(q, size), Lead: Signature(q[:LeadShingles], size)}
	return entry, query
}

// TestBestWithoutLoads checks that clear cases are decided on the sketches
// alone: a copy of a stored article, its lead paragraph and an unrelated
// text sharing a few stock phrases, none of them in memory, load nothing,
// and the copies are estimated to pass as they do exactly.
func TestBestWithoutLoads(t *testing.T) {
	an := newTestAnalyzer(t)
	cfg := DefaultConfig()
	article := an.Analyze("", readTestdata(t, "article.txt"))
	lines := nonBlank(strings.Split(readTestdata(t, "article.txt"), "\n"))
	lead := an.Analyze("", strings.Join(lines[:2], "\n"))
	other := an.Analyze("", readTestdata(t, "independent.txt"))
	loads := 0
	load := func(key string) ([]uint64, error) { loads++; return article.Shingles, nil }
	ix := NewIndexWith(cfg, IndexOptions{Shingles: load})
	if err := ix.AddEncoded("story:1", NewIndex(cfg).EncodeKeys(article), time.Time{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		doc  Doc
		copy bool
	}{{"copy", article, true}, {"lead", lead, true}, {"unrelated", other, false}} {
		m, _ := mustBest(t, ix, c.doc)
		r, k, shorter := Similarity(c.doc.Shingles, article.Shingles)
		exact := Match{Key: "story:1", Resemblance: r, Containment: k, Shorter: shorter}
		if cfg.IsNearDuplicate(m) != c.copy || cfg.IsNearDuplicate(exact) != c.copy {
			t.Errorf("%s: estimated %+v, exact %+v: want near-duplicate %v", c.name, m, exact, c.copy)
		}
	}
	if loads != 0 {
		t.Errorf("%d shingle sets loaded, want none: %+v", loads, ix.Stats())
	}
}

package eval

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aggregator/dedupe"
	"aggregator/seeds"
)

// headlineSimilarity compares two headlines after normalisation
// (dedupe.Words): whether their word sequences are equal, and the Jaccard
// similarity of their word sets.
func headlineSimilarity(a, b string) (equal bool, jaccard float64) {
	wa, wb := dedupe.Words(a), dedupe.Words(b)
	equal = len(wa) > 0 && strings.Join(wa, " ") == strings.Join(wb, " ")
	sa := make(map[string]bool, len(wa))
	for _, w := range wa {
		sa[w] = true
	}
	union := len(sa)
	inter := 0
	seen := make(map[string]bool, len(wb))
	for _, w := range wb {
		if seen[w] {
			continue
		}
		seen[w] = true
		if sa[w] {
			inter++
		} else {
			union++
		}
	}
	if union == 0 {
		return equal, 0
	}
	return equal, float64(inter) / float64(union)
}

// TestSameEventHeadlines measures how alike the headlines of independent
// reports of one event are, over the pairs labelled same-event (seeds
// included) and over every two items of one story that are not near-copies
// of each other: it logs the highest Jaccard similarity of their headline
// words and the pairs whose normalised headlines are equal. The headline
// rule (headline.go in the root package) relies on no two independent
// reports within 3 days of each other having equal headlines; it checks
// that over every two items of the corpus that are not near-copies.
func TestSameEventHeadlines(t *testing.T) {
	dir := os.Getenv("AGGREGATOR_SHARED")
	if dir == "" {
		t.Skip("AGGREGATOR_SHARED is not set; skipping the headline measurement on the shared corpus")
	}
	c, err := Load(filepath.Join(dir, "testdata", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	titles := make(map[string]string)
	for _, a := range seeds.Embedded() {
		titles[a.Name] = a.Title
	}
	for _, it := range c.Items {
		titles[it.ID] = it.Title
	}
	group := func(id string) string {
		return root(id, func(x string) string {
			it, _ := c.Item(x)
			return normSeed(it.DupOf)
		})
	}
	type highest struct {
		a, b         string
		jaccard      float64
		pairs, equal int
	}
	note := func(h *highest, a, b string) bool {
		eq, j := headlineSimilarity(titles[a], titles[b])
		h.pairs++
		if eq {
			h.equal++
		}
		if j > h.jaccard || h.a == "" {
			h.a, h.b, h.jaccard = a, b, j
		}
		return eq
	}
	var labelled, story, other highest
	for _, p := range c.Pairs {
		if p.Relation == "same-event" && !p.unresolved {
			note(&labelled, p.A, p.B)
		}
	}
	order := c.ReplayOrder()
	for i, x := range order {
		for _, y := range order[i+1:] {
			switch {
			case group(x.ID) == group(y.ID):
			case x.Story != "" && x.Story == y.Story:
				note(&story, x.ID, y.ID)
			case note(&other, x.ID, y.ID):
				apart := y.Published.Sub(x.Published)
				t.Logf("equal headlines of two stories %v apart: %s %q / %s %q", apart, x.ID, x.Title, y.ID, y.Title)
				if apart <= 3*24*time.Hour {
					t.Errorf("%s and %s are not copies but have equal headlines within 3 days", x.ID, y.ID)
				}
			}
		}
	}
	for _, r := range []struct {
		name string
		h    highest
	}{{"pairs.csv same-event", labelled}, {"same story, not copies", story}} {
		t.Logf("%s: %d pairs, %d with equal normalised headlines; highest headline Jaccard %.3f: %s %q / %s %q",
			r.name, r.h.pairs, r.h.equal, r.h.jaccard, r.h.a, titles[r.h.a], r.h.b, titles[r.h.b])
		if r.h.equal != 0 {
			t.Errorf("%s: %d pairs of independent reports have equal normalised headlines", r.name, r.h.equal)
		}
	}
}

// TestAggregatorTransform checks that the generated aggregator item reads
// as fetch reads Google News: the outlet's name off the headline, no body
// text, the outlet named, the redirect link never to be fetched.
func TestAggregatorTransform(t *testing.T) {
	o := original{ID: "x", Title: `Putin accepts Kim's "invitation" & visits Pyongyang`, Body: "Body text.", URL: "https://a.example/1"}
	v := aggregatorItem(rand.New(rand.NewPCG(1, 1)), o, nil)
	e := v.Entry
	if e == nil || e.Title != o.Title || e.Text != "" || e.Outlet == "" || !e.Redirect || e.OutletURL == "" {
		t.Fatalf("aggregator item %+v, want the title %q, no text, an outlet and a redirect", e, o.Title)
	}
}

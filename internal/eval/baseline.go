package eval

import (
	"strings"
	"time"
	"unicode"
)

// The baselines are what feed readers do today with the same items: no
// topic filter (every item is shown), and duplicates found either by exact
// link/GUID only or by the similarity of titles.

// BaselineURL marks an item as a copy of the earliest earlier item with the
// same link (feed readers' GUID/link matching). The corpus's items come
// with their link as GUID, so link and GUID matching are one rule.
func BaselineURL(c *Corpus) map[string]Prediction {
	preds := make(map[string]Prediction, len(c.Items))
	first := make(map[string]string)
	for _, it := range c.ReplayOrder() {
		pr := Prediction{ID: it.ID, OnTopic: true, Story: it.ID}
		if it.URL != "" {
			if f, ok := first[it.URL]; ok {
				pr.DupOf, pr.Story = f, f
			} else {
				first[it.URL] = it.ID
			}
		}
		preds[it.ID] = pr
	}
	return preds
}

// TrigramThreshold and TrigramWindow are Tiny Tiny RSS af_psql_trgm's
// defaults: an article whose title has pg_trgm similarity ≥ 0.75 to the
// title of an article seen in the last 24 hours is marked a duplicate.
const (
	TrigramThreshold = 0.75
	TrigramWindow    = 24 * time.Hour
)

// BaselineTrigram marks an item as a copy of the earlier item, published at
// most TrigramWindow before it, whose title is the most similar by trigram
// similarity, when that similarity is at least TrigramThreshold. A copy of
// a copy names the first item of the chain.
func BaselineTrigram(c *Corpus) map[string]Prediction {
	type seen struct {
		id, root string
		at       time.Time
		tri      map[string]struct{}
	}
	preds := make(map[string]Prediction, len(c.Items))
	var earlier []seen
	for _, it := range c.ReplayOrder() {
		tri := Trigrams(it.Title)
		pr := Prediction{ID: it.ID, OnTopic: true, Story: it.ID}
		best, bestSim := -1, 0.0
		for i := len(earlier) - 1; i >= 0; i-- {
			e := earlier[i]
			if it.Published.Sub(e.at) > TrigramWindow {
				break // ReplayOrder is sorted by date
			}
			if s := TrigramSimilarity(tri, e.tri); s >= TrigramThreshold && s > bestSim {
				best, bestSim = i, s
			}
		}
		root := it.ID
		if best >= 0 {
			root = earlier[best].root
			pr.DupOf, pr.Story = root, root
			pr.Resemblance = bestSim
		}
		earlier = append(earlier, seen{id: it.ID, root: root, at: it.Published, tri: tri})
		preds[it.ID] = pr
	}
	return preds
}

// Trigrams returns the set of trigrams of s the way PostgreSQL's pg_trgm
// makes them: lower-cased words of letters and digits, each padded with two
// spaces in front and one behind, cut into every run of three characters.
func Trigrams(s string) map[string]struct{} {
	set := make(map[string]struct{})
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		rs := []rune("  " + w + " ")
		for i := 0; i+3 <= len(rs); i++ {
			set[string(rs[i:i+3])] = struct{}{}
		}
	}
	return set
}

// TrigramSimilarity is pg_trgm's similarity(): shared trigrams over the
// trigrams of either.
func TrigramSimilarity(a, b map[string]struct{}) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	shared := 0
	for t := range a {
		if _, ok := b[t]; ok {
			shared++
		}
	}
	return float64(shared) / float64(len(a)+len(b)-shared)
}

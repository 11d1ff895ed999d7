package eval

import (
	"math"
	"time"

	"aggregator/dedupe"
)

// The two event baselines, run on the same items in the same order as the
// pipeline: NewsBlur's title rule, and TF-IDF cosine with a Gaussian time
// decay at its best threshold. Both cluster single-link: an item joins the
// cluster of every earlier item it matches.

// unionFind groups items by id.
type unionFind map[string]string

func (u unionFind) find(x string) string {
	for {
		p, ok := u[x]
		if !ok || p == x {
			return x
		}
		u[x] = u[p]
		x = p
	}
}

func (u unionFind) union(a, b string) { u[u.find(b)] = u.find(a) }

// eventPreds turns a clustering into predictions whose Event is the
// cluster's root.
func eventPreds(items []Item, u unionFind) map[string]Prediction {
	preds := make(map[string]Prediction, len(items))
	for _, it := range items {
		preds[it.ID] = Prediction{ID: it.ID, Event: "item:" + u.find(it.ID)}
	}
	return preds
}

// eventItems are the items the event baselines see: the on-topic ones (all
// when allOnTopic), in replay order.
func eventItems(c *Corpus, allOnTopic bool) []Item {
	var out []Item
	for _, it := range c.ReplayOrder() {
		if it.OnTopic || allOnTopic {
			out = append(out, it)
		}
	}
	return out
}

// significantWords are the content words of a title, as a set.
func significantWords(title string) map[string]bool {
	out := make(map[string]bool)
	for _, w := range dedupe.Words(title) {
		if dedupe.IsContentWord(w) {
			out[w] = true
		}
	}
	return out
}

// BaselineNewsBlur clusters by NewsBlur's title rule: two items of
// different feeds within 120 hours whose titles have at least five words
// are one event when their significant title words have an overlap
// coefficient of at least 0.6 with at least three words shared.
func BaselineNewsBlur(c *Corpus, allOnTopic bool) EventScores {
	items := eventItems(c, allOnTopic)
	words := make([]map[string]bool, len(items))
	for i, it := range items {
		if len(dedupe.Words(it.Title)) >= 5 {
			words[i] = significantWords(it.Title)
		}
	}
	u := unionFind{}
	for i, b := range items {
		for j := 0; j < i; j++ {
			a := items[j]
			if words[i] == nil || words[j] == nil || a.Outlet == b.Outlet || b.Published.Sub(a.Published) > 120*time.Hour {
				continue
			}
			shared := 0
			for w := range words[i] {
				if words[j][w] {
					shared++
				}
			}
			if shared >= 3 && float64(shared)/float64(min(len(words[i]), len(words[j]))) >= 0.6 {
				u.union(a.ID, b.ID)
			}
		}
	}
	return ScoreEvents("NewsBlur title rule", c, eventPreds(items, u), allOnTopic)
}

// BaselineCosine clusters by the TF-IDF cosine of content words (idf over
// the items scored) times a Gaussian time decay with a spread of 3 days,
// at the threshold (0.05 to 0.95 in steps of 0.05) with the best F1.
func BaselineCosine(c *Corpus, allOnTopic bool) EventScores {
	items := eventItems(c, allOnTopic)
	vecs := tfidf(items)
	const sigma = 72.0 // hours
	sim := make([][]float64, len(items))
	for i := range items {
		sim[i] = make([]float64, i)
		for j := 0; j < i; j++ {
			gap := items[i].Published.Sub(items[j].Published).Hours() / sigma
			sim[i][j] = dot(vecs[i], vecs[j]) * math.Exp(-gap*gap/2)
		}
	}
	var best EventScores
	for t := 0.05; t < 0.96; t += 0.05 {
		u := unionFind{}
		for i := range items {
			for j := 0; j < i; j++ {
				if sim[i][j] >= t {
					u.union(items[j].ID, items[i].ID)
				}
			}
		}
		s := ScoreEvents("TF-IDF cosine, Gaussian σ 3 d", c, eventPreds(items, u), allOnTopic)
		s.Threshold = math.Round(t*100) / 100
		if best.System == "" || s.Pairs.F1() > best.Pairs.F1() {
			best = s
		}
	}
	return best
}

// tfidf returns the unit TF-IDF vectors of the items' content words.
func tfidf(items []Item) []map[string]float64 {
	df := make(map[string]int)
	counts := make([]map[string]int, len(items))
	for i, it := range items {
		counts[i] = make(map[string]int)
		for _, w := range dedupe.Words(it.Title + "\n" + it.Body) {
			if dedupe.IsContentWord(w) {
				counts[i][w]++
			}
		}
		for w := range counts[i] {
			df[w]++
		}
	}
	out := make([]map[string]float64, len(items))
	for i, cs := range counts {
		v := make(map[string]float64, len(cs))
		var norm float64
		for w, n := range cs {
			x := (1 + math.Log(float64(n))) * math.Log(float64(len(items)+1)/float64(df[w]+1))
			v[w] = x
			norm += x * x
		}
		for w := range v {
			if norm > 0 {
				v[w] /= math.Sqrt(norm)
			}
		}
		out[i] = v
	}
	return out
}

func dot(a, b map[string]float64) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	var s float64
	for w, x := range a {
		s += x * b[w]
	}
	return s
}

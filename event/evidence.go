package event

import "math"

// Evidence is what a story shares with one story of an event, and the
// score it makes.
type Evidence struct {
	With    string   `json:"with"` // the other story's key
	Names   []string `json:"names,omitempty"`
	Numbers []string `json:"numbers,omitempty"`
	Dates   []string `json:"dates,omitempty"`
	Quotes  []string `json:"quotes,omitempty"`
	// Cosine is the TF-IDF cosine of the content words, 0 across languages.
	Cosine float64 `json:"cosine"`
	// ConceptCosine is the cosine of the news concepts, in any languages.
	ConceptCosine float64 `json:"concept_cosine"`
	// GapHours is the time between the two stories' published times
	// (Undated when one has none), and Time the Gaussian term it gives.
	GapHours float64 `json:"gap_hours"`
	Time     float64 `json:"time"`
	// Anchors counts the shared pieces that tie two reports to one
	// happening: names (not background ones), numbers, dates and quotes.
	Anchors int `json:"anchors"`
	// Text is the weighted sum of the shared evidence, and Score is Text
	// times Time.
	Text  float64 `json:"text"`
	Score float64 `json:"score"`
}

// compare scores f against one member of an event.
func (ix *Index) compare(f Features, m member, event string) Evidence {
	o := ix.opts
	ev := Evidence{With: m.key}
	var text float64
	for _, n := range sortedKeys(f.Names) {
		if w, ok := m.f.Names[n]; ok {
			ev.Names = append(ev.Names, n)
			w = min(w, f.Names[n])
			if w == 1 {
				ev.Anchors++
			}
			text += o.Name * w * ix.nameWeight(n, event)
		}
	}
	ev.Numbers = shared(f.Numbers, m.f.Numbers)
	ev.Dates = shared(f.Dates, m.f.Dates)
	ev.Quotes = shared(f.Quotes, m.f.Quotes)
	text += o.Number*float64(len(ev.Numbers)) + o.Date*float64(len(ev.Dates)) + o.Quote*float64(len(ev.Quotes))
	ev.Anchors += len(ev.Numbers) + len(ev.Dates) + len(ev.Quotes)
	if f.Lang != "" && f.Lang == m.f.Lang {
		ev.Cosine = ix.cosine(f.Terms, m.f.Terms)
		text += o.Cosine * ev.Cosine
	}
	ev.ConceptCosine = ix.conceptCosine(f.Concepts, m.f.Concepts)
	text += o.ConceptCosine * ev.ConceptCosine
	gap := Undated
	if !f.Published.IsZero() && !m.f.Published.IsZero() {
		gap = absDur(f.Published.Sub(m.f.Published))
	}
	ev.GapHours = round2(gap.Hours())
	ev.Time = round2(gaussian(gap, o.Sigma))
	ev.Cosine, ev.ConceptCosine, ev.Text = round2(ev.Cosine), round2(ev.ConceptCosine), round2(text)
	ev.Score = round2((o.Prior + text) * gaussian(gap, o.Sigma))
	if ev.Anchors < o.MinAnchors {
		ev.Score = 0
	}
	return ev
}

// nameWeight is the weight of a name shared with a story of event: 1 for
// a name no other event carries, halved for each other event that does.
func (ix *Index) nameWeight(n, event string) float64 {
	others := len(ix.nameEvents[n])
	if ix.nameEvents[n][event] {
		others--
	}
	return 1 / (1 + math.Log1p(float64(others))/4)
}

func shared(a, b map[string]bool) []string {
	var out []string
	for _, k := range sortedKeys(a) {
		if b[k] {
			out = append(out, k)
		}
	}
	return out
}

// cosine is the cosine of two term-count vectors weighted by
// (1+ln tf)·idf, the idf over the stories added so far.
func (ix *Index) cosine(a, b map[string]float64) float64 {
	var dot, na, nb float64
	for w, ca := range a {
		x := ix.weight(w, ca)
		na += x * x
		if cb, ok := b[w]; ok {
			dot += x * ix.weight(w, cb)
		}
	}
	for w, cb := range b {
		y := ix.weight(w, cb)
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// conceptCosine is the cosine of two concept-count vectors, weighted as
// words are.
func (ix *Index) conceptCosine(a, b map[string]float64) float64 {
	pa, pb := make(map[string]float64, len(a)), make(map[string]float64, len(b))
	for c, n := range a {
		pa["#"+c] = n
	}
	for c, n := range b {
		pb["#"+c] = n
	}
	return ix.cosine(pa, pb)
}

func (ix *Index) weight(w string, tf float64) float64 {
	idf := math.Log(float64(ix.docs+1)/float64(ix.df[w]+1)) + 1
	return (1 + math.Log(tf)) * idf
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

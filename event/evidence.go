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

// query is a story being decided, with what its comparisons share: its
// names in order and its unit TF-IDF vectors of words and concepts.
type query struct {
	f               Features
	names           []string
	terms, concepts map[string]float64
}

func (ix *Index) query(f Features) query {
	return query{f: f, names: sortedKeys(f.Names), terms: ix.unit(f.Terms, ""), concepts: ix.unit(f.Concepts, "#")}
}

// compare scores the story q against one member of an event.
func (ix *Index) compare(q query, m member, event string) Evidence {
	o := ix.opts
	f := q.f
	ev := Evidence{With: m.key}
	var text float64
	for _, n := range q.names {
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
		ev.Cosine = dot(q.terms, m.terms)
		text += o.Cosine * ev.Cosine
	}
	ev.ConceptCosine = dot(q.concepts, m.concepts)
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
// a name no other event carries, 1/(1 + ln(1+n)/4) when n other events do.
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

// unit returns the unit vector of counts weighted by (1+ln tf)·idf, the
// idf over the stories added so far (a key's document frequency is filed
// under prefix+key).
func (ix *Index) unit(counts map[string]float64, prefix string) map[string]float64 {
	v := make(map[string]float64, len(counts))
	var norm float64
	for w, tf := range counts {
		idf := math.Log(float64(ix.docs+1)/float64(ix.df[prefix+w]+1)) + 1
		x := (1 + math.Log(tf)) * idf
		v[w] = x
		norm += x * x
	}
	if norm == 0 {
		return v
	}
	norm = math.Sqrt(norm)
	for w := range v {
		v[w] /= norm
	}
	return v
}

// dot is the dot product of two sparse vectors: their cosine when both
// are unit vectors.
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

func round2(x float64) float64 { return math.Round(x*100) / 100 }

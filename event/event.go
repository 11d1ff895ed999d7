// Package event groups stories into events: the independent reports of one
// happening, across outlets and languages. Each new story is compared with
// the stories of the events of the last days and joins the event of the
// best-matching one, or starts its own. The evidence is what survives
// translation — the names of people, places and organisations (the topic's
// own actors excluded: every story names them), numbers, dates and quoted
// phrases — and, within one language, the TF-IDF cosine of content words,
// all weighed by closeness in time (a Gaussian, as in Miranda et al. 2018,
// "Multilingual Clustering of Streaming News").
//
// The package is pure: no I/O, no other package of this module. The
// caller gives it the stories in the order they were decided.
package event

import (
	"math"
	"sort"
	"time"
)

// Options tune the decision; DefaultOptions gives the shipped values.
type Options struct {
	// Threshold is the score a story needs to join an event.
	Threshold float64
	// Sigma is the spread of the Gaussian time term.
	Sigma time.Duration
	// Span bounds an event: a story joins an event only within Span of the
	// event's first story.
	Span time.Duration
	// Weights of the evidence: per shared name, date, number and quoted
	// phrase, and of the cosine of words (same language only).
	Name, Date, Number, Quote, Cosine float64
	// ConceptCosine weighs the cosine of news concepts (lexicon.go),
	// which compares reports in any two languages.
	ConceptCosine float64
	// Prior is added to the text evidence before the time term: what two
	// reports on the topic close in time have in common before their texts
	// are read.
	Prior float64
	// MinAnchors is how many shared names, numbers, dates or quotes a
	// story needs with a story of an event to join it: words and concepts
	// alone never join two reports.
	MinAnchors int
	// Cohesion is the share of the threshold a story's mean score over an
	// event's stories must reach (0: any one story is enough), so that a
	// chain of reports each like the next does not pull in an event the
	// first ones do not resemble.
	Cohesion float64
	// ContentWord says which lower-case words count for the cosine; nil
	// means any word of three letters or more.
	ContentWord func(string) bool
}

// DefaultOptions returns the shipped options.
func DefaultOptions() Options {
	return Options{
		Threshold: 3, Sigma: 3 * 24 * time.Hour, Span: 21 * 24 * time.Hour,
		Name: 1, Date: 1, Number: 1, Quote: 1.5, Cosine: 6, ConceptCosine: 1, MinAnchors: 1, Cohesion: 0.5,
	}
}

// Undated is the time gap assumed for a member without a date (a seed):
// it is treated as three days away, one spread of the time term.
const Undated = 3 * 24 * time.Hour

// member is one story of an event.
type member struct {
	key string // the story's key ("story:ID", "seed:NAME")
	f   Features
	// terms and concepts are the story's unit TF-IDF vectors, weighted
	// with the document frequencies of the moment it was added.
	terms, concepts map[string]float64
}

// Event is a group of stories, keyed by its first story's key.
type Event struct {
	Key     string
	First   time.Time // the first member's published time (zero for a seed's)
	Last    time.Time // the latest time a member was added
	members []member
}

// Index holds the events of the last days, in memory.
type Index struct {
	opts   Options
	events []*Event
	byKey  map[string]*Event
	df     map[string]int // content-word document frequencies over the stories added
	docs   int
	// nameEvents counts, per name, the events whose stories named it: a
	// name many events share says little about any one of them.
	nameEvents map[string]map[string]bool
	// anchors lists, per anchor (anchorKeys), the stories that carry it,
	// so that a decision reads only the stories it shares one with.
	anchors map[string][]posting
}

// posting is one story of an event.
type posting struct {
	e *Event
	i int // index in e.members
}

// anchorKeys are the keys of the pieces of evidence that can tie a story
// to another: its specific names, numbers, dates and quotes.
func anchorKeys(f Features) []string {
	var out []string
	for n, w := range f.Names {
		if w == 1 {
			out = append(out, "n:"+n)
		}
	}
	for _, p := range []struct {
		prefix string
		set    map[string]bool
	}{{"#:", f.Numbers}, {"d:", f.Dates}, {"q:", f.Quotes}} {
		for k := range p.set {
			out = append(out, p.prefix+k)
		}
	}
	return out
}

// NewIndex returns an empty index.
func NewIndex(opts Options) *Index {
	if opts.ContentWord == nil {
		opts.ContentWord = anyWord
	}
	return &Index{opts: opts, byKey: map[string]*Event{}, df: map[string]int{}, nameEvents: map[string]map[string]bool{},
		anchors: map[string][]posting{}}
}

// Extract reads a story's features with the index's content words.
func (ix *Index) Extract(d Doc) Features { return Extract(d, ix.opts.ContentWord) }

// Add files the story key, with features f, in the event eventKey
// (starting it when it is new); at is when it was added.
func (ix *Index) Add(eventKey, key string, f Features, at time.Time) {
	e := ix.byKey[eventKey]
	if e == nil {
		e = &Event{Key: eventKey, First: f.Published}
		ix.byKey[eventKey] = e
		ix.events = append(ix.events, e)
	}
	if e.First.IsZero() || (!f.Published.IsZero() && f.Published.Before(e.First)) {
		e.First = f.Published
	}
	if at.After(e.Last) {
		e.Last = at
	}
	for w := range f.Terms {
		ix.df[w]++
	}
	for c := range f.Concepts {
		ix.df["#"+c]++
	}
	ix.docs++
	e.members = append(e.members, member{key: key, f: f, terms: ix.unit(f.Terms, ""), concepts: ix.unit(f.Concepts, "#")})
	ix.post(e, len(e.members)-1)
	for n := range f.Names {
		if ix.nameEvents[n] == nil {
			ix.nameEvents[n] = map[string]bool{}
		}
		ix.nameEvents[n][eventKey] = true
	}
}

// post files member i of e under its anchors.
func (ix *Index) post(e *Event, i int) {
	for _, k := range anchorKeys(e.members[i].f) {
		ix.anchors[k] = append(ix.anchors[k], posting{e, i})
	}
}

// Prune drops the events nothing was added to since before; the
// document frequencies stay.
func (ix *Index) Prune(before time.Time) {
	kept := ix.events[:0]
	for _, e := range ix.events {
		if e.Last.Before(before) && !e.First.IsZero() {
			delete(ix.byKey, e.Key)
			continue
		}
		kept = append(kept, e)
	}
	if len(kept) == len(ix.events) {
		return
	}
	clear(ix.events[len(kept):])
	ix.events = kept
	clear(ix.anchors)
	for _, e := range ix.events {
		for i := range e.members {
			ix.post(e, i)
		}
	}
}

// Len returns the number of events held.
func (ix *Index) Len() int { return len(ix.events) }

// Decision is the event decided for a story, with its evidence.
type Decision struct {
	Event     string  `json:"event"`   // the event joined, "" when the story starts its own
	Started   bool    `json:"started"` // the story starts its own event
	Score     float64 `json:"score"`   // the best candidate's score
	Threshold float64 `json:"threshold"`
	// Best is the evidence against the best-matching story (of the event
	// joined, or of the best event that fell short); nil when no event was
	// within reach.
	Best *Evidence `json:"best,omitempty"`
}

// Decide returns the event a story with features f belongs to: the event
// of the best-matching story within reach when its score reaches the
// threshold, else none (the story starts its own).
func (ix *Index) Decide(f Features) Decision {
	d := Decision{Started: true, Threshold: ix.opts.Threshold}
	var best *Evidence
	var bestEvent string
	q := ix.query(f)
	for e, cands := range ix.candidates(f) {
		if !e.First.IsZero() && !f.Published.IsZero() && absDur(f.Published.Sub(e.First)) > ix.opts.Span {
			continue
		}
		var eBest *Evidence
		var sum float64
		for _, i := range cands {
			ev := ix.compare(q, e.members[i], e.Key)
			sum += ev.Score
			if eBest == nil || ev.Score > eBest.Score || (ev.Score == eBest.Score && ev.With < eBest.With) {
				eBest = &ev
			}
		}
		if n := len(e.members); ix.opts.Cohesion > 0 && n > 1 && sum/float64(n) < ix.opts.Cohesion*ix.opts.Threshold {
			eBest.Score = min(eBest.Score, round2(sum/float64(n)/ix.opts.Cohesion))
		}
		if best == nil || eBest.Score > best.Score || (eBest.Score == best.Score && e.Key < bestEvent) {
			best, bestEvent = eBest, e.Key
		}
	}
	if best == nil {
		return d
	}
	d.Best, d.Score = best, best.Score
	if best.Score >= ix.opts.Threshold {
		d.Event, d.Started = bestEvent, false
	}
	return d
}

// candidates returns, per event, the stories f may join: those sharing an
// anchor with it, or every story when no anchor is required.
func (ix *Index) candidates(f Features) map[*Event][]int {
	out := make(map[*Event][]int)
	if ix.opts.MinAnchors <= 0 {
		for _, e := range ix.events {
			for i := range e.members {
				out[e] = append(out[e], i)
			}
		}
		return out
	}
	seen := make(map[posting]bool)
	for _, k := range anchorKeys(f) {
		for _, p := range ix.anchors[k] {
			if !seen[p] {
				seen[p] = true
				out[p.e] = append(out[p.e], p.i)
			}
		}
	}
	return out
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// gaussian is the time term: 1 at no gap, e^-1/2 at one sigma.
func gaussian(gap, sigma time.Duration) float64 {
	x := gap.Hours() / sigma.Hours()
	return math.Exp(-x * x / 2)
}

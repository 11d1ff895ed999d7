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
}

// NewIndex returns an empty index.
func NewIndex(opts Options) *Index {
	if opts.ContentWord == nil {
		opts.ContentWord = anyWord
	}
	return &Index{opts: opts, byKey: map[string]*Event{}, df: map[string]int{}, nameEvents: map[string]map[string]bool{}}
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
	e.members = append(e.members, member{key: key, f: f})
	for w := range f.Terms {
		ix.df[w]++
	}
	for c := range f.Concepts {
		ix.df["#"+c]++
	}
	for n := range f.Names {
		if ix.nameEvents[n] == nil {
			ix.nameEvents[n] = map[string]bool{}
		}
		ix.nameEvents[n][eventKey] = true
	}
	ix.docs++
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
	clear(ix.events[len(kept):])
	ix.events = kept
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
	for _, e := range ix.events {
		if !e.First.IsZero() && !f.Published.IsZero() && absDur(f.Published.Sub(e.First)) > ix.opts.Span {
			continue
		}
		cands := e.members
		var eBest *Evidence
		var sum float64
		for _, m := range cands {
			ev := ix.compare(f, m, e.Key)
			sum += ev.Score
			if eBest == nil || ev.Score > eBest.Score {
				eBest = &ev
			}
		}
		if eBest == nil {
			continue
		}
		if ix.opts.Cohesion > 0 && len(cands) > 1 && sum/float64(len(cands)) < ix.opts.Cohesion*ix.opts.Threshold {
			eBest.Score = min(eBest.Score, round2(sum/float64(len(cands))/ix.opts.Cohesion))
		}
		if best == nil || eBest.Score > best.Score {
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

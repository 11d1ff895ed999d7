package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Targets are the quality the project promises on its evaluation corpus.
type Targets struct {
	CopyRecall      float64       // recall of labelled copy pairs
	CopyPrecision   float64       // precision of near-duplicate decisions (labelled pairs and dup_of)
	SameEventMerges int           // independent reports of one event merged, at most
	TopicF1         float64       // topic relevance F1, at least
	MaxElapsed      time.Duration // the whole evaluation, at most
	// Events: pairwise precision and recall of event co-membership, and
	// the recall of English–Indonesian pairs, at least.
	EventPrecision, EventRecall, EventCrossLangRecall float64
}

// DefaultTargets are the targets of the project's quality issue.
func DefaultTargets() Targets {
	return Targets{CopyRecall: 0.98, CopyPrecision: 0.99, SameEventMerges: 0, TopicF1: 0.95, MaxElapsed: 10 * time.Second,
		EventPrecision: 0.97, EventRecall: 0.75, EventCrossLangRecall: 0.5}
}

// Check is one target and whether it was met.
type Check struct {
	Name string `json:"name"`
	Want string `json:"want"`
	Got  string `json:"got"`
	Met  bool   `json:"met"`
	// Open marks a target the program does not meet yet (the event
	// targets of issue 11): reported, marked MISS, but Met ignores it.
	Open bool `json:"open,omitempty"`
}

// Report is the outcome of one evaluation.
type Report struct {
	Corpus    string
	Items     int
	Pairs     int
	Ours      Scores
	Baselines []Scores // exact URL/GUID; title trigrams
	Elapsed   time.Duration
	Checks    []Check
	Decisions []Prediction // ours, in corpus order
	// Events are the event scores: ours first, then the baselines.
	Events []EventScores
	// Dense is set when the corpus was replayed densified (Densify).
	Dense bool
}

// Met reports whether every check passed, open ones aside.
func (r *Report) Met() bool {
	for _, c := range r.Checks {
		if !c.Met && !c.Open {
			return false
		}
	}
	return true
}

// Run replays c through the pipeline and the baselines, scores all three
// and checks the targets.
func Run(ctx context.Context, c *Corpus, opts Options, targets Targets) (*Report, error) {
	start := time.Now()
	if opts.Dense {
		c = Densify(c)
	}
	ours, err := Replay(ctx, c, opts)
	if err != nil {
		return nil, err
	}
	r := &Report{Corpus: c.Dir, Items: len(c.Items), Pairs: len(c.Pairs), Dense: opts.Dense}
	r.Ours = Score("aggregator", c, ours)
	r.Baselines = []Scores{
		Score("exact URL/GUID", c, BaselineURL(c)),
		Score("title trigrams ≥ 0.75 in 24 h", c, BaselineTrigram(c)),
	}
	for _, it := range c.Items {
		r.Decisions = append(r.Decisions, ours[it.ID])
	}
	r.Events = []EventScores{
		ScoreEvents("aggregator", c, ours, opts.AllOnTopic),
		BaselineNewsBlur(c, opts.AllOnTopic),
		BaselineCosine(c, opts.AllOnTopic),
	}
	r.Elapsed = time.Since(start)
	r.Checks = append(check(r, targets), eventChecks(r, targets)...)
	return r, nil
}

func check(r *Report, t Targets) []Check {
	o := r.Ours
	prec := min(o.Pairs.All.Precision(), o.DupOf.All.Precision())
	checks := []Check{
		{Name: "labelled copy pairs found (recall)", Want: fmt.Sprintf("≥ %.2f", t.CopyRecall),
			Got: fmt.Sprintf("%.3f (%d/%d)", o.CopyPairs.Recall(), o.CopyPairs.TP, o.CopyPairs.TP+o.CopyPairs.FN),
			Met: o.CopyPairs.Recall() >= t.CopyRecall},
		{Name: "near-duplicate precision (labelled pairs, dup_of)", Want: fmt.Sprintf("≥ %.2f", t.CopyPrecision),
			Got: fmt.Sprintf("%.3f", prec), Met: prec >= t.CopyPrecision},
		{Name: "same-event reports merged", Want: fmt.Sprintf("≤ %d", t.SameEventMerges),
			Got: fmt.Sprint(o.SameEventMerges), Met: o.SameEventMerges <= t.SameEventMerges},
		{Name: "topic relevance F1", Want: fmt.Sprintf("≥ %.2f", t.TopicF1),
			Got: fmt.Sprintf("%.3f", o.Topic.All.F1()), Met: o.Topic.All.F1() >= t.TopicF1},
	}
	for _, b := range r.Baselines {
		for _, m := range []struct {
			name     string
			us, them Counts
		}{
			{"labelled pairs F1", o.Pairs.All, b.Pairs.All},
			{"dup_of F1", o.DupOf.All, b.DupOf.All},
			{"clustering F1", o.Clusters, b.Clusters},
		} {
			// Ahead: a higher F1, or both perfect.
			ahead := m.us.F1() > m.them.F1() || m.us.F1() == 1
			checks = append(checks, Check{Name: m.name + " ahead of " + b.System, Want: fmt.Sprintf("> %.3f", m.them.F1()),
				Got: fmt.Sprintf("%.3f", m.us.F1()), Met: ahead})
		}
		checks = append(checks, Check{Name: "false merges no more than " + b.System, Want: fmt.Sprintf("≤ %d", b.FalseMerges),
			Got: fmt.Sprint(o.FalseMerges), Met: o.FalseMerges <= b.FalseMerges})
	}
	checks = append(checks, Check{Name: "evaluation time", Want: fmt.Sprintf("< %s", t.MaxElapsed),
		Got: r.Elapsed.Round(time.Millisecond).String(), Met: r.Elapsed < t.MaxElapsed})
	return checks
}

// WriteText writes the human report.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("corpus %s: %d items, %d labelled pairs; replayed in %s\n\n", r.Corpus, r.Items, r.Pairs, r.Elapsed.Round(time.Millisecond))
	systems := append([]Scores{r.Ours}, r.Baselines...)
	section := func(title string, get func(Scores) Split) {
		ew.printf("%s\n", title)
		ew.printf("  %-32s %-26s %-26s %s\n", "system", "all  P / R / F1", "real  P / R / F1", "written  P / R / F1")
		for _, s := range systems {
			sp := get(s)
			ew.printf("  %-32s %-26s %-26s %s\n", s.System, prf(sp.All), prf(sp.Real), prf(sp.Written))
		}
		ew.printf("\n")
	}
	section("topic relevance (on_topic; the baselines show every item)", func(s Scores) Split { return s.Topic })
	section("near-duplicates, labelled pairs (pairs.csv is_near_duplicate)", func(s Scores) Split { return s.Pairs })
	section("near-duplicates, per item (labels.csv dup_of)", func(s Scores) Split { return s.DupOf })

	ew.printf("story clustering (pairs of items, and items with seeds, in one cluster)\n")
	ew.printf("  %-32s %-26s %-14s %-18s %s\n", "system", "P / R / F1", "false merges", "of them same-event", "copies left apart")
	for _, s := range systems {
		ew.printf("  %-32s %-26s %-14d %-18d %d\n", s.System, prf(s.Clusters), s.FalseMerges, s.SameEventMerges, s.ApartCopies)
	}
	if len(r.Ours.SameEventExamples) > 0 {
		ew.printf("  same-event reports we merged: %s\n", strings.Join(r.Ours.SameEventExamples, ", "))
	}
	ew.printf("\nlabelled pairs by relation (pairs predicted near-duplicate / pairs)\n")
	rels := make([]string, 0, len(r.Ours.PairsByRelation))
	for k := range r.Ours.PairsByRelation {
		rels = append(rels, k)
	}
	sort.Strings(rels)
	ew.printf("  %-32s", "system")
	for _, k := range rels {
		ew.printf(" %-14s", k)
	}
	ew.printf("\n")
	for _, s := range systems {
		ew.printf("  %-32s", s.System)
		for _, k := range rels {
			n := s.PairsByRelation[k]
			ew.printf(" %-14s", fmt.Sprintf("%d/%d", n[1], n[0]))
		}
		ew.printf("\n")
	}
	r.writeEvents(ew)
	ew.printf("\ntargets\n")
	for _, c := range r.Checks {
		mark := "ok  "
		if !c.Met {
			mark = "MISS"
			if c.Open {
				mark = "open"
			}
		}
		ew.printf("  %s %-62s %-8s got %s\n", mark, c.Name, c.Want, c.Got)
	}
	if r.Met() {
		ew.printf("all targets met (\"open\": a target not met yet, reported but not failing)\n")
	} else {
		ew.printf("targets missed\n")
	}
	return ew.err
}

func prf(c Counts) string {
	return fmt.Sprintf("%.3f / %.3f / %.3f", c.Precision(), c.Recall(), c.F1())
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// jsonMetrics is a confusion matrix with its rates, as --json prints it.
type jsonMetrics struct {
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	TN        int     `json:"tn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func metrics(c Counts) jsonMetrics {
	return jsonMetrics{TP: c.TP, FP: c.FP, FN: c.FN, TN: c.TN, Precision: round3(c.Precision()), Recall: round3(c.Recall()), F1: round3(c.F1())}
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

type jsonSplit struct {
	All     jsonMetrics `json:"all"`
	Real    jsonMetrics `json:"real"`
	Written jsonMetrics `json:"written"`
}

func split(s Split) jsonSplit {
	return jsonSplit{All: metrics(s.All), Real: metrics(s.Real), Written: metrics(s.Written)}
}

type jsonScores struct {
	System          string            `json:"system"`
	Topic           jsonSplit         `json:"topic"`
	Pairs           jsonSplit         `json:"pairs"`
	PairsByRelation map[string][2]int `json:"pairs_by_relation"`
	CopyPairs       jsonMetrics       `json:"copy_pairs"`
	DupOf           jsonSplit         `json:"dup_of"`
	Clusters        jsonMetrics       `json:"clusters"`
	FalseMerges     int               `json:"false_merges"`
	SameEventMerges int               `json:"same_event_merges"`
	ApartCopies     int               `json:"copies_left_apart"`
}

func scoresJSON(s Scores) jsonScores {
	return jsonScores{System: s.System, Topic: split(s.Topic), Pairs: split(s.Pairs), PairsByRelation: s.PairsByRelation,
		CopyPairs: metrics(s.CopyPairs), DupOf: split(s.DupOf), Clusters: metrics(s.Clusters),
		FalseMerges: s.FalseMerges, SameEventMerges: s.SameEventMerges, ApartCopies: s.ApartCopies}
}

// jsonDecision is one item's decision in the format any scorer can read.
type jsonDecision struct {
	ID      string  `json:"id"`
	OnTopic bool    `json:"on_topic"`
	DupOf   *string `json:"dup_of"`
	Story   *string `json:"story"`
	Event   *string `json:"event"`
	Verdict string  `json:"verdict"`
}

// WriteJSON writes the metrics of every system, the checks and every item's
// decision as one JSON document.
func (r *Report) WriteJSON(w io.Writer) error {
	doc := struct {
		Corpus    string         `json:"corpus"`
		Items     int            `json:"item_count"`
		Pairs     int            `json:"pair_count"`
		ElapsedMS int64          `json:"elapsed_ms"`
		Systems   []jsonScores   `json:"systems"`
		Targets   []Check        `json:"targets"`
		Met       bool           `json:"targets_met"`
		Events    []jsonEvents   `json:"events"`
		Dense     bool           `json:"dense"`
		Decisions []jsonDecision `json:"items"`
	}{Dense: r.Dense, Events: eventsJSON(r.Events), Corpus: r.Corpus, Items: r.Items, Pairs: r.Pairs, ElapsedMS: r.Elapsed.Milliseconds(), Targets: r.Checks, Met: r.Met()}
	doc.Systems = append(doc.Systems, scoresJSON(r.Ours))
	for _, b := range r.Baselines {
		doc.Systems = append(doc.Systems, scoresJSON(b))
	}
	for _, d := range r.Decisions {
		jd := jsonDecision{ID: d.ID, OnTopic: d.OnTopic, Verdict: d.Verdict}
		if d.Event != "" {
			v := d.Event
			jd.Event = &v
		}
		if d.DupOf != "" {
			v := d.DupOf
			jd.DupOf = &v
		}
		if d.Story != "" {
			v := d.Story
			jd.Story = &v
		}
		doc.Decisions = append(doc.Decisions, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("eval: write json: %w", err)
	}
	return nil
}

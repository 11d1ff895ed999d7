package eval

import (
	"fmt"
	"strings"
)

// maxListedMerges is how many false event merges the text report lists.
const maxListedMerges = 20

// eventChecks are the event targets: precision (also on a dense replay),
// recall and English–Indonesian recall, and an F1 ahead of each baseline.
// A dense replay checks precision only: the calendar no longer separates
// the events there.
func eventChecks(r *Report, t Targets) []Check {
	if len(r.Events) == 0 {
		return nil
	}
	o := r.Events[0]
	suffix := ""
	if r.Dense {
		suffix = " (dense replay)"
	}
	checks := []Check{{Name: "event pairs precision" + suffix, Want: fmt.Sprintf("≥ %.2f", t.EventPrecision),
		Got: fmt.Sprintf("%.3f", o.Pairs.Precision()), Met: o.Pairs.Precision() >= t.EventPrecision}}
	if r.Dense {
		checks[0].Open = true
		return checks
	}
	checks = append(checks,
		Check{Name: "event pairs recall", Want: fmt.Sprintf("≥ %.2f", t.EventRecall),
			Got: fmt.Sprintf("%.3f", o.Pairs.Recall()), Met: o.Pairs.Recall() >= t.EventRecall},
		Check{Name: "event pairs recall, English–Indonesian", Want: fmt.Sprintf("≥ %.2f", t.EventCrossLangRecall),
			Got: fmt.Sprintf("%.3f", o.CrossLang.Recall()), Met: o.CrossLang.Recall() >= t.EventCrossLangRecall})
	for _, b := range r.Events[1:] {
		checks = append(checks, Check{Name: "event F1 ahead of " + b.System, Want: fmt.Sprintf("> %.3f", b.Pairs.F1()),
			Got: fmt.Sprintf("%.3f", o.Pairs.F1()), Met: o.Pairs.F1() > b.Pairs.F1()})
	}
	for i := range checks {
		checks[i].Open = true
	}
	return checks
}

// writeEvents writes the event section of the text report.
func (r *Report) writeEvents(ew *errWriter) {
	if len(r.Events) == 0 {
		return
	}
	title := "events (pairs of on-topic items in one event, against the story labels)"
	if r.Dense {
		title += ", dense replay: every event begins in the same week"
	}
	ew.printf("\n%s\n", title)
	ew.printf("  %-32s %-26s %-26s %s\n", "system", "all  P / R / F1", "en–id  P / R / F1", "false merges")
	for _, s := range r.Events {
		name := s.System
		if s.Threshold > 0 {
			name += fmt.Sprintf(" ≥ %.2f", s.Threshold)
		}
		ew.printf("  %-32s %-26s %-26s %d\n", name, prf(s.Pairs), prf(s.CrossLang), len(s.FalseMerges))
	}
	o := r.Events[0]
	for i, m := range o.FalseMerges {
		if i == maxListedMerges {
			ew.printf("  … and %d more\n", len(o.FalseMerges)-i)
			break
		}
		ew.printf("  false merge %s (%s) + %s (%s) in %s: %s\n", m.A, m.EventA, m.B, m.EventB, m.Event, strings.TrimSpace(m.Evidence))
	}
}

type jsonEventMerge struct {
	A        string `json:"a"`
	B        string `json:"b"`
	EventA   string `json:"label_a"`
	EventB   string `json:"label_b"`
	Event    string `json:"event"`
	Evidence string `json:"evidence,omitempty"`
}

type jsonEvents struct {
	System      string           `json:"system"`
	Threshold   float64          `json:"threshold,omitempty"`
	Pairs       jsonMetrics      `json:"pairs"`
	CrossLang   jsonMetrics      `json:"pairs_en_id"`
	FalseMerges []jsonEventMerge `json:"false_merges"`
}

func eventsJSON(es []EventScores) []jsonEvents {
	out := make([]jsonEvents, 0, len(es))
	for _, s := range es {
		j := jsonEvents{System: s.System, Threshold: s.Threshold, Pairs: metrics(s.Pairs), CrossLang: metrics(s.CrossLang),
			FalseMerges: []jsonEventMerge{}}
		for _, m := range s.FalseMerges {
			j.FalseMerges = append(j.FalseMerges, jsonEventMerge(m))
		}
		out = append(out, j)
	}
	return out
}

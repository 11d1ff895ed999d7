package eval

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"aggregator"
)

// fillEvents fills Event: the event of the item's story, or the seed's
// event for a copy of a seed.
func (r *replay) fillEvents(ctx context.Context, preds map[string]Prediction) error {
	type event struct{ key, evidence string }
	byStory := make(map[string]event)
	for id, pr := range preds {
		switch {
		case pr.Story != "":
			ev, ok := byStory[pr.Story]
			if !ok {
				sid, _ := strconv.ParseInt(pr.Story, 10, 64)
				st, err := r.store.StoryByID(ctx, sid)
				if err != nil {
					return fmt.Errorf("eval: story %s: %w", pr.Story, err)
				}
				ev = event{st.Event, string(st.EventEvidence)}
				byStory[pr.Story] = ev
			}
			pr.Event, pr.EventEvidence = ev.key, ev.evidence
		case pr.Verdict == string(aggregator.VerdictSeedCopy):
			pr.Event = pr.MatchKey
		}
		preds[id] = pr
	}
	return nil
}

// Densify returns a copy of c whose dates are moved so that every labelled
// event begins in the same week: the events, in label order, start on the
// seven days of the week of 1 January 2024 in turn, and each item keeps its
// offset from the first item of its event. An item without an event keeps
// its weekday's offset within that week. It is the dense replay: a real
// feed carries several events of one topic in one week, so precision there
// must come from the text, not from the calendar.
func Densify(c *Corpus) *Corpus {
	order := c.ReplayOrder()
	first := make(map[string]time.Time)
	for _, it := range order {
		if _, ok := first[it.Story]; !ok && it.Story != "" {
			first[it.Story] = it.Published
		}
	}
	labels := make([]string, 0, len(first))
	for l := range first {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	start := make(map[string]time.Time, len(labels))
	for i, l := range labels {
		start[l] = base.AddDate(0, 0, i%7)
	}
	dated := make(map[string]time.Time, len(order))
	for _, it := range order {
		if it.Story != "" {
			dated[it.ID] = start[it.Story].Add(it.Published.Sub(first[it.Story]))
		} else {
			dated[it.ID] = base.AddDate(0, 0, int(it.Published.Weekday())).Add(it.Published.Sub(it.Published.Truncate(24 * time.Hour)))
		}
	}
	out := *c
	out.Items = make([]Item, len(c.Items))
	for i, it := range c.Items {
		it.Published = dated[it.ID]
		out.Items[i] = it
	}
	return &out
}

// EventScores are the pairwise event co-membership scores of one system:
// every pair of on-topic items, predicted together when the system put
// them in one event, truth when they carry one story label.
type EventScores struct {
	System string
	// Threshold is the threshold the system ran at, for a baseline tuned
	// to its best; 0 when it has none.
	Threshold float64
	Pairs     Counts
	// CrossLang counts the pairs of an English and an Indonesian item.
	CrossLang Counts
	// FalseMerges lists the pairs put together that are not of one event.
	FalseMerges []EventMerge
}

// EventMerge is one falsely merged pair, with our evidence.
type EventMerge struct {
	A, B            string // item ids, A the earlier in replay order
	EventA, EventB  string // their labels
	Event, Evidence string // the event joined and the stored evidence of the later item's story
}

// eventOf is the event an item was put in by preds, its own id when none.
func eventOf(preds map[string]Prediction, id string) string {
	if ev := preds[id].Event; ev != "" {
		return ev
	}
	return "item:" + id
}

// ScoreEvents compares the events of preds with the story labels of the
// on-topic items of c (every item when allOnTopic).
func ScoreEvents(system string, c *Corpus, preds map[string]Prediction, allOnTopic bool) EventScores {
	s := EventScores{System: system}
	var items []Item
	for _, it := range c.ReplayOrder() {
		if it.OnTopic || allOnTopic {
			items = append(items, it)
		}
	}
	label := func(it Item) string {
		if it.Story == "" {
			return "item:" + it.ID
		}
		return it.Story
	}
	for i, a := range items {
		for _, b := range items[i+1:] {
			pred, truth := eventOf(preds, a.ID) == eventOf(preds, b.ID), label(a) == label(b)
			s.Pairs.add(pred, truth)
			if (a.Lang == "en" && b.Lang == "id") || (a.Lang == "id" && b.Lang == "en") {
				s.CrossLang.add(pred, truth)
			}
			if pred && !truth {
				s.FalseMerges = append(s.FalseMerges, EventMerge{A: a.ID, B: b.ID, EventA: label(a), EventB: label(b),
					Event: preds[b.ID].Event, Evidence: preds[b.ID].EventEvidence})
			}
		}
	}
	return s
}

package main

import (
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/event"
)

func TestExplainSaysAFutureDateWasReplaced(t *testing.T) {
	seen := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	it := aggregator.Item{Title: "t", URL: "https://e.example/1", Published: seen, FirstSeen: seen,
		FeedPublished: seen.AddDate(0, 1, 0), Decision: aggregator.Decision{Verdict: aggregator.VerdictNew}}
	var b strings.Builder
	printExplanation(&b, aggregator.Explanation{Item: aggregator.SourcedItem{Item: it, SourceName: "e"}})
	want := "published:   2026-03-10 09:00:00Z (the first-seen time: the feed's date, 2026-04-10 09:00:00Z, was more than a day in the future and was replaced)"
	if !strings.Contains(b.String(), want) {
		t.Errorf("explain prints\n%s\nwant the line %q", b.String(), want)
	}
}

func TestExplainShowsTheLanguage(t *testing.T) {
	for lang, want := range map[string]string{"id": "language:    id\n", "": "language:    unknown"} {
		it := aggregator.Item{Title: "t", URL: "https://e.example/1", Language: lang, Decision: aggregator.Decision{Verdict: aggregator.VerdictNew}}
		var b strings.Builder
		printExplanation(&b, aggregator.Explanation{Item: aggregator.SourcedItem{Item: it, SourceName: "e"}})
		if !strings.Contains(b.String(), want) {
			t.Errorf("explain prints\n%s\nwant %q", b.String(), want)
		}
	}
}

func TestExplainShowsTheEventEvidence(t *testing.T) {
	var b strings.Builder
	printEvent(&b, aggregator.EventExplanation{
		Story: aggregator.Story{ID: 3, Event: "story:1"}, Stored: true, Event: "story 1: NIS says (wire)", With: "story 1: NIS says (wire)",
		Decision: aggregator.EventDecision{Event: "story:1", Score: 4.2, Threshold: 3, Best: &eventEvidence},
	})
	for _, want := range []string{"event:       story:1 (story 1: NIS says (wire))", "joined: score 4.20, threshold 3.00",
		"shared names: kursk, nis", "shared numbers: 10000, 3000", "time gap 2.0 h"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("explain prints\n%s\nwant %q", b.String(), want)
		}
	}
}

var eventEvidence = event.Evidence{With: "story:1", Names: []string{"kursk", "nis"}, Numbers: []string{"10000", "3000"}, GapHours: 2, Time: 0.99, Text: 4.3, Score: 4.2}

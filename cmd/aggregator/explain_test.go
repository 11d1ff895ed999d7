package main

import (
	"strings"
	"testing"
	"time"

	"aggregator"
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

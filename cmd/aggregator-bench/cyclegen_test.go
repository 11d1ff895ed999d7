package main

import (
	"bytes"
	"testing"
	"time"

	"aggregator/fetch"
)

// TestCycleGenFeeds checks the poll-cycle benchmark's upstream: every feed
// is 30–60 KB with 20 entries that parse, RSS and Atom in turn, generating
// a feed again gives the same bytes, and some articles are carried by more
// than one feed (wire copies), so that the benchmark exercises folding.
func TestCycleGenFeeds(t *testing.T) {
	base := time.Date(2025, 11, 10, 8, 0, 0, 0, time.UTC)
	gen, err := newCycleGen(corpusDefault(), 1, base)
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	origin := "http://127.0.0.1:1"
	bodies := map[string]int{} // first paragraph → feeds carrying it
	for s := range n {
		f := gen.feed(origin, s, n)
		if len(f.body) < cycleMinBytes || len(f.body) > cycleMaxBytes {
			t.Errorf("feed %d: %d bytes, want 30–60 KB", s, len(f.body))
		}
		again := gen.feed(origin, s, n)
		if !bytes.Equal(f.body, again.body) || f.etag != again.etag {
			t.Errorf("feed %d: generated twice, the bytes differ", s)
		}
		wantAtom := s%2 == 1
		if gotAtom := bytes.Contains(f.body[:200], []byte("<feed ")); gotAtom != wantAtom {
			t.Errorf("feed %d: Atom %v, want %v", s, gotAtom, wantAtom)
		}
		parsed, err := fetch.Parse(f.body, f.contentType, origin+"/feeds/x.xml")
		if err != nil {
			t.Fatalf("feed %d: %v", s, err)
		}
		if len(parsed.Entries) != cycleItems {
			t.Errorf("feed %d: %d entries, want %d", s, len(parsed.Entries), cycleItems)
		}
		seen := map[string]bool{}
		for _, e := range parsed.Entries {
			if e.Text == "" || e.URL == "" || e.Published.IsZero() {
				t.Errorf("feed %d: entry %q lacks text, link or date", s, e.GUID)
			}
			lead := e.Text[:min(len(e.Text), 200)]
			if !seen[lead] {
				seen[lead] = true
				bodies[lead]++
			}
		}
	}
	shared := 0
	for _, c := range bodies {
		if c > 1 {
			shared++
		}
	}
	if shared == 0 {
		t.Error("no article is carried by more than one feed")
	}
}

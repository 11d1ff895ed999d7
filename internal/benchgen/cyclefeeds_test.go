package benchgen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"aggregator/fetch"
)

// newsCorpus is the news-id corpus of the shared test data when
// AGGREGATOR_SHARED is set, else "" (sentences of seed words).
func newsCorpus() string {
	if dir := os.Getenv("AGGREGATOR_SHARED"); dir != "" {
		return filepath.Join(dir, "testdata", "news-id", "detik-1000.csv")
	}
	return ""
}

// TestCycleFeeds checks the poll-cycle benchmark's upstream: every feed
// is 30–60 KB with 20 entries that parse, RSS and Atom in turn, generating
// a feed again gives the same bytes, and some articles are carried by more
// than one feed (wire copies), so that the benchmark exercises folding.
func TestCycleFeeds(t *testing.T) {
	base := time.Date(2025, 11, 10, 8, 0, 0, 0, time.UTC)
	gen, err := NewCycleFeeds(newsCorpus(), 1, base)
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	origin := "http://127.0.0.1:1"
	bodies := map[string]int{} // first paragraph → feeds carrying it
	for s := range n {
		f := gen.Feed(origin, s, n)
		if len(f.Body) < CycleMinBytes || len(f.Body) > CycleMaxBytes {
			t.Errorf("feed %d: %d bytes, want 30–60 KB", s, len(f.Body))
		}
		again := gen.Feed(origin, s, n)
		if !bytes.Equal(f.Body, again.Body) || f.ETag != again.ETag {
			t.Errorf("feed %d: generated twice, the bytes differ", s)
		}
		wantAtom := s%2 == 1
		if gotAtom := bytes.Contains(f.Body[:200], []byte("<feed ")); gotAtom != wantAtom {
			t.Errorf("feed %d: Atom %v, want %v", s, gotAtom, wantAtom)
		}
		parsed, err := fetch.Parse(f.Body, f.ContentType, origin+"/feeds/x.xml")
		if err != nil {
			t.Fatalf("feed %d: %v", s, err)
		}
		if len(parsed.Entries) != CycleItems {
			t.Errorf("feed %d: %d entries, want %d", s, len(parsed.Entries), CycleItems)
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

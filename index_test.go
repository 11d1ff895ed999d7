package aggregator_test

import (
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/seeds"
	"aggregator/store/sqlite"
)

// TestIndexSurvivesRestart decides a second batch of entries after a
// restart, with the index rebuilt from the compact keys and sketches stored
// with each item (so that earlier stories are judged on their sketches, not
// their shingle sets), and again after the keys were lost (so that they are
// written back), and requires the same outcomes as without a restart.
func TestIndexSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("dedupe", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	article, offtopic := read("article.txt"), read("offtopic.txt")
	clock := newTestClock()
	entry := func(guid, title, text string) fetch.Entry {
		return fetch.Entry{GUID: guid, Title: title, Text: fetch.NormalizeText(text), Published: clock.Now()}
	}
	lead := strings.Join(strings.SplitN(strings.TrimSpace(article), "\n", 3)[:2], "\n")
	first := []fetch.Entry{entry("a", "Menlu Korut tiba di Moskow", article), entry("o", "Puting beliung rusak rumah di Bogor", offtopic)}
	second := []fetch.Entry{entry("a2", "Choe Son Hui di Moskow", lead), entry("o2", "Puting beliung di Bogor", offtopic)}
	src := aggregator.Source{Name: "s", URL: "http://127.0.0.1/feed"}

	open := func(path string) (*sqlite.Store, *aggregator.Pipeline) {
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		opts := aggregator.Options{Dedupe: dedupe.DefaultConfig(), Window: 30 * 24 * time.Hour, Seeds: seeds.Embedded(), Now: clock.Now}
		p, err := aggregator.New(ctx, st, fetch.New(fetch.Options{}, nil, nil), opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		return st, p
	}
	ingest := func(p *aggregator.Pipeline, entries []fetch.Entry) []aggregator.Item {
		outs, err := p.Ingest(ctx, src, entries)
		if err != nil {
			t.Fatal(err)
		}
		return outs
	}

	// Without a restart.
	_, ref := open(filepath.Join(t.TempDir(), "ref.db"))
	ingest(ref, first)
	want := ingest(ref, second)
	if want[0].Decision.Verdict != aggregator.VerdictStoryCopy || want[1].Decision.Verdict != aggregator.VerdictStoryCopy {
		t.Fatalf("reference outcomes %+v: the test needs two copies", want)
	}

	for _, lost := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "state.db")
		st, p := open(path)
		ingest(p, first)
		st.Close()
		if lost {
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`DELETE FROM index_keys`); err != nil {
				t.Fatal(err)
			}
			db.Close()
		}
		st, p = open(path)
		keys := 0
		if err := st.IndexEntries(ctx, time.Time{}, func(e aggregator.IndexEntry) error {
			if e.Keys != nil {
				keys++
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if keys != 2 {
			t.Errorf("lost keys %v: %d of 2 index entries have their keys stored after start-up", lost, keys)
		}
		got := ingest(p, second)
		if est := aggregator.IndexStats(p).Estimated; !lost && est == 0 {
			t.Error("no candidate was judged on its stored sketch: the restart case is not exercised")
		}
		// Judged on stored sketches, the scores are estimates (dedupe's
		// sketch.go); entries filed again from their texts are compared exactly.
		tolerance := 0.0
		if !lost {
			tolerance = 0.1
		}
		for i := range want {
			g, w := got[i].Decision, want[i].Decision
			if g.Verdict != w.Verdict || g.Match != w.Match ||
				math.Abs(g.Resemblance-w.Resemblance) > tolerance || math.Abs(g.Containment-w.Containment) > tolerance {
				t.Errorf("lost keys %v: after a restart %+v, without %+v", lost, g, w)
			}
		}
	}
}

package event

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"aggregator/dedupe"
)

// corpusItem is an on-topic item of the shared corpus with its event label.
type corpusItem struct {
	ID, Lang, Title, Body, Event string
	Published                    time.Time
}

// loadCorpus reads the on-topic items of the shared corpus, in published
// order; the test is skipped when AGGREGATOR_SHARED is unset.
func loadCorpus(t testing.TB) []corpusItem {
	t.Helper()
	shared := os.Getenv("AGGREGATOR_SHARED")
	if shared == "" {
		t.Skip("AGGREGATOR_SHARED is not set: it names the shared data directory (testdata/corpus)")
	}
	dir := filepath.Join(shared, "testdata", "corpus")
	lf, err := os.Open(filepath.Join(dir, "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	rows, err := csv.NewReader(lf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	events := map[string]string{}
	for _, r := range rows[1:] {
		if r[1] == "1" {
			events[r[0]] = r[2]
		}
	}
	f, err := os.Open(filepath.Join(dir, "items.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusItem
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var j struct{ ID, Lang, Published, Title, Body string }
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			t.Fatal(err)
		}
		ev, ok := events[j.ID]
		if !ok {
			continue
		}
		pub, err := time.Parse("2006-01-02", j.Published)
		if err != nil {
			t.Fatalf("%s: %v", j.ID, err)
		}
		out = append(out, corpusItem{ID: j.ID, Lang: j.Lang, Title: j.Title, Body: j.Body, Event: ev, Published: pub})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Published.Before(out[j].Published) })
	return out
}

// densify moves every event's items so that the events begin within one
// week, keeping the offsets within an event.
func densify(items []corpusItem) []corpusItem {
	first := map[string]time.Time{}
	var names []string
	for _, it := range items {
		if f, ok := first[it.Event]; !ok || it.Published.Before(f) {
			if !ok {
				names = append(names, it.Event)
			}
			first[it.Event] = it.Published
		}
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]corpusItem, len(items))
	for i, it := range items {
		idx := sort.SearchStrings(sortedCopy(names), it.Event)
		start := base.Add(time.Duration(idx%7) * 24 * time.Hour)
		it.Published = start.Add(it.Published.Sub(first[it.Event]))
		out[i] = it
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Published.Before(out[j].Published) })
	return out
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

type pairCounts struct{ tp, fp, fn, crossTP, crossFN int }

// replayCorpus decides every item in order and scores event co-membership.
func replayCorpus(items []corpusItem, opts Options, log func(string)) pairCounts {
	opts.ContentWord = dedupe.IsContentWord
	ix := NewIndex(opts)
	got := map[string]string{}
	feats := map[string]Decision{}
	for _, it := range items {
		f := ix.Extract(Doc{Title: it.Title, Text: it.Body, Lang: it.Lang, Published: it.Published})
		d := ix.Decide(f)
		key := "item:" + it.ID
		ev := d.Event
		if ev == "" {
			ev = key
		}
		got[it.ID], feats[it.ID] = ev, d
		ix.Add(ev, key, f, it.Published)
	}
	var c pairCounts
	for i, a := range items {
		for _, b := range items[i+1:] {
			pred, truth := got[a.ID] == got[b.ID], a.Event == b.Event
			cross := a.Lang != b.Lang && (a.Lang == "id" || b.Lang == "id") && (a.Lang == "en" || b.Lang == "en")
			switch {
			case pred && truth:
				c.tp++
				if cross {
					c.crossTP++
				}
			case pred:
				c.fp++
				if log != nil {
					ea, _ := json.Marshal(feats[b.ID].Best)
					log(fmt.Sprintf("false merge %s (%s) %s (%s): %s", a.ID, a.Event, b.ID, b.Event, ea))
				}
			case truth:
				c.fn++
				if cross {
					c.crossFN++
				}
			}
		}
	}
	return c
}

func (c pairCounts) String() string {
	p := float64(c.tp) / float64(max(1, c.tp+c.fp))
	r := float64(c.tp) / float64(max(1, c.tp+c.fn))
	cr := float64(c.crossTP) / float64(max(1, c.crossTP+c.crossFN))
	return fmt.Sprintf("P %.3f R %.3f F1 %.3f en-id R %.3f (tp %d fp %d fn %d)", p, r, 2*p*r/max(1e-9, p+r), cr, c.tp, c.fp, c.fn)
}

// TestCorpusPrecision replays the shared corpus's on-topic items through
// the event index alone, in published order and densified, and checks the
// pairwise precision of event co-membership on the published order (the
// figures of both replays are logged; "aggregator eval" reports them
// through the whole pipeline).
func TestCorpusPrecision(t *testing.T) {
	items := loadCorpus(t)
	var merges []string
	normal := replayCorpus(items, DefaultOptions(), func(s string) { merges = append(merges, s) })
	dense := replayCorpus(densify(items), DefaultOptions(), nil)
	t.Logf("published order: %v", normal)
	t.Logf("dense replay:    %v", dense)
	if p := float64(normal.tp) / float64(max(1, normal.tp+normal.fp)); p < 0.97 || normal.tp == 0 {
		t.Errorf("precision %.3f (%d true pairs), want ≥ 0.97 with some pairs found; false merges:\n%s", p, normal.tp, strings.Join(merges, "\n"))
	}
}

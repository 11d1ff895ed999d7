package aggregator_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/feeds"
	"aggregator/fetch"
	"aggregator/store/sqlite"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestEntryIDsGolden pins the Atom id of published entries: feed readers
// tell entries apart by it, so it must never change for a story, whatever
// else changes in the code. The ids of three stories, decided through the
// real pipeline on a real store and written by the Atom writer, are
// compared with testdata/entry_ids.golden (go test -run EntryIDs -update
// rewrites it, which only a deliberate change of the format may do).
func TestEntryIDsGolden(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 12, 2, 23, 30, 0, 0, time.FixedZone("UTC-5", -5*3600)) // 2026-12-03 in UTC
	p, err := aggregator.New(ctx, st, nil, aggregator.Options{
		Feed:   aggregator.FeedOptions{Title: "t", URL: "https://Feeds.Example.org:8443/nk-ru/feed.atom"},
		Dedupe: dedupe.DefaultConfig(), Window: 720 * time.Hour,
		Groups: []dedupe.KeywordGroup{{Name: "test", Terms: []string{"pyongyang"}}},
		Now:    func() time.Time { return now },
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"Pyongyang opened a new bridge across the Tumen river to road traffic on Monday, state media said.",
		"A delegation of doctors from Vladivostok arrived in Pyongyang to staff a new clinic for workers.",
		"Pyongyang's rail link to Khasan carried its first passenger train in four years this week.",
	}
	for i, text := range texts {
		e := fetch.Entry{GUID: string(rune('a' + i)), URL: "https://a.example/" + string(rune('a'+i)), Title: "Item", Text: text,
			Published: now.Add(time.Duration(i) * time.Minute)}
		if _, err := p.Ingest(ctx, aggregator.Source{Name: "a", URL: "https://a.example/feed"}, []fetch.Entry{e}); err != nil {
			t.Fatal(err)
		}
	}
	f, err := p.Feed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := feeds.Write(&buf, feeds.FormatAtom, f); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Entries []struct {
			ID string `xml:"id"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, e := range doc.Entries {
		got.WriteString(e.ID + "\n")
	}
	golden := filepath.Join("testdata", "entry_ids.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("Atom entry ids changed:\n got %q\nwant %q", got.String(), want)
	}
}

// TestMatchKeyText checks the text form of match keys both ways.
func TestMatchKeyText(t *testing.T) {
	for _, tt := range []struct {
		key  aggregator.MatchKey
		text string
	}{
		{aggregator.MatchKey{}, ""},
		{aggregator.SeedKey("000_kim.txt"), "seed:000_kim.txt"},
		{aggregator.StoryKey(42), "story:42"},
		{aggregator.ItemKey(7), "item:7"},
	} {
		if got := tt.key.String(); got != tt.text {
			t.Errorf("%+v.String() = %q, want %q", tt.key, got, tt.text)
		}
		if got, err := aggregator.ParseMatchKey(tt.text); err != nil || got != tt.key {
			t.Errorf("ParseMatchKey(%q) = %+v, %v; want %+v", tt.text, got, err, tt.key)
		}
	}
	for _, bad := range []string{"story:", "story:x", "story:-1", "item:0", "seed:", "other:1", "42"} {
		if k, err := aggregator.ParseMatchKey(bad); err == nil {
			t.Errorf("ParseMatchKey(%q) = %+v, want an error", bad, k)
		} else if !strings.Contains(err.Error(), bad) {
			t.Errorf("ParseMatchKey(%q): error %q does not name the key", bad, err)
		}
		// Read from a store, such a text is kept as it was.
		if k := aggregator.StoredMatchKey(bad); k.Kind != aggregator.MatchUnknown || k.String() != bad {
			t.Errorf("StoredMatchKey(%q) = %+v, want it kept as MatchUnknown", bad, k)
		}
	}
	if k := aggregator.StoredMatchKey("story:9"); k != aggregator.StoryKey(9) {
		t.Errorf("StoredMatchKey(story:9) = %+v", k)
	}
}

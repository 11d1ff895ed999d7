package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aggregator/dedupe"
	"aggregator/internal/config"
	"aggregator/internal/eval"
	"aggregator/internal/wiring"
)

// TestEvalMeasuresWhatTheDaemonRuns checks that the config's defaults are
// the defaults eval replays with, so that the measured numbers are those of
// a daemon started with a config that does not tune dedupe.
func TestEvalMeasuresWhatTheDaemonRuns(t *testing.T) {
	cfg := config.Default()
	cfg.Feed.URL = "https://example.org/feed.atom"
	opts, err := wiring.PipelineOptions(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Dedupe != dedupe.DefaultConfig() {
		t.Errorf("config defaults give %+v, eval replays with %+v", opts.Dedupe, dedupe.DefaultConfig())
	}
	if time.Duration(cfg.Dedupe.Window) != eval.DefaultWindow {
		t.Errorf("config window %s, eval window %s", time.Duration(cfg.Dedupe.Window), eval.DefaultWindow)
	}
}

// writeCorpus writes a small labelled corpus: two independent reports of
// one event, a near-copy of the first, and an off-topic item.
func writeCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	x, y1, y2, off := read("story-x.txt"), read("story-y1.txt"), read("story-y2.txt"), read("offtopic.txt")
	item := func(id, url, date, text string) string {
		title, body, _ := strings.Cut(strings.TrimSpace(text), "\n")
		b, _ := json.Marshal(map[string]string{"id": id, "url": url, "outlet": "outlet " + id, "lang": "en",
			"published": date, "title": title, "body": body})
		return string(b) + "\n"
	}
	items := item("w1", "https://a.example/1", "2024-06-18", y1) +
		item("w2", "https://b.example/2", "2024-06-18", y2) +
		item("w3", "https://c.example/3", "2024-06-19", "Re-run: "+x+"\nShare\nAssociated Press contributed to this report.") +
		item("w4", "https://d.example/4", "2024-06-19", off) +
		item("w0", "https://e.example/0", "2024-06-17", x)
	labels := "id,on_topic,story,dup_of\nw0,1,E-x,\nw1,1,E-y,\nw2,1,E-y,\nw3,1,E-x,w0\nw4,0,,\n"
	pairs := "a,b,relation,is_near_duplicate,note\nw0,w3,copy,1,\nw1,w2,same-event,0,\n"
	for name, data := range map[string]string{"items.jsonl": items, "labels.csv": labels, "pairs.csv": pairs} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestEvalJSON(t *testing.T) {
	dir := writeCorpus(t)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"eval", "--corpus", dir, "--json", "--targets=false"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, errb.String())
	}
	var doc struct {
		Items []struct {
			ID      string  `json:"id"`
			OnTopic bool    `json:"on_topic"`
			DupOf   *string `json:"dup_of"`
			Story   *string `json:"story"`
		} `json:"items"`
		Systems []struct {
			System string `json:"system"`
		} `json:"systems"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if len(doc.Items) != 5 || len(doc.Systems) != 3 {
		t.Fatalf("got %d items and %d systems, want 5 and 3 (ours and two baselines)", len(doc.Items), len(doc.Systems))
	}
	got := map[string]string{}
	stories := map[string]string{}
	for _, it := range doc.Items {
		d := "-"
		if it.DupOf != nil {
			d = *it.DupOf
		}
		got[it.ID] = d
		if it.Story != nil {
			stories[it.ID] = *it.Story
		}
		if want := it.ID != "w4"; it.OnTopic != want {
			t.Errorf("%s: on_topic %v, want %v", it.ID, it.OnTopic, want)
		}
	}
	if got["w3"] != "w0" {
		t.Errorf("the re-run w3 has dup_of %q, want w0", got["w3"])
	}
	for _, id := range []string{"w0", "w1", "w2", "w4"} {
		if got[id] != "-" {
			t.Errorf("%s has dup_of %q, want null", id, got[id])
		}
	}
	if stories["w1"] == "" || stories["w1"] == stories["w2"] || stories["w0"] != stories["w3"] {
		t.Errorf("stories %v: want w0 and w3 together, w1 and w2 apart", stories)
	}
}

func TestEvalTextAndTargets(t *testing.T) {
	dir := writeCorpus(t)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"eval", "--corpus", dir}, &out, &errb)
	text := out.String()
	for _, want := range []string{"topic relevance", "exact URL/GUID", "title trigrams", "same-event", "targets"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	// On this corpus every target but the baselines' comparison can be
	// met; the exit status must say whether all were.
	if met := strings.Contains(text, "all targets met"); met != (code == exitOK) {
		t.Errorf("exit %d but report says met=%v:\n%s", code, met, text)
	}
}

func TestEvalBadCorpus(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"eval", "--corpus", t.TempDir()}, &out, &errb); code != exitUsage {
		t.Errorf("eval of an empty directory: exit %d, want %d", code, exitUsage)
	}
	if code := run(context.Background(), []string{"eval"}, &out, &errb); code != exitUsage {
		t.Errorf("eval without --corpus: exit %d, want %d", code, exitUsage)
	}
}

// Package eval measures the quality of curation against a labelled corpus:
// it replays the corpus through the pipeline's real decision path
// (aggregator.Pipeline.Ingest) against a fresh store seeded with the seed
// articles, runs the baselines that feed readers use today on the same
// data, and scores topic relevance, near-duplicate detection and story
// clustering against the labels.
//
// The corpus format is the one of the shared evaluation corpus:
// items.jsonl, labels.csv and pairs.csv in one directory.
package eval

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"aggregator/fetch"
)

// Item is one labelled corpus item.
type Item struct {
	ID        string
	URL       string
	Outlet    string
	Lang      string
	Published time.Time // zero when the corpus gives no date
	Title     string
	Body      string
	// Entry, when set, is the entry as a feed delivered it (a generated
	// aggregator item parsed by fetch.Parse); it is replayed as it is, with
	// Published, instead of the entry built from the fields above.
	Entry *fetch.Entry
	// Written is true for items written for the corpus (ids starting with
	// "w"), false for real news text; results are reported for both apart.
	Written bool

	// Labels.
	OnTopic bool
	Story   string // event cluster, "" when off topic
	DupOf   string // earliest member of the item's near-duplicate group, "" when none
}

// Pair is one labelled relation between two items (or an item and a seed,
// written "seed:NAME" or as the seed's number).
type Pair struct {
	A, B       string
	Relation   string // copy, light-rewrite, same-event, wire-version, …
	NearDup    bool   // is_near_duplicate
	Note       string
	seedA      bool
	seedB      bool
	unresolved bool
}

// Corpus is a labelled corpus.
type Corpus struct {
	Dir   string
	Items []Item // in file order
	Pairs []Pair
	byID  map[string]int
}

// Item returns the item with id and whether it exists.
func (c *Corpus) Item(id string) (Item, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Item{}, false
	}
	return c.Items[i], true
}

// jsonItem is one line of items.jsonl; fields the evaluation must not use
// as features (source, body_kind, key) are not read.
type jsonItem struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Outlet    string `json:"outlet"`
	Lang      string `json:"lang"`
	Published string `json:"published"`
	Title     string `json:"title"`
	Body      string `json:"body"`
}

// Load reads items.jsonl, labels.csv and pairs.csv from dir. Every item
// must have a label row; pairs may name seeds.
func Load(dir string) (*Corpus, error) {
	c := &Corpus{Dir: dir, byID: make(map[string]int)}
	if err := c.loadItems(filepath.Join(dir, "items.jsonl")); err != nil {
		return nil, err
	}
	if err := c.loadLabels(filepath.Join(dir, "labels.csv")); err != nil {
		return nil, err
	}
	if err := c.loadPairs(filepath.Join(dir, "pairs.csv")); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Corpus) loadItems(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("eval: load corpus: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var j jsonItem
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			return fmt.Errorf("eval: %s:%d: %w", path, line, err)
		}
		if j.ID == "" {
			return fmt.Errorf("eval: %s:%d: item has no id", path, line)
		}
		if _, dup := c.byID[j.ID]; dup {
			return fmt.Errorf("eval: %s:%d: item %s appears twice", path, line, j.ID)
		}
		it := Item{ID: j.ID, URL: j.URL, Outlet: j.Outlet, Lang: j.Lang, Title: j.Title, Body: j.Body,
			Written: strings.HasPrefix(j.ID, "w")}
		if j.Published != "" {
			t, err := time.Parse("2006-01-02", j.Published)
			if err != nil {
				if t, err = time.Parse(time.RFC3339, j.Published); err != nil {
					return fmt.Errorf("eval: %s:%d: item %s: published %q is neither YYYY-MM-DD nor RFC 3339", path, line, j.ID, j.Published)
				}
			}
			it.Published = t.UTC()
		}
		c.byID[it.ID] = len(c.Items)
		c.Items = append(c.Items, it)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("eval: read %s: %w", path, err)
	}
	if len(c.Items) == 0 {
		return fmt.Errorf("eval: %s has no items", path)
	}
	return nil
}

// readCSV reads a CSV file with a header and returns its rows as maps from
// column name to value; the columns in want must be present.
func readCSV(path string, want ...string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: load corpus: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("eval: read %s: header: %w", path, err)
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, w := range want {
		if _, ok := col[w]; !ok {
			return nil, fmt.Errorf("eval: %s: no column %q", path, w)
		}
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("eval: read %s: %w", path, err)
		}
		row := make(map[string]string, len(col))
		for name, i := range col {
			if i < len(rec) {
				row[name] = strings.TrimSpace(rec[i])
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func (c *Corpus) loadLabels(path string) error {
	rows, err := readCSV(path, "id", "on_topic", "story", "dup_of")
	if err != nil {
		return err
	}
	seen := make(map[string]bool, len(rows))
	for n, r := range rows {
		i, ok := c.byID[r["id"]]
		if !ok {
			return fmt.Errorf("eval: %s: row %d: no item %q", path, n+2, r["id"])
		}
		it := &c.Items[i]
		switch r["on_topic"] {
		case "1", "true":
			it.OnTopic = true
		case "0", "false":
		default:
			return fmt.Errorf("eval: %s: row %d: on_topic %q is not 0 or 1", path, n+2, r["on_topic"])
		}
		it.Story, it.DupOf = r["story"], r["dup_of"]
		seen[it.ID] = true
	}
	for _, it := range c.Items {
		if !seen[it.ID] {
			return fmt.Errorf("eval: %s: item %s has no label", path, it.ID)
		}
	}
	return nil
}

func (c *Corpus) loadPairs(path string) error {
	rows, err := readCSV(path, "a", "b", "relation", "is_near_duplicate")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil // pairs are optional
		}
		return err
	}
	for _, r := range rows {
		c.addPair(Pair{A: r["a"], B: r["b"], Relation: r["relation"], NearDup: r["is_near_duplicate"] == "1", Note: r["note"]})
	}
	return nil
}

func (c *Corpus) addPair(p Pair) {
	p.A, p.seedA = c.pairEnd(p.A)
	p.B, p.seedB = c.pairEnd(p.B)
	_, okA := c.byID[p.A]
	_, okB := c.byID[p.B]
	p.unresolved = !(okA || p.seedA) || !(okB || p.seedB)
	c.Pairs = append(c.Pairs, p)
}

// NewCorpus makes a corpus from items and pairs held in memory (a pair end
// may name a seed as "seed:NAME"); dir is only shown in reports. Item ids
// must be unique.
func NewCorpus(dir string, items []Item, pairs []Pair) (*Corpus, error) {
	c := &Corpus{Dir: dir, byID: make(map[string]int, len(items))}
	for _, it := range items {
		if _, dup := c.byID[it.ID]; dup || it.ID == "" {
			return nil, fmt.Errorf("eval: new corpus: item id %q is empty or repeated", it.ID)
		}
		c.byID[it.ID] = len(c.Items)
		c.Items = append(c.Items, it)
	}
	for _, p := range pairs {
		c.addPair(p)
	}
	return c, nil
}

// pairEnd resolves one end of a pair: an item id, or a seed given as
// "seed:NAME", a bare file name or the seed's number ("000").
func (c *Corpus) pairEnd(s string) (string, bool) {
	if _, ok := c.byID[s]; ok {
		return s, false
	}
	if name, ok := strings.CutPrefix(s, "seed:"); ok {
		return name, true
	}
	if strings.HasSuffix(s, ".txt") || isDigits(s) {
		return s, true
	}
	return s, false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ReplayOrder returns the items in the order they are replayed: by
// published date, ties (and items of the same day) in file order, which the
// corpus keeps in publication order. An undated item takes the date of the
// nearest dated item before it in the file (the first dated item when it
// comes first), so it is replayed where the file puts it rather than all
// undated items at one end.
func (c *Corpus) ReplayOrder() []Item {
	items := append([]Item(nil), c.Items...)
	var last time.Time
	for _, it := range items {
		if !it.Published.IsZero() {
			last = it.Published
			break
		}
	}
	for i := range items {
		if items[i].Published.IsZero() {
			items[i].Published = last
		} else {
			last = items[i].Published
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Published.Before(items[j].Published) })
	return items
}

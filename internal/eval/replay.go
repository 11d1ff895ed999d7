package eval

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/seeds"
	"aggregator/store"
)

// Prediction is what a system decided for one item.
type Prediction struct {
	ID      string
	OnTopic bool
	// DupOf is the item (corpus id) or seed ("seed:NAME") the item was found
	// to be a copy of, "" when it is not a copy. For our pipeline it is the
	// head of the story the copy joined, or the item or seed it matched.
	DupOf string
	// Story is our story id ("" when the item belongs to no story).
	Story string

	// Our pipeline's evidence, for the report.
	Verdict     string
	MatchKey    string
	Resemblance float64
	Containment float64
}

// Options configure a replay through the pipeline.
type Options struct {
	Dedupe dedupe.Config         // zero value: dedupe.DefaultConfig()
	Window time.Duration         // zero: 720h, the shipped default
	Groups []dedupe.KeywordGroup // nil: dedupe's defaults
	Seeds  []seeds.Article       // nil: the embedded seeds
	// TempDir is where the temporary store is created; "" means the
	// system's temporary directory. The store is removed afterwards.
	TempDir string
	Logger  *slog.Logger
}

// DefaultWindow is the story window replays run with: the shipped default
// of dedupe.window.
const DefaultWindow = 720 * time.Hour

// Replay feeds every item of c, in ReplayOrder, through the pipeline's
// real decision path (Pipeline.Ingest), one item per call as a source named
// after its outlet would deliver it, against a fresh temporary store that
// knows only the seed articles. The pipeline's clock is the replayed item's
// published date, so the story window behaves as in production. It returns
// one prediction per item, keyed by item id.
func Replay(ctx context.Context, c *Corpus, opts Options) (map[string]Prediction, error) {
	if opts.Dedupe == (dedupe.Config{}) {
		opts.Dedupe = dedupe.DefaultConfig()
	}
	if opts.Window == 0 {
		opts.Window = DefaultWindow
	}
	if opts.Seeds == nil {
		opts.Seeds = seeds.Embedded()
	}
	dir, err := os.MkdirTemp(opts.TempDir, "aggregator-eval-")
	if err != nil {
		return nil, fmt.Errorf("eval: replay: %w", err)
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(ctx, filepath.Join(dir, "eval.db"))
	if err != nil {
		return nil, fmt.Errorf("eval: replay: %w", err)
	}
	defer st.Close()

	order := c.ReplayOrder()
	var clock time.Time
	if len(order) > 0 {
		clock = order[0].Published
	}
	p, err := aggregator.New(ctx, st, nil, aggregator.Options{
		Dedupe: opts.Dedupe,
		Window: opts.Window,
		Groups: opts.Groups,
		Seeds:  opts.Seeds,
		Now:    func() time.Time { return clock },
	}, opts.Logger)
	if err != nil {
		return nil, fmt.Errorf("eval: replay: %w", err)
	}

	preds := make(map[string]Prediction, len(order))
	byItem := make(map[int64]string, len(order)) // stored item id → corpus id
	for _, it := range order {
		clock = it.Published
		outs, err := p.Ingest(ctx, sourceOf(it), []fetch.Entry{entryOf(it)})
		if err != nil {
			return nil, fmt.Errorf("eval: replay %s: %w", it.ID, err)
		}
		if len(outs) != 1 {
			return nil, fmt.Errorf("eval: replay %s: %d outcomes for one entry", it.ID, len(outs))
		}
		o := outs[0]
		byItem[o.ItemID] = it.ID
		pr := Prediction{
			ID: it.ID, OnTopic: o.OnTopic, Verdict: string(o.Verdict), MatchKey: o.MatchKey,
			Resemblance: o.Resemblance, Containment: o.Containment,
		}
		if o.StoryID != 0 {
			pr.Story = strconv.FormatInt(o.StoryID, 10)
		}
		preds[it.ID] = pr
	}

	// dup_of: a copy names the head of the story it ended up in (the
	// earliest report), or the seed or item it matched.
	heads := make(map[string]string)
	for id, pr := range preds {
		var dup string
		switch {
		case pr.Verdict == string(aggregator.VerdictSeedCopy):
			dup = pr.MatchKey
		case pr.Verdict == string(aggregator.VerdictStoryCopy), pr.Verdict == string(aggregator.VerdictSameURL):
			if pr.Story != "" {
				head, ok := heads[pr.Story]
				if !ok {
					sid, _ := strconv.ParseInt(pr.Story, 10, 64)
					h, err := st.StoryHead(ctx, sid)
					if err != nil {
						return nil, fmt.Errorf("eval: story %s: %w", pr.Story, err)
					}
					head = byItem[h.ID]
					heads[pr.Story] = head
				}
				dup = head
			} else if ref, ok := strings.CutPrefix(pr.MatchKey, "item:"); ok {
				n, _ := strconv.ParseInt(ref, 10, 64)
				dup = byItem[n]
			}
		}
		if dup == id {
			dup = "" // the earliest copy heads its story; it is no one's copy
		}
		pr.DupOf = dup
		preds[id] = pr
	}
	return preds, nil
}

// sourceOf names the source of an item after its outlet, as a poll of that
// outlet's feed would.
func sourceOf(it Item) aggregator.Source {
	name := it.Outlet
	if name == "" {
		name = "unknown outlet"
	}
	return aggregator.Source{Name: name, URL: "eval:" + name}
}

// entryOf turns an item into the feed entry a poll would have parsed: the
// link as GUID (the item id when there is no link), the canonical link, the
// title and the body as plain text, normalised as fetch normalises text.
func entryOf(it Item) fetch.Entry {
	guid := it.URL
	if guid == "" {
		guid = "eval:" + it.ID
	}
	e := fetch.Entry{
		GUID:      guid,
		URL:       it.URL,
		Title:     strings.ReplaceAll(fetch.NormalizeText(it.Title), "\n", " "),
		Text:      fetch.NormalizeText(it.Body),
		Published: it.Published,
	}
	if it.URL != "" {
		e.CanonicalURL = fetch.CanonicalURL(it.URL)
	}
	return e
}

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
	"aggregator/store/sqlite"
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
	st, err := sqlite.Open(ctx, filepath.Join(dir, "eval.db"))
	if err != nil {
		return nil, fmt.Errorf("eval: replay: %w", err)
	}
	defer st.Close()

	r := &replay{store: st, order: c.ReplayOrder()}
	if len(r.order) > 0 {
		r.clock = r.order[0].Published
	}
	p, err := aggregator.New(ctx, st, nil, aggregator.Options{
		Dedupe: opts.Dedupe,
		Window: opts.Window,
		Groups: opts.Groups,
		Seeds:  opts.Seeds,
		Now:    func() time.Time { return r.clock },
	}, opts.Logger)
	if err != nil {
		return nil, fmt.Errorf("eval: replay: %w", err)
	}
	preds, err := r.ingest(ctx, p)
	if err != nil {
		return nil, err
	}
	if err := r.fillDupOf(ctx, preds); err != nil {
		return nil, err
	}
	return preds, nil
}

// replay is one replay of a corpus.
type replay struct {
	store  aggregator.ExplainStore
	order  []Item
	clock  time.Time        // the pipeline's clock: the published date of the item replayed
	byItem map[int64]string // stored item id → corpus id
}

// ingest decides every item in replay order and returns the predictions,
// DupOf not yet filled.
func (r *replay) ingest(ctx context.Context, p *aggregator.Pipeline) (map[string]Prediction, error) {
	preds := make(map[string]Prediction, len(r.order))
	r.byItem = make(map[int64]string, len(r.order))
	for _, it := range r.order {
		r.clock = it.Published
		stored, err := p.Ingest(ctx, sourceOf(it), []fetch.Entry{entryOf(it)})
		if err != nil {
			return nil, fmt.Errorf("eval: replay %s: %w", it.ID, err)
		}
		if len(stored) != 1 {
			return nil, fmt.Errorf("eval: replay %s: %d outcomes for one entry", it.ID, len(stored))
		}
		o := stored[0]
		d := o.Decision
		r.byItem[o.ID] = it.ID
		pr := Prediction{
			ID: it.ID, OnTopic: d.OnTopic, Verdict: string(d.Verdict), MatchKey: d.Match.String(),
			Resemblance: d.Resemblance, Containment: d.Containment,
		}
		if o.StoryID != 0 {
			pr.Story = strconv.FormatInt(o.StoryID, 10)
		}
		preds[it.ID] = pr
	}
	return preds, nil
}

// fillDupOf fills DupOf: a copy names the head of the story it ended up in
// (the earliest report), or the seed or item it matched.
func (r *replay) fillDupOf(ctx context.Context, preds map[string]Prediction) error {
	heads := make(map[string]string)
	for id, pr := range preds {
		var dup string
		switch pr.Verdict {
		case string(aggregator.VerdictSeedCopy):
			dup = pr.MatchKey
		case string(aggregator.VerdictStoryCopy), string(aggregator.VerdictSameURL), string(aggregator.VerdictSameArticle):
			if pr.Story == "" {
				if k, err := aggregator.ParseMatchKey(pr.MatchKey); err == nil && k.Kind == aggregator.MatchItem {
					dup = r.byItem[k.ID]
				}
				break
			}
			head, ok := heads[pr.Story]
			if !ok {
				sid, _ := strconv.ParseInt(pr.Story, 10, 64)
				h, err := r.store.StoryHead(ctx, sid)
				if err != nil {
					return fmt.Errorf("eval: story %s: %w", pr.Story, err)
				}
				head = r.byItem[h.ID]
				heads[pr.Story] = head
			}
			dup = head
		}
		if dup == id {
			dup = "" // the earliest copy heads its story; it is no one's copy
		}
		pr.DupOf = dup
		preds[id] = pr
	}
	return nil
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
// title and the body as plain text, normalised as fetch normalises text;
// an item generated as a feed entry is that entry.
func entryOf(it Item) fetch.Entry {
	if it.Entry != nil {
		e := *it.Entry
		e.Published = it.Published
		if e.Language == "" {
			e.Language = fetch.PrimaryLanguage(it.Lang)
		}
		return e
	}
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
		Language:  fetch.PrimaryLanguage(it.Lang),
	}
	if it.URL != "" {
		e.CanonicalURL = fetch.CanonicalURL(it.URL)
	}
	return e
}

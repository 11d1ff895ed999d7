package aggregator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/store"
)

// Pipeline runs poll cycles against one store. Poll calls are serialised;
// Feed and Explain may run at any time.
type Pipeline struct {
	store    *store.Store
	fetcher  *fetch.Fetcher
	opts     Options
	now      func() time.Time
	logger   *slog.Logger
	analyzer *dedupe.Analyzer
	topic    *dedupe.Topic

	seedDocs map[string]dedupe.Doc // by index key

	mu    sync.Mutex // held by Poll
	index *dedupe.Index
}

// New prepares a pipeline: it analyses the seed articles and rebuilds the
// near-duplicate index from the stories stored within the window, so that a
// restart never changes what is decided.
func New(ctx context.Context, st *store.Store, f *fetch.Fetcher, opts Options, logger *slog.Logger) (*Pipeline, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := opts.Dedupe.Validate(); err != nil {
		return nil, err
	}
	if opts.Feed.MaxEntries <= 0 {
		opts.Feed.MaxEntries = 100
	}
	if opts.Window <= 0 {
		return nil, errors.New("aggregator: window must be positive")
	}
	groups := opts.Groups
	if groups == nil {
		groups = dedupe.DefaultKeywordGroups()
	}
	p := &Pipeline{store: st, fetcher: f, opts: opts, now: opts.Now, logger: logger}
	if p.now == nil {
		p.now = time.Now
	}
	var err error
	if p.analyzer, err = dedupe.NewAnalyzer(opts.Dedupe); err != nil {
		return nil, fmt.Errorf("aggregator: %w", err)
	}
	p.seedDocs = make(map[string]dedupe.Doc, len(opts.Seeds))
	texts := make([]dedupe.SeedText, 0, len(opts.Seeds))
	for _, s := range opts.Seeds {
		text := fetch.NormalizeText(s.Text)
		texts = append(texts, dedupe.SeedText{Name: s.Name, Title: s.Title, Text: text})
		p.seedDocs[seedKey(s.Name)] = p.analyzer.Analyze(s.Title, text)
	}
	if p.topic, err = dedupe.NewTopic(groups, texts, opts.Dedupe.MinSeedSimilarity); err != nil {
		return nil, fmt.Errorf("aggregator: %w", err)
	}
	if err := p.loadIndex(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// Options returns the options the pipeline runs with.
func (p *Pipeline) Options() Options { return p.opts }

func seedKey(name string) string { return "seed:" + name }

func storyKey(id int64) string { return "story:" + strconv.FormatInt(id, 10) }

// itemKey is the index key of an off-topic item, which belongs to no story.
func itemKey(id int64) string { return "item:" + strconv.FormatInt(id, 10) }

// storyID returns the story a match key names, or 0.
func storyID(key string) int64 {
	rest, ok := strings.CutPrefix(key, "story:")
	if !ok {
		return 0
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil {
		return 0
	}
	return id
}

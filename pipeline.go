package aggregator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"aggregator/dedupe"
	"aggregator/event"
	"aggregator/fetch"
)

// Pipeline runs poll cycles against one store. Poll calls are serialised;
// Feed and Explain may run at any time.
type Pipeline struct {
	store    Store
	fetcher  *fetch.Fetcher
	opts     Options
	now      func() time.Time
	logger   *slog.Logger
	analyzer *dedupe.Analyzer
	topic    *dedupe.Topic

	seedDocs map[MatchKey]dedupe.Doc

	mu     sync.Mutex // held by Poll
	index  *dedupe.Index
	events *event.Index // the events of the window (events.go)
}

// New prepares a pipeline: it analyses the seed articles and rebuilds the
// near-duplicate index from the stories stored within the window, so that a
// restart never changes what is decided.
func New(ctx context.Context, st Store, f *fetch.Fetcher, opts Options, logger *slog.Logger) (*Pipeline, error) {
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
	p.seedDocs = make(map[MatchKey]dedupe.Doc, len(opts.Seeds))
	texts := make([]dedupe.SeedText, 0, len(opts.Seeds))
	for _, s := range opts.Seeds {
		text := fetch.NormalizeText(s.Text)
		texts = append(texts, dedupe.SeedText{Name: s.Name, Title: s.Title, Text: text})
		p.seedDocs[SeedKey(s.Name)] = p.analyzer.Analyze(s.Title, text)
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

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/internal/config"
	"aggregator/seeds"
	"aggregator/store/sqlite"

	"github.com/robfig/cron/v3"
)

// app is the wiring of one command: the config, the open store and the
// pipeline built from them.
type app struct {
	cfg      *config.Config
	store    *sqlite.Store
	pipeline *aggregator.Pipeline
	logger   *slog.Logger
}

// newLogger returns a key=value logger on w at the configured level.
func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// pipelineOptions copies the config's values into the pipeline's options.
func pipelineOptions(cfg *config.Config) (aggregator.Options, error) {
	d := dedupe.DefaultConfig()
	d.ShingleSize = cfg.Dedupe.ShingleSize
	d.SignatureSize = cfg.Dedupe.SignatureSize
	d.Bands = cfg.Dedupe.Bands
	d.Rows = cfg.Dedupe.Rows
	d.MinResemblance = cfg.Dedupe.Resemblance
	d.MinContainment = cfg.Dedupe.Containment
	if cfg.Topic.SeedSimilarity != nil {
		d.MinSeedSimilarity = *cfg.Topic.SeedSimilarity
	}
	opts := aggregator.Options{
		Feed: aggregator.FeedOptions{
			Title: cfg.Feed.Title, Subtitle: cfg.Feed.Subtitle, URL: cfg.Feed.URL,
			Author: cfg.Feed.Author, MaxEntries: cfg.Feed.MaxEntries,
		},
		Dedupe:   d,
		Window:   time.Duration(cfg.Dedupe.Window),
		Seeds:    seeds.Embedded(),
		Interval: schedulePeriod(cfg.Schedule, time.Now()),
	}
	for _, s := range cfg.Sources {
		opts.Sources = append(opts.Sources, aggregator.Source{Name: s.Name, URL: s.URL})
	}
	for _, g := range cfg.Topic.Groups {
		opts.Groups = append(opts.Groups, dedupe.KeywordGroup{Name: g.Name, Terms: g.Terms})
	}
	if cfg.Seeds != "" {
		extra, err := seeds.LoadDir(cfg.Seeds)
		if err != nil {
			return opts, fmt.Errorf("%s: seeds: %w", cfg.Path, err)
		}
		opts.Seeds = append(opts.Seeds, extra...)
	}
	return opts, nil
}

// schedulePeriod is the gap between the schedule's next two activations
// after now: the period that failing sources back off in units of. It is
// 0 (the pipeline's default) when spec does not parse, which a validated
// config rules out.
func schedulePeriod(spec string, now time.Time) time.Duration {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return 0
	}
	first := s.Next(now)
	return s.Next(first).Sub(first)
}

// fetcherOptions copies the config's fetch section.
func fetcherOptions(cfg *config.Config) fetch.Options {
	ua := cfg.Fetch.UserAgent
	if ua == config.DefaultUserAgent {
		ua = "aggregator/" + strings.TrimPrefix(programVersion(), "v") + " (news feed curator)"
	}
	return fetch.Options{
		Timeout:      time.Duration(cfg.Fetch.Timeout),
		MaxBodyBytes: int64(cfg.Fetch.MaxBodySize),
		UserAgent:    ua,
		Concurrency:  cfg.Fetch.Concurrency,
		PerHost:      cfg.Fetch.PerHost,
	}
}

// openApp opens the store and builds the pipeline from options already
// derived from cfg.
func openApp(ctx context.Context, cfg *config.Config, opts aggregator.Options, logger *slog.Logger) (*app, error) {
	st, err := sqlite.Open(ctx, cfg.State)
	if err != nil {
		return nil, err
	}
	aggregator.Version = programVersion()
	f := fetch.New(fetcherOptions(cfg), nil, logger)
	p, err := aggregator.New(ctx, st, f, opts, logger)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &app{cfg: cfg, store: st, pipeline: p, logger: logger}, nil
}

func (a *app) Close() error { return a.store.Close() }

package main

import (
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/internal/config"
	"aggregator/seeds"

	"github.com/robfig/cron/v3"
)

// The functions in this file are copies of cmd/aggregator's (wire.go,
// main.go), so that the cycle benchmark builds its pipeline and fetcher
// from a config exactly as the daemon does. Keep them in step.

// version is set at build time with -ldflags "-X main.version=…"; when it
// is empty the module version or VCS revision from the build info is used.
var version = ""

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

func programVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return "dev"
}

// Package wiring turns a loaded config into the options of the pipeline
// and the fetcher: the copying of values that both commands
// (cmd/aggregator, cmd/aggregator-bench) do the same way, so that the
// benchmark harness builds its pipeline exactly as the daemon does.
package wiring

import (
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/internal/config"
	"aggregator/internal/schedule"
	"aggregator/seeds"
)

// PipelineOptions copies the config's values into the pipeline's options.
func PipelineOptions(cfg *config.Config) (aggregator.Options, error) {
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
			Author: cfg.Feed.Author, MaxEntries: cfg.Feed.MaxEntries, Hubs: cfg.Feed.Hubs,
		},
		Dedupe: d,
		Window: time.Duration(cfg.Dedupe.Window),
		Seeds:  seeds.Embedded(),

		ArticlesPerCycle: cfg.Fetch.ArticlesPerCycle,
	}
	// The schedule's period is the unit of a failing source's backoff; a
	// validated config's schedule parses (else the pipeline's default).
	opts.Interval, _ = schedule.Period(cfg.Schedule)
	for _, n := range cfg.Notify {
		opts.Notify = append(opts.Notify, n.URL)
	}
	for _, s := range cfg.Sources {
		opts.Sources = append(opts.Sources, aggregator.Source{Name: s.Name, URL: s.URL, FullText: aggregator.FullText(s.FullText)})
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

// FetcherOptions copies the config's fetch section; version goes into the
// default User-Agent.
func FetcherOptions(cfg *config.Config, version string) fetch.Options {
	ua := cfg.Fetch.UserAgent
	if ua == config.DefaultUserAgent {
		ua = "aggregator/" + strings.TrimPrefix(version, "v") + " (news feed curator)"
	}
	return fetch.Options{
		Timeout:      time.Duration(cfg.Fetch.Timeout),
		MaxBodyBytes: int64(cfg.Fetch.MaxBodySize),
		UserAgent:    ua,
		Concurrency:  cfg.Fetch.Concurrency,
		PerHost:      cfg.Fetch.PerHost,
	}
}

// Version is the program's version: stamped when it is set (by the
// linker, -ldflags "-X main.version=…"), else the module version or VCS
// revision from the build info, else "dev".
func Version(stamped string) string {
	if stamped != "" {
		return stamped
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

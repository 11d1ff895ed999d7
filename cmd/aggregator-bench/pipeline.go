package main

// Every use the benchmarks make of the store, the pipeline and the fetcher
// is in this file: the start-up stage's store and restart, and the cycle
// stage's pipeline, polls and reports. internal/wiring builds the options
// from a config as it does for the daemon.

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/internal/benchgen"
	"aggregator/internal/config"
	"aggregator/internal/wiring"
	"aggregator/seeds"
	"aggregator/store/sqlite"
)

// storiesIn returns the number of stories in the store at path, 0 when
// there is none.
func storiesIn(ctx context.Context, path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, nil
	}
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	c, err := st.Counts(ctx)
	return c.Stories, err
}

// fillStore stores n generated stories as the pipeline would: each a new
// story with its head item, analysed text and index keys, in transactions
// of a thousand, first seen over the last n minutes before now.
func fillStore(ctx context.Context, path string, gen *benchgen.Stories, cfg dedupe.Config, n int, now time.Time) error {
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	src, err := st.EnsureSource(ctx, "bench", "http://127.0.0.1/bench.xml")
	if err != nil {
		return err
	}
	ix := dedupe.NewIndex(cfg) // only for EncodeKeys
	docs := make([]dedupe.Doc, 1000)
	for first := 0; first < n; first += len(docs) {
		batch := docs[:min(len(docs), n-first)]
		gen.Docs(uint64(first), batch)
		tx, err := st.Begin(ctx)
		if err != nil {
			return err
		}
		for i, d := range batch {
			id := strconv.Itoa(first + i)
			at := now.Add(-time.Duration(n-first-i) * time.Minute)
			it := aggregator.Item{
				SourceID: src.ID, GUID: id, URL: "http://127.0.0.1/story/" + id, CanonicalURL: "http://127.0.0.1/story/" + id,
				Title: "Story " + id, Published: at, FirstSeen: at, Updated: at,
				Decision: aggregator.Decision{Verdict: dedupe.VerdictNew, OnTopic: true},
				Shingles: d.Shingles, Signature: d.Signature, Lead: d.Lead,
			}
			if err := tx.NewStory(ctx, &it); err != nil {
				tx.Rollback()
				return err
			}
			if err := tx.SetIndexKeys(ctx, it.ID, ix.EncodeKeys(d)); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// restarted is a pipeline built on an existing store, as the daemon builds
// it when it starts.
type restarted struct {
	st     *sqlite.Store
	p      *aggregator.Pipeline
	opened time.Duration // opening the store
	total  time.Duration // opening the store and building the pipeline, index included
}

// restart opens the store at path, which holds n stories first seen up to
// now, and builds the pipeline on it, timing both.
func restart(ctx context.Context, path string, n int, cfg dedupe.Config, now time.Time) (*restarted, error) {
	start := time.Now()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	opened := time.Since(start)
	// The stories were first seen a minute apart up to now: the window takes
	// them all in.
	opts := aggregator.Options{Dedupe: cfg, Window: time.Duration(n+1) * time.Minute, Seeds: seeds.Embedded(), Now: func() time.Time { return now }}
	p, err := aggregator.New(ctx, st, fetch.New(fetch.Options{}, nil, nil), opts, nil)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &restarted{st: st, p: p, opened: opened, total: time.Since(start)}, nil
}

// indexLen returns the number of entries in the rebuilt index.
func (r *restarted) indexLen() int { return r.p.IndexLen() }

func (r *restarted) close() error { return r.st.Close() }

// cyclePipeline is the cycle stage's pipeline: sources on the loopback
// upstream, a fresh store, and a clock that can be moved on.
type cyclePipeline struct {
	st       *sqlite.Store
	p        *aggregator.Pipeline
	fo       fetch.Options
	interval time.Duration     // the schedule's period
	offset   atomic.Int64      // moves the pipeline's clock on between cycles
	report   aggregator.Report // of the last cycle
}

// sourceName is the name of generated source s.
func sourceName(s int) string { return fmt.Sprintf("bench-%05d", s) }

// openCyclePipeline builds the pipeline from cfg's fetch and dedupe
// sections, on a store at dbPath, over sources feeds of origin.
func openCyclePipeline(ctx context.Context, cfg *config.Config, dbPath, origin string, sources int) (*cyclePipeline, error) {
	opts, err := wiring.PipelineOptions(cfg)
	if err != nil {
		return nil, err
	}
	opts.Sources = make([]aggregator.Source, sources)
	for s := range sources {
		opts.Sources[s] = aggregator.Source{Name: sourceName(s), URL: fmt.Sprintf("%s/feeds/%d.xml", origin, s)}
	}
	c := &cyclePipeline{interval: opts.Interval}
	if c.interval <= 0 {
		c.interval = aggregator.DefaultInterval
	}
	opts.Now = func() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }
	fo := wiring.FetcherOptions(cfg, programVersion())
	st, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	p, err := aggregator.New(ctx, st, fetch.New(fo, nil, nil), opts, nil)
	if err != nil {
		st.Close()
		return nil, err
	}
	c.st, c.p, c.fo = st, p, fo
	return c, nil
}

// workers is how many fetches run at once: all sources are on one host, so
// the per-host limit bounds them.
func (c *cyclePipeline) workers() int { return min(c.fo.Concurrency, c.fo.PerHost) }

// poll runs one cycle and keeps its report.
func (c *cyclePipeline) poll(ctx context.Context) error {
	var err error
	c.report, err = c.p.Poll(ctx, nil)
	return err
}

// checkAllFetched checks that no source failed in the first cycle, and
// returns the line of its totals.
func (c *cyclePipeline) checkAllFetched() (string, error) {
	t1, failed1 := c.report.Totals()
	if failed1 > 0 {
		return "", fmt.Errorf("cycle 1: %d sources failed, first: %w", failed1, firstErr(c.report))
	}
	return fmt.Sprintf("  entries %d: new stories %d, duplicates %d, off topic %d", t1.Entries, t1.New, t1.Duplicates, t1.OffTopic), nil
}

// dueAgain moves the clock on by two schedule periods: every source is due
// again.
func (c *cyclePipeline) dueAgain() { c.offset.Store(int64(2 * c.interval)) }

// checkAllNotModified checks that each of the sources answered the second
// cycle with 304.
func (c *cyclePipeline) checkAllNotModified(sources int) error {
	notModified := 0
	for _, s := range c.report.Sources {
		if s.NotModified {
			notModified++
		}
	}
	if _, failed := c.report.Totals(); failed > 0 || notModified != sources {
		return fmt.Errorf("cycle 2: %d of %d sources answered 304, %d failed", notModified, sources, failed)
	}
	return nil
}

// firstErr returns the first source error of a report.
func firstErr(r aggregator.Report) error {
	for _, s := range r.Sources {
		if s.Err != nil {
			return s.Err
		}
	}
	return nil
}

// writeHeapProfile writes the live heap, the pipeline's index in it, to
// path.
func (c *cyclePipeline) writeHeapProfile(path string) error {
	err := writeHeapProfile(path)
	runtime.KeepAlive(c.p) // the pipeline's index is what the profile is for
	return err
}

// storeLine returns the line of the store's counts.
func (c *cyclePipeline) storeLine(ctx context.Context) (string, error) {
	counts, err := c.st.Counts(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("  store: %d items, %d stories; verdicts %v", counts.Items, counts.Stories, counts.ByVerdict), nil
}

// etags returns the ETag the store holds for each source, by name.
func (c *cyclePipeline) etags(ctx context.Context) (map[string]string, error) {
	srcs, err := c.st.Sources(ctx)
	if err != nil {
		return nil, err
	}
	etags := make(map[string]string, len(srcs))
	for _, s := range srcs {
		etags[s.Name] = s.ETag
	}
	return etags, nil
}

func (c *cyclePipeline) close() error { return c.st.Close() }

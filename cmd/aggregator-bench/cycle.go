package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"aggregator/internal/config"
)

// runCycle is "aggregator-bench cycle": two poll cycles over -sources
// generated feeds served by a loopback server in a child process (so that
// the server's CPU time and memory are not the harness's), measured side
// by side with gofeed alone parsing the same bodies at the same
// concurrency. The first cycle finds every entry new; in the second every
// source answers 304. See BENCHMARKS.md, section 3.
func runCycle(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("cycle", "cycle [-sources N] [-config FILE] [--corpus FILE] [-cpuprofile FILE]", stderr)
	sources := fs.Int("sources", 10_000, "generated feeds, 20 articles each")
	cfgPath := fs.String("config", "", "config `file` whose fetch and dedupe sections are used (default: the built-in defaults)")
	corpus := fs.String("corpus", corpusDefault(), "CSV `file` of real articles whose sentences the feeds are made of (default: news-id under $AGGREGATOR_SHARED; without it, sentences of seed words)")
	seed := fs.Uint64("seed", 1, "seed of the generated feeds")
	stateDir := fs.String("state-dir", "", "`directory` for the benchmark's database (default: a temporary directory, removed at the end)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the first cycle to `file`")
	cpuProfile2 := fs.String("cpuprofile-304", "", "write a CPU profile of the second (all 304) cycle to `file`")
	memProfile := fs.String("memprofile", "", "write a heap profile after the two cycles to `file`")
	upstream := fs.Bool("upstream", false, "internal: be the feed server (started by the harness itself)")
	base := fs.Int64("base", 0, "internal: publication time of the newest article, Unix seconds")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *sources < 1 {
		fmt.Fprintln(stderr, "aggregator-bench cycle: -sources must be at least 1")
		return exitUsage
	}
	if *upstream {
		return serveCycleUpstream(ctx, *sources, *corpus, *seed, time.Unix(*base, 0), os.Stdin, stdout, stderr)
	}
	b := &cycleBench{sources: *sources, corpus: *corpus, seed: *seed, base: time.Now().Add(-time.Hour),
		stdout: stdout, cpuProfile: *cpuProfile, cpuProfile2: *cpuProfile2, memProfile: *memProfile}
	cfg := config.Default()
	if *cfgPath != "" {
		var err error
		if cfg, err = config.Load(*cfgPath); err != nil {
			fmt.Fprintln(stderr, err)
			return exitUsage
		}
	}
	if err := b.runInStateDir(ctx, cfg, *stateDir); err != nil {
		fmt.Fprintln(stderr, "aggregator-bench cycle:", err)
		return exitFailure
	}
	return exitOK
}

// cycleBench is one run of the poll-cycle benchmark.
type cycleBench struct {
	sources     int
	corpus      string
	seed        uint64
	base        time.Time
	stdout      io.Writer
	cpuProfile  string
	cpuProfile2 string
	memProfile  string
}

// runInStateDir runs the benchmark with its database in dir, or in a
// temporary directory removed at the end when dir is "".
func (b *cycleBench) runInStateDir(ctx context.Context, cfg *config.Config, dir string) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "aggregator-bench-cycle-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	return b.run(ctx, cfg, filepath.Join(dir, "bench-cycle.db"))
}

// run starts the upstream, polls it twice through the pipeline, then times
// gofeed alone on the same bodies, and reports on b.stdout.
func (b *cycleBench) run(ctx context.Context, cfg *config.Config, dbPath string) error {
	if _, _, ok := processCPU(); !ok {
		return errors.New("process CPU time is not available on this system")
	}
	origin, stopUpstream, err := b.startUpstream(ctx)
	if err != nil {
		return err
	}
	defer stopUpstream() // a no-op once it has stopped
	cp, err := openCyclePipeline(ctx, cfg, dbPath, origin, b.sources)
	if err != nil {
		return err
	}
	defer cp.close()
	workers := cp.workers()
	b.printSetup(cp, workers)

	c1, c2, err := b.pollTwice(ctx, cp)
	if err != nil {
		return err
	}
	maxRSS := peakRSS()
	if b.memProfile != "" {
		if err := cp.writeHeapProfile(b.memProfile); err != nil {
			return err
		}
	}
	line, err := cp.storeLine(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(b.stdout, line)
	stopUpstream()

	etags, err := cp.etags(ctx)
	if err != nil {
		return err
	}
	base, sizes, err := b.gofeedAlone(ctx, origin, workers, etags)
	if err != nil {
		return err
	}
	printBodies(b.stdout, sizes)
	fmt.Fprintf(b.stdout, "gofeed alone (%d workers): %s\n", workers, base)
	printTargets(b.stdout, c1, c2, base, maxRSS)
	return nil
}

// printSetup prints the machine, the sources and how many are fetched at
// once, and the text the feeds are made of.
func (b *cycleBench) printSetup(cp *cyclePipeline, workers int) {
	out := b.stdout
	fmt.Fprintf(out, "machine: %d CPUs, GOMAXPROCS %d, %s/%s, %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintf(out, "sources: %d on one loopback host; fetch concurrency %d, per host %d: %d at once\n",
		b.sources, cp.fo.Concurrency, cp.fo.PerHost, workers)
	corpus := b.corpus
	if corpus == "" {
		corpus = "none (sentences of seed words)"
	}
	fmt.Fprintf(out, "text: %s\n", corpus)
}

// pollTwice runs the first cycle, in which every entry is new, moves the
// clock on and runs the second, in which every source answers 304, and
// returns what each cost.
func (b *cycleBench) pollTwice(ctx context.Context, cp *cyclePipeline) (c1, c2 cost, err error) {
	c1, err = profiled(b.cpuProfile, func() error { return cp.poll(ctx) })
	if err != nil {
		return c1, c2, fmt.Errorf("cycle 1: %w", err)
	}
	totals, err := cp.checkAllFetched()
	if err != nil {
		return c1, c2, err
	}
	fmt.Fprintf(b.stdout, "cycle 1 (all new): %s\n", c1)
	fmt.Fprintln(b.stdout, totals)

	cp.dueAgain()
	c2, err = profiled(b.cpuProfile2, func() error { return cp.poll(ctx) })
	if err != nil {
		return c1, c2, fmt.Errorf("cycle 2: %w", err)
	}
	if err := cp.checkAllNotModified(b.sources); err != nil {
		return c1, c2, err
	}
	fmt.Fprintf(b.stdout, "cycle 2 (all 304): %s\n", c2)
	return c1, c2, nil
}

// printBodies prints the number and sizes of the bodies served.
func printBodies(out io.Writer, sizes []int) {
	slices.Sort(sizes)
	total := 0
	for _, n := range sizes {
		total += n
	}
	rss := (len(sizes) + 1) / 2 // feeds 0, 2, 4… are RSS
	fmt.Fprintf(out, "bodies: %d (%d RSS, %d Atom), %.1f MB; KB min %.1f, median %.1f, max %.1f\n",
		len(sizes), rss, len(sizes)-rss, float64(total)/1e6, float64(sizes[0])/1024, float64(sizes[len(sizes)/2])/1024, float64(sizes[len(sizes)-1])/1024)
}

// printTargets prints the figures BENCHMARKS.md sets targets for, and
// whether each is met.
func printTargets(out io.Writer, c1, c2, gofeed cost, maxRSS int64) {
	wallRatio := c1.wall.Seconds() / gofeed.wall.Seconds()
	cpuRatio := c2.cpu().Seconds() / c1.cpu().Seconds()
	fmt.Fprintf(out, "cycle 1 wall / gofeed wall: %.2f (target ≤ 1.5: %s)\n", wallRatio, verdict(wallRatio <= 1.5))
	fmt.Fprintf(out, "cycle 2 CPU / cycle 1 CPU: %.4f (target ≤ 0.05: %s)\n", cpuRatio, verdict(cpuRatio <= 0.05))
	fmt.Fprintf(out, "peak RSS: %.1f MB (target ≤ 300: %s)\n", float64(maxRSS)/(1<<20), verdict(maxRSS <= 300<<20))
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "missed"
}

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"aggregator/dedupe"
	"aggregator/internal/benchgen"
)

// startupFlags are the flags of "aggregator-bench startup".
type startupFlags struct {
	n          int
	db         string
	corpus     string
	cpuProfile string
}

// runStartup is "aggregator-bench startup". It measures what a restart
// costs: opening a store that holds n stories (generated as for the lsh
// stage, with their analysed text and compact index keys, as the pipeline
// stores them) and rebuilding the near-duplicate index from it, which is
// all the daemon does before it can decide again.
func runStartup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, code := parseStartupFlags(args, stderr)
	if code >= 0 {
		return code
	}
	if err := benchStartup(ctx, f, stdout); err != nil {
		fmt.Fprintln(stderr, "aggregator-bench startup:", err)
		return exitFailure
	}
	return exitOK
}

// parseStartupFlags parses the flags; it returns the exit status to stop
// with, or -1 to go on.
func parseStartupFlags(args []string, stderr io.Writer) (startupFlags, int) {
	fs := newFlagSet("startup", "startup [-n STORIES] --db FILE [--corpus FILE]", stderr)
	n := fs.Int("n", 1_000_000, "stories in the store")
	dbPath := fs.String("db", "", "state `file` to create (kept for the next run when it already holds n stories)")
	corpus := fs.String("corpus", corpusDefault(), "CSV `file` of real articles the generator learns from")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the start-up to `file`")
	if code := parseFlags(fs, args); code >= 0 {
		return startupFlags{}, code
	}
	if *dbPath == "" || *corpus == "" || *n < 1 {
		fmt.Fprintln(stderr, "aggregator-bench startup: --db and --corpus are required (or set AGGREGATOR_SHARED), -n must be positive")
		return startupFlags{}, exitUsage
	}
	return startupFlags{n: *n, db: *dbPath, corpus: *corpus, cpuProfile: *cpuProfile}, -1
}

// benchStartup fills the store unless it already holds n stories, then
// measures a start-up on it.
func benchStartup(ctx context.Context, f startupFlags, out io.Writer) error {
	cfg := dedupe.DefaultConfig()
	an, err := dedupe.NewAnalyzer(cfg)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if err := ensureStories(ctx, f, an, cfg, now, out); err != nil {
		return err
	}
	if fi, err := os.Stat(f.db); err == nil {
		fmt.Fprintf(out, "store: %s, %.0f MB\n", f.db, float64(fi.Size())/1e6)
	}
	return measureStartup(ctx, f, cfg, now, out)
}

// ensureStories leaves the store at f.db alone when it holds f.n stories,
// and otherwise makes it again with f.n generated stories.
func ensureStories(ctx context.Context, f startupFlags, an *dedupe.Analyzer, cfg dedupe.Config, now time.Time, out io.Writer) error {
	have, err := storiesIn(ctx, f.db)
	if err != nil {
		return err
	}
	if have == f.n {
		return nil
	}
	gen, err := benchgen.NewStories(an, f.corpus, benchgen.StoryMix{Novel: 0.03, Phrases: 0.35})
	if err != nil {
		return err
	}
	os.Remove(f.db)
	os.Remove(f.db + "-wal")
	os.Remove(f.db + "-shm")
	start := time.Now()
	if err := fillStore(ctx, f.db, gen, cfg, f.n, now); err != nil {
		return err
	}
	fmt.Fprintf(out, "filled %s with %d stories in %s\n", f.db, f.n, time.Since(start).Round(time.Second))
	return nil
}

// measureStartup times a start-up on the store at f.db, wall and CPU, and
// reports it with the heap the rebuilt index takes per story.
func measureStartup(ctx context.Context, f startupFlags, cfg dedupe.Config, now time.Time, out io.Writer) error {
	heap0 := heapAlloc()
	stopProfile, err := startCPUProfile(f.cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	cpu0 := startupCPU()
	r, err := restart(ctx, f.db, f.n, cfg, now)
	if err != nil {
		return err
	}
	defer r.close()
	cpu := startupCPU() - cpu0
	grown := heapAlloc() - heap0
	fmt.Fprintf(out, "start-up with %d stories: %.2f s wall, %.2f s CPU (store open %.3f s, pipeline with index %.2f s); index %d entries, heap %.0f bytes per story\n",
		f.n, r.total.Seconds(), cpu.Seconds(), r.opened.Seconds(), (r.total - r.opened).Seconds(), r.indexLen(),
		float64(grown)/float64(f.n))
	return nil
}

// startupCPU returns the CPU time the process has used, 0 where the
// platform does not say.
func startupCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

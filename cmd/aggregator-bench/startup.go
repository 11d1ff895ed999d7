package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/internal/benchgen"
	"aggregator/seeds"
	"aggregator/store"
)

// runBenchStartup measures what a restart costs: opening a store that holds
// n stories (generated as for bench lsh, with their analysed text and
// compact index keys, as the pipeline stores them) and rebuilding the
// near-duplicate index from it, which is all the daemon does before it can
// decide again.
func runBenchStartup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("startup", "startup [-n STORIES] --db FILE [--corpus FILE]", stderr)
	n := fs.Int("n", 1_000_000, "stories in the store")
	dbPath := fs.String("db", "", "state `file` to create (kept for the next run when it already holds n stories)")
	corpus := fs.String("corpus", corpusDefault(), "CSV `file` of real articles the generator learns from")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the start-up to `file`")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *dbPath == "" || *corpus == "" || *n < 1 {
		fmt.Fprintln(stderr, "aggregator-bench startup: --db and --corpus are required (or set AGGREGATOR_SHARED), -n must be positive")
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "aggregator-bench startup:", err)
		return exitFailure
	}
	cfg := dedupe.DefaultConfig()
	an, err := dedupe.NewAnalyzer(cfg)
	if err != nil {
		return fail(err)
	}
	now := time.Now().UTC()
	have, err := storiesIn(ctx, *dbPath)
	if err != nil {
		return fail(err)
	}
	if have != *n {
		gen, err := benchgen.NewStories(an, *corpus, benchgen.StoryMix{Novel: 0.03, Phrases: 0.35})
		if err != nil {
			return fail(err)
		}
		os.Remove(*dbPath)
		os.Remove(*dbPath + "-wal")
		os.Remove(*dbPath + "-shm")
		start := time.Now()
		if err := fillStore(ctx, *dbPath, gen, cfg, *n, now); err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "filled %s with %d stories in %s\n", *dbPath, *n, time.Since(start).Round(time.Second))
	}
	if fi, err := os.Stat(*dbPath); err == nil {
		fmt.Fprintf(stdout, "store: %s, %.0f MB\n", *dbPath, float64(fi.Size())/1e6)
	}

	runtime.GC()
	var m0 runtime.MemStats
	runtime.ReadMemStats(&m0)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fail(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	cpu0 := startupCPU()
	start := time.Now()
	st, err := store.Open(ctx, *dbPath)
	if err != nil {
		return fail(err)
	}
	defer st.Close()
	opened := time.Since(start)
	// The stories were first seen a minute apart up to now: the window takes
	// them all in.
	opts := aggregator.Options{Dedupe: cfg, Window: time.Duration(*n+1) * time.Minute, Seeds: seeds.Embedded(), Now: func() time.Time { return now }}
	p, err := aggregator.New(ctx, st, fetch.New(fetch.Options{}, nil, nil), opts, nil)
	if err != nil {
		return fail(err)
	}
	total := time.Since(start)
	cpu := startupCPU() - cpu0
	runtime.GC()
	var m1 runtime.MemStats
	runtime.ReadMemStats(&m1)
	fmt.Fprintf(stdout, "start-up with %d stories: %.2f s wall, %.2f s CPU (store open %.3f s, pipeline with index %.2f s); index %d entries, heap %.0f bytes per story\n",
		*n, total.Seconds(), cpu.Seconds(), opened.Seconds(), (total - opened).Seconds(), p.IndexLen(),
		float64(m1.HeapAlloc-m0.HeapAlloc)/float64(*n))
	return exitOK
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

// storiesIn returns the number of stories in the store at path, 0 when
// there is none.
func storiesIn(ctx context.Context, path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, nil
	}
	st, err := store.Open(ctx, path)
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
	st, err := store.Open(ctx, path)
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
			it := store.Item{
				SourceID: src.ID, GUID: id, URL: "http://127.0.0.1/story/" + id, CanonicalURL: "http://127.0.0.1/story/" + id,
				Title: "Story " + id, Published: at, FirstSeen: at, Updated: at,
				Decision: store.Decision{Verdict: string(dedupe.VerdictNew), OnTopic: true},
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

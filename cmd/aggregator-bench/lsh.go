package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"aggregator/dedupe"
	"aggregator/internal/benchgen"
)

// lshFlags are the flags of "aggregator-bench lsh".
type lshFlags struct {
	n          int
	corpus     string
	mix        benchgen.StoryMix
	probes     int
	cpuProfile string
	memProfile string
}

// runLSH is "aggregator-bench lsh": it streams generated stories through
// the near-duplicate index as a poll cycle does, and reports the rate, the
// cost of a decision and the memory per story at checkpoints (BENCHMARKS.md,
// section 2).
func runLSH(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, code := parseLSHFlags(args, stderr)
	if code >= 0 {
		return code
	}
	if err := benchLSH(ctx, f, stdout); err != nil {
		fmt.Fprintln(stderr, "aggregator-bench lsh:", err)
		return exitFailure
	}
	return exitOK
}

// parseLSHFlags parses the flags; it returns the exit status to stop with,
// or -1 to go on.
func parseLSHFlags(args []string, stderr io.Writer) (lshFlags, int) {
	fs := newFlagSet("lsh", "lsh [-n STORIES] [--corpus FILE]", stderr)
	n := fs.Int("n", 1_000_000, "stories in the index at the end")
	corpus := fs.String("corpus", corpusDefault(), "CSV `file` of real articles the generator learns from (default: news-id under $AGGREGATOR_SHARED)")
	novel := fs.Float64("novel", 0.03, "probability that a generated word is a novel token (a name, a number)")
	phrases := fs.Float64("phrases", 0.35, "probability that a generated word starts a phrase of 4 to 10 words copied from the corpus")
	copies := fs.Float64("copies", 0.2, "probability that an item is a near-copy of one of the last 1,000 items")
	probes := fs.Int("probes", 2000, "items whose decision is timed at each checkpoint")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the streaming to `file`")
	memProfile := fs.String("memprofile", "", "write a heap profile at the end to `file`")
	if code := parseFlags(fs, args); code >= 0 {
		return lshFlags{}, code
	}
	if *corpus == "" || *n < 1 {
		fmt.Fprintln(stderr, "aggregator-bench lsh: --corpus is required (or set AGGREGATOR_SHARED), -n must be positive")
		return lshFlags{}, exitUsage
	}
	return lshFlags{
		n: *n, corpus: *corpus, mix: benchgen.StoryMix{Novel: *novel, Phrases: *phrases, Copies: *copies},
		probes: *probes, cpuProfile: *cpuProfile, memProfile: *memProfile,
	}, -1
}

// benchLSH trains the generator, streams up to the checkpoints and reports
// on out.
func benchLSH(ctx context.Context, f lshFlags, out io.Writer) error {
	cfg := dedupe.DefaultConfig()
	an, err := dedupe.NewAnalyzer(cfg)
	if err != nil {
		return err
	}
	gen, err := benchgen.NewStories(an, f.corpus, f.mix)
	if err != nil {
		return err
	}
	printLSHSetup(out, f, cfg, gen)

	// The streaming is timed in this thread's CPU time too.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	heap0 := heapAlloc()
	run := &lshRun{cfg: cfg, an: an, gen: gen}
	run.ix = dedupe.NewIndexWith(cfg, dedupe.IndexOptions{Shingles: run.load})
	stopProfile, err := startCPUProfile(f.cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()

	if err := run.streamCheckpoints(ctx, out, checkpoints(f.n), f.probes); err != nil {
		return err
	}
	run.printStreaming(out)
	// About a fifth of the items are generated as near-copies; the index
	// must fold (nearly) all of them, or it is broken.
	if expected := f.mix.Copies * float64(run.next); float64(run.dups) < 0.9*expected {
		return fmt.Errorf("only %d near-copies folded of about %.0f generated", run.dups, expected)
	}
	runtime.GC()
	run.printHeap(out, heapAlloc()-heap0)
	if f.memProfile != "" {
		if err := writeHeapProfile(f.memProfile); err != nil {
			return err
		}
	}
	runtime.KeepAlive(run)
	return nil
}

// printLSHSetup prints the machine, the corpus, how much phrasing the
// generated stories share against the real ones, and the run's parameters.
func printLSHSetup(out io.Writer, f lshFlags, cfg dedupe.Config, gen *benchgen.Stories) {
	fmt.Fprintf(out, "machine: %d CPUs, GOMAXPROCS %d, %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())
	texts, words, distinct := gen.CorpusSize()
	fmt.Fprintf(out, "corpus: %s (%d texts, %d words, %d distinct)\n", f.corpus, texts, words, distinct)
	real, synth := gen.Sharing()
	fmt.Fprintf(out, "shingle occurrences shared with another text, among 1,000 texts: real %.3f, generated %.3f\n", real, synth)
	fmt.Fprintf(out, "generator: novel %.3f, phrases %.3f, copies %.2f; bands x rows: %d x %d; stories: %d\n",
		f.mix.Novel, f.mix.Phrases, f.mix.Copies, cfg.Bands, cfg.Rows, f.n)
}

// checkpoints returns the index sizes measured at: 10,000, 100,000 and n,
// those up to n, each once.
func checkpoints(n int) []int {
	var cs []int
	for _, c := range []int{10_000, 100_000, n} {
		if c <= n && !slices.Contains(cs, c) {
			cs = append(cs, c)
		}
	}
	return cs
}

// lshRun is the state of one streaming run.
type lshRun struct {
	cfg     dedupe.Config
	an      *dedupe.Analyzer
	gen     *benchgen.Stories
	ix      *dedupe.Index
	next    uint64   // next item to stream
	recent  []uint64 // the last stories added, for probes
	dups    int
	elapsed time.Duration // spent in Best and Add
	cpu     time.Duration // the same in the streaming thread's CPU time
	loading time.Duration // of which in the shingle loader
}

// load is the index's ShingleLoader, timed.
func (r *lshRun) load(key string) ([]uint64, error) {
	start := time.Now()
	s, err := r.gen.Load(key)
	r.loading += time.Since(start)
	return s, err
}

// streamCheckpoints streams to each checkpoint in turn and prints a table
// row at each: the streaming rate since the previous one and the cost of a
// decision on probes items.
func (r *lshRun) streamCheckpoints(ctx context.Context, out io.Writer, checkpoints []int, probes int) error {
	fmt.Fprintf(out, "\nitems/s: streaming query-then-insert since the previous checkpoint, by wall clock and by the streaming thread's CPU time\n")
	fmt.Fprintf(out, "decide µs: Best on %d probes (4 new stories in 5, 1 near-copy), fastest of 5 passes, wall and thread CPU; per decision: candidates, judged on sketches, sets loaded\n", probes)
	fmt.Fprintf(out, "%10s %10s %10s %10s %10s %10s %8s %8s %8s %12s\n", "stories", "items", "items/s", "CPU", "decide µs", "CPU", "cands", "sketch", "loads", "growth CPU")
	var base float64
	var lastItems uint64
	var lastElapsed, lastCPU time.Duration
	for _, c := range checkpoints {
		if err := r.streamTo(ctx, c); err != nil {
			return err
		}
		rate := float64(r.next-lastItems) / (r.elapsed - lastElapsed).Seconds()
		rateCPU := float64(r.next-lastItems) / (r.cpu - lastCPU).Seconds()
		lastItems, lastElapsed, lastCPU = r.next, r.elapsed, r.cpu
		cost, costCPU, st, err := r.probe(probes)
		if err != nil {
			return err
		}
		if base == 0 {
			base = costCPU
		}
		q := float64(st.Queries)
		fmt.Fprintf(out, "%10d %10d %10.0f %10.0f %10.2f %10.2f %8.2f %8.2f %8.3f %11.2fx\n",
			c, r.next, rate, rateCPU, cost, costCPU, float64(st.Candidates)/q, float64(st.Estimated)/q,
			float64(st.Loads)/q, costCPU/base)
	}
	return nil
}

// printStreaming prints the streaming rate over the whole run.
func (r *lshRun) printStreaming(out io.Writer) {
	fmt.Fprintf(out, "streaming over the whole run: %.0f items/s, %.0f by thread CPU time (%d items, %d near-copies folded, %s in Best and Add, %s of CPU, %s of it loading)\n",
		float64(r.next)/r.elapsed.Seconds(), float64(r.next)/r.cpu.Seconds(),
		r.next, r.dups, r.elapsed.Round(time.Millisecond), r.cpu.Round(time.Millisecond), r.loading.Round(time.Millisecond))
}

// printHeap prints the heap per story, given the heap's growth over the
// run, and the index's counters.
func (r *lshRun) printHeap(out io.Writer, grown uint64) {
	stories := r.ix.Len()
	fmt.Fprintf(out, "heap: %.0f bytes per story (%d stories, %.1f MB HeapAlloc delta after GC, ring of %d recent shingle sets included)\n",
		float64(grown)/float64(stories), stories, float64(grown)/1e6, dedupe.DefaultRecent)
	fmt.Fprintf(out, "index stats: %+v\n", r.ix.Stats())
}

// batchSize is how many items are generated (untimed, on every core) before
// they are streamed (timed, on one goroutine).
const batchSize = 2048

// streamTo streams items, querying each before adding it as a story unless
// it is a near-copy, until the index holds stories stories.
func (r *lshRun) streamTo(ctx context.Context, stories int) error {
	docs := make([]dedupe.Doc, batchSize)
	for r.ix.Len() < stories {
		if err := ctx.Err(); err != nil {
			return err
		}
		first := r.next
		r.gen.Docs(first, docs)
		start, cpu := time.Now(), threadCPU()
		i := 0
		for ; i < len(docs) && r.ix.Len() < stories; i++ {
			id := first + uint64(i)
			d := docs[i]
			m, ok, err := r.ix.Best(d)
			if err != nil {
				return err
			}
			if ok && r.cfg.IsNearDuplicate(m) {
				r.dups++
				continue
			}
			r.ix.Add(benchgen.StoryKey(id), d, time.Unix(int64(id), 0))
			if len(r.recent) < 1000 {
				r.recent = append(r.recent, id)
			} else {
				r.recent[id%1000] = id
			}
		}
		r.elapsed += time.Since(start)
		r.cpu += threadCPU() - cpu
		r.next = first + uint64(i)
	}
	return nil
}

// probe times Best on n items that are not added: four in five new
// stories, one in five near-copies of a recent story. It returns the fastest
// of five passes (the least disturbed by other work on the machine) of the
// mean µs per item, in wall-clock and in the thread's CPU time (loads
// included in both), and the index's counters over one pass.
func (r *lshRun) probe(n int) (float64, float64, dedupe.IndexStats, error) {
	docs := make([]dedupe.Doc, n)
	for j := range docs {
		rng := r.gen.Rand(1<<40 + uint64(j) + r.next<<20)
		if j%5 == 0 && len(r.recent) > 0 {
			w, _ := r.gen.Words(r.recent[rng.IntN(len(r.recent))])
			docs[j] = r.an.AnalyzeWords(r.gen.Perturb(rng, w))
		} else {
			docs[j] = r.an.AnalyzeWords(r.gen.Fresh(rng))
		}
	}
	before := r.ix.Stats()
	var all, cpus []float64
	for range 5 {
		start, cpu := time.Now(), threadCPU()
		for _, d := range docs {
			if _, _, err := r.ix.Best(d); err != nil {
				return 0, 0, dedupe.IndexStats{}, err
			}
		}
		took, used := time.Since(start), threadCPU()-cpu
		all = append(all, float64(took.Microseconds())/float64(n))
		cpus = append(cpus, float64(used.Microseconds())/float64(n))
	}
	after := r.ix.Stats()
	slices.Sort(all)
	slices.Sort(cpus)
	st := dedupe.IndexStats{
		Queries:    (after.Queries - before.Queries) / 5,
		Candidates: (after.Candidates - before.Candidates) / 5,
		Estimated:  (after.Estimated - before.Estimated) / 5,
		Loads:      (after.Loads - before.Loads) / 5,
	}
	return all[0], cpus[0], st, nil
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"aggregator"
	"aggregator/fetch"
	"aggregator/internal/benchgen"
	"aggregator/internal/config"
	"aggregator/store"

	"github.com/mmcdole/gofeed"
)

// runBenchCycle is "aggregator-bench cycle": two poll cycles over -sources
// generated feeds served by a loopback server in a child process (so that
// the server's CPU time and memory are not the harness's), measured side
// by side with gofeed alone parsing the same bodies at the same
// concurrency. The first cycle finds every entry new; in the second every
// source answers 304. See BENCHMARKS.md, section 3.
func runBenchCycle(ctx context.Context, args []string, stdout, stderr io.Writer) int {
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
	dir := *stateDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "aggregator-bench-cycle-")
		if err != nil {
			fmt.Fprintln(stderr, "aggregator-bench cycle:", err)
			return exitFailure
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	if err := b.run(ctx, cfg, filepath.Join(dir, "bench-cycle.db")); err != nil {
		fmt.Fprintln(stderr, "aggregator-bench cycle:", err)
		return exitFailure
	}
	return exitOK
}

// serveCycleUpstream generates the feeds and serves them on a loopback
// address, with ETags and 304s, until stdin reaches its end (the harness
// closed it or exited) or ctx ends. The first line on stdout is the
// server's URL.
func serveCycleUpstream(ctx context.Context, n int, corpus string, seed uint64, base time.Time, stdin io.Reader, stdout, stderr io.Writer) int {
	gen, err := benchgen.NewCycleFeeds(corpus, seed, base)
	if err != nil {
		fmt.Fprintln(stderr, "aggregator-bench cycle:", err)
		return exitFailure
	}
	srv := httptest.NewUnstartedServer(nil)
	origin := "http://" + srv.Listener.Addr().String()
	feeds := make([]benchgen.Feed, n)
	for s := range n {
		feeds[s] = gen.Feed(origin, s, n)
	}
	lastModified := base.UTC().Format(http.TimeFormat)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, "/feeds/")
		s, err := strconv.Atoi(strings.TrimSuffix(name, ".xml"))
		if !ok || err != nil || s < 0 || s >= n {
			http.NotFound(w, r)
			return
		}
		f := feeds[s]
		w.Header().Set("ETag", f.ETag)
		w.Header().Set("Last-Modified", lastModified)
		if r.Header.Get("If-None-Match") == f.ETag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", f.ContentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(f.Body)))
		w.Write(f.Body)
	})
	srv.Start()
	defer srv.Close()
	fmt.Fprintln(stdout, srv.URL)
	eof := make(chan struct{})
	go func() {
		io.Copy(io.Discard, stdin)
		close(eof)
	}()
	select {
	case <-eof:
	case <-ctx.Done():
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

// cost is the wall and process CPU time (user + system) of one phase.
type cost struct {
	wall, user, sys time.Duration
}

func (c cost) cpu() time.Duration { return c.user + c.sys }

func (c cost) String() string {
	return fmt.Sprintf("wall %.3f s, CPU %.3f s (user %.3f, sys %.3f)",
		c.wall.Seconds(), c.cpu().Seconds(), c.user.Seconds(), c.sys.Seconds())
}

// measure runs fn and returns what it cost the process.
func measure(fn func() error) (cost, error) {
	u0, s0, _ := processCPU()
	start := time.Now()
	err := fn()
	wall := time.Since(start)
	u1, s1, _ := processCPU()
	return cost{wall: wall, user: u1 - u0, sys: s1 - s0}, err
}

func (b *cycleBench) run(ctx context.Context, cfg *config.Config, dbPath string) error {
	if _, _, ok := processCPU(); !ok {
		return errors.New("process CPU time is not available on this system")
	}
	out := b.stdout
	origin, stopUpstream, err := b.startUpstream(ctx)
	if err != nil {
		return err
	}
	upstreamDone := false
	defer func() {
		if !upstreamDone {
			stopUpstream()
		}
	}()

	opts, err := pipelineOptions(cfg)
	if err != nil {
		return err
	}
	opts.Sources = make([]aggregator.Source, b.sources)
	for s := range b.sources {
		opts.Sources[s] = aggregator.Source{Name: fmt.Sprintf("bench-%05d", s), URL: fmt.Sprintf("%s/feeds/%d.xml", origin, s)}
	}
	var offset atomic.Int64 // moves the pipeline's clock on between cycles
	opts.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	fo := fetcherOptions(cfg)
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := aggregator.New(ctx, st, fetch.New(fo, nil, nil), opts, nil)
	if err != nil {
		return err
	}
	// One host: the per-host limit bounds how many fetches run at once.
	workers := min(fo.Concurrency, fo.PerHost)
	fmt.Fprintf(out, "machine: %d CPUs, GOMAXPROCS %d, %s/%s, %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintf(out, "sources: %d on one loopback host; fetch concurrency %d, per host %d: %d at once\n",
		b.sources, fo.Concurrency, fo.PerHost, workers)
	corpus := b.corpus
	if corpus == "" {
		corpus = "none (sentences of seed words)"
	}
	fmt.Fprintf(out, "text: %s\n", corpus)

	var rep1, rep2 aggregator.Report
	c1, err := b.profiled(b.cpuProfile, func() error {
		var err error
		rep1, err = p.Poll(ctx, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("cycle 1: %w", err)
	}
	t1, failed1 := rep1.Totals()
	if failed1 > 0 {
		return fmt.Errorf("cycle 1: %d sources failed, first: %w", failed1, firstErr(rep1))
	}
	fmt.Fprintf(out, "cycle 1 (all new): %s\n", c1)
	fmt.Fprintf(out, "  entries %d: new stories %d, duplicates %d, off topic %d\n", t1.Entries, t1.New, t1.Duplicates, t1.OffTopic)

	interval := opts.Interval
	if interval <= 0 {
		interval = aggregator.DefaultInterval
	}
	offset.Store(int64(2 * interval)) // every source is due again
	c2, err := b.profiled(b.cpuProfile2, func() error {
		var err error
		rep2, err = p.Poll(ctx, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("cycle 2: %w", err)
	}
	notModified := 0
	for _, s := range rep2.Sources {
		if s.NotModified {
			notModified++
		}
	}
	if _, failed := rep2.Totals(); failed > 0 || notModified != b.sources {
		return fmt.Errorf("cycle 2: %d of %d sources answered 304, %d failed", notModified, b.sources, failed)
	}
	fmt.Fprintf(out, "cycle 2 (all 304): %s\n", c2)
	maxRSS := peakRSS()
	if b.memProfile != "" {
		err := writeHeapProfile(b.memProfile)
		runtime.KeepAlive(p) // the pipeline's index is what the profile is for
		if err != nil {
			return err
		}
	}
	counts, err := st.Counts(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  store: %d items, %d stories; verdicts %v\n", counts.Items, counts.Stories, counts.ByVerdict)
	stopUpstream()
	upstreamDone = true

	etags := make(map[string]string, b.sources)
	srcs, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	for _, s := range srcs {
		etags[s.Name] = s.ETag
	}
	base, sizes, err := b.gofeedAlone(ctx, origin, workers, etags)
	if err != nil {
		return err
	}
	slices.Sort(sizes)
	total := 0
	for _, n := range sizes {
		total += n
	}
	rss := (len(sizes) + 1) / 2 // feeds 0, 2, 4… are RSS
	fmt.Fprintf(out, "bodies: %d (%d RSS, %d Atom), %.1f MB; KB min %.1f, median %.1f, max %.1f\n",
		len(sizes), rss, len(sizes)-rss, float64(total)/1e6, float64(sizes[0])/1024, float64(sizes[len(sizes)/2])/1024, float64(sizes[len(sizes)-1])/1024)
	fmt.Fprintf(out, "gofeed alone (%d workers): %s\n", workers, base)

	wallRatio := c1.wall.Seconds() / base.wall.Seconds()
	cpuRatio := c2.cpu().Seconds() / c1.cpu().Seconds()
	fmt.Fprintf(out, "cycle 1 wall / gofeed wall: %.2f (target ≤ 1.5: %s)\n", wallRatio, verdict(wallRatio <= 1.5))
	fmt.Fprintf(out, "cycle 2 CPU / cycle 1 CPU: %.4f (target ≤ 0.05: %s)\n", cpuRatio, verdict(cpuRatio <= 0.05))
	fmt.Fprintf(out, "peak RSS: %.1f MB (target ≤ 300: %s)\n", float64(maxRSS)/(1<<20), verdict(maxRSS <= 300<<20))
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "missed"
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

// profiled measures fn, with a CPU profile written to path when it is set.
func (b *cycleBench) profiled(path string, fn func() error) (cost, error) {
	if path == "" {
		return measure(fn)
	}
	f, err := os.Create(path)
	if err != nil {
		return cost{}, fmt.Errorf("cpu profile: %w", err)
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return cost{}, fmt.Errorf("cpu profile: %w", err)
	}
	c, err := measure(fn)
	pprof.StopCPUProfile()
	return c, err
}

// writeHeapProfile writes the live heap to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	return f.Close()
}

// startUpstream starts this program as the feed server and returns its
// origin and a function that stops it.
func (b *cycleBench) startUpstream(ctx context.Context) (string, func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return "", nil, fmt.Errorf("start upstream: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe, "cycle", "-upstream", "-sources", strconv.Itoa(b.sources),
		"-corpus", b.corpus, "-seed", strconv.FormatUint(b.seed, 10), "-base", strconv.FormatInt(b.base.Unix(), 10))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", nil, fmt.Errorf("start upstream: %w", err)
	}
	stdoutPipe, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, fmt.Errorf("start upstream: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start upstream: %w", err)
	}
	stop := func() {
		stdin.Close()
		cmd.Wait()
		if ps := cmd.ProcessState; ps != nil {
			fmt.Fprintf(b.stdout, "upstream server process: CPU %.3f s (user %.3f, sys %.3f), not counted above\n",
				(ps.UserTime() + ps.SystemTime()).Seconds(), ps.UserTime().Seconds(), ps.SystemTime().Seconds())
		}
	}
	line, err := bufio.NewReader(stdoutPipe).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("start upstream: no address: %w", err)
	}
	return strings.TrimSpace(line), stop, nil
}

// gofeedAlone parses the bodies the upstream served with gofeed's universal
// parser alone, with workers goroutines, generating them again in batches
// outside the timed part and checking each against the ETag the cycle
// stored. It returns the cost of the parsing and the body sizes.
func (b *cycleBench) gofeedAlone(ctx context.Context, origin string, workers int, etags map[string]string) (cost, []int, error) {
	gen, err := benchgen.NewCycleFeeds(b.corpus, b.seed, b.base)
	if err != nil {
		return cost{}, nil, err
	}
	const batch = 250
	var total cost
	sizes := make([]int, 0, b.sources)
	parsers := make([]*gofeed.Parser, workers)
	for i := range parsers {
		parsers[i] = gofeed.NewParser()
	}
	for first := 0; first < b.sources; first += batch {
		if err := ctx.Err(); err != nil {
			return cost{}, nil, err
		}
		bodies := make([][]byte, 0, batch)
		for s := first; s < min(first+batch, b.sources); s++ {
			f := gen.Feed(origin, s, b.sources)
			if want := etags[fmt.Sprintf("bench-%05d", s)]; f.ETag != want {
				return cost{}, nil, fmt.Errorf("feed %d generated again differs from the one served (ETag %s, stored %s)", s, f.ETag, want)
			}
			bodies = append(bodies, f.Body)
			sizes = append(sizes, len(f.Body))
		}
		var next atomic.Int64
		var firstErr error
		var once sync.Once
		c, _ := measure(func() error {
			var wg sync.WaitGroup
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1)) - 1
						if i >= len(bodies) {
							return
						}
						feed, err := parsers[w].Parse(bytes.NewReader(bodies[i]))
						if err == nil && len(feed.Items) != benchgen.CycleItems {
							err = fmt.Errorf("%d items, want %d", len(feed.Items), benchgen.CycleItems)
						}
						if err != nil {
							once.Do(func() { firstErr = fmt.Errorf("gofeed: feed %d: %w", first+i, err) })
						}
					}
				}()
			}
			wg.Wait()
			return nil
		})
		if firstErr != nil {
			return cost{}, nil, firstErr
		}
		total.wall += c.wall
		total.user += c.user
		total.sys += c.sys
	}
	return total, sizes, nil
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"aggregator/internal/benchgen"
)

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
	srv.Config.Handler = cycleFeedsHandler(feeds, base.UTC().Format(http.TimeFormat))
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

// cycleFeedsHandler serves feeds[s] at /feeds/s.xml with its ETag and
// lastModified, and 304 to a request that names the ETag.
func cycleFeedsHandler(feeds []benchgen.Feed, lastModified string) http.Handler {
	n := len(feeds)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
}

// startUpstream starts this program (os.Executable) as the feed server,
// "cycle -upstream", and returns its origin and a function that stops it
// and reports its CPU time; calls after the first do nothing.
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
	stop := sync.OnceFunc(func() {
		stdin.Close()
		cmd.Wait()
		if ps := cmd.ProcessState; ps != nil {
			fmt.Fprintf(b.stdout, "upstream server process: CPU %.3f s (user %.3f, sys %.3f), not counted above\n",
				(ps.UserTime() + ps.SystemTime()).Seconds(), ps.UserTime().Seconds(), ps.SystemTime().Seconds())
		}
	})
	line, err := bufio.NewReader(stdoutPipe).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("start upstream: no address: %w", err)
	}
	return strings.TrimSpace(line), stop, nil
}

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"aggregator/internal/benchgen"
)

// runFeeds is "aggregator-bench feeds": a loopback server of generated
// news feeds on the topic, the upstream for the serving benchmark
// (bench/serve.sh, BENCHMARKS.md). It serves -sources feeds at
// /feeds/0.xml, /feeds/1.xml, … (RSS 2.0 and Atom in turn), each with
// -items articles that are on topic and unlike each other and the seeds,
// so that one poll cycle publishes sources × items stories. With -static
// FILE it serves instead FILE (and FILE.gz to clients that accept gzip) at
// every path with nothing but net/http and the validators: the floor the
// daemon's feed handler is compared with. It runs until ctx is cancelled
// (SIGTERM, SIGINT).
func runFeeds(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("feeds", "feeds [-sources N] [-items N] [-static FILE] [-listen ADDR] [-addr-file F]", stderr)
	sources := fs.Int("sources", 5, "feeds served")
	items := fs.Int("items", 20, "articles in each feed")
	listen := fs.String("listen", "127.0.0.1:0", "loopback `address` to listen on")
	addrFile := fs.String("addr-file", "", "write the address listened on to this `file` once listening")
	seed := fs.Uint64("seed", 1, "seed of the generated text")
	static := fs.String("static", "", "serve this `file` (and file.gz) instead of generated feeds")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *sources < 1 || *items < 1 {
		fmt.Fprintln(stderr, "aggregator-bench feeds: -sources and -items must be at least 1")
		return exitUsage
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "aggregator-bench feeds: listen: %v\n", err)
		return exitFailure
	}
	addr := ln.Addr().String()
	h, err := feedsHandler(*static, *seed, *sources, *items, "http://"+addr)
	if err != nil {
		ln.Close()
		fmt.Fprintf(stderr, "aggregator-bench feeds: %v\n", err)
		return exitFailure
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(addr+"\n"), 0o644); err != nil {
			fmt.Fprintf(stderr, "aggregator-bench feeds: write address: %v\n", err)
			srv.Close()
			return exitFailure
		}
	}
	if *static != "" {
		fmt.Fprintf(stdout, "serving %s at http://%s/\n", *static, addr)
	} else {
		fmt.Fprintf(stdout, "serving %d feeds of %d articles at http://%s/feeds/0.xml … /feeds/%d.xml\n", *sources, *items, addr, *sources-1)
	}
	return waitFeeds(ctx, srv, serveErr, stderr)
}

// feedsHandler returns the handler of the static file when static is set,
// else of sources generated feeds of items articles, served at origin.
func feedsHandler(static string, seed uint64, sources, items int, origin string) (http.Handler, error) {
	if static != "" {
		return staticHandler(static)
	}
	gen := benchgen.NewTopicFeeds(seed)
	bodies := make(map[string]benchgen.Feed, sources)
	for s := range sources {
		path := fmt.Sprintf("/feeds/%d.xml", s)
		bodies[path] = gen.Feed(origin, s, items)
	}
	return feedHandler(bodies), nil
}

// waitFeeds serves until ctx is cancelled, then shuts srv down, or until
// srv fails; serveErr carries what srv.Serve returned.
func waitFeeds(ctx context.Context, srv *http.Server, serveErr <-chan error, stderr io.Writer) int {
	select {
	case <-ctx.Done():
		shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutCtx)
		return exitOK
	case err := <-serveErr:
		if errors.Is(err, http.ErrServerClosed) {
			return exitOK
		}
		fmt.Fprintf(stderr, "aggregator-bench feeds: serve: %v\n", err)
		return exitFailure
	}
}

// feedHandler serves bodies by path, with an ETag and 304s as a polite
// upstream does.
func feedHandler(bodies map[string]benchgen.Feed) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := bodies[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("ETag", f.ETag)
		if r.Header.Get("If-None-Match") == f.ETag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", f.ContentType)
		w.Write(f.Body)
	})
}

// staticHandler serves the Atom feed in path, and path+".gz" to clients
// whose Accept-Encoding names gzip, with an ETag and 304s: what a handler
// that does nothing but write prepared bytes costs on net/http.
func staticHandler(path string) (http.Handler, error) {
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read static feed: %w", err)
	}
	gz, err := os.ReadFile(path + ".gz")
	if err != nil {
		return nil, fmt.Errorf("read static feed: %w", err)
	}
	sum := sha256.Sum256(body)
	tag := `"` + hex.EncodeToString(sum[:16]) + `"`
	etag, etagGz := []string{tag}, []string{strings.TrimSuffix(tag, `"`) + `-gzip"`}
	ctype, gzipCoding := []string{"application/atom+xml; charset=utf-8"}, []string{"gzip"}
	length, lengthGz := []string{strconv.Itoa(len(body))}, []string{strconv.Itoa(len(gz))}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		inm := r.Header.Get("If-None-Match")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h["Etag"] = etagGz
			if inm == etagGz[0] || inm == tag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			h["Content-Type"], h["Content-Encoding"], h["Content-Length"] = ctype, gzipCoding, lengthGz
			w.Write(gz)
			return
		}
		h["Etag"] = etag
		if inm == tag || inm == etagGz[0] {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h["Content-Type"], h["Content-Length"] = ctype, length
		w.Write(body)
	}), nil
}

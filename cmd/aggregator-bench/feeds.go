package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"aggregator/seeds"
)

// runBenchFeeds is "aggregator-bench feeds": a loopback server of generated
// news feeds on the topic, the upstream for the serving benchmark
// (bench/serve.sh, BENCHMARKS.md). It serves -sources feeds at
// /feeds/0.xml, /feeds/1.xml, … (RSS 2.0 and Atom in turn), each with
// -items articles that are on topic and unlike each other and the seeds,
// so that one poll cycle publishes sources × items stories. With -static
// FILE it serves instead FILE (and FILE.gz to clients that accept gzip) at
// every path with nothing but net/http and the validators: the floor the
// daemon's feed handler is compared with. It runs until ctx is cancelled
// (SIGTERM, SIGINT).
func runBenchFeeds(ctx context.Context, args []string, stdout, stderr io.Writer) int {
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
	var h http.Handler
	if *static != "" {
		if h, err = staticHandler(*static); err != nil {
			ln.Close()
			fmt.Fprintf(stderr, "aggregator-bench feeds: %v\n", err)
			return exitFailure
		}
	} else {
		gen := newFeedGen(*seed)
		bodies := make(map[string]generatedFeed, *sources)
		for s := range *sources {
			path := fmt.Sprintf("/feeds/%d.xml", s)
			bodies[path] = gen.feed("http://"+addr, s, *items)
		}
		h = feedHandler(bodies)
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

// generatedFeed is one feed's bytes as served.
type generatedFeed struct {
	contentType string
	body        []byte
	etag        string
}

// feedHandler serves bodies by path, with an ETag and 304s as a polite
// upstream does.
func feedHandler(bodies map[string]generatedFeed) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := bodies[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("ETag", f.etag)
		if r.Header.Get("If-None-Match") == f.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", f.contentType)
		w.Write(f.body)
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

// feedGen writes articles of random words drawn from the seed articles'
// vocabulary: shingles of three such words are almost never shared, so
// every article is a story of its own, and each names both countries in its
// title, so every one is on topic.
type feedGen struct {
	vocab []string
	rnd   *rand.Rand
	base  time.Time // publication time of the newest article
}

func newFeedGen(seed uint64) *feedGen {
	seen := map[string]bool{}
	var vocab []string
	for _, a := range seeds.Embedded() {
		for _, w := range strings.FieldsFunc(a.Text, func(r rune) bool { return !unicode.IsLetter(r) }) {
			w = strings.ToLower(w)
			if len(w) >= 3 && !seen[w] {
				seen[w] = true
				vocab = append(vocab, w)
			}
		}
	}
	return &feedGen{vocab: vocab, rnd: rand.New(rand.NewPCG(seed, 0x5eed)), base: time.Date(2025, 11, 10, 8, 0, 0, 0, time.UTC)}
}

func (g *feedGen) words(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.vocab[g.rnd.IntN(len(g.vocab))]
	}
	return strings.Join(ws, " ")
}

func (g *feedGen) sentence() string {
	s := g.words(10 + g.rnd.IntN(12))
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// article returns a title and four to six paragraphs (about 2 KB).
func (g *feedGen) article() (string, []string) {
	title := "North Korea and Russia " + g.words(5+g.rnd.IntN(4))
	paras := make([]string, 4+g.rnd.IntN(3))
	for i := range paras {
		ss := make([]string, 3+g.rnd.IntN(3))
		for j := range ss {
			ss[j] = g.sentence()
		}
		paras[i] = strings.Join(ss, " ")
	}
	return title, paras
}

// feed renders source s's feed of n articles: RSS 2.0 for even s, Atom for
// odd s, the first paragraph as the summary and all of them as content.
func (g *feedGen) feed(origin string, s, n int) generatedFeed {
	esc := html.EscapeString
	atom := s%2 == 1
	var b strings.Builder
	home := fmt.Sprintf("%s/news/%d/", origin, s)
	if atom {
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<feed xmlns="http://www.w3.org/2005/Atom">`)
		fmt.Fprintf(&b, "<title>Bench outlet %d</title><id>%s</id><link href=\"%s\"/><updated>%s</updated>\n",
			s, esc(home), esc(home), g.base.Format(time.RFC3339))
	} else {
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
			`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>`)
		fmt.Fprintf(&b, "<title>Bench outlet %d</title><link>%s</link><description>Generated news</description>\n", s, esc(home))
	}
	for i := range n {
		title, paras := g.article()
		link := fmt.Sprintf("%s%d.html", home, i)
		published := g.base.Add(-time.Duration(i*7+s) * time.Minute)
		content := "<p>" + strings.Join(paras, "</p><p>") + "</p>"
		if atom {
			fmt.Fprintf(&b, "<entry><title>%s</title><id>%s</id><link href=\"%s\"/><published>%s</published><updated>%s</updated>"+
				"<author><name>Desk %d</name></author><summary>%s</summary><content type=\"html\">%s</content></entry>\n",
				esc(title), esc(link), esc(link), published.Format(time.RFC3339), published.Format(time.RFC3339),
				s, esc(paras[0]), esc(content))
		} else {
			fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate>"+
				"<description>%s</description><content:encoded>%s</content:encoded></item>\n",
				esc(title), esc(link), esc(link), published.Format(time.RFC1123Z), esc(paras[0]), esc(content))
		}
	}
	if atom {
		b.WriteString("</feed>\n")
	} else {
		b.WriteString("</channel></rss>\n")
	}
	ct := "application/rss+xml; charset=utf-8"
	if atom {
		ct = "application/atom+xml; charset=utf-8"
	}
	return generatedFeed{contentType: ct, body: []byte(b.String()), etag: fmt.Sprintf(`"bench-%d-%d"`, s, b.Len())}
}

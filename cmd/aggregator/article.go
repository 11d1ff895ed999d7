package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"aggregator/fetch"
	"aggregator/internal/wiring"
)

// runArticle is "aggregator article": one article page fetched and
// extracted as the full-text path would, its text on stdout, its title and
// provenance (or why it gave no text) on stderr.
func runArticle(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("article", "article --config FILE URL", stderr)
	cfgPath := fs.String("config", "config.yaml", "config `file` (its fetch settings: user agent, timeouts, limits)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "aggregator article: give exactly one article URL")
		fs.Usage()
		return exitUsage
	}
	cfg, _, ok := loadConfig(*cfgPath, stderr)
	if !ok {
		return exitUsage
	}
	f := fetch.New(wiring.FetcherOptions(cfg, programVersion()), nil, newLogger(stderr, cfg.Log.Level))
	art, err := f.Article(ctx, fetch.ArticleRequest{URL: fs.Arg(0)})
	if errors.Is(err, fetch.ErrBadURL) && art.Status == 0 {
		fmt.Fprintln(stderr, "aggregator article:", err)
		return exitUsage
	}
	printProvenance(stderr, art)
	if err != nil {
		fmt.Fprintf(stderr, "no article (%s): %v\n", fetch.Kind(err), err)
		return exitFailure
	}
	fmt.Fprintln(stdout, art.Text)
	return exitOK
}

// printProvenance writes what Article learned of the page, one field a line.
func printProvenance(w io.Writer, art fetch.Article) {
	if art.Title != "" {
		fmt.Fprintf(w, "title:      %s\n", art.Title)
	}
	if art.URL != "" {
		fmt.Fprintf(w, "url:        %s\n", art.URL)
	}
	fmt.Fprintf(w, "fetched:    %s\n", art.FetchedAt.Format(time.RFC3339))
	if art.Status != 0 {
		fmt.Fprintf(w, "status:     %d\n", art.Status)
	}
	if art.ContentType != "" {
		fmt.Fprintf(w, "type:       %s\n", art.ContentType)
	}
	fmt.Fprintf(w, "extractor:  %s %s\n", art.Extractor, art.ExtractorVersion)
	fmt.Fprintf(w, "words:      %d\n", art.Words)
}

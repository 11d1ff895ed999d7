package main

import (
	"aggregator/store/sqlite"
	"context"
	"fmt"
	"io"
	"strings"

	"aggregator"
)

func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("explain", "explain --config FILE URL", stderr)
	cfgPath := fs.String("config", "config.yaml", "config `file`")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "aggregator explain: give exactly one article URL")
		fs.Usage()
		return exitUsage
	}
	cfg, opts, ok := loadConfig(*cfgPath, stderr)
	if !ok {
		return exitUsage
	}
	a, err := openApp(ctx, cfg, opts, newLogger(stderr, cfg.Log.Level), sqlite.Options{}) // a reader: beside a running writer
	if err != nil {
		fmt.Fprintln(stderr, "aggregator explain:", err)
		return exitFailure
	}
	defer a.Close()
	exps, err := a.pipeline.Explain(ctx, fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "aggregator explain:", err)
		return exitFailure
	}
	if len(exps) == 0 {
		fmt.Fprintf(stderr, "aggregator explain: no stored item has the URL %s\n", fs.Arg(0))
		return exitFailure
	}
	for i, e := range exps {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		printExplanation(stdout, e)
		if src, err := a.store.SourceByName(ctx, e.Item.SourceName); err == nil {
			printSourceState(stdout, src)
		}
	}
	return exitOK
}

func printExplanation(w io.Writer, e aggregator.Explanation) {
	it := e.Item
	d := it.Decision
	fmt.Fprintf(w, "item:        %s\n", it.Title)
	fmt.Fprintf(w, "url:         %s\n", it.URL)
	fmt.Fprintf(w, "source:      %s\n", it.SourceName)
	lang := it.Language
	if lang == "" {
		lang = "unknown (none declared, none identified with confidence)"
	}
	fmt.Fprintf(w, "language:    %s\n", lang)
	fmt.Fprintf(w, "first seen:  %s\n", it.FirstSeen.Format("2006-01-02 15:04:05Z07:00"))
	fmt.Fprintf(w, "published:   %s\n", aggregator.PublishedNote(it.Item))
	fmt.Fprintf(w, "verdict:     %s (%s)\n", d.Verdict, aggregator.VerdictMeaning(d.Verdict))
	if it.StoryID != 0 {
		fmt.Fprintf(w, "story:       %d\n", it.StoryID)
	}
	if e.Matched != "" {
		fmt.Fprintf(w, "best match:  %s\n", e.Matched)
		if e.MatchURL != "" {
			fmt.Fprintf(w, "             %s\n", e.MatchURL)
		}
		fmt.Fprintf(w, "scores:      resemblance %.3f, containment %.3f (a near-copy needs resemblance ≥ %.2f or containment ≥ %.2f)\n",
			d.Resemblance, d.Containment, e.MinResemblance, e.MinContainment)
	} else {
		fmt.Fprintf(w, "best match:  none (no seed or story shares enough shingles)\n")
	}
	topic := "off topic"
	if d.OnTopic {
		topic = "on topic"
	}
	fmt.Fprintf(w, "topic:       %s: %s\n", topic, d.TopicRule)
	if d.TopicSimilarity > 0 {
		fmt.Fprintf(w, "seed sim.:   %.3f (on topic without keywords from %.2f)\n", d.TopicSimilarity, e.MinSeedSimilarity)
	}
	if len(d.Stripped) == 0 {
		fmt.Fprintf(w, "boilerplate: none stripped\n")
	}
	if len(d.Stripped) > 0 {
		fmt.Fprintf(w, "boilerplate: %d line(s) stripped before shingling:\n", len(d.Stripped))
		for _, l := range d.Stripped {
			fmt.Fprintf(w, "             - %s\n", truncate(l, 100))
		}
	}
	if e.Article != nil {
		printArticle(w, *e.Article)
	}
}

// articleLines is how many lines of an article's extracted text explain
// shows.
const articleLines = 3

// printArticle shows where the article text compared for an item came
// from, or why none was extracted, and the text's first lines.
func printArticle(w io.Writer, a aggregator.Article) {
	const layout = "2006-01-02 15:04:05Z07:00"
	if a.Extracted() {
		fmt.Fprintf(w, "article:     %d words extracted by %s %s, compared instead of the feed's text\n",
			a.Words, a.Extractor, a.ExtractorVersion)
	} else {
		fmt.Fprintf(w, "article:     no text (%s): %s; the feed's text was compared\n", a.ErrorKind, a.Error)
	}
	fetched := a.URL
	if fetched == "" {
		fetched = "(no response)"
	}
	fmt.Fprintf(w, "             fetched %s at %s, status %d\n", fetched, a.FetchedAt.Format(layout), a.Status)
	if !a.Extracted() {
		return
	}
	lines := strings.Split(strings.TrimSpace(a.Text), "\n")
	for i, l := range lines {
		if i == articleLines {
			fmt.Fprintf(w, "             | … (%d more lines)\n", len(lines)-i)
			break
		}
		fmt.Fprintf(w, "             | %s\n", truncate(l, 100))
	}
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

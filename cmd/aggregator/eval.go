package main

import (
	"context"
	"fmt"
	"io"

	"aggregator/internal/eval"
	"aggregator/seeds"
)

// runEval replays a labelled corpus through the decision path and prints
// the quality report; it exits 1 when a target is missed (unless
// --targets=false), 2 on bad arguments or an unreadable corpus.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("eval", "eval --corpus DIR [--seeds DIR] [--json] [--all-on-topic] [--dense] [--targets=false]", stderr)
	corpusDir := fs.String("corpus", "", "labelled corpus `directory` (items.jsonl, labels.csv, pairs.csv)")
	seedsDir := fs.String("seeds", "", "`directory` of seed articles to use instead of the embedded ones")
	asJSON := fs.Bool("json", false, "print the metrics and every item's decision as JSON")
	targets := fs.Bool("targets", true, "exit with status 1 when a quality target is missed")
	allOnTopic := fs.Bool("all-on-topic", false, "take every item as on topic (to score a labelled corpus of another topic)")
	dense := fs.Bool("dense", false, "replay with the dates moved so that every event begins in the same week")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *corpusDir == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "aggregator eval: give --corpus DIR and no other arguments")
		fs.Usage()
		return exitUsage
	}
	c, err := eval.Load(*corpusDir)
	if err != nil {
		fmt.Fprintln(stderr, "aggregator eval:", err)
		return exitUsage
	}
	opts := eval.Options{AllOnTopic: *allOnTopic, Dense: *dense}
	if *seedsDir != "" {
		if opts.Seeds, err = seeds.LoadDir(*seedsDir); err != nil {
			fmt.Fprintln(stderr, "aggregator eval:", err)
			return exitUsage
		}
	}
	rep, err := eval.Run(ctx, c, opts, eval.DefaultTargets())
	if err != nil {
		fmt.Fprintln(stderr, "aggregator eval:", err)
		return exitFailure
	}
	if *asJSON {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "aggregator eval:", err)
		return exitFailure
	}
	if *targets && !rep.Met() {
		fmt.Fprintln(stderr, "aggregator eval: quality targets missed")
		return exitFailure
	}
	return exitOK
}

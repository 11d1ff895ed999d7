// Command aggregator-bench runs the benchmarks of BENCHMARKS.md on
// generated workloads, apart from the daemon so that the aggregator binary
// carries none of the harness (profiling, test servers, a second parser).
//
// Usage:
//
//	aggregator-bench lsh     [-n STORIES] [--corpus FILE]
//	aggregator-bench startup [-n STORIES] --db FILE [--corpus FILE]
//	aggregator-bench cycle   [-sources N] [-config FILE] [--corpus FILE] [-cpuprofile FILE]
//	aggregator-bench feeds   [-sources N] [-items N] [-static FILE] [-listen ADDR] [-addr-file F]
//
// The cycle benchmark starts this program a second time as its upstream
// feed server ("cycle -upstream").
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
)

// Exit statuses, as the aggregator command's.
const (
	exitOK      = 0
	exitFailure = 1 // the benchmark could not run or went wrong
	exitUsage   = 2 // bad arguments
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `Usage: aggregator-bench <stage> [flags]

Stages:
  lsh       stream generated stories through the near-duplicate index
  startup   open a store of generated stories and rebuild the index
  cycle     two poll cycles over generated feeds from a loopback server
  feeds     serve generated feeds (or one file) on loopback, for bench/serve.sh

Run "aggregator-bench <stage> --help" for a stage's flags.
`

// run runs one benchmark stage (see BENCHMARKS.md) and returns the exit
// status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "lsh":
		return runLSH(ctx, args[1:], stdout, stderr)
	case "startup":
		return runStartup(ctx, args[1:], stdout, stderr)
	case "cycle":
		return runCycle(ctx, args[1:], stdout, stderr)
	case "feeds": // the upstream for bench/serve.sh
		return runFeeds(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "aggregator-bench: unknown stage %q\n\n%s", args[0], usage)
		return exitUsage
	}
}

// newFlagSet returns a flag set for a stage that prints its usage on
// --help and reports errors through the exit status.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: aggregator-bench %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; it returns the exit status to stop with, or -1 to
// go on.
func parseFlags(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	return -1
}

// corpusDefault is the default corpus of the generators: the news-id
// articles of the shared test data when AGGREGATOR_SHARED is set, else "".
func corpusDefault() string {
	if dir := os.Getenv("AGGREGATOR_SHARED"); dir != "" {
		return filepath.Join(dir, "testdata", "news-id", "detik-1000.csv")
	}
	return ""
}

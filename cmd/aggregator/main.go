// Command aggregator watches news feeds about North Korea–Russia relations,
// folds near-identical stories together and republishes what is new as one
// curated Atom feed.
//
// Usage:
//
//	aggregator fetch   --config F [--out F] [--format atom|rss|json]
//	aggregator serve   --config F [--shutdown-timeout D] [--jitter D]
//	aggregator explain --config F URL
//	aggregator eval    --corpus DIR [--seeds DIR] [--json]
//	aggregator check   --config F
//	aggregator version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…"; when it
// is empty the module version or VCS revision from the build info is used.
var version = ""

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // the work could not be done (store failure, write failure)
	exitUsage   = 2 // bad arguments or a bad config
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `aggregator curates news feeds about North Korea–Russia relations.

Usage:
  aggregator <command> [flags]

Commands:
  fetch     poll every source once, decide, store, write the curated feed
  serve     run the daemon: poll on schedule, serve the feed, status page, metrics
  explain   show the stored decision for an article URL
  eval      measure curation quality on a labelled corpus
  check     validate a config file
  version   print the version

Run "aggregator <command> --help" for a command's flags.
`

// run executes one command and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "fetch":
		return runFetch(ctx, rest, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "explain":
		return runExplain(ctx, rest, stdout, stderr)
	case "eval":
		return runEval(ctx, rest, stdout, stderr)
	case "check":
		return runCheck(rest, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "aggregator", programVersion())
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "aggregator: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
}

// newFlagSet returns a flag set for a command that prints its usage on
// --help and reports errors through the exit status.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: aggregator %s\n\nFlags:\n", synopsis)
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

func programVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return "dev"
}

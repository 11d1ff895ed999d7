// Command aggregator watches news feeds about North Korea–Russia relations,
// folds near-identical stories together and republishes what is new as one
// curated Atom feed.
//
// Usage:
//
//	aggregator fetch   --config F [--out F] [--format atom|rss|json]
//	aggregator serve   --config F [--shutdown-timeout D] [--jitter D]
//	aggregator explain --config F URL
//	aggregator article --config F URL
//	aggregator eval    --corpus DIR [--seeds DIR] [--json]
//	aggregator check   --config F
//	aggregator sources export [--config F] [--out F]
//	aggregator sources import [--config F] OPML_FILE
//	aggregator version
package main

import (
	"aggregator/internal/wiring"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
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
	ctx, sigs := handleSignals(context.Background())
	code := runCommand(ctx, sigs, os.Args[1:], os.Stdout, os.Stderr)
	sigs.stop()
	os.Exit(code)
}

// signals is the process's one signal handler. The first SIGINT or
// SIGTERM cancels the context handleSignals returns, with a stopSignal
// as its cause; the second asks for a forced exit. SIGHUP asks for a
// reload once a command has called reloads; until then it keeps its
// default action, which ends the process.
type signals struct {
	received chan os.Signal
	cancel   context.CancelCauseFunc
	reload   chan struct{}  // at most one reload pending
	force    chan os.Signal // the second stop signal
	done     chan struct{}  // closed by stop
	exited   chan struct{}  // closed when handle returns
}

// stopSignal is why the context of handleSignals ended.
type stopSignal struct{ os.Signal }

func (s stopSignal) Error() string { return "received " + s.String() }

// handleSignals starts the handler and returns the context that its first
// stop signal cancels.
func handleSignals(parent context.Context) (context.Context, *signals) {
	ctx, cancel := context.WithCancelCause(parent)
	s := &signals{received: make(chan os.Signal, 4), cancel: cancel, reload: make(chan struct{}, 1),
		force: make(chan os.Signal, 1), done: make(chan struct{}), exited: make(chan struct{})}
	signal.Notify(s.received, os.Interrupt, syscall.SIGTERM)
	go s.handle()
	return ctx, s
}

// handle turns signals into requests until stop is called.
func (s *signals) handle() {
	defer close(s.exited)
	stops := 0
	for {
		select {
		case sig := <-s.received:
			switch {
			case sig == syscall.SIGHUP:
				select {
				case s.reload <- struct{}{}:
				default: // a reload is already pending
				}
			case stops == 0:
				stops++
				s.cancel(stopSignal{sig})
			case stops == 1:
				stops++
				s.force <- sig
			}
		case <-s.done:
			return
		}
	}
}

// reloads starts catching SIGHUP and returns the channel its reload
// requests come on. With no handler (nil s) none ever come.
func (s *signals) reloads() <-chan struct{} {
	if s == nil {
		return nil
	}
	signal.Notify(s.received, syscall.SIGHUP)
	return s.reload
}

// forced returns the channel the second SIGINT or SIGTERM comes on. With
// no handler (nil s) none ever comes.
func (s *signals) forced() <-chan os.Signal {
	if s == nil {
		return nil
	}
	return s.force
}

// stop stops catching signals, ends the handler and cancels its context.
func (s *signals) stop() {
	signal.Stop(s.received)
	close(s.done)
	<-s.exited
	s.cancel(context.Canceled)
}

// stopReason names what ended ctx: the signal, or "context cancelled".
func stopReason(ctx context.Context) string {
	var sig stopSignal
	if errors.As(context.Cause(ctx), &sig) {
		return sig.String()
	}
	return "context cancelled"
}

const usage = `aggregator curates news feeds about North Korea–Russia relations.

Usage:
  aggregator <command> [flags]

Commands:
  fetch     poll every source once, decide, store, write the curated feed
  serve     run the daemon: poll on schedule, serve the feed, reading page, status, metrics
  explain   show the stored decision for an article URL
  article   fetch one article page and print the text extracted from it
  eval      measure curation quality on a labelled corpus
  check     validate a config file
  sources   export the configured sources as OPML, or import an OPML file as sources
  version   print the version

Run "aggregator <command> --help" for a command's flags.
`

// run executes one command without a signal handler, as the tests do:
// ctx alone stops it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runCommand(ctx, nil, args, stdout, stderr)
}

// runCommand executes one command and returns the exit status. sigs, the
// process's signal handler or nil, brings the daemon its reload and
// forced-exit requests.
func runCommand(ctx context.Context, sigs *signals, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "fetch":
		return runFetch(ctx, rest, stdout, stderr)
	case "serve":
		return runServe(ctx, sigs, rest, stdout, stderr)
	case "explain":
		return runExplain(ctx, rest, stdout, stderr)
	case "article":
		return runArticle(ctx, rest, stdout, stderr)
	case "eval":
		return runEval(ctx, rest, stdout, stderr)
	case "check":
		return runCheck(rest, stdout, stderr)
	case "sources":
		return runSources(rest, stdout, stderr)
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

// programVersion is the version this binary reports.
func programVersion() string { return wiring.Version(version) }

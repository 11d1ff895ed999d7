package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"aggregator"
	"aggregator/feeds"
	"aggregator/internal/config"
	"aggregator/internal/wiring"
)

// loadConfig loads and validates the config named by --config, printing the
// error; ok is false when the command must stop with exitUsage.
func loadConfig(path string, stderr io.Writer) (*config.Config, aggregator.Options, bool) {
	if path == "" {
		fmt.Fprintln(stderr, "aggregator: --config is required")
		return nil, aggregator.Options{}, false
	}
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, aggregator.Options{}, false
	}
	opts, err := wiring.PipelineOptions(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, aggregator.Options{}, false
	}
	return cfg, opts, true
}

// fetchFlags are the flags of "aggregator fetch".
type fetchFlags struct {
	cfgPath string
	out     string // "": no feed written; "-": standard output
	format  feeds.Format
	group   string // "story": the curated feed, one entry per story; "event": the event feed
	quiet   bool
	force   bool
	verbose bool
	noWait  bool // fail at once when another process holds the state
}

func runFetch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags, code := parseFetchFlags(args, stderr)
	if code >= 0 {
		return code
	}
	cfg, opts, ok := loadConfig(flags.cfgPath, stderr)
	if !ok {
		return exitUsage
	}
	level := "error"
	if flags.verbose {
		level = cfg.Log.Level
	}
	logger := newLogger(stderr, level)
	a, err := openApp(ctx, cfg, opts, logger, writerLock("fetch", flags.noWait, func(holder string) {
		fmt.Fprintf(stderr, "aggregator fetch: %s is %s; waiting for it (--no-wait fails instead)\n", cfg.State, holder)
	}))
	if err != nil {
		fmt.Fprintln(stderr, "aggregator fetch:", err)
		return exitFailure
	}
	defer a.Close()

	report := stdout
	if flags.out == "-" {
		report = stderr // the feed goes to standard output
	}
	rep, err := pollOnce(ctx, a, flags.force, progressLine(stderr))
	if err != nil {
		fmt.Fprintln(stderr, "aggregator fetch:", err)
		return exitFailure
	}
	printReport(report, rep, flags.quiet)
	changed := false
	if flags.out != "" {
		var before []byte
		if flags.out != "-" {
			before, _ = os.ReadFile(flags.out) // nil when there is none yet
		}
		if err := writeFeed(ctx, a, flags, stdout, report); err != nil {
			fmt.Fprintln(stderr, "aggregator fetch:", err)
			return exitFailure
		}
		changed = flags.out != "-" && fileChanged(flags.out, before)
	}
	// Webhooks and hubs never change the exit status: what is not
	// delivered stays queued.
	flushPush(ctx, a, changed, report, logger)
	return exitOK
}

// parseFetchFlags parses the arguments of "aggregator fetch"; it returns
// the exit status to stop with, or -1 to go on.
func parseFetchFlags(args []string, stderr io.Writer) (fetchFlags, int) {
	fs := newFlagSet("fetch", "fetch --config FILE [--out FILE] [--format atom|rss|json] [--group story|event] [--force] [--no-wait]", stderr)
	cfgPath := fs.String("config", "config.yaml", "config `file`")
	out := fs.String("out", "", "write the curated feed to `file` (atomically); - writes it to standard output")
	format := fs.String("format", "atom", "feed `format`: atom, rss or json")
	group := fs.String("group", "story", "what one entry of the written feed is: `story` (the curated feed) or event (the event feed, one entry per event with every report of it)")
	quiet := fs.Bool("quiet", false, "no per-source lines, only the totals")
	force := fs.Bool("force", false, "poll every source now, also those not due yet (a hint, a backoff or Retry-After) and those retired by 410 Gone")
	noWait := fs.Bool("no-wait", false, "exit at once with an error when another process holds the state file, instead of waiting for it")
	verbose := fs.Bool("v", false, "log at the configured level on standard error (default: errors only; failing sources are in the report)")
	if code := parseFlags(fs, args); code >= 0 {
		return fetchFlags{}, code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "aggregator fetch: unexpected argument %q\n", fs.Arg(0))
		return fetchFlags{}, exitUsage
	}
	ff, err := feeds.ParseFormat(*format)
	if err != nil {
		fmt.Fprintln(stderr, "aggregator fetch:", err)
		return fetchFlags{}, exitUsage
	}
	if *group != "story" && *group != "event" {
		fmt.Fprintf(stderr, "aggregator fetch: --group %q: want story or event\n", *group)
		return fetchFlags{}, exitUsage
	}
	return fetchFlags{cfgPath: *cfgPath, out: *out, format: ff, group: *group, quiet: *quiet, force: *force, verbose: *verbose, noWait: *noWait}, -1
}

// progressLine returns a progress callback that keeps one "[done/total]
// source" line up to date on stderr when it is a terminal, or nil.
func progressLine(stderr io.Writer) func(done, total int, r aggregator.SourceReport) {
	if !isTerminal(stderr) {
		return nil
	}
	return func(done, total int, r aggregator.SourceReport) {
		fmt.Fprintf(stderr, "\r\033[K[%d/%d] %s", done, total, r.Name)
		if done == total {
			fmt.Fprint(stderr, "\r\033[K")
		}
	}
}

// pollOnce runs one poll cycle: of the sources that are due, or of every
// source with force.
func pollOnce(ctx context.Context, a *app, force bool, progress func(done, total int, r aggregator.SourceReport)) (aggregator.Report, error) {
	poll := a.pipeline.Poll
	if force {
		poll = a.pipeline.PollAll
	}
	return poll(ctx, progress)
}

// writeFeed writes the curated feed, or with --group event the event feed,
// to flags.out, a file (written atomically, and reported on report) or
// standard output ("-").
func writeFeed(ctx context.Context, a *app, flags fetchFlags, stdout, report io.Writer) error {
	build, what := a.pipeline.Feed, "entries"
	if flags.group == "event" {
		build, what = a.pipeline.EventFeed, "events"
	}
	f, err := build(ctx)
	if err != nil {
		return err
	}
	if flags.out == "-" {
		err = feeds.Write(stdout, flags.format, f)
	} else {
		err = feeds.WriteFile(flags.out, flags.format, f)
	}
	if err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	if flags.out != "-" {
		fmt.Fprintf(report, "wrote %s (%s, %d %s)\n", flags.out, flags.format, len(f.Entries), what)
	}
	return nil
}

// printReport prints one line per source and the totals.
func printReport(w io.Writer, rep aggregator.Report, quiet bool) {
	if !quiet {
		var tb table
		tb.add("SOURCE", "STATUS", "ENTRIES", "NEW", "DUPLICATES", "OFF-TOPIC", "ERROR / NOTE")
		for _, s := range rep.Sources {
			if s.Skipped {
				tb.add(s.Name, "skipped", "-", "-", "-", "-", skipNote(s))
				continue
			}
			tb.add(s.Name, statusText(s), fmt.Sprint(s.Entries), fmt.Sprint(s.New), fmt.Sprint(s.Duplicates),
				fmt.Sprint(s.OffTopic), sourceNote(s))
		}
		tb.write(w)
	}
	t, failed := rep.Totals()
	skipped, retired := rep.Skipped()
	notPolled := ""
	if skipped > 0 {
		notPolled = fmt.Sprintf(", %d not polled (%d not due, %d retired)", skipped, skipped-retired, retired)
	}
	fmt.Fprintf(w, "total: %d sources (%d failed)%s, %d entries, %d new, %d duplicates, %d off-topic, %d updated, in %s\n",
		len(rep.Sources), failed, notPolled, t.Entries, t.New, t.Duplicates, t.OffTopic, t.Updated,
		rep.Finished.Sub(rep.Started).Round(time.Millisecond))
}

// skipNote says why a source was not polled: "retired (410)" or "not due
// until <time> (<reason>)".
func skipNote(s aggregator.SourceReport) string {
	if s.Retired {
		return "retired (410): not polled until its config entry changes (--force polls it)"
	}
	note := "not due until " + clock(s.NextPoll) + " (" + s.NextPollReason
	switch {
	case s.ErrorCount == 1:
		note += " after 1 error: " + s.ErrorKind
	case s.ErrorCount > 1:
		note += fmt.Sprintf(" after %d errors, the last: %s", s.ErrorCount, s.ErrorKind)
	}
	return note + ")"
}

// sourceNote is the error of a polled source, with when it is polled again
// when that is not the next run, and a permanent move.
func sourceNote(s aggregator.SourceReport) string {
	var parts []string
	if s.Err != nil {
		parts = append(parts, s.Err.Error())
	}
	if s.MovedTo != "" {
		parts = append(parts, "moved permanently to "+s.MovedTo)
	}
	for _, c := range s.GUIDClashes {
		parts = append(parts, fmt.Sprintf("GUID %q on two links, kept as two items: %s, %s", c.GUID, c.Link, c.OtherLink))
	}
	switch {
	case s.Retired:
		parts = append(parts, "retired (410): not polled until its config entry changes")
	case s.NextPollReason != "" && s.NextPollReason != aggregator.ReasonSchedule:
		parts = append(parts, "next poll "+clock(s.NextPoll)+" ("+s.NextPollReason+")")
	}
	return strings.Join(parts, "; ")
}

// clock formats a poll time for the report, in local time.
func clock(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05 MST") }

func statusText(s aggregator.SourceReport) string {
	switch {
	case s.NotModified:
		return "304"
	case s.Status != 0:
		return fmt.Sprint(s.Status)
	case s.Err != nil:
		return "error"
	default:
		return "-"
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

package main

import (
	"fmt"
	"io"
	"strings"

	"aggregator/store/sqlite"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", "check --config FILE", stderr)
	cfgPath := fs.String("config", "config.yaml", "config `file` to validate")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "aggregator check: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	cfg, opts, ok := loadConfig(*cfgPath, stderr)
	if !ok {
		return exitUsage
	}
	// The state's directory must exist and take the database, its journal
	// and its lock file; SQLite's own names (":memory:", "file:" URIs) are
	// SQLite's to check.
	if cfg.State != ":memory:" && !strings.HasPrefix(cfg.State, "file:") {
		if err := sqlite.CheckPath(cfg.State); err != nil {
			fmt.Fprintf(stderr, "%s: state: %v\n", cfg.Path, err)
			return exitUsage
		}
	}
	fmt.Fprintf(stdout, "%s: ok (%d sources, %d seeds, state %s)\n", cfg.Path, len(cfg.Sources), len(opts.Seeds), cfg.State)
	return exitOK
}

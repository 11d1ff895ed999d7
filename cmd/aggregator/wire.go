package main

import (
	"context"
	"io"
	"log/slog"

	"aggregator"
	"aggregator/fetch"
	"aggregator/internal/config"
	"aggregator/internal/wiring"
	"aggregator/store/sqlite"
)

// app is the wiring of one command: the config, the open store and the
// pipeline built from them.
type app struct {
	cfg      *config.Config
	store    *sqlite.Store
	pipeline *aggregator.Pipeline
	logger   *slog.Logger
}

// newLogger returns a key=value logger on w at the configured level.
func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// openStore opens the store the config's state names: the one place where
// the commands and the daemon (at start and on reload) choose the store.
// lock says whether the process is a writer (it polls and decides: one at a
// time on a state file) and whether it waits for another.
func openStore(ctx context.Context, state string, lock sqlite.Options) (*sqlite.Store, error) {
	return sqlite.OpenWith(ctx, state, lock)
}

// writerLock is the lock of a command that polls and decides: it waits for
// another holder of the state file, saying so through waiting, unless
// noWait.
func writerLock(command string, noWait bool, waiting func(holder string)) sqlite.Options {
	return sqlite.Options{Writer: true, NoWait: noWait, Holder: "aggregator " + command, Waiting: waiting}
}

// openApp opens the store and builds the pipeline from options already
// derived from cfg.
func openApp(ctx context.Context, cfg *config.Config, opts aggregator.Options, logger *slog.Logger, lock sqlite.Options) (*app, error) {
	st, err := openStore(ctx, cfg.State, lock)
	if err != nil {
		return nil, err
	}
	aggregator.Version = programVersion()
	f := fetch.New(wiring.FetcherOptions(cfg, programVersion()), nil, logger)
	p, err := aggregator.New(ctx, st, f, opts, logger)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &app{cfg: cfg, store: st, pipeline: p, logger: logger}, nil
}

func (a *app) Close() error { return a.store.Close() }

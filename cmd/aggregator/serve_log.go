package main

import (
	"io"
	"log/slog"
	"os"
)

// newDaemonLogger returns the daemon's key=value logger on w. Its level can
// change on a reload. Under journald (journal true) the lines carry no
// timestamp of their own: the journal records one.
func newDaemonLogger(w io.Writer, level *slog.LevelVar, journal bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if journal {
		opts.ReplaceAttr = func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// setLevel sets v from a config's log.level; the config has validated it.
func setLevel(v *slog.LevelVar, level string) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	v.Set(l)
}

// underJournal reports whether standard error is connected to journald:
// JOURNAL_STREAM (device:inode) is set and, where that can be checked,
// names the file standard error is.
func underJournal(stderr io.Writer) bool {
	v := os.Getenv("JOURNAL_STREAM")
	if v == "" {
		return false
	}
	f, ok := stderr.(*os.File)
	if !ok {
		return false
	}
	same, known := sameStream(f, v)
	return same || !known
}

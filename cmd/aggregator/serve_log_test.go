//go:build unix

package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestDaemonLoggerUnderJournal(t *testing.T) {
	for _, journal := range []bool{false, true} {
		var buf bytes.Buffer
		level := new(slog.LevelVar)
		setLevel(level, "warn")
		l := newDaemonLogger(&buf, level, journal)
		l.Info("hidden")
		l.Warn("source failed", "source", "Wire A")
		setLevel(level, "debug") // a reload lowers the level
		l.Debug("now shown")
		out := buf.String()
		if strings.Contains(out, "hidden") || !strings.Contains(out, "now shown") {
			t.Errorf("journal=%v: level not applied:\n%s", journal, out)
		}
		if !strings.Contains(out, `level=WARN msg="source failed" source="Wire A"`) {
			t.Errorf("journal=%v: not key=value:\n%s", journal, out)
		}
		if got := strings.Contains(out, "time="); got == journal {
			t.Errorf("journal=%v: timestamps present = %v:\n%s", journal, got, out)
		}
	}
}

func TestUnderJournalChecksTheStream(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		t.Skip("no device and inode numbers on this system")
	}
	t.Setenv("JOURNAL_STREAM", "")
	if underJournal(f) {
		t.Error("under journal without JOURNAL_STREAM")
	}
	t.Setenv("JOURNAL_STREAM", fmt.Sprintf("%d:%d", st.Dev, st.Ino))
	if !underJournal(f) {
		t.Error("not under journal although JOURNAL_STREAM names standard error")
	}
	t.Setenv("JOURNAL_STREAM", fmt.Sprintf("%d:%d", st.Dev, st.Ino+1))
	if underJournal(f) {
		t.Error("under journal although JOURNAL_STREAM names another stream (inherited, then redirected)")
	}
}

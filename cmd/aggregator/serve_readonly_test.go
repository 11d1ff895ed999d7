package main

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/internal/server"
	"aggregator/seeds"
	"aggregator/store/sqlite"
)

// readOnly makes path read-only for the rest of the test: by its mode, and
// for root, whom modes do not stop, by the immutable attribute (chattr +i).
// It skips the test when it cannot.
func readOnly(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, mode&0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(path, mode) })
		return
	}
	chattr, err := exec.LookPath("chattr")
	if err != nil {
		t.Skip("running as root and chattr is not on PATH (e2fsprogs): cannot make a file read-only")
	}
	if out, err := exec.Command(chattr, "+i", path).CombinedOutput(); err != nil {
		t.Skipf("running as root and chattr +i %s failed (%v: %s): cannot make a file read-only", path, err, out)
	}
	t.Cleanup(func() { exec.Command(chattr, "-i", path).Run() })
}

// readOnlyState returns the path of a migrated state file that takes no
// writes.
func readOnlyState(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "state.db")
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	readOnly(t, path, 0o644)
	return path
}

// TestServeReadOnlyStateDoesNotStart: the daemon checks at start-up that
// its state takes writes and stops with an error naming the file, instead
// of serving while every cycle fails.
func TestServeReadOnlyStateDoesNotStart(t *testing.T) {
	dir := t.TempDir()
	state := readOnlyState(t, dir)
	cfg := writeConfig(t, dir, serveConfig(freeAddr(t), `  - {name: a, url: "http://127.0.0.1:1/feed"}
`))
	// Without the check the daemon would serve: the bound stops it.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var stdout, errb strings.Builder
	code := run(ctx, []string{"serve", "--config", cfg}, &stdout, &errb)
	stderr := errb.String()
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	if !strings.Contains(stderr, "start-up failed") || !strings.Contains(stderr, state) || !strings.Contains(stderr, "not writable") {
		t.Errorf("start-up error does not say that %s is not writable:\n%s", state, stderr)
	}
}

// TestCycleReportsStoreFailure: the daemon's cycle returns the store's
// error to the scheduler, which then tries again after a short backoff
// (internal/schedule's TestRetriesAFailedRunAfterBackoff); and the server
// is unhealthy at once.
func TestCycleReportsStoreFailure(t *testing.T) {
	ctx := context.Background()
	state := readOnlyState(t, t.TempDir())
	st, err := sqlite.Open(ctx, state) // a reader's open: no check for writes
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := aggregator.New(ctx, st, fetch.New(fetch.Options{}, nil, nil), aggregator.Options{
		Sources: []aggregator.Source{{Name: "a", URL: "http://127.0.0.1:1/feed"}},
		Feed:    aggregator.FeedOptions{Title: "t", URL: "https://feeds.example.org/feed.atom", MaxEntries: 10},
		Dedupe:  dedupe.DefaultConfig(), Window: 720 * time.Hour, Seeds: seeds.Embedded(),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	d := &daemon{logger: slog.New(slog.NewTextHandler(&logs, nil)), cycleSem: make(chan struct{}, 1)}
	d.srv = server.New(server.Backend{Pipeline: p, Store: st}, server.Options{Schedule: fixedPeriod(time.Hour)})
	if err := d.cycle(ctx); err == nil {
		t.Error("the cycle on a read-only state returned no error: the scheduler would not retry it")
	}
	if err := d.srv.Health(ctx); err == nil || !strings.Contains(err.Error(), "not writable") {
		t.Errorf("health right after the failed cycle: %v; want not writable", err)
	}
	if !strings.Contains(logs.String(), "cycle failed") || strings.Contains(logs.String(), "duration=-") {
		t.Errorf("log of the failed cycle:\n%s", logs.String())
	}
}

// fixedPeriod is a server.Schedule with a period and no next run.
type fixedPeriod time.Duration

func (f fixedPeriod) Spec() string          { return "@every " + time.Duration(f).String() }
func (f fixedPeriod) Next() time.Time       { return time.Time{} }
func (f fixedPeriod) Period() time.Duration { return time.Duration(f) }

// TestCheckVerifiesStateDirectory: "aggregator check" fails, naming the
// path, when the state's directory does not exist or takes no files.
func TestCheckVerifiesStateDirectory(t *testing.T) {
	dir := t.TempDir()
	config := func(state string) string {
		return writeConfig(t, dir, "state: "+state+"\nfeed: {title: t, url: \"https://feeds.example.org/feed.atom\"}\nsources:\n  - {name: a, url: \"http://127.0.0.1:1/feed\"}\n")
	}
	missing := filepath.Join(dir, "no-such-dir")
	code, _, stderr := runCLI(t, "check", "--config", config(filepath.Join(missing, "state.db")))
	if code != exitUsage || !strings.Contains(stderr, "config.yaml: state:") || !strings.Contains(stderr, missing+" does not exist") {
		t.Errorf("state in a missing directory: exit %d\n%s", code, stderr)
	}

	roDir := filepath.Join(dir, "ro")
	if err := os.Mkdir(roDir, 0o755); err != nil {
		t.Fatal(err)
	}
	readOnly(t, roDir, 0o755)
	code, _, stderr = runCLI(t, "check", "--config", config(filepath.Join(roDir, "state.db")))
	if code != exitUsage || !strings.Contains(stderr, roDir) || !strings.Contains(stderr, "not writable") {
		t.Errorf("state in a read-only directory: exit %d\n%s", code, stderr)
	}

	code, stdout, stderr := runCLI(t, "check", "--config", config("state.db"))
	if code != exitOK || !strings.Contains(stdout, "ok") {
		t.Errorf("state in the config's directory: exit %d\n%s%s", code, stdout, stderr)
	}
}

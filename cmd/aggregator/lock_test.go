package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aggregator/store/sqlite"
)

// TestFetchWaitsForTheStateHolder checks one writer at a time on a state
// file: while another process holds it, "aggregator fetch --no-wait" fails
// at once naming the holder, "aggregator fetch" waits, says so, and runs
// once the holder is gone; "aggregator explain" reads beside the holder.
func TestFetchWaitsForTheStateHolder(t *testing.T) {
	_, srv, urls := fixture(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, `state: state.db
feed: {url: "https://feeds.example.org/nk-ru/feed.atom"}
sources:
  - {name: Wire A, url: "`+srv.URL+`/wire-a.xml"}
`)
	ctx := context.Background()
	holder, err := sqlite.OpenWith(ctx, filepath.Join(dir, "state.db"), sqlite.Options{Writer: true, Holder: "aggregator serve"})
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "fetch", "--config", cfg, "--no-wait")
	if code != exitFailure || !strings.Contains(stderr, "in use") || !strings.Contains(stderr, "aggregator serve") {
		t.Fatalf("fetch --no-wait beside a holder: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, out, _ := runCLI(t, "explain", "--config", cfg, urls["x"]); code == exitUsage {
		t.Errorf("explain beside a holder: exit %d\n%s", code, out)
	}

	done := make(chan int, 1)
	var out, errb bytes.Buffer
	go func() { done <- run(ctx, []string{"fetch", "--config", cfg, "--quiet"}, &out, &errb) }()
	select {
	case code := <-done:
		t.Fatalf("fetch ran (exit %d) while another process held the state\n%s", code, errb.String())
	case <-time.After(time.Second):
	}
	holder.Close()
	select {
	case code := <-done:
		if code != exitOK || !strings.Contains(errb.String(), "waiting for it") || !strings.Contains(errb.String(), "aggregator serve") {
			t.Errorf("fetch after the holder left: exit %d\n%s%s", code, out.String(), errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("fetch did not run after the holder closed the state")
	}
}

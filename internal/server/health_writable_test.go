package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/seeds"
	"aggregator/store/sqlite"
)

// readOnly makes path read-only for the rest of the test: by its mode, and
// for root, whom modes do not stop, by the immutable attribute (chattr +i).
// It skips the test when it cannot.
func readOnly(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(path, 0o644) })
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

// TestHealthFailsAtOnceWhenStoreNotWritable: a cycle that fails because the
// state file takes no writes makes /healthz answer 503 at once, saying so,
// not two schedule periods later; a cycle that fails while the store still
// takes writes (a transient failure) does not.
func TestHealthFailsAtOnceWhenStoreNotWritable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	readOnly(t, path)
	st, err = sqlite.Open(ctx, path) // a reader's open: it does not check for writes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := aggregator.New(ctx, st, fetch.New(fetch.Options{}, nil, nil), aggregator.Options{
		Sources: []aggregator.Source{{Name: "a", URL: "http://127.0.0.1:1/feed"}},
		Feed:    aggregator.FeedOptions{Title: "t", URL: "https://feeds.example.org/feed.atom", MaxEntries: 10},
		Dedupe:  dedupe.DefaultConfig(), Window: 720 * time.Hour, Seeds: seeds.Embedded(),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: t0}
	s := New(Backend{Pipeline: p, Store: st}, Options{Schedule: fakeSchedule{period: time.Hour}, Now: clk.Now})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	healthz := func() (int, string) {
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := healthz(); code != http.StatusOK {
		t.Fatalf("/healthz before any cycle = %d %q", code, body)
	}

	rep, err := p.Poll(ctx, nil)
	if err == nil {
		t.Fatal("a cycle on a read-only state succeeded")
	}
	s.RecordCycle(rep, err)
	code, body := healthz()
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "not writable") || !strings.Contains(body, path) {
		t.Errorf("/healthz right after the failed cycle = %d %q; want 503 saying %s is not writable", code, body, path)
	}

	// A failure while the store takes writes is not a reason by itself.
	wb := testBackend(t, aggregator.Source{Name: "a", URL: "http://127.0.0.1:1/feed"})
	s.SetBackend(wb)
	s.RecordCycle(aggregator.Report{Started: clk.Now(), Finished: clk.Now()}, errors.New("store: commit: database is locked"))
	if code, body := healthz(); code != http.StatusOK {
		t.Errorf("/healthz after a transient failure = %d %q, want 200", code, body)
	}
}

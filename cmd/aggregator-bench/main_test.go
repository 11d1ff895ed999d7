package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runBench runs the command with args and returns its exit status and
// output.
func runBench(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestHelpForEveryStage(t *testing.T) {
	for _, stage := range []string{"lsh", "startup", "cycle", "feeds"} {
		code, _, stderr := runBench(t, stage, "--help")
		if code != exitOK || !strings.Contains(stderr, "Usage: aggregator-bench "+stage) {
			t.Errorf("%s --help: exit %d\n%s", stage, code, stderr)
		}
	}
	if code, stdout, _ := runBench(t, "--help"); code != exitOK || !strings.Contains(stdout, "feeds") {
		t.Errorf("--help: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runBench(t, "frobnicate"); code != exitUsage || !strings.Contains(stderr, "unknown stage") {
		t.Errorf("unknown stage: exit %d\n%s", code, stderr)
	}
	if code, _, _ := runBench(t); code != exitUsage {
		t.Errorf("no stage: exit %d", code)
	}
	if code, _, stderr := runBench(t, "cycle", "-sources", "0"); code != exitUsage {
		t.Errorf("cycle -sources 0: exit %d\n%s", code, stderr)
	}
}

// The static floor of the serving benchmark sends the file or its gzip
// copy, each with its own ETag, and answers either ETag with 304.
func TestStaticHandler(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feed.atom")
	if err := os.WriteFile(path, []byte("<feed/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".gz", []byte("gzipped"), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := staticHandler(path)
	if err != nil {
		t.Fatal(err)
	}
	get := func(header ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/feed.atom", nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	plain, gz := get(), get("Accept-Encoding", "gzip")
	if plain.Body.String() != "<feed/>" || gz.Body.String() != "gzipped" || gz.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("plain %q, gzip %q (%q)", plain.Body, gz.Body, gz.Header().Get("Content-Encoding"))
	}
	if plain.Header().Get("ETag") == gz.Header().Get("ETag") {
		t.Errorf("plain and gzip share the ETag %s", plain.Header().Get("ETag"))
	}
	for _, etag := range []string{plain.Header().Get("ETag"), gz.Header().Get("ETag")} {
		if w := get("If-None-Match", etag); w.Code != http.StatusNotModified {
			t.Errorf("If-None-Match %s: %d, want 304", etag, w.Code)
		}
	}
}

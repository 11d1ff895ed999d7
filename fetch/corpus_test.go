package fetch

import (
	"bufio"
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// corpusCase is one row of $AGGREGATOR_SHARED/testdata/feeds/manifest.csv.
type corpusCase struct {
	file     string // relative to the feeds directory
	format   string
	expected string // "parses" or "should-fail-gracefully"
	gofeed   string // what gofeed v1.4.2 alone did, e.g. "ok rss2.0 items=5"
	notes    string
}

var gofeedItems = regexp.MustCompile(`^ok \S+ items=(\d+)`)

// headerComment finds the "Header: Content-type: …" line of Universal Feed
// Parser fixtures, which says what the server sent.
var headerComment = regexp.MustCompile(`(?mi)^Header:\s*Content-type:\s*(.*)$`)

func loadManifest(t *testing.T, dir string) []corpusCase {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "manifest.csv"))
	if err != nil {
		t.Fatalf("open manifest: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(bufio.NewReader(f)).ReadAll()
	if err != nil {
		t.Fatalf("read manifest: %v", err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, name := range []string{"file", "format", "expected", "gofeed_v1.4.2", "notes"} {
		if _, ok := col[name]; !ok {
			t.Fatalf("manifest has no %q column", name)
		}
	}
	var cases []corpusCase
	for _, r := range rows[1:] {
		cases = append(cases, corpusCase{
			file: r[col["file"]], format: r[col["format"]],
			expected: r[col["expected"]], gofeed: r[col["gofeed_v1.4.2"]], notes: r[col["notes"]],
		})
	}
	return cases
}

// serveNote finds "[serve with HTTP Content-type: …]" in a manifest note.
var serveNote = regexp.MustCompile(`(?i)\[serve with HTTP Content-type:\s*([^\]]*)\]`)

// contentTypeFor is what the test server sends for a corpus file: what the
// manifest's note says, else the fixture's own "Header:" comment, else a
// type from the extension.
func contentTypeFor(name, note string, body []byte) string {
	if m := serveNote.FindStringSubmatch(note); m != nil {
		return strings.TrimSpace(m[1])
	}
	if m := headerComment.FindSubmatch(body[:min(len(body), 2048)]); m != nil {
		return strings.TrimSpace(string(m[1]))
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return "application/json"
	case ".html":
		return "text/html"
	}
	return "application/xml"
}

// TestCorpus fetches every file of the shared feed corpus through Fetch
// from a local server (with the Content-Type the manifest asks for, and
// Content-Encoding: gzip for gzipped files). No file may panic or hang the
// fetcher; each file the manifest marks "parses" yields at least as many
// entries as gofeed v1.4.2 alone did; at least 16 of the files gofeed alone
// fails on become readable; and each "should-fail-gracefully" file either
// fails with a clear error that names the source and has a kind, or is read
// (many are recoverable: a feed behind a wrong charset, a gzipped feed).
// It prints the counts.
func TestCorpus(t *testing.T) {
	shared := os.Getenv("AGGREGATOR_SHARED")
	if shared == "" {
		t.Skip("AGGREGATOR_SHARED is not set: skipping the feed corpus suite")
	}
	dir := filepath.Join(shared, "testdata", "feeds")
	cases := loadManifest(t, dir)
	notes := map[string]string{}
	for _, c := range cases {
		notes[c.file] = c.notes
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		body, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", contentTypeFor(name, notes[name], body))
		if len(body) > 2 && body[0] == 0x1f && body[1] == 0x8b {
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Write(body)
	}))
	defer srv.Close()

	const timeout = 20 * time.Second
	f := New(Options{Timeout: timeout, PerHost: 8}, nil, nil)
	var files, entries, errs, parsesOK, gofeedFailed, improved, graceful, gracefulRead, gracefulMended int
	kinds := map[string]int{}
	var slowest time.Duration
	var slowestFile string
	for _, c := range cases {
		ctx, cancel := context.WithTimeout(context.Background(), timeout+10*time.Second)
		res := f.Fetch(ctx, Request{Name: c.file, URL: srv.URL + "/" + c.file})
		cancel()
		files++
		if res.Duration > slowest {
			slowest, slowestFile = res.Duration, c.file
		}
		if k := Kind(res.Err); k == "timeout" || k == "canceled" {
			t.Errorf("%s: hung until the timeout: %v", c.file, res.Err)
		}
		if res.Err != nil {
			errs++
			kinds[Kind(res.Err)]++
		} else {
			entries += len(res.Feed.Entries)
		}
		if c.expected == "should-fail-gracefully" {
			graceful++
			switch {
			case res.Err == nil:
				gracefulRead++
				if res.Feed.Repaired {
					gracefulMended++
				}
				t.Logf("read %s (should-fail-gracefully, %s): %d entries, mended %v", c.file, c.format, len(res.Feed.Entries), res.Feed.Repaired)
			case Kind(res.Err) == "other" || !strings.HasPrefix(res.Err.Error(), "fetch "+c.file+": "):
				t.Errorf("%s: unclear error (kind %q): %v", c.file, Kind(res.Err), res.Err)
			}
			continue
		}
		m := gofeedItems.FindStringSubmatch(c.gofeed)
		if m == nil {
			// gofeed alone failed on this file; count how many we recover.
			gofeedFailed++
			if res.Err == nil {
				improved++
				t.Logf("recovered %s (%s): %d entries where gofeed said %q", c.file, c.format, len(res.Feed.Entries), c.gofeed)
			} else {
				t.Logf("still failing %s (%s): %v", c.file, c.format, res.Err)
			}
			continue
		}
		want, _ := strconv.Atoi(m[1])
		switch {
		case res.Err != nil:
			t.Errorf("%s (%s): %v; gofeed alone read %d items", c.file, c.format, res.Err, want)
		case len(res.Feed.Entries) < want:
			t.Errorf("%s (%s): %d entries, gofeed alone read %d", c.file, c.format, len(res.Feed.Entries), want)
		default:
			parsesOK++
		}
	}
	if improved < 16 {
		t.Errorf("only %d of the %d 'parses' files gofeed alone fails on are readable, want at least 16", improved, gofeedFailed)
	}
	t.Logf("corpus: %d files read, %d entries, %d errors by kind %v", files, entries, errs, kinds)
	t.Logf("corpus: %d of %d 'parses' files meet gofeed's count; %d of the %d files gofeed alone fails on are readable",
		parsesOK, len(cases)-graceful-gofeedFailed, improved, gofeedFailed)
	t.Logf("corpus: %d 'should-fail-gracefully' files: %d clear errors, %d read (%d of them mended); slowest file %s in %v",
		graceful, graceful-gracefulRead, gracefulRead, gracefulMended, slowestFile, slowest.Round(time.Millisecond))
}

// TestContentTypeFor checks that the corpus server honours fixture headers.
func TestContentTypeFor(t *testing.T) {
	body := []byte("<!--\nDescription: x\nHeader:      Content-type: text/xml; charset=windows-1252\n-->\n<rss/>")
	if got := contentTypeFor("a.xml", "", body); got != "text/xml; charset=windows-1252" {
		t.Errorf("contentTypeFor = %q", got)
	}
	if got := contentTypeFor("a.xml", "x [serve with HTTP Content-type: text/plain; charset=utf-8] y", body); got != "text/plain; charset=utf-8" {
		t.Errorf("contentTypeFor from the manifest note = %q", got)
	}
	if got := contentTypeFor("a.json", "", []byte("{}")); got != "application/json" {
		t.Errorf("contentTypeFor json = %q", got)
	}
}

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
	for _, name := range []string{"file", "format", "expected", "gofeed_v1.4.2"} {
		if _, ok := col[name]; !ok {
			t.Fatalf("manifest has no %q column", name)
		}
	}
	var cases []corpusCase
	for _, r := range rows[1:] {
		cases = append(cases, corpusCase{
			file: r[col["file"]], format: r[col["format"]],
			expected: r[col["expected"]], gofeed: r[col["gofeed_v1.4.2"]],
		})
	}
	return cases
}

// contentTypeFor is what the test server sends for a corpus file.
func contentTypeFor(name string, body []byte) string {
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

// TestCorpus fetches every file of the shared feed corpus through Fetch and
// checks that each file the manifest marks "parses" yields at least as many
// entries as gofeed v1.4.2 alone did.
func TestCorpus(t *testing.T) {
	shared := os.Getenv("AGGREGATOR_SHARED")
	if shared == "" {
		t.Skip("AGGREGATOR_SHARED is not set: skipping the feed corpus suite")
	}
	dir := filepath.Join(shared, "testdata", "feeds")
	cases := loadManifest(t, dir)

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		body, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", contentTypeFor(name, body))
		w.Write(body)
	}))
	defer srv.Close()

	f := New(Options{Timeout: 20 * time.Second, PerHost: 8}, nil, nil)
	var files, entries, errs, parsesOK, improved int
	kinds := map[string]int{}
	for _, c := range cases {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		res := f.Fetch(ctx, Request{Name: c.file, URL: srv.URL + "/" + c.file})
		cancel()
		files++
		if res.Err != nil {
			errs++
			kinds[Kind(res.Err)]++
		} else {
			entries += len(res.Feed.Entries)
		}
		if c.expected != "parses" {
			continue
		}
		m := gofeedItems.FindStringSubmatch(c.gofeed)
		if m == nil {
			// gofeed alone failed on this file; count how many we recover.
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
	t.Logf("corpus: %d files read, %d entries, %d errors %v; %d 'parses' files meet gofeed's count; %d files gofeed failed on now parse",
		files, entries, errs, kinds, parsesOK, improved)
}

// TestContentTypeFor checks that the corpus server honours fixture headers.
func TestContentTypeFor(t *testing.T) {
	body := []byte("<!--\nDescription: x\nHeader:      Content-type: text/xml; charset=windows-1252\n-->\n<rss/>")
	if got := contentTypeFor("a.xml", body); got != "text/xml; charset=windows-1252" {
		t.Errorf("contentTypeFor = %q", got)
	}
	if got := contentTypeFor("a.json", []byte("{}")); got != "application/json" {
		t.Errorf("contentTypeFor json = %q", got)
	}
}

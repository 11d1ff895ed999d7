package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// TestFetchReportAlignsWideNames polls sources named in Korean and
// Japanese: every column of the report starts at the same terminal column
// on every line, counting a wide character as two cells.
func TestFetchReportAlignsWideNames(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>c</title><item><title>Weather %s</title><link>http://c.example%s/1</link></item></channel></rss>`,
			r.URL.Path, r.URL.Path)
	}))
	defer srv.Close()
	names := []string{"연합뉴스", "NHK ニュース", "Reuters", "조선일보 (English)", "毎日新聞"}
	var sources strings.Builder
	for i, n := range names {
		fmt.Fprintf(&sources, "  - {name: %q, url: %q}\n", n, fmt.Sprintf("%s/%d.rss", srv.URL, i))
	}
	cfg := writeConfig(t, t.TempDir(), "state: state.db\nfeed: {url: \"http://127.0.0.1:8080/feed.atom\"}\nsources:\n"+sources.String())
	code, stdout, stderr := runCLI(t, "fetch", "--config", cfg)
	if code != 0 {
		t.Fatalf("fetch: exit %d\n%s%s", code, stdout, stderr)
	}
	var rows []string
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "SOURCE") || isSourceRow(names, line) {
			rows = append(rows, line)
		}
	}
	if len(rows) != len(names)+1 {
		t.Fatalf("%d table rows, want %d:\n%s", len(rows), len(names)+1, stdout)
	}
	want := columnStarts(rows[0])
	if len(want) != 7 {
		t.Fatalf("header has %d columns, want 7: %q", len(want), rows[0])
	}
	for _, row := range rows[1:] {
		if got := columnStarts(row); fmt.Sprint(got[:6]) != fmt.Sprint(want[:6]) {
			t.Errorf("columns of %q start at cells %v, the header's at %v:\n%s", row, got, want, stdout)
		}
	}
}

// columnStarts returns the terminal cell at which each cell of a report
// line starts; cells are two or more spaces apart.
func columnStarts(line string) []int {
	var starts []int
	for _, loc := range cellRE.FindAllStringIndex(line, -1) {
		starts = append(starts, runewidth.StringWidth(line[:loc[0]]))
	}
	return starts
}

var cellRE = regexp.MustCompile(`\S+(?: \S+)*`)

func isSourceRow(prefixes []string, s string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p+" ") {
			return true
		}
	}
	return false
}

package dedupe

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// benchText is one real text of the benchmark corpus.
type benchText struct{ Title, Body string }

var (
	benchOnce  sync.Once
	benchTexts []benchText
	benchErr   error
)

// loadBenchTexts returns the texts the throughput benchmarks run on: the
// seed articles (../seeds/*.txt, first line the title) and, when
// AGGREGATOR_SHARED is set, the 1,000 Indonesian news articles of
// testdata/news-id/detik-1000.csv.
func loadBenchTexts(tb testing.TB) []benchText {
	tb.Helper()
	benchOnce.Do(func() {
		paths, err := filepath.Glob(filepath.Join("..", "seeds", "*.txt"))
		if err != nil || len(paths) == 0 {
			benchErr = err
			return
		}
		sort.Strings(paths)
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				benchErr = err
				return
			}
			title, body, _ := strings.Cut(strings.TrimLeft(string(b), "\n"), "\n")
			benchTexts = append(benchTexts, benchText{title, body})
		}
		news, err := readNewsID()
		if err != nil {
			benchErr = err
			return
		}
		benchTexts = append(benchTexts, news...)
	})
	if benchErr != nil || len(benchTexts) == 0 {
		tb.Fatalf("load benchmark texts: %v", benchErr)
	}
	return benchTexts
}

// readNewsID reads the news-id articles, or none when AGGREGATOR_SHARED is
// unset.
func readNewsID() ([]benchText, error) {
	dir := os.Getenv("AGGREGATOR_SHARED")
	if dir == "" {
		return nil, nil
	}
	f, err := os.Open(filepath.Join(dir, "testdata", "news-id", "detik-1000.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []benchText
	for _, r := range rows[1:] {
		out = append(out, benchText{Title: r[1], Body: r[4]})
	}
	return out, nil
}

// benchBytes is the number of input bytes (titles and bodies) of texts.
func benchBytes(texts []benchText) int64 {
	var n int64
	for _, t := range texts {
		n += int64(len(t.Title) + len(t.Body))
	}
	return n
}

package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
)

// extractionWord is the benchmark's tokeniser, Python's \w+ on Unicode
// text: letters, numbers and the underscore.
var extractionWord = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// shingleCounts is the multiset of word 4-grams of s (fewer words: none).
func shingleCounts(s string) map[string]int {
	words := extractionWord.FindAllString(s, -1)
	counts := map[string]int{}
	for i := 0; i+4 <= len(words); i++ {
		counts[strings.Join(words[i:i+4], " ")]++
	}
	return counts
}

// pageScore is one page's tp, fp, fn, normalised by their sum.
type pageScore struct {
	id         string
	tp, fp, fn float64
}

// scorePage compares the predicted text with the expected one as SOURCES.md
// says: shared 4-grams with multiplicity are true positives.
func scorePage(id, predicted, expected string) pageScore {
	pred, want := shingleCounts(predicted), shingleCounts(expected)
	var tp, fp, fn float64
	for g, n := range pred {
		shared := min(n, want[g])
		tp += float64(shared)
		fp += float64(n - shared)
	}
	for g, n := range want {
		fn += float64(max(0, n-pred[g]))
	}
	if sum := tp + fp + fn; sum > 0 {
		tp, fp, fn = tp/sum, fp/sum, fn/sum
	}
	return pageScore{id: id, tp: tp, fp: fp, fn: fn}
}

// f1 is the page's own F1, for ranking the worst pages.
func (s pageScore) f1() float64 {
	if s.fp == 0 && s.fn == 0 {
		return 1
	}
	return 2 * s.tp / (2*s.tp + s.fp + s.fn)
}

// extractionMetric is the benchmark's mean precision and recall over pages.
func extractionMetric(scores []pageScore) (precision, recall float64) {
	var p, r float64
	var np, nr int
	for _, s := range scores {
		if s.fp == 0 && s.fn == 0 {
			p, r, np, nr = p+1, r+1, np+1, nr+1
			continue
		}
		if s.tp+s.fp > 0 {
			p += s.tp / (s.tp + s.fp)
			np++
		}
		if s.tp+s.fn > 0 {
			r += s.tp / (s.tp + s.fn)
			nr++
		}
	}
	if np > 0 {
		p /= float64(np)
	}
	if nr > 0 {
		r /= float64(nr)
	}
	return p, r
}

// TestExtractorVersion checks that ExtractorVersion is the version go.mod
// requires.
func TestExtractorVersion(t *testing.T) {
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	want := "github.com/markusmobius/go-trafilatura " + ExtractorVersion
	if !bytes.Contains(mod, []byte(want)) {
		t.Errorf("go.mod does not require %s", want)
	}
}

func TestExtractionMetric(t *testing.T) {
	same := scorePage("same", "one two three four five", "one two three four five")
	if same.tp != 1 || same.fp != 0 || same.fn != 0 {
		t.Errorf("identical texts: %+v", same)
	}
	half := scorePage("half", "a b c d e", "a b c d x y") // predicted {abcd, bcde}; expected {abcd, bcdx, cdxy}
	if p, r := extractionMetric([]pageScore{half}); p != 0.5 || r != 1.0/3 {
		t.Errorf("precision %v recall %v, want 0.5 and 1/3", p, r)
	}
}

// TestArticleExtraction replays the shared extraction benchmark's pages
// ($AGGREGATOR_SHARED/testdata/articles) through Fetcher.Article from a
// local server and scores the text against the ground truth with the
// benchmark's metric. It fails below F1 0.95.
func TestArticleExtraction(t *testing.T) {
	shared := os.Getenv("AGGREGATOR_SHARED")
	if shared == "" {
		t.Skip("AGGREGATOR_SHARED is not set: skipping the article extraction benchmark")
	}
	dir := filepath.Join(shared, "testdata", "articles")
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		t.Fatalf("read ground truth: %v", err)
	}
	var truth map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatalf("parse ground truth: %v", err)
	}
	srv := httptest.NewServer(benchmarkPages(t, filepath.Join(dir, "html")))
	defer srv.Close()

	f := New(Options{PerHost: 4}, nil, nil)
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var scores []pageScore
	kinds, failed := map[string]int{}, 0
	for _, id := range ids {
		art, err := f.Article(context.Background(), ArticleRequest{URL: srv.URL + "/" + id})
		if err != nil {
			kinds[Kind(err)]++
			failed++
			t.Logf("%s: %v", id, err)
		}
		scores = append(scores, scorePage(id, art.Text, truth[id].ArticleBody))
	}
	p, r := extractionMetric(scores)
	f1 := 2 * p * r / (p + r)
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].f1() < scores[j].f1() })
	for _, s := range scores[:min(5, len(scores))] {
		t.Logf("worst: %s (%s) F1 %.3f", s.id, truth[s.id].URL, s.f1())
	}
	t.Logf("article extraction (%s %s) on %d pages: precision %.3f recall %.3f F1 %.3f; no article on %d pages %v",
		Extractor, ExtractorVersion, len(scores), p, r, f1, failed, kinds)
	if len(scores) < 100 {
		t.Errorf("only %d pages scored", len(scores))
	}
	if f1 < 0.95 {
		t.Errorf("F1 %.3f, want at least 0.95", f1)
	}
}

// benchmarkPages serves <dir>/<id>.html.gz at /<id> as text/html; charset=utf-8:
// gzipped when the client accepts gzip (every other page, to exercise
// both), else plain.
func benchmarkPages(t *testing.T, dir string) http.Handler {
	var n atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gz, err := os.ReadFile(filepath.Join(dir, filepath.Base(r.URL.Path)+".html.gz"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if n.Add(1)%2 == 0 && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz)
			return
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Errorf("%s: %v", r.URL.Path, err)
			return
		}
		io.Copy(w, zr)
	})
}

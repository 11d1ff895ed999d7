package event

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"aggregator/dedupe"
)

// benchDocs are the seed articles and dedupe's benchmark article, the
// texts dedupe's benchmarks decide, with their language known (the
// pipeline identifies it for every item before the event step).
func benchDocs(b *testing.B) []Doc {
	b.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "seeds", "*.txt"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("seed texts: %v", err)
	}
	sort.Strings(paths)
	paths = append(paths, filepath.Join("..", "dedupe", "testdata", "article.txt"))
	var out []Doc
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		title, body, _ := strings.Cut(strings.TrimLeft(string(data), "\n"), "\n")
		out = append(out, Doc{Title: title, Text: body, Lang: "id"})
	}
	return out
}

// BenchmarkExtract reads the features of one story, per document; with
// lang=unknown the language is identified too.
func BenchmarkExtract(b *testing.B) {
	docs := benchDocs(b)
	for _, known := range []bool{true, false} {
		name := "lang=known"
		if !known {
			name = "lang=unknown"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				d := docs[i%len(docs)]
				if !known {
					d.Lang = ""
				}
				Extract(d, dedupe.IsContentWord)
			}
		})
	}
}

// BenchmarkDecide is the event decision of one new story (its features
// read and compared with every story of the events within reach) against
// an index holding n stories spread over the event window.
func BenchmarkDecide(b *testing.B) {
	docs := benchDocs(b)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("stories=%d", n), func(b *testing.B) {
			opts := DefaultOptions()
			opts.ContentWord = dedupe.IsContentWord
			ix := NewIndex(opts)
			span := 30 * 24 * time.Hour
			for i := range n {
				d := docs[i%len(docs)]
				d.Published = start.Add(time.Duration(i) * span / time.Duration(n))
				key := fmt.Sprintf("story:%d", i+1)
				ix.Add(key, key, ix.Extract(d), d.Published)
			}
			d := docs[0]
			d.Published = start.Add(span)
			b.ResetTimer()
			for b.Loop() {
				ix.Decide(ix.Extract(d))
			}
		})
	}
}

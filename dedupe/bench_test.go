package dedupe

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"
)

func BenchmarkAnalyze(b *testing.B) {
	an := newTestAnalyzer(b)
	body := readTestdata(b, "article.txt")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		an.Analyze("Menlu Korut tiba di Moskow", body)
	}
}

// BenchmarkSignature measures shingle hashing plus the MinHash signature of a
// 250-word article; BenchmarkXXHashPerShingle is the floor it is compared
// with: one xxhash of each 3-word shingle's text and nothing else.
func BenchmarkSignature(b *testing.B) {
	words := Words(readTestdata(b, "article.txt"))
	b.SetBytes(int64(len(words)))
	for b.Loop() {
		Signature(ShingleHashes(words, 3), 128)
	}
}

func BenchmarkXXHashPerShingle(b *testing.B) {
	words := Words(readTestdata(b, "article.txt"))
	b.SetBytes(int64(len(words)))
	var sink uint64
	for b.Loop() {
		for i := 0; i+3 <= len(words); i++ {
			sink += xxhash.Sum64String(words[i] + " " + words[i+1] + " " + words[i+2])
		}
	}
	_ = sink
}

func BenchmarkIndexBest(b *testing.B) {
	an := newTestAnalyzer(b)
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			ix := NewIndex(DefaultConfig())
			for i, d := range fillerDocs(an, n) {
				ix.Add(fmt.Sprintf("story:%d", i), d, time.Now())
			}
			article := readTestdata(b, "article.txt")
			ix.Add("seed:x", an.Analyze("", article), time.Time{})
			query := an.Analyze("", strings.Join(paragraphs(article)[:2], "\n"))
			for b.Loop() {
				if _, ok := ix.Best(query); !ok {
					b.Fatal("no candidate")
				}
			}
		})
	}
}

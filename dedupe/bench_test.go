package dedupe

import (
	"fmt"
	"runtime"
	"strings"
	"syscall"
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

// BenchmarkShingleHashBaseline is the floor any signature pays on the
// benchmark corpus (see loadBenchTexts): canonicalise and tokenise each
// title and body, then hash the bytes of every 3-word shingle once with
// xxhash, and nothing else.
func BenchmarkShingleHashBaseline(b *testing.B) {
	texts := loadBenchTexts(b)
	b.SetBytes(benchBytes(texts))
	var sink uint64
	for b.Loop() {
		for _, t := range texts {
			sink += hashShingleBytes(Canonicalize(t.Title), 3)
			sink += hashShingleBytes(Canonicalize(t.Body), 3)
		}
	}
	_ = sink
}

// hashShingleBytes hashes the text of every run of k words of the canonical
// text s (words separated by one space) with xxhash and returns the sum.
func hashShingleBytes(s string, k int) uint64 {
	var starts []int
	if s != "" {
		starts = append(starts, 0)
	}
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			starts = append(starts, i+1)
		}
	}
	var sum uint64
	for i := 0; i+k <= len(starts); i++ {
		end := len(s)
		if i+k < len(starts) {
			end = starts[i+k] - 1
		}
		sum += xxhash.Sum64String(s[starts[i]:end])
	}
	return sum
}

// BenchmarkSignature is the production path on the same texts as
// BenchmarkShingleHashBaseline: Analyzer.Analyze canonicalises, strips
// boilerplate, hashes the shingles and computes the 128-value signatures of
// the whole text and of its lead, and the sorted shingle set.
func BenchmarkSignature(b *testing.B) {
	texts := loadBenchTexts(b)
	an := newTestAnalyzer(b)
	b.SetBytes(benchBytes(texts))
	for b.Loop() {
		for _, t := range texts {
			an.Analyze(t.Title, t.Body)
		}
	}
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
				if _, ok := mustBest(b, ix, query); !ok {
					b.Fatal("no candidate")
				}
			}
		})
	}
}

// BenchmarkSignatureVsBaseline runs the production path and the baseline
// over the whole corpus alternately, the one and the other first in turn,
// and reports their throughputs and the ratio (the target is at least
// 0.85), both by wall-clock time and by the CPU time of the benchmark's
// thread, which other programs on a busy machine do not inflate.
func BenchmarkSignatureVsBaseline(b *testing.B) {
	texts := loadBenchTexts(b)
	an := newTestAnalyzer(b)
	size := float64(benchBytes(texts))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var sig, base, sigCPU, baseCPU time.Duration
	var sink uint64
	baseline := func() {
		for _, t := range texts {
			sink += hashShingleBytes(Canonicalize(t.Title), 3)
			sink += hashShingleBytes(Canonicalize(t.Body), 3)
		}
	}
	signature := func() {
		for _, t := range texts {
			an.Analyze(t.Title, t.Body)
		}
	}
	timed := func(f func(), wall, cpu *time.Duration) {
		c, start := threadCPU(), time.Now()
		f()
		*wall += time.Since(start)
		*cpu += threadCPU() - c
	}
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			timed(baseline, &base, &baseCPU)
			timed(signature, &sig, &sigCPU)
		} else {
			timed(signature, &sig, &sigCPU)
			timed(baseline, &base, &baseCPU)
		}
		i++
	}
	_ = sink
	n := float64(b.N)
	b.ReportMetric(size*n/base.Seconds()/1e6, "baseline-MB/s")
	b.ReportMetric(size*n/sig.Seconds()/1e6, "signature-MB/s")
	b.ReportMetric(base.Seconds()/sig.Seconds(), "ratio")
	if baseCPU > 0 && sigCPU > 0 {
		b.ReportMetric(baseCPU.Seconds()/sigCPU.Seconds(), "cpu-ratio")
	}
}

// threadCPU returns the CPU time the calling OS thread has used, or 0
// where the platform does not say.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

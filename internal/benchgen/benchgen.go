// Package benchgen generates the synthetic workloads of the benchmarks
// (BENCHMARKS.md): news stories from a word-bigram model of a real corpus
// (Stories), the 30–60 KB feeds of the poll-cycle benchmark (CycleFeeds)
// and the on-topic feeds of the serving benchmark (TopicFeeds). What it
// generates is a function of its inputs and seed alone, so that two
// processes, or a benchmark and its check, generate the same bytes.
//
// The package reads no environment and no config: the caller names the
// corpus file.
package benchgen

import (
	"strings"
	"unicode"

	"aggregator/seeds"
)

// Feed is one generated feed as a server sends it.
type Feed struct {
	ContentType string
	Body        []byte
	ETag        string // quoted, as in an ETag header
}

// seedVocabulary returns the distinct lower-cased words of three letters or
// more of the embedded seed articles, in order of first occurrence.
func seedVocabulary() []string {
	seen := map[string]bool{}
	var vocab []string
	for _, a := range seeds.Embedded() {
		for _, w := range strings.FieldsFunc(a.Text, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if w = strings.ToLower(w); len(w) >= 3 && !seen[w] {
				seen[w] = true
				vocab = append(vocab, w)
			}
		}
	}
	return vocab
}

package dedupe

import (
	"fmt"
	"strings"

	"github.com/cespare/xxhash/v2"
)

// MinBodyWords is the number of words below which Analyze shingles the title
// together with the body: a feed entry with an empty or one-line body is
// known by its headline.
const MinBodyWords = 12

// Doc is the analysed form of one text.
type Doc struct {
	Shingles  []uint64 // sorted, unique 64-bit hashes of word shingles of the body after boilerplate stripping
	Signature []uint32 // MinHash signature of Shingles, len SignatureSize
	Lead      []uint32 // signature of the first LeadShingles shingles, used to find summary/article pairs
	Words     int      // number of tokens shingled
	Stripped  []string // boilerplate lines that were removed, in order (for explanations)
}

// Analyzer turns texts into Docs. It is safe for concurrent use.
type Analyzer struct {
	cfg Config
}

// NewAnalyzer returns an Analyzer for cfg, or the error of cfg.Validate.
func NewAnalyzer(cfg Config) (*Analyzer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new analyzer: %w", err)
	}
	return &Analyzer{cfg: cfg}, nil
}

// Analyze strips boilerplate lines from body, canonicalises the rest into
// words and shingles them. When the body has fewer than MinBodyWords words,
// the title's words are shingled in front of the body's.
func (a *Analyzer) Analyze(title, body string) Doc {
	var buf []byte
	words, stripped := keptWordHashes(body, &buf)
	if len(words) < MinBodyWords {
		words = append(appendWordHashes(nil, title, &buf), words...)
	}
	seq := combineShingles(words, a.cfg.ShingleSize)
	lead := seq
	if len(lead) > LeadShingles {
		lead = append([]uint64(nil), lead[:LeadShingles]...)
	}
	leadSig := Signature(lead, a.cfg.SignatureSize)
	set := sortedSet(seq) // sorts seq in place; lead is a copy when it was cut
	return Doc{
		Shingles:  set,
		Signature: Signature(set, a.cfg.SignatureSize),
		Lead:      leadSig,
		Words:     len(words),
		Stripped:  stripped,
	}
}

// keptWordHashes returns the hashes of the words of the lines of body that
// StripBoilerplate keeps, and the lines it strips. It gives the same result
// as hashing the words of the kept lines of StripBoilerplate(body) but reads
// each line once: a line is tokenised first, and only a line short enough
// to be boilerplate (at most maxBoilerplateWords words) is checked against
// the boilerplate rules, its words dropped again when it is stripped.
func keptWordHashes(body string, buf *[]byte) (words []uint64, stripped []string) {
	words = make([]uint64, 0, len(body)/7+8)
	multi := nonBlankLines(body) > 1
	for rest := body; rest != ""; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		n := len(words)
		words = appendWordHashes(words, t, buf)
		if len(words)-n <= maxBoilerplateWords && isBoilerplate(t, multi) {
			words = words[:n]
			stripped = append(stripped, t)
		}
	}
	return words, stripped
}

// nonBlankLines counts the lines of s that are not blank, up to two.
func nonBlankLines(s string) int {
	n := 0
	for rest := s; rest != "" && n < 2; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n
}

// AnalyzeWords shingles words, which must already be canonical (lower-case
// words as Words gives them), as Analyze shingles a body's words: no
// boilerplate stripping, no title. It serves generated text in benchmarks.
func (a *Analyzer) AnalyzeWords(words []string) Doc {
	wh := make([]uint64, len(words))
	for i, w := range words {
		wh[i] = xxhash.Sum64String(w)
	}
	seq := combineShingles(wh, a.cfg.ShingleSize)
	lead := seq
	if len(lead) > LeadShingles {
		lead = append([]uint64(nil), lead[:LeadShingles]...)
	}
	leadSig := Signature(lead, a.cfg.SignatureSize)
	set := sortedSet(seq)
	return Doc{
		Shingles:  set,
		Signature: Signature(set, a.cfg.SignatureSize),
		Lead:      leadSig,
		Words:     len(words),
	}
}

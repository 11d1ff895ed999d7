package dedupe

import "fmt"

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
	kept, stripped := StripBoilerplate(body)
	var words []string
	for _, l := range kept {
		words = appendWords(words, l)
	}
	if len(words) < MinBodyWords {
		words = append(Words(title), words...)
	}
	seq := ShingleHashes(words, a.cfg.ShingleSize)
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

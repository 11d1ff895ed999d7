// Package dedupe decides what an incoming news item is: a near-copy of a seed
// article or of an earlier story, the first item of a new story, or off topic.
//
// It canonicalises text, strips boilerplate lines, hashes word shingles,
// computes MinHash signatures with one-permutation hashing, finds candidates
// with an LSH index and verifies them against compact sketches of the stored
// shingle sets, exactly where a sketch cannot settle the outcome.
// Topic relevance combines keyword groups with word-level similarity to the
// seed articles. Everything here is pure computation over in-memory
// structures; the caller does all I/O.
package dedupe

import "fmt"

// MinContainmentShingles is the guard on containment: a match counts as a
// near-copy by containment only when the shorter of the two texts has at least
// this many shingles (about 22 words with 3-word shingles, i.e. one full lead
// sentence). Below it, a few shared stock phrases ("kata juru bicara
// Kementerian Luar Negeri") could make a short text look contained in any
// long one. Resemblance is not guarded.
const MinContainmentShingles = 20

// LeadShingles is the number of leading shingles of a body whose signature is
// kept in Doc.Lead, so that a feed summary (title and lead paragraph) and the
// full article it was cut from find each other in the index.
const LeadShingles = 40

// Config holds the tunables of the analyser, the index and the decision.
type Config struct {
	ShingleSize       int     // words per shingle
	SignatureSize     int     // MinHash values (32-bit); must equal Bands*Rows
	Bands             int     // LSH bands
	Rows              int     // signature values per band
	MinResemblance    float64 // Jaccard of shingle sets that makes a near-copy
	MinContainment    float64 // |A∩B|/min(|A|,|B|) that makes a near-copy
	MinSeedSimilarity float64 // cosine of content-word vectors to the best seed that makes an item on topic
}

// DefaultConfig returns the default tunables.
func DefaultConfig() Config {
	return Config{
		ShingleSize:       3,
		SignatureSize:     128,
		Bands:             32,
		Rows:              4,
		MinResemblance:    0.5,
		MinContainment:    0.6,
		MinSeedSimilarity: DefaultMinSeedSimilarity,
	}
}

// Validate reports the first field of c that is out of range.
func (c Config) Validate() error {
	switch {
	case c.ShingleSize < 1 || c.ShingleSize > 16:
		return fmt.Errorf("dedupe: shingle_size (%d) must be between 1 and 16", c.ShingleSize)
	case c.SignatureSize < 1 || c.SignatureSize > 4096:
		return fmt.Errorf("dedupe: signature_size (%d) must be between 1 and 4096", c.SignatureSize)
	case c.Bands < 1:
		return fmt.Errorf("dedupe: bands (%d) must be at least 1", c.Bands)
	case c.Rows < 1:
		return fmt.Errorf("dedupe: rows (%d) must be at least 1", c.Rows)
	case c.Bands*c.Rows != c.SignatureSize:
		return fmt.Errorf("dedupe: bands*rows (%d) must equal signature_size (%d)", c.Bands*c.Rows, c.SignatureSize)
	case !unitInterval(c.MinResemblance):
		return fmt.Errorf("dedupe: min_resemblance (%g) must be in (0, 1]", c.MinResemblance)
	case !unitInterval(c.MinContainment):
		return fmt.Errorf("dedupe: min_containment (%g) must be in (0, 1]", c.MinContainment)
	case !unitInterval(c.MinSeedSimilarity):
		return fmt.Errorf("dedupe: min_seed_similarity (%g) must be in (0, 1]", c.MinSeedSimilarity)
	}
	return nil
}

// IsNearDuplicate reports whether m passes the thresholds of c: resemblance
// at least MinResemblance, or containment at least MinContainment when the
// shorter text has at least MinContainmentShingles shingles.
func (c Config) IsNearDuplicate(m Match) bool {
	if m.Key == "" {
		return false
	}
	return m.Resemblance >= c.MinResemblance ||
		(m.Containment >= c.MinContainment && m.Shorter >= MinContainmentShingles)
}

func unitInterval(x float64) bool { return x > 0 && x <= 1 }

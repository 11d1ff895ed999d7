package dedupe

import (
	"fmt"
	"sort"
	"strings"
)

// DefaultMinSeedSimilarity is the default Config.MinSeedSimilarity: the
// cosine similarity of content words to the nearest seed above which an item
// is on topic even when a keyword group did not match. It was chosen on the
// evaluation corpus so that similarity alone admits few off-topic items.
const DefaultMinSeedSimilarity = 0.30

// KeywordLeadWords is how many words of the text, after the title, the
// keyword groups are looked for in. The topic is what the headline and lead
// are about; a story that names North Korea only in its tenth paragraph
// (a Ukraine liveblog, a piece on China's parade) has it as background.
const KeywordLeadWords = 100

// SeedText is one seed article, the topic's definition by example.
type SeedText struct{ Name, Title, Text string }

// Topic decides whether an item is on topic: every keyword group matches, or
// its content words are similar enough to those of a seed. It is safe for
// concurrent use.
type Topic struct {
	groups    []compiledGroup
	seeds     []seedVector
	min       float64
	leadWords int // words of text searched for keywords; 0 means all
}

type seedVector struct {
	name string
	vec  termVector
}

// TopicResult is the topic decision for one item with its explanation.
type TopicResult struct {
	OnTopic    bool
	Rule       string  // human explanation, e.g. "keywords: korea=Pyongyang, russia=Putin"
	Similarity float64 // best similarity to a seed
	Seed       string  // name of that seed
}

// NewTopic compiles groups and seeds. minSimilarity is the seed similarity
// that puts an item on topic (see DefaultMinSeedSimilarity); it must be in
// (0, 1].
func NewTopic(groups []KeywordGroup, seeds []SeedText, minSimilarity float64) (*Topic, error) {
	if !unitInterval(minSimilarity) {
		return nil, fmt.Errorf("dedupe: min_seed_similarity (%g) must be in (0, 1]", minSimilarity)
	}
	if len(groups) == 0 && len(seeds) == 0 {
		return nil, fmt.Errorf("dedupe: topic needs keyword groups or seeds")
	}
	cg, err := compileGroups(groups)
	if err != nil {
		return nil, err
	}
	t := &Topic{groups: cg, min: minSimilarity, leadWords: KeywordLeadWords}
	for _, s := range seeds {
		t.seeds = append(t.seeds, seedVector{name: s.Name, vec: contentVector(s.Title + "\n" + s.Text)})
	}
	return t, nil
}

// Match decides whether the item with title and text is on topic: every
// keyword group matches in the title or the first KeywordLeadWords words of
// text, or the content words of title and text have at least the minimum
// similarity to a seed.
func (t *Topic) Match(title, text string) TopicResult {
	var res TopicResult
	res.Seed, res.Similarity = t.nearestSeed(title + "\n" + text)

	body := leadWords(text, t.leadWords)
	words := append(Words(title), body...)
	ws := newWordSet(words)
	var hits, misses []string
	for _, g := range t.groups {
		if term, ok := g.firstMatchIn(words, ws); ok {
			hits = append(hits, g.name+"="+term)
		} else {
			misses = append(misses, g.name)
		}
	}
	if len(t.groups) > 0 && len(misses) == 0 {
		res.OnTopic = true
		res.Rule = "keywords: " + strings.Join(hits, ", ")
		return res
	}
	seedPart := fmt.Sprintf("seed similarity %.2f", res.Similarity)
	if res.Seed != "" && res.Similarity >= t.min {
		res.OnTopic = true
		res.Rule = fmt.Sprintf("%s ≥ %.2f (seed %s)", seedPart, t.min, res.Seed)
		return res
	}
	if res.Seed != "" {
		seedPart = fmt.Sprintf("%s < %.2f (seed %s)", seedPart, t.min, res.Seed)
	} else {
		seedPart = "no seeds"
	}
	if len(misses) > 0 {
		res.Rule = "no keyword group matched in title and lead: " + strings.Join(misses, ", ") + "; " + seedPart
	} else {
		res.Rule = seedPart
	}
	return res
}

// leadWords returns the first n words of text (all of them when n is 0),
// as Words(text)[:n] would, without tokenising the rest when a prefix of
// text holds more than n words: the words before the last one of a prefix
// are whole.
func leadWords(text string, n int) []string {
	if n <= 0 {
		return Words(text)
	}
	if cut := 16 * (n + 1); len(text) > cut {
		if ws := Words(text[:cut]); len(ws) > n {
			return ws[:n]
		}
	}
	ws := Words(text)
	return ws[:min(n, len(ws))]
}

// nearestSeed returns the seed whose content words are most similar to
// text's, and that similarity; ties go to the earlier seed.
func (t *Topic) nearestSeed(text string) (string, float64) {
	if len(t.seeds) == 0 {
		return "", 0
	}
	v := contentVector(text)
	// cosine(v, seed) for every seed, summed in the same order (the shared
	// words sorted) with v's words sorted once.
	words := make([]string, 0, len(v))
	for w := range v {
		words = append(words, w)
	}
	sort.Strings(words)
	best, bestSim := "", -1.0
	for _, s := range t.seeds {
		var sim float64
		for _, w := range words {
			if x, ok := s.vec[w]; ok {
				sim += v[w] * x
			}
		}
		if sim > bestSim {
			best, bestSim = s.name, sim
		}
	}
	return best, bestSim
}

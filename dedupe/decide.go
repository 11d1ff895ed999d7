package dedupe

import "strings"

// Verdict is what the pipeline does with one item.
type Verdict string

// Verdicts. VerdictSameURL, VerdictSameArticle and VerdictUpdate come from
// the caller's exact checks against the store; Decide returns the others.
const (
	VerdictNew       Verdict = "new"             // first item of a new story: published
	VerdictSeedCopy  Verdict = "seed_duplicate"  // near-copy of a seed: recorded, never published
	VerdictStoryCopy Verdict = "story_duplicate" // near-copy of an earlier story: joins it
	VerdictSameURL   Verdict = "same_url"        // same canonical URL as an earlier item: joins its story (caller decides)
	VerdictUpdate    Verdict = "update"          // same GUID from the same source (caller decides)
	// VerdictSameArticle: one outlet's article from another feed (an
	// aggregator's item of it): joins its story (caller decides).
	VerdictSameArticle Verdict = "same_article"
	VerdictOffTopic    Verdict = "off_topic"
)

// SeedKeyPrefix starts the index key of every seed; a near-copy of an entry
// with such a key is a seed duplicate.
const SeedKeyPrefix = "seed:"

// Result is the verdict for one item with the evidence behind it.
type Result struct {
	Verdict Verdict
	Match   Match // best candidate; Key "" when none
	Topic   TopicResult
}

// Decide checks doc for near-duplicates among everything in ix (seeds and
// stories) first: a match that passes cfg.IsNearDuplicate gives
// VerdictSeedCopy when its key starts with SeedKeyPrefix and VerdictStoryCopy
// otherwise. Otherwise the topic decides: VerdictNew when on topic,
// VerdictOffTopic when not. The topic result is filled in every case, for
// explanations. A nil ix or topic is skipped (a nil topic puts everything on
// topic).
func Decide(cfg Config, ix *Index, topic *Topic, doc Doc, title, text string) (Result, error) {
	tr := TopicResult{OnTopic: true, Rule: "no topic rules"}
	if topic != nil {
		tr = topic.Match(title, text)
	}
	return DecideTopic(cfg, ix, tr, doc)
}

// DecideTopic is Decide with the topic result already worked out (by
// Topic.Match, which needs no index and so can run ahead, concurrently).
// It fails only when the index cannot verify a candidate.
func DecideTopic(cfg Config, ix *Index, tr TopicResult, doc Doc) (Result, error) {
	d := Result{Topic: tr}
	if ix != nil {
		m, ok, err := ix.Best(doc)
		if err != nil {
			return Result{}, err
		}
		if ok {
			d.Match = m
		}
	}
	switch {
	case cfg.IsNearDuplicate(d.Match) && strings.HasPrefix(d.Match.Key, SeedKeyPrefix):
		d.Verdict = VerdictSeedCopy
	case cfg.IsNearDuplicate(d.Match):
		d.Verdict = VerdictStoryCopy
	case d.Topic.OnTopic:
		d.Verdict = VerdictNew
	default:
		d.Verdict = VerdictOffTopic
	}
	return d, nil
}

package aggregator

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"aggregator/fetch"
	"aggregator/store"
)

// Explanation is the stored decision for one item, with what it matched.
type Explanation struct {
	Item store.SourcedItem
	// Matched describes the seed or story the item was compared with
	// best ("seed 000_….txt: title", "story 12: title (source)"), "" when none.
	Matched string
	// MatchURL is the link of the matched story's head or item.
	MatchURL string
	// MinResemblance and MinContainment are the thresholds a match had to
	// pass to make the item a near-copy (the pipeline's current ones).
	MinResemblance, MinContainment float64
	// MinSeedSimilarity is the seed similarity that puts an item on topic
	// without keywords.
	MinSeedSimilarity float64
}

// Explain returns the stored decisions for the article at rawURL, one per
// source that delivered it (matched on the link as given or canonical).
func (p *Pipeline) Explain(ctx context.Context, rawURL string) ([]Explanation, error) {
	items, err := p.store.ItemsByURL(ctx, rawURL, fetch.CanonicalURL(rawURL))
	if err != nil {
		return nil, err
	}
	out := make([]Explanation, 0, len(items))
	for _, it := range items {
		ex := Explanation{Item: it, MinResemblance: p.opts.Dedupe.MinResemblance,
			MinContainment: p.opts.Dedupe.MinContainment, MinSeedSimilarity: p.opts.Dedupe.MinSeedSimilarity}
		key := it.Decision.MatchKey
		switch {
		case strings.HasPrefix(key, "seed:"):
			name := strings.TrimPrefix(key, "seed:")
			ex.Matched = "seed " + name
			for _, s := range p.opts.Seeds {
				if s.Name == name {
					ex.Matched += ": " + s.Title
				}
			}
		case storyID(key) != 0:
			ex.Matched = fmt.Sprintf("story %d", storyID(key))
			head, err := p.store.StoryHead(ctx, storyID(key))
			if err != nil {
				return nil, err
			}
			ex.Matched += ": " + head.Title + " (" + head.SourceName + ")"
			ex.MatchURL = head.URL
		case strings.HasPrefix(key, "item:"):
			// An off-topic item, which belongs to no story.
			ex.Matched = key
			if id, err := strconv.ParseInt(strings.TrimPrefix(key, "item:"), 10, 64); err == nil {
				m, err := p.store.ItemByID(ctx, id)
				if err != nil {
					return nil, err
				}
				ex.Matched = fmt.Sprintf("item %d (%s, %s): %s (%s)", id, m.Decision.Verdict, topicWord(m.Decision.OnTopic), m.Title, m.SourceName)
				ex.MatchURL = m.URL
			}
		case key != "":
			ex.Matched = key
		}
		out = append(out, ex)
	}
	return out, nil
}

func topicWord(on bool) string {
	if on {
		return "on topic"
	}
	return "off topic"
}

// VerdictMeaning says in words what a verdict did with an item, for
// explanations on the command line and the status page.
func VerdictMeaning(v string) string {
	switch v {
	case string(VerdictNew):
		return "first item of a new story, published"
	case string(VerdictSeedCopy):
		return "near-copy of a seed article, not published"
	case string(VerdictStoryCopy):
		return "near-copy of an earlier story (shown as also reported by) or of an earlier off-topic item"
	case string(VerdictSameURL):
		return "same article URL as an earlier item"
	case string(VerdictUpdate):
		return "update of an item seen before"
	case string(VerdictOffTopic):
		return "not about North Korea–Russia relations, not published"
	default:
		return v
	}
}

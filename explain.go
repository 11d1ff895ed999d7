package aggregator

import (
	"context"
	"errors"
	"fmt"

	"aggregator/fetch"
)

// Explanation is the stored decision for one item, with what it matched.
type Explanation struct {
	Item SourcedItem
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
	// Article is the article page fetched for the item's canonical URL
	// (full text), extracted or failed; nil when none was fetched.
	Article *Article
	// Event is the event decision of the item's story; nil when the item
	// belongs to no story.
	Event *EventExplanation
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
		if ex.Matched, ex.MatchURL, err = p.describeMatch(ctx, it.Decision.Match); err != nil {
			return nil, err
		}
		if ex.Article, err = p.storedArticle(ctx, it.CanonicalURL); err != nil {
			return nil, err
		}
		if it.StoryID != 0 {
			if ex.Event, err = p.explainEvent(ctx, it.StoryID); err != nil {
				return nil, err
			}
		}
		out = append(out, ex)
	}
	return out, nil
}

// storedArticle returns the article stored for a canonical URL, or nil.
func (p *Pipeline) storedArticle(ctx context.Context, canonicalURL string) (*Article, error) {
	if canonicalURL == "" {
		return nil, nil
	}
	a, err := p.store.ArticleByURL(ctx, canonicalURL)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// describeMatch says in words what a decision's match key names, with the
// link of the matched story's head or item.
func (p *Pipeline) describeMatch(ctx context.Context, key MatchKey) (matched, link string, err error) {
	switch key.Kind {
	case MatchSeed:
		matched = "seed " + key.Seed
		for _, s := range p.opts.Seeds {
			if s.Name == key.Seed {
				matched += ": " + s.Title
			}
		}
		return matched, "", nil
	case MatchStory:
		head, err := p.store.StoryHead(ctx, key.ID)
		if err != nil {
			return "", "", err
		}
		return fmt.Sprintf("story %d: %s (%s)", key.ID, head.Title, head.SourceName), head.URL, nil
	case MatchItem:
		// An off-topic item, which belongs to no story.
		m, err := p.store.ItemByID(ctx, key.ID)
		if err != nil {
			return "", "", err
		}
		return fmt.Sprintf("item %d (%s, %s): %s (%s)", key.ID, m.Decision.Verdict, topicWord(m.Decision.OnTopic), m.Title, m.SourceName), m.URL, nil
	}
	return key.String(), "", nil
}

// PublishedNote says which date an item is published with, and when the
// feed's own date was replaced because it lay too far in the future.
func PublishedNote(it Item) string {
	const layout = "2006-01-02 15:04:05Z07:00"
	s := it.Published.Format(layout)
	if !it.FeedPublished.IsZero() {
		s += fmt.Sprintf(" (the first-seen time: the feed's date, %s, was more than a day in the future and was replaced)",
			it.FeedPublished.Format(layout))
	}
	return s
}

func topicWord(on bool) string {
	if on {
		return "on topic"
	}
	return "off topic"
}

// VerdictMeaning says in words what a verdict did with an item, for
// explanations on the command line and the status page.
func VerdictMeaning(v Verdict) string {
	switch v {
	case VerdictNew:
		return "first item of a new story, published"
	case VerdictSeedCopy:
		return "near-copy of a seed article, not published"
	case VerdictStoryCopy:
		return "near-copy of an earlier story (shown as also reported by) or of an earlier off-topic item"
	case VerdictSameURL:
		return "same article URL as an earlier item"
	case VerdictSameArticle:
		return "the same outlet's article as an earlier item of another feed (same headline and outlet)"
	case VerdictUpdate:
		return "update of an item seen before"
	case VerdictOffTopic:
		return "not about North Korea–Russia relations, not published"
	default:
		return string(v)
	}
}

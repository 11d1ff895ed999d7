package aggregator

import (
	"context"
	"fmt"
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
	// MatchURL is the link of the matched story's head, when it is a story.
	MatchURL string
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
		ex := Explanation{Item: it}
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
		case key != "":
			ex.Matched = key
		}
		out = append(out, ex)
	}
	return out, nil
}

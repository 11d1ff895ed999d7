package aggregator

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"aggregator/dedupe"
)

// Short copies by their headline. A headline-only item (an aggregator's
// link) or a headline and one sentence is too short for containment to
// count (dedupe.MinContainmentShingles), yet a copy keeps its original's
// headline, and independent reports of one event do not share one: on the
// shared corpus, no two reports of an event have equal normalised headlines
// and the most alike share 0.375 of their headline words (Jaccard;
// internal/eval's TestSameEventHeadlines). So an item the index finds no
// copy for is a copy of a seed or of an earlier item from another source,
// published within headlineWindow of it, with the same normalised headline
// of at least headlineMinWords words, unless both texts are long enough to
// compare and clearly differ.

const (
	// headlineWindow is how far apart in published time two items with one
	// headline may be and still be one story: a headline is reused for
	// another event months later.
	headlineWindow = 3 * 24 * time.Hour
	// headlineMinWords is the shortest headline, in words, that identifies
	// a story without its outlet, and headlineMinContent how many of them
	// must be content words that are not newsroom filler: "What we know so
	// far" or "Live updates: everything you need to know" name no story.
	headlineMinWords   = 5
	headlineMinContent = 4
)

// headlineFiller are content words of generic headlines (live blogs,
// explainers, briefings) that say nothing about which story it is.
var headlineFiller = map[string]bool{
	"live": true, "update": true, "updates": true, "latest": true, "know": true, "need": true,
	"everything": true, "now": true, "far": true, "watch": true, "video": true, "videos": true,
	"photo": true, "photos": true, "explained": true, "explainer": true, "briefing": true,
	"morning": true, "evening": true, "today": true, "news": true, "breaking": true,
	"happened": true, "happening": true, "things": true, "key": true, "takeaways": true,
}

// headlineKey is the normalised headline of title (dedupe.Words, joined
// by spaces), "" when it has fewer than headlineMinWords words or fewer
// than headlineMinContent content words that are not filler.
func headlineKey(title string) string {
	words := dedupe.Words(title)
	content := 0
	for _, w := range words {
		if dedupe.IsContentWord(w) && !headlineFiller[w] {
			content++
		}
	}
	if len(words) < headlineMinWords || content < headlineMinContent {
		return ""
	}
	return strings.Join(words, " ")
}

// sameHeadline decides it, which the index found no copy for, as a copy
// by its headline: of a seed with its headline key, else of the earliest
// item with it from another source published within headlineWindow. It
// reports false when there is none or when the two texts clearly differ.
func (d *decision) sameHeadline(ctx context.Context, it Item, doc dedupe.Doc) (Decision, bool, error) {
	if it.HeadlineKey == "" {
		return Decision{}, false, nil
	}
	for _, s := range d.p.opts.Seeds {
		key := SeedKey(s.Name)
		if headlineKey(s.Title) != it.HeadlineKey {
			continue
		}
		r, c, differ := d.p.compareTexts(doc, d.p.seedDocs[key])
		if differ {
			continue
		}
		return Decision{Verdict: VerdictSeedCopy, Match: key, Resemblance: r, Containment: c, OnTopic: true,
			TopicRule: fmt.Sprintf("same headline as seed %s", s.Name), Stripped: doc.Stripped}, true, nil
	}
	same, err := d.tx.ItemByHeadlineKey(ctx, it.HeadlineKey, it.SourceID, it.Published.Add(-headlineWindow), it.Published.Add(headlineWindow))
	switch {
	case errors.Is(err, ErrNotFound):
		return Decision{}, false, nil
	case err != nil:
		return Decision{}, false, err
	}
	r, c, differ := d.p.compareTexts(doc, d.p.analyzer.Analyze(same.Title, same.Body))
	if differ {
		return Decision{}, false, nil
	}
	dec := Decision{Verdict: VerdictStoryCopy, Match: ItemKey(same.ID), Resemblance: r, Containment: c,
		OnTopic: same.Decision.OnTopic, TopicRule: fmt.Sprintf("same headline as item %d", same.ID), Stripped: doc.Stripped}
	switch {
	case same.StoryID != 0:
		dec.Match, dec.TopicRule = StoryKey(same.StoryID), fmt.Sprintf("same headline as story %d", same.StoryID)
	case same.Decision.Verdict == VerdictSeedCopy:
		dec.Verdict, dec.Match, dec.OnTopic = VerdictSeedCopy, same.Decision.Match, true
		dec.TopicRule = fmt.Sprintf("same headline as item %d, a copy of %s", same.ID, same.Decision.Match)
	}
	return dec, true, nil
}

// compareTexts returns the resemblance (Jaccard) and containment of the
// shingle sets of a and b, and whether the two clearly differ: both are
// long enough for containment to count and it is under half the
// containment that makes a near-copy. A headline-only text never clearly
// differs; its headline decides.
func (p *Pipeline) compareTexts(a, b dedupe.Doc) (resemblance, containment float64, differ bool) {
	resemblance, containment, shorter := dedupe.Similarity(a.Shingles, b.Shingles)
	differ = shorter >= dedupe.MinContainmentShingles && containment < p.opts.Dedupe.MinContainment/2
	return resemblance, containment, differ
}

package aggregator

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/store"
)

// Outcome is the decision taken on one entry, as stored.
type Outcome struct {
	GUID        string
	ItemID      int64 // the stored item (for an update: the item updated)
	StoryID     int64 // 0 when the item belongs to no story
	Verdict     dedupe.Verdict
	MatchKey    string // "seed:NAME", "story:ID", "item:ID" or ""
	Resemblance float64
	Containment float64
	OnTopic     bool
}

// Ingest decides and stores entries as if src had just delivered them, in
// one transaction, without fetching and without touching the source's fetch
// state. It is Poll's decision path without the network: "aggregator eval"
// replays a labelled corpus through it. Outcomes come oldest entry first.
func (p *Pipeline) Ingest(ctx context.Context, src Source, entries []fetch.Entry) ([]Outcome, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, err := p.store.EnsureSource(ctx, src.Name, src.URL)
	if err != nil {
		return nil, err
	}
	now := p.now()
	p.index.Prune(now.Add(-p.opts.Window))
	var sr SourceReport
	res := fetch.Result{Feed: &fetch.Feed{Entries: entries}}
	outs, err := p.store1(ctx, s, res, nil, now, &sr, false)
	if err != nil {
		if lerr := p.loadIndex(ctx); lerr != nil {
			err = errors.Join(err, lerr)
		}
		return nil, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	return outs, nil
}

// decide takes the decision for one entry and stores it. pre is the
// entry's analysis worked out ahead, nil when there is none.
func (p *Pipeline) decide(ctx context.Context, tx *store.Tx, src store.Source, e fetch.Entry, pre *analysis, now time.Time, sr *SourceReport) (Outcome, error) {
	it, err := p.decide1(ctx, tx, src, e, pre, now, sr)
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{
		GUID: e.GUID, ItemID: it.ID, StoryID: it.StoryID, Verdict: dedupe.Verdict(it.Decision.Verdict),
		MatchKey: it.Decision.MatchKey, Resemblance: it.Decision.Resemblance,
		Containment: it.Decision.Containment, OnTopic: it.Decision.OnTopic,
	}, nil
}

// decide1 takes the decision for one entry, stores it and returns the item
// as stored.
func (p *Pipeline) decide1(ctx context.Context, tx *store.Tx, src store.Source, e fetch.Entry, pre *analysis, now time.Time, sr *SourceReport) (store.Item, error) {
	analyse := func() dedupe.Doc {
		if pre != nil {
			return pre.doc
		}
		return p.analyzer.Analyze(e.Title, e.Text)
	}
	// Exact: the same GUID from the same source is the same item.
	prev, err := tx.ItemByGUID(ctx, src.ID, e.GUID)
	switch {
	case err == nil:
		if prev.Title == e.Title && prev.Body == e.Text && prev.SummaryHTML == e.SummaryHTML && prev.URL == e.URL {
			sr.Unchanged++
			prev.Decision.Verdict = string(VerdictUpdate)
			return prev, nil
		}
		prev.URL, prev.Title, prev.Body, prev.SummaryHTML = e.URL, e.Title, e.Text, e.SummaryHTML
		prev.Author, prev.Categories, prev.Updated = e.Author, e.Categories, now
		sr.Updated++
		err := tx.UpdateItemContent(ctx, prev)
		prev.Decision.Verdict = string(VerdictUpdate)
		return prev, err
	case !errors.Is(err, store.ErrNotFound):
		return store.Item{}, err
	}

	it := store.Item{
		SourceID: src.ID, GUID: e.GUID, URL: e.URL, CanonicalURL: e.CanonicalURL,
		Title: e.Title, Body: e.Text, SummaryHTML: e.SummaryHTML, Author: e.Author, Categories: e.Categories,
		Published: e.Published, FirstSeen: now, Updated: now,
	}
	if it.Published.IsZero() {
		it.Published = now
	}
	if !e.Updated.IsZero() {
		it.Updated = e.Updated
	}

	// Exact: the same canonical URL from any source is the same story.
	if e.CanonicalURL != "" {
		same, err := tx.ItemByCanonicalURL(ctx, e.CanonicalURL)
		switch {
		case err == nil:
			sr.Duplicates++
			ref := strconv.FormatInt(same.ID, 10)
			it.StoryID = same.StoryID
			it.Decision = store.Decision{
				Verdict: string(VerdictSameURL), MatchKey: "item:" + ref,
				Resemblance: 1, Containment: 1, OnTopic: same.Decision.OnTopic,
				TopicRule: "same URL as item " + ref,
			}
			if same.StoryID == 0 {
				err := tx.InsertItem(ctx, &it)
				return it, err
			}
			it.Decision.MatchKey = storyKey(same.StoryID)
			err := p.join(ctx, tx, &it, analyse(), now)
			return it, err
		case !errors.Is(err, store.ErrNotFound):
			return store.Item{}, err
		}
	}

	doc := analyse()
	var d dedupe.Decision
	if pre != nil {
		d = dedupe.DecideTopic(p.opts.Dedupe, p.index, pre.topic, doc)
	} else {
		d = dedupe.Decide(p.opts.Dedupe, p.index, p.topic, doc, e.Title, e.Text)
	}
	if err := p.index.Err(); err != nil { // a candidate could not be verified
		return store.Item{}, err
	}
	it.Decision = store.Decision{
		Verdict: string(d.Verdict), MatchKey: d.Match.Key,
		Resemblance: d.Match.Resemblance, Containment: d.Match.Containment,
		OnTopic: d.Topic.OnTopic, TopicRule: d.Topic.Rule, TopicSimilarity: d.Topic.Similarity,
		Stripped: doc.Stripped,
	}
	switch d.Verdict {
	case dedupe.VerdictNew:
		it.Shingles, it.Signature, it.Lead = doc.Shingles, doc.Signature, doc.Lead
		if err := tx.NewStory(ctx, &it); err != nil {
			return store.Item{}, err
		}
		if err := p.fileIndex(ctx, tx, storyKey(it.StoryID), it.ID, doc, now); err != nil {
			return store.Item{}, err
		}
		sr.New++
		return it, nil
	case dedupe.VerdictStoryCopy:
		sr.Duplicates++
		if it.StoryID = storyID(d.Match.Key); it.StoryID != 0 {
			err := p.join(ctx, tx, &it, doc, now)
			return it, err
		}
	case dedupe.VerdictSeedCopy:
		sr.Duplicates++
	default:
		// An off-topic item stays in the index, so that its copies are
		// recognised as copies of it (story_duplicate, "item:ID") rather
		// than judged again.
		sr.OffTopic++
		it.Shingles, it.Signature, it.Lead = doc.Shingles, doc.Signature, doc.Lead
		if err := tx.InsertItem(ctx, &it); err != nil {
			return store.Item{}, err
		}
		err := p.fileIndex(ctx, tx, itemKey(it.ID), it.ID, doc, now)
		return it, err
	}
	err = tx.InsertItem(ctx, &it)
	return it, err
}

// join stores it as a copy of the story it.StoryID and bumps the story's
// updated time. A copy published before the story's head becomes the head,
// so that the entry shows the earliest report whatever order the sources
// answered in; the entry keeps its id.
func (p *Pipeline) join(ctx context.Context, tx *store.Tx, it *store.Item, doc dedupe.Doc, now time.Time) error {
	headPublished, err := tx.StoryHeadPublished(ctx, it.StoryID)
	if err != nil {
		return err
	}
	earlier := it.Published.Before(headPublished)
	if earlier {
		it.Shingles, it.Signature, it.Lead = doc.Shingles, doc.Signature, doc.Lead
	}
	if err := tx.InsertItem(ctx, it); err != nil {
		return err
	}
	if err := tx.TouchStory(ctx, it.StoryID, now); err != nil {
		return err
	}
	if earlier {
		if err := tx.SetStoryHead(ctx, it.StoryID, it.ID); err != nil {
			return err
		}
		return p.fileIndex(ctx, tx, storyKey(it.StoryID), it.ID, doc, now)
	}
	return nil
}

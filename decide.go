package aggregator

import (
	"context"
	"errors"
	"fmt"
	"time"

	"aggregator/dedupe"
	"aggregator/fetch"
)

// Ingest decides and stores entries as if src had just delivered them, in
// one transaction, without fetching and without touching the source's fetch
// state. It is Poll's decision path without the network: "aggregator eval"
// replays a labelled corpus through it. It returns the items as stored,
// with their decisions, oldest entry first; an entry the source delivered
// before comes back as the stored item with the verdict VerdictUpdate
// (the stored decision itself stays the one first taken).
func (p *Pipeline) Ingest(ctx context.Context, src Source, entries []fetch.Entry) ([]Item, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, err := p.store.EnsureSource(ctx, src.Name, src.URL)
	if err != nil {
		return nil, err
	}
	now := p.now()
	p.pruneIndex(now)
	var sr SourceReport
	res := fetch.Result{Feed: &fetch.Feed{Entries: entries}}
	items, err := p.store1(ctx, s, res, nil, now, &sr, false)
	if err != nil {
		if lerr := p.loadIndex(ctx); lerr != nil {
			err = errors.Join(err, lerr)
		}
		return nil, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	return items, nil
}

// decision is the deciding of one entry of one source in a transaction.
type decision struct {
	p   *Pipeline
	tx  CycleTx
	src Source
	e   fetch.Entry
	pre *analysis // worked out ahead, nil when there is none
	now time.Time
	sr  *SourceReport
}

// analyse returns the entry's analysed text.
func (d *decision) analyse() dedupe.Doc {
	if d.pre != nil {
		return d.pre.doc
	}
	return d.p.analyzer.Analyze(d.e.Title, d.e.Text)
}

// decide takes the decision for one entry, stores it and returns the item
// as stored: an update of an item the source delivered before, a copy of an
// item with the same canonical URL, or a decision of the near-duplicate
// index and the topic.
func (p *Pipeline) decide(ctx context.Context, tx CycleTx, src Source, e fetch.Entry, pre *analysis, now time.Time, sr *SourceReport) (Item, error) {
	d := &decision{p: p, tx: tx, src: src, e: e, pre: pre, now: now, sr: sr}
	prev, err := tx.ItemByGUID(ctx, src.ID, e.GUID)
	switch {
	case err == nil:
		return d.update(ctx, prev)
	case !errors.Is(err, ErrNotFound):
		return Item{}, err
	}
	it := d.newItem()
	if e.CanonicalURL != "" {
		same, err := tx.ItemByCanonicalURL(ctx, e.CanonicalURL)
		switch {
		case err == nil:
			return d.sameURL(ctx, it, same)
		case !errors.Is(err, ErrNotFound):
			return Item{}, err
		}
	}
	if same, ok, err := d.sameArticle(ctx, it); err != nil || ok {
		if err != nil {
			return Item{}, err
		}
		return d.joinArticle(ctx, it, same)
	}
	return d.nearDuplicateOrTopic(ctx, it)
}

// update handles an entry whose GUID the source delivered before: the same
// item, its content refreshed when it changed.
func (d *decision) update(ctx context.Context, prev Item) (Item, error) {
	e := d.e
	prev.Decision.Verdict = VerdictUpdate
	if prev.Title == e.Title && prev.Body == e.Text && prev.SummaryHTML == e.SummaryHTML && prev.URL == e.URL {
		d.sr.Unchanged++
		return prev, nil
	}
	prev.URL, prev.Title, prev.Body, prev.SummaryHTML = e.URL, e.Title, e.Text, e.SummaryHTML
	prev.Author, prev.Categories, prev.Updated = e.Author, e.Categories, d.now
	d.sr.Updated++
	err := d.tx.UpdateItemContent(ctx, prev)
	return prev, err
}

// newItem is the entry as a new item of the source, not yet decided.
func (d *decision) newItem() Item {
	e := d.e
	it := Item{
		SourceID: d.src.ID, GUID: e.GUID, URL: e.URL, CanonicalURL: e.CanonicalURL,
		Title: e.Title, Body: e.Text, SummaryHTML: e.SummaryHTML, Author: e.Author, Categories: e.Categories,
		FirstSeen: d.now, Updated: d.now, Outlet: e.Outlet, ArticleKey: articleKey(e), HeadlineKey: headlineKey(e.Title),
		Language: itemLanguage(e),
	}
	it.Published, it.FeedPublished = publishedAt(e.Published, d.now)
	if !e.Updated.IsZero() {
		it.Updated = e.Updated
	}
	return it
}

// sameURL stores it as a copy of same, the earliest item with its canonical
// URL from any source: it joins same's story, if same has one.
func (d *decision) sameURL(ctx context.Context, it Item, same Item) (Item, error) {
	return d.joinSame(ctx, it, same, VerdictSameURL, fmt.Sprintf("same URL as item %d", same.ID))
}

// joinSame stores it as the same article as the earlier item same (an
// exact match, by URL or by article key), with the verdict and rule given:
// it joins same's story, if same has one, and takes its topic.
func (d *decision) joinSame(ctx context.Context, it Item, same Item, verdict Verdict, rule string) (Item, error) {
	d.sr.Duplicates++
	it.StoryID = same.StoryID
	it.Decision = Decision{
		Verdict: verdict, Match: ItemKey(same.ID),
		Resemblance: 1, Containment: 1, OnTopic: same.Decision.OnTopic, TopicRule: rule,
	}
	if same.StoryID == 0 {
		err := d.tx.InsertItem(ctx, &it)
		return it, err
	}
	it.Decision.Match = StoryKey(same.StoryID)
	err := d.p.join(ctx, d.tx, &it, d.analyse(), d.now)
	return it, err
}

// nearDuplicateOrTopic decides a new item by the near-duplicate index (a
// copy of a seed, of a story or of an off-topic item) and else by the
// topic, and stores it.
func (d *decision) nearDuplicateOrTopic(ctx context.Context, it Item) (Item, error) {
	p := d.p
	doc := d.analyse()
	var dd dedupe.Result
	var err error
	if d.pre != nil {
		dd, err = dedupe.DecideTopic(p.opts.Dedupe, p.index, d.pre.topic, doc)
	} else {
		dd, err = dedupe.Decide(p.opts.Dedupe, p.index, p.topic, doc, d.e.Title, d.e.Text)
	}
	if err != nil {
		return Item{}, err
	}
	if p.opts.AllOnTopic && dd.Verdict == VerdictOffTopic {
		dd.Verdict, dd.Topic.OnTopic, dd.Topic.Rule = VerdictNew, true, "every item on topic (all_on_topic)"
	}
	match, err := ParseMatchKey(dd.Match.Key)
	if err != nil {
		return Item{}, fmt.Errorf("aggregator: index: %w", err)
	}
	it.Decision = Decision{
		Verdict: dd.Verdict, Match: match,
		Resemblance: dd.Match.Resemblance, Containment: dd.Match.Containment,
		OnTopic: dd.Topic.OnTopic, TopicRule: dd.Topic.Rule, TopicSimilarity: dd.Topic.Similarity,
		Stripped: doc.Stripped,
	}
	if dd.Verdict == VerdictNew || dd.Verdict == VerdictOffTopic {
		// the index has the last word on copies; a headline only adds them
		dec, ok, err := d.sameHeadline(ctx, it, doc)
		if err != nil {
			return Item{}, err
		}
		if ok {
			it.Decision, dd.Verdict, match = dec, dec.Verdict, dec.Match
		}
	}
	switch dd.Verdict {
	case VerdictNew:
		return d.newStory(ctx, it, doc)
	case VerdictStoryCopy:
		d.sr.Duplicates++
		if match.Kind == MatchStory {
			it.StoryID = match.ID
			err := p.join(ctx, d.tx, &it, doc, d.now)
			return it, err
		}
	case VerdictSeedCopy:
		d.sr.Duplicates++
	default:
		return d.offTopic(ctx, it, doc)
	}
	err = d.tx.InsertItem(ctx, &it)
	return it, err
}

// newStory stores it as the head of a new story and files it in the index.
func (d *decision) newStory(ctx context.Context, it Item, doc dedupe.Doc) (Item, error) {
	it.Shingles, it.Signature, it.Lead = doc.Shingles, doc.Signature, doc.Lead
	if err := d.tx.NewStory(ctx, &it); err != nil {
		return Item{}, err
	}
	for _, endpoint := range d.p.opts.Notify {
		if err := d.tx.QueueNotification(ctx, it.StoryID, endpoint, d.now); err != nil {
			return Item{}, err
		}
	}
	if err := d.p.fileIndex(ctx, d.tx, StoryKey(it.StoryID), it.ID, doc, d.now); err != nil {
		return Item{}, err
	}
	if err := d.p.decideEvent(ctx, d.tx, it, d.now); err != nil {
		return Item{}, err
	}
	d.sr.New++
	return it, nil
}

// offTopic stores an off-topic item. It stays in the index, so that its
// copies are recognised as copies of it (story_duplicate, "item:ID") rather
// than judged again.
func (d *decision) offTopic(ctx context.Context, it Item, doc dedupe.Doc) (Item, error) {
	d.sr.OffTopic++
	it.Shingles, it.Signature, it.Lead = doc.Shingles, doc.Signature, doc.Lead
	if err := d.tx.InsertItem(ctx, &it); err != nil {
		return Item{}, err
	}
	err := d.p.fileIndex(ctx, d.tx, ItemKey(it.ID), it.ID, doc, d.now)
	return it, err
}

// join stores it as a copy of the story it.StoryID and bumps the story's
// updated time. A copy published before the story's head becomes the head,
// so that the entry shows the earliest report whatever order the sources
// answered in; the entry keeps its id.
func (p *Pipeline) join(ctx context.Context, tx CycleTx, it *Item, doc dedupe.Doc, now time.Time) error {
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
		return p.fileIndex(ctx, tx, StoryKey(it.StoryID), it.ID, doc, now)
	}
	return nil
}

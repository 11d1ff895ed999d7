package aggregator

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/store"
)

// Poll runs one poll cycle: every source is fetched once (concurrently,
// within the fetcher's limits) and each source's result is decided and
// stored in one transaction as it arrives. A failing source is recorded on
// that source and reported, never fatal; only a store failure ends the cycle
// with an error. progress, when not nil, is called after each source.
func (p *Pipeline) Poll(ctx context.Context, progress func(done, total int, r SourceReport)) (Report, error) {
	p.mu.Lock()
	defer p.mu.Unlock()

	rep := Report{Started: p.now()}
	p.index.Prune(rep.Started.Add(-p.opts.Window))

	known := make(map[string]store.Source, len(p.opts.Sources))
	reqs := make([]fetch.Request, 0, len(p.opts.Sources))
	for _, s := range p.opts.Sources {
		src, err := p.store.EnsureSource(ctx, s.Name, s.URL)
		if err != nil {
			return rep, err
		}
		known[s.Name] = src
		reqs = append(reqs, fetch.Request{Name: s.Name, URL: src.URL, ETag: src.ETag, LastModified: src.LastModified})
	}

	var storeErr error
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p.fetcher.FetchAll(cctx, reqs, func(res fetch.Result) {
		if storeErr != nil {
			return
		}
		sr, err := p.apply(ctx, known[res.Request.Name], res)
		if err != nil {
			storeErr = err
			cancel()
			return
		}
		rep.Sources = append(rep.Sources, sr)
		if progress != nil {
			progress(len(rep.Sources), len(reqs), sr)
		}
	})
	rep.Finished = p.now()
	if storeErr != nil {
		return rep, storeErr
	}
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("poll: %w", err)
	}
	// Report sources in configuration order, whatever order they finished in.
	order := make(map[string]int, len(reqs))
	for i, r := range reqs {
		order[r.Name] = i
	}
	sort.SliceStable(rep.Sources, func(i, j int) bool { return order[rep.Sources[i].Name] < order[rep.Sources[j].Name] })
	return rep, nil
}

// apply decides and stores one source's fetch result in one transaction.
// When the transaction fails, the stories it added are taken out of the
// index again, so memory and store never disagree.
func (p *Pipeline) apply(ctx context.Context, src store.Source, res fetch.Result) (SourceReport, error) {
	now := p.now()
	sr := SourceReport{Name: src.Name, URL: src.URL, Status: res.Status, NotModified: res.NotModified,
		Err: res.Err, Duration: res.Duration}

	src.LastFetchAt = now
	src.LastStatus = res.Status
	switch {
	case res.Err != nil:
		src.ErrorCount++
		src.LastError = res.Err.Error()
	default:
		src.ErrorCount = 0
		src.LastError = ""
		src.LastSuccessAt = now
		if res.ETag != "" || res.LastModified != "" || !res.NotModified {
			src.ETag, src.LastModified = res.ETag, res.LastModified
		}
		if res.Feed != nil {
			src.FeedID, src.FeedTitle, src.FeedLink = res.Feed.ID, res.Feed.Title, res.Feed.Link
		}
	}

	if err := p.store1(ctx, src, res, now, &sr); err != nil {
		// The index may hold stories the failed transaction never stored.
		if lerr := p.loadIndex(ctx); lerr != nil {
			err = errors.Join(err, lerr)
		}
		return sr, fmt.Errorf("source %s: %w", src.Name, err)
	}
	if res.Err != nil {
		p.logger.Warn("source failed", "source", src.Name, "url", src.URL, "status", res.Status, "error", res.Err)
	} else {
		p.logger.Debug("source polled", "source", src.Name, "status", res.Status, "not_modified", res.NotModified,
			"entries", sr.Entries, "new", sr.New, "duplicates", sr.Duplicates, "off_topic", sr.OffTopic)
	}
	return sr, nil
}

// store1 decides every entry of one fetch result and stores the items and
// the source's new state in one transaction.
func (p *Pipeline) store1(ctx context.Context, src store.Source, res fetch.Result, now time.Time, sr *SourceReport) error {
	tx, err := p.store.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if res.Feed != nil {
		entries := append([]fetch.Entry(nil), res.Feed.Entries...)
		sortOldestFirst(entries, now)
		sr.Entries = len(entries)
		for _, e := range entries {
			if err := p.decide(ctx, tx, src, e, now, sr); err != nil {
				return err
			}
		}
	}
	if err := tx.SaveSourceState(ctx, src); err != nil {
		return err
	}
	return tx.Commit()
}

// sortOldestFirst orders entries by published time so the earliest copy of
// a story becomes its head; undated entries count as seen now and keep
// their feed order.
func sortOldestFirst(entries []fetch.Entry, now time.Time) {
	at := func(e fetch.Entry) time.Time {
		if e.Published.IsZero() {
			return now
		}
		return e.Published
	}
	sort.SliceStable(entries, func(i, j int) bool { return at(entries[i]).Before(at(entries[j])) })
}

// decide takes the decision for one entry and stores it.
func (p *Pipeline) decide(ctx context.Context, tx *store.Tx, src store.Source, e fetch.Entry, now time.Time, sr *SourceReport) error {
	// Exact: the same GUID from the same source is the same item.
	prev, err := tx.ItemByGUID(ctx, src.ID, e.GUID)
	switch {
	case err == nil:
		if prev.Title == e.Title && prev.Body == e.Text && prev.SummaryHTML == e.SummaryHTML && prev.URL == e.URL {
			sr.Unchanged++
			return nil
		}
		prev.URL, prev.Title, prev.Body, prev.SummaryHTML = e.URL, e.Title, e.Text, e.SummaryHTML
		prev.Author, prev.Categories, prev.Updated = e.Author, e.Categories, now
		sr.Updated++
		return tx.UpdateItemContent(ctx, prev)
	case !errors.Is(err, store.ErrNotFound):
		return err
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
				return tx.InsertItem(ctx, &it)
			}
			it.Decision.MatchKey = storyKey(same.StoryID)
			return p.join(ctx, tx, &it, p.analyzer.Analyze(e.Title, e.Text), now)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
	}

	doc := p.analyzer.Analyze(e.Title, e.Text)
	d := dedupe.Decide(p.opts.Dedupe, p.index, p.topic, doc, e.Title, e.Text)
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
			return err
		}
		p.index.Add(storyKey(it.StoryID), doc, now)
		sr.New++
		return nil
	case dedupe.VerdictStoryCopy:
		sr.Duplicates++
		if it.StoryID = storyID(d.Match.Key); it.StoryID != 0 {
			return p.join(ctx, tx, &it, doc, now)
		}
	case dedupe.VerdictSeedCopy:
		sr.Duplicates++
	default:
		sr.OffTopic++
	}
	return tx.InsertItem(ctx, &it)
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
		p.index.Add(storyKey(it.StoryID), doc, now)
	}
	return nil
}

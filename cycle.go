package aggregator

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

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

	if _, err := p.store1(ctx, src, res, now, &sr, true); err != nil {
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

// store1 decides every entry of one fetch result and stores the items, and
// the source's new state when saveState is set, in one transaction. It
// returns the outcome of each entry, oldest entry first.
func (p *Pipeline) store1(ctx context.Context, src store.Source, res fetch.Result, now time.Time, sr *SourceReport, saveState bool) ([]Outcome, error) {
	tx, err := p.store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var outs []Outcome
	if res.Feed != nil {
		entries := append([]fetch.Entry(nil), res.Feed.Entries...)
		sortOldestFirst(entries, now)
		sr.Entries = len(entries)
		outs = make([]Outcome, 0, len(entries))
		for _, e := range entries {
			o, err := p.decide(ctx, tx, src, e, now, sr)
			if err != nil {
				return nil, err
			}
			outs = append(outs, o)
		}
	}
	if saveState {
		if err := tx.SaveSourceState(ctx, src); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return outs, nil
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


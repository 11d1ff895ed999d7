package aggregator

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"time"

	"aggregator/fetch"
)

// Poll runs one poll cycle over the sources that are due (see
// etiquette.go): each is fetched once (concurrently, within the fetcher's
// limits) and its result decided and stored in one transaction as it
// arrives. Sources that are not due, or retired by a 410, are not fetched
// but are in the report, Skipped. A failing source is recorded on that
// source and reported, never fatal; only a store failure ends the cycle
// with an error. progress, when not nil, is called after each fetched
// source, with the number of sources fetched so far and to fetch.
func (p *Pipeline) Poll(ctx context.Context, progress func(done, total int, r SourceReport)) (Report, error) {
	return p.poll(ctx, false, progress)
}

// PollAll is Poll for every configured source, due or not, retired ones
// included ("aggregator fetch --force"); a retired source that answers
// again is active again.
func (p *Pipeline) PollAll(ctx context.Context, progress func(done, total int, r SourceReport)) (Report, error) {
	return p.poll(ctx, true, progress)
}

func (p *Pipeline) poll(ctx context.Context, force bool, progress func(done, total int, r SourceReport)) (rep Report, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()

	rep.Started = p.now()
	// Every return says when the cycle ended, one that fails early too.
	defer func() { rep.Finished = p.now() }()
	p.pruneIndex(rep.Started)
	pol := newPolicy(p.opts.Interval)

	known := make(map[string]Source, len(p.opts.Sources))
	order := make(map[string]int, len(p.opts.Sources))
	reqs := make([]fetch.Request, 0, len(p.opts.Sources))
	for i, s := range p.opts.Sources {
		src, err := p.store.EnsureSource(ctx, s.Name, s.URL)
		if err != nil {
			return rep, err
		}
		src.FullText = s.FullText // configured, not stored
		order[s.Name] = i
		if !force && !pol.due(src, rep.Started) {
			sr := skippedReport(src)
			p.logger.Debug("source not polled", "source", src.Name, "retired", sr.Retired,
				"next_poll", sr.NextPoll, "next_poll_reason", sr.NextPollReason)
			rep.Sources = append(rep.Sources, sr)
			continue
		}
		known[s.Name] = src
		reqs = append(reqs, fetch.Request{Name: s.Name, URL: src.FetchURL(), ETag: src.ETag, LastModified: src.LastModified})
	}

	var storeErr error
	done := 0
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	prepare := func(ctx context.Context, res fetch.Result) prepared {
		return p.prepare(ctx, known[res.Request.Name], res)
	}
	fetch.FetchEach(cctx, p.fetcher, reqs, prepare, func(pr prepared) {
		if storeErr != nil {
			return
		}
		sr, err := p.applySafely(ctx, known[pr.res.Request.Name], pr, rep.Started, pol)
		if err != nil {
			storeErr = err
			cancel()
			return
		}
		rep.Sources = append(rep.Sources, sr)
		done++
		if progress != nil {
			progress(done, len(reqs), sr)
		}
	})
	if storeErr != nil {
		return rep, storeErr
	}
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("poll: %w", err)
	}
	// Report sources in configuration order, whatever order they finished in.
	sort.SliceStable(rep.Sources, func(i, j int) bool { return order[rep.Sources[i].Name] < order[rep.Sources[j].Name] })
	return rep, nil
}

// skippedReport is the report of a source that is not polled in a cycle.
func skippedReport(src Source) SourceReport {
	sr := SourceReport{Name: src.Name, URL: src.FetchURL(), Status: src.LastStatus, Skipped: true,
		Retired: src.Retired(), NextPoll: src.NextFetchAt, NextPollReason: src.NextFetchReason,
		ErrorCount: src.ErrorCount, ErrorKind: src.LastErrorKind}
	if sr.Retired {
		sr.NextPoll, sr.NextPollReason = time.Time{}, ReasonRetired
	}
	return sr
}

// applySafely is apply, with a panic while deciding one source's entries
// turned into that source's error (recorded on the source, in a
// transaction of its own) so that no entry can end the cycle for the
// others. The panic is logged with its stack. The index is reloaded, as the
// panic may have left stories in it that were never stored.
func (p *Pipeline) applySafely(ctx context.Context, src Source, pr prepared, start time.Time, pol policy) (sr SourceReport, err error) {
	res := pr.res
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		p.logger.Error("source caused a panic", "source", src.Name, "panic", r, "stack", string(debug.Stack()))
		if lerr := p.loadIndex(ctx); lerr != nil {
			sr, err = SourceReport{}, lerr
			return
		}
		failed := fetch.Result{Request: res.Request, Status: res.Status, ETag: res.Request.ETag,
			LastModified: res.Request.LastModified, Duration: res.Duration,
			Err: fmt.Errorf("source %s: internal error while deciding its entries: %v", src.Name, r)}
		sr, err = p.apply(ctx, src, prepared{res: failed}, start, pol)
	}()
	return p.apply(ctx, src, pr, start, pol)
}

// apply records one source's fetch result — its etiquette state and next
// poll time (policy.nextState), and its entries decided (with the analyses
// prepared ahead) — in one transaction. start is the cycle's start, from
// which the next poll time is measured. When the transaction fails, the
// index is reloaded, so memory and store never disagree.
func (p *Pipeline) apply(ctx context.Context, src Source, pr prepared, start time.Time, pol policy) (SourceReport, error) {
	res := pr.res
	now := p.now()
	src, ch := pol.nextState(src, res, start, now)
	p.logStateChange(src, res, ch)
	sr := SourceReport{Name: src.Name, URL: res.Request.URL, Status: res.Status, NotModified: res.NotModified,
		Err: res.Err, Duration: res.Duration, MovedTo: ch.movedTo,
		NextPoll: src.NextFetchAt, NextPollReason: src.NextFetchReason,
		ErrorCount: src.ErrorCount, ErrorKind: src.LastErrorKind, Retired: src.Retired()}
	if _, err := p.store1(ctx, src, res, pr.pre, now, &sr, true); err != nil {
		// The index may hold stories the failed transaction never stored.
		if lerr := p.loadIndex(ctx); lerr != nil {
			err = errors.Join(err, lerr)
		}
		return sr, fmt.Errorf("source %s: %w", src.Name, err)
	}
	p.logPolled(src, res, sr)
	return sr, nil
}

// logStateChange logs a retirement or a permanent move, before the fetch's
// entries are decided.
func (p *Pipeline) logStateChange(src Source, res fetch.Result, ch stateChange) {
	if ch.gone {
		p.logger.Warn("source retired: 410 Gone; it is not polled again until its config entry changes",
			"source", src.Name, "url", res.Request.URL)
	}
	if ch.movedTo != "" {
		p.logger.Info("source moved permanently; polling the new URL from now on",
			"source", src.Name, "from", ch.movedFrom, "to", ch.movedTo, "status", res.Status)
	}
}

// logPolled logs the outcome of one source's poll once it is stored.
func (p *Pipeline) logPolled(src Source, res fetch.Result, sr SourceReport) {
	if res.Err != nil {
		p.logger.Warn("source failed", "source", src.Name, "url", res.Request.URL, "status", res.Status,
			"kind", src.LastErrorKind, "errors", src.ErrorCount, "next_poll", src.NextFetchAt,
			"next_poll_reason", src.NextFetchReason, "error", res.Err)
		return
	}
	p.logger.Debug("source polled", "source", src.Name, "status", res.Status, "not_modified", res.NotModified,
		"entries", sr.Entries, "new", sr.New, "duplicates", sr.Duplicates, "off_topic", sr.OffTopic,
		"next_poll", src.NextFetchAt, "next_poll_reason", src.NextFetchReason)
}

// store1 decides every entry of one fetch result and stores the items, and
// the source's new state when saveState is set, in one transaction. pre
// holds the analyses worked out ahead, by the entry's index (nil: none). It
// returns the items as stored, oldest entry first.
func (p *Pipeline) store1(ctx context.Context, src Source, res fetch.Result, pre []*analysis, now time.Time, sr *SourceReport, saveState bool) ([]Item, error) {
	tx, err := p.store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var items []Item
	if res.Feed != nil {
		entries, err := p.separateGUIDClashes(ctx, tx, src, res.Feed.Entries, now, sr)
		if err != nil {
			return nil, err
		}
		sr.Entries = len(entries)
		items = make([]Item, 0, len(entries))
		for _, i := range oldestFirst(entries, now) {
			var a *analysis
			if i < len(pre) {
				a = pre[i]
			}
			it, err := p.decide(ctx, tx, src, entries[i], a, now, sr)
			if err != nil {
				return nil, err
			}
			items = append(items, it)
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
	return items, nil
}

// oldestFirst returns the indexes of entries ordered by published time, so
// that the earliest copy of a story becomes its head; undated entries count
// as seen now, and entries of the same time keep their feed order.
func oldestFirst(entries []fetch.Entry, now time.Time) []int {
	at := func(e fetch.Entry) time.Time {
		if e.Published.IsZero() {
			return now
		}
		return e.Published
	}
	order := make([]int, len(entries))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return at(entries[order[a]]).Before(at(entries[order[b]])) })
	return order
}

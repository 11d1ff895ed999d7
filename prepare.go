package aggregator

import (
	"context"
	"runtime/debug"

	"aggregator/dedupe"
	"aggregator/fetch"
)

// A poll cycle decides and stores the sources' entries one source at a
// time, in the order they arrive, because every decision depends on the
// stories stored before it. Most of the work of a decision does not: the
// analysis of an entry's text (shingles, signatures) and its topic depend
// on the entry alone. The fetch workers do that part as soon as a feed is
// parsed, concurrently, for the entries the source has not delivered
// before; the decision itself then only consults the index and the store.
// For a source with full text (fulltext.go), the workers also fetch the
// entries' article pages here, and analyse the article's text instead of
// the feed's.

// analysis is the part of an entry's decision worked out ahead.
type analysis struct {
	doc   dedupe.Doc
	topic dedupe.TopicResult
}

// prepared is a fetch result with its analyses, by the entry's index in
// res.Feed.Entries; an entry without one is analysed when it is decided.
type prepared struct {
	res fetch.Result
	pre []*analysis
}

// prepare analyses the entries of res that src has not delivered before.
// It runs in a fetch worker, concurrently with other sources' fetches and
// decisions, and reads only what no decision in the cycle can change (the
// source's own earlier items). A panic analysing a hostile entry is logged
// with its stack and leaves the analyses out: deciding the entry meets it
// again and records it on the source, as without the help.
func (p *Pipeline) prepare(ctx context.Context, src Source, res fetch.Result) (pr prepared) {
	pr.res = res
	if res.Feed == nil || len(res.Feed.Entries) == 0 || p.topic == nil || src.ID == 0 {
		return pr
	}
	defer func() {
		if r := recover(); r != nil {
			p.logger.Warn("analysing a source's entries ahead caused a panic; they are analysed when decided",
				"source", src.Name, "panic", r, "stack", string(debug.Stack()))
			pr.pre = nil
		}
	}()
	guids := make([]string, len(res.Feed.Entries))
	for i, e := range res.Feed.Entries {
		guids[i] = e.GUID
	}
	known, err := p.store.KnownGUIDs(ctx, src.ID, guids)
	if err != nil {
		return pr // decided without help
	}
	articles := p.articleTexts(ctx, src, res.Feed.Entries, known)
	pre := make([]*analysis, len(res.Feed.Entries))
	for i, e := range res.Feed.Entries {
		if known[e.GUID] {
			continue
		}
		text := e.Text
		if t, ok := articles[i]; ok {
			text = t // the article's text decides; the item keeps the feed's
		}
		pre[i] = &analysis{doc: p.analyzer.Analyze(e.Title, text), topic: p.topic.Match(e.Title, text)}
	}
	pr.pre = pre
	return pr
}

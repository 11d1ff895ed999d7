package aggregator

import (
	"context"
	"errors"

	"aggregator/dedupe"
	"aggregator/fetch"
)

// Full text: a source that sets FullText has the article pages of its new
// entries fetched (Fetcher.Article, through the same HTTP layer and
// per-host limits as feeds) in the fetch worker, ahead of the decision, and
// the extracted text stands in for the feed's text in the analysis that
// decides: shingles, signatures, the seed comparison, the topic. The item
// keeps the feed's own body and summary, which is what is published. Each
// canonical URL is fetched once, success or failure (ArticleStore).

// wantsArticle reports whether a source's mode asks for the article of an
// entry with this text.
func wantsArticle(mode FullText, text string) bool {
	switch mode {
	case FullTextAlways:
		return true
	case FullTextAuto:
		return len(dedupe.Words(text)) < AutoFullTextWords
	}
	return false
}

// articleTexts returns, by entry index, the extracted article text of the
// new entries of src that need one (Source.FullText) and have a link to
// fetch: the stored text when the canonical URL was fetched before, else
// the page fetched now, at most Options.ArticlesPerCycle of them, oldest
// entry first. An entry whose article gives no text is missing from the
// result (its feed's text is used); a failure is stored with its kind and
// never fails the source.
func (p *Pipeline) articleTexts(ctx context.Context, src Source, entries []fetch.Entry, known map[string]bool) map[int]string {
	if src.FullText == "" || src.FullText == FullTextNever || p.fetcher == nil {
		return nil
	}
	limit := p.opts.ArticlesPerCycle
	if limit <= 0 {
		limit = DefaultArticlesPerCycle
	}
	texts := map[int]string{}
	seen := map[string]bool{}
	fetched := 0
	for _, i := range oldestFirst(entries, p.now()) {
		e := entries[i]
		if known[e.GUID] || e.Redirect || e.CanonicalURL == "" || e.URL == "" ||
			seen[e.CanonicalURL] || !wantsArticle(src.FullText, e.Text) {
			continue
		}
		seen[e.CanonicalURL] = true
		art, err := p.store.ArticleByURL(ctx, e.CanonicalURL)
		switch {
		case err == nil:
		case !errors.Is(err, ErrNotFound):
			p.logger.Warn("looking up an entry's article failed; the feed's text is used",
				"source", src.Name, "url", e.CanonicalURL, "error", err)
			continue
		case fetched >= limit:
			continue // decided on the feed's text
		default:
			fetched++
			var ok bool
			if art, ok = p.fetchArticle(ctx, src, e); !ok {
				continue
			}
		}
		if art.Extracted() {
			texts[i] = art.Text
		}
	}
	return texts
}

// fetchArticle fetches the article of one entry and stores it, extracted
// or failed. It reports false, storing nothing, when ctx ended the fetch
// (the page is tried again on a later poll that still finds the entry new).
func (p *Pipeline) fetchArticle(ctx context.Context, src Source, e fetch.Entry) (Article, bool) {
	fa, err := p.fetcher.Article(ctx, fetch.ArticleRequest{Name: src.Name + ": article " + e.URL, URL: e.URL})
	if ctx.Err() != nil {
		return Article{}, false
	}
	art := Article{
		CanonicalURL: e.CanonicalURL, URL: fa.URL, FetchedAt: fa.FetchedAt.UTC(), Status: fa.Status,
		Extractor: fa.Extractor, ExtractorVersion: fa.ExtractorVersion, Words: fa.Words, Text: fa.Text,
	}
	if err != nil {
		art.ErrorKind, art.Error = fetch.Kind(err), err.Error()
		if art.ErrorKind == "" {
			art.ErrorKind = "error"
		}
		p.logger.Info("no article text; the entry is decided on its feed's text", "source", src.Name,
			"url", e.URL, "status", fa.Status, "kind", art.ErrorKind, "error", err)
	} else {
		p.logger.Debug("article fetched", "source", src.Name, "url", fa.URL, "status", fa.Status, "words", fa.Words)
	}
	if err := p.store.SaveArticle(ctx, art); err != nil {
		p.logger.Warn("storing an entry's article failed", "source", src.Name, "url", e.CanonicalURL, "error", err)
	}
	return art, true
}

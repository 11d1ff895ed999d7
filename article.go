package aggregator

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"aggregator/dedupe"
	"aggregator/fetch"
)

// One article, many feeds. A news aggregator (Google News, Bing News)
// carries an outlet's article under a redirect link and a headline with
// the outlet's name; the outlet's own feed carries it under its own link.
// Their texts may share nothing (the aggregator's item has no body), but
// the headline and the outlet are the same: the article key.

const (
	// articleWindow is how far apart in published time two items with one
	// article key may be and still be one article.
	articleWindow = 3 * 24 * time.Hour
	// articleMinWords is the shortest headline, in words, that identifies
	// an article with its outlet.
	articleMinWords = 4
)

// articleKey is e's article key: its normalised headline and the host of
// its outlet ("" when the headline is shorter than articleMinWords or no
// outlet is known). The outlet of an aggregator's item is the one it names;
// an outlet's own item is identified by its link's host.
func articleKey(e fetch.Entry) string {
	host := ""
	switch {
	case e.Outlet != "" && e.OutletURL != "":
		host = fetch.OutletHost(e.OutletURL)
	case !e.Redirect:
		host = fetch.OutletHost(e.URL)
	}
	words := dedupe.Words(e.Title)
	if host == "" || len(words) < articleMinWords {
		return ""
	}
	return host + " " + strings.Join(words, " ")
}

// sameArticle looks for an earlier item with it's article key published
// within articleWindow of it, from any source but its own, when one of the
// two is an aggregator's item (two outlets' own feeds on one host are
// judged by their texts, as any two reports); it reports false when there
// is none.
func (d *decision) sameArticle(ctx context.Context, it Item) (Item, bool, error) {
	if it.ArticleKey == "" {
		return Item{}, false, nil
	}
	same, err := d.tx.ItemByArticleKey(ctx, it.ArticleKey, it.Published.Add(-articleWindow), it.Published.Add(articleWindow))
	switch {
	case errors.Is(err, ErrNotFound):
		return Item{}, false, nil
	case err != nil:
		return Item{}, false, err
	case same.SourceID == it.SourceID:
		return Item{}, false, nil // a source's own repeat is judged as any other item
	case same.Outlet == "" && it.Outlet == "":
		return Item{}, false, nil
	}
	// An outlet reuses a headline for another day's article ("The Latest:
	// …"): two texts long enough to compare that clearly differ are not one.
	if _, _, differ := d.p.compareTexts(d.analyse(), d.p.analyzer.Analyze(same.Title, same.Body)); differ {
		return Item{}, false, nil
	}
	return same, true, nil
}

// joinArticle stores it as another feed's item of the article same: it
// joins same's story (if same has one) and adds no entry of its own.
func (d *decision) joinArticle(ctx context.Context, it Item, same Item) (Item, error) {
	return d.joinSame(ctx, it, same, VerdictSameArticle, fmt.Sprintf("same article as item %d (headline and outlet)", same.ID))
}

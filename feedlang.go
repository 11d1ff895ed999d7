package aggregator

import (
	"context"
	"net/url"

	"aggregator/feeds"
)

// FeedIn builds the feed of one language: the newest stories whose head
// item's Language is lang, newest first, each as in Feed. Its id is the
// feed URL with the query lang=LANG, its title names the language, and its
// updated time is the newest entry's (zero, for the writer's fixed
// default, when there are none, so that an empty feed's bytes stay the
// same from cycle to cycle). lang must be a primary language subtag, as
// fetch.PrimaryLanguage returns.
func (p *Pipeline) FeedIn(ctx context.Context, lang string) (feeds.Feed, error) {
	views, err := p.store.LatestStoriesIn(ctx, lang, p.opts.Feed.MaxEntries)
	if err != nil {
		return feeds.Feed{}, err
	}
	events, err := p.eventsOf(ctx, views)
	if err != nil {
		return feeds.Feed{}, err
	}
	byName, err := p.sourcesByName(ctx)
	if err != nil {
		return feeds.Feed{}, err
	}
	f := p.feedHead()
	f.ID = LanguageFeedURL(p.opts.Feed.URL, lang)
	f.Title = p.opts.Feed.Title + " (" + lang + ")"
	f.Language = lang
	for _, v := range views {
		e := p.entry(v, byName)
		p.addEvent(&e, v, events[v.Event])
		f.Entries = append(f.Entries, e)
		if v.Updated.After(f.Updated) {
			f.Updated = v.Updated
		}
	}
	return f, nil
}

// LanguageFeedURL is feedURL with the query parameter lang set to lang:
// the URL of that language's feed in the same format.
func LanguageFeedURL(feedURL, lang string) string {
	u, err := url.Parse(feedURL)
	if err != nil {
		return feedURL
	}
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.String()
}

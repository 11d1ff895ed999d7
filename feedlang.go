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
	srcs, err := p.store.Sources(ctx)
	if err != nil {
		return feeds.Feed{}, err
	}
	byName := make(map[string]Source, len(srcs))
	for _, s := range srcs {
		byName[s.Name] = s
	}
	f := feeds.Feed{
		ID:           LanguageFeedURL(p.opts.Feed.URL, lang),
		Title:        p.opts.Feed.Title + " (" + lang + ")",
		Subtitle:     p.opts.Feed.Subtitle,
		SelfURL:      p.opts.Feed.URL,
		AlternateURL: siteURL(p.opts.Feed.URL),
		Author:       p.opts.Feed.Author,
		Language:     lang,
		Generator:    feeds.Generator{Name: "aggregator", Version: Version},
	}
	for _, v := range views {
		f.Entries = append(f.Entries, p.entry(v, byName))
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

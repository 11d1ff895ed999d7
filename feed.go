package aggregator

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"

	"aggregator/feeds"
)

// Version is the program's version, set by the command at start-up; it is
// named in the feed's generator element.
var Version = "dev"

// Feed builds the curated feed: the newest stories, newest first, each with
// the outlets that also reported it.
func (p *Pipeline) Feed(ctx context.Context) (feeds.Feed, error) {
	views, err := p.store.LatestStories(ctx, p.opts.Feed.MaxEntries)
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
		ID:           p.opts.Feed.URL,
		Title:        p.opts.Feed.Title,
		Subtitle:     p.opts.Feed.Subtitle,
		SelfURL:      p.opts.Feed.URL,
		AlternateURL: siteURL(p.opts.Feed.URL),
		Author:       p.opts.Feed.Author,
		Generator:    feeds.Generator{Name: "aggregator", Version: Version},
	}
	for _, v := range views {
		f.Entries = append(f.Entries, p.entry(v, byName))
		if v.Updated.After(f.Updated) {
			f.Updated = v.Updated
		}
	}
	if f.Updated.IsZero() {
		f.Updated = p.now().UTC().Truncate(time.Second)
	}
	return f, nil
}

func (p *Pipeline) entry(v StoryView, sources map[string]Source) feeds.Entry {
	h := v.Head
	e := feeds.Entry{
		ID:         EntryID(p.opts.Feed.URL, v.Story),
		Title:      h.Title,
		Link:       h.Link(),
		Published:  h.Published,
		Updated:    v.Updated,
		Author:     h.OutletName(),
		Categories: h.Categories,
		Language:   h.Language,
	}
	if e.Title == "" {
		e.Title = "(untitled)"
	}
	if e.Published.After(e.Updated) {
		e.Updated = e.Published
	}
	var also []string
	for _, c := range v.OtherReports() {
		link := c.Link()
		e.Related = append(e.Related, feeds.Link{Href: link, Title: c.OutletName() + ": " + c.Title})
		also = append(also, fmt.Sprintf(`<li><a href="%s">%s</a>: %s</li>`,
			html.EscapeString(link), html.EscapeString(c.OutletName()), html.EscapeString(c.Title)))
	}
	summary := feeds.Summary(h.SummaryHTML, feeds.SummaryMax)
	if summary == "" {
		summary = feeds.Summary(feeds.TextHTML(h.Body), feeds.SummaryMax)
	}
	if len(also) > 0 {
		summary += "<p>Also reported by:</p><ul>" + strings.Join(also, "") + "</ul>"
	}
	e.SummaryHTML = summary
	if s, ok := sources[h.SourceName]; ok {
		e.Source = &feeds.Source{ID: s.FeedID, Title: s.FeedTitle, Link: s.FeedLink, FeedURL: s.URL}
		if e.Source.ID == "" {
			e.Source.ID = s.URL
		}
		if e.Source.Title == "" {
			e.Source.Title = s.Name
		}
	}
	return e
}

// EntryID is the Atom id of a story's feed entry: a tag URI (RFC 4151)
// with the feed URL's host as authority, the story's creation date, and its
// match key ("tag:feeds.example.org,2026-12-02:story:4"). It never changes
// for a story: feed readers tell entries apart by it.
func EntryID(feedURL string, s Story) string {
	return feeds.TagURI(feedURL, s.Created, StoryKey(s.ID).String())
}

// siteURL is the origin of the feed URL: where the daemon serves its status
// page.
func siteURL(feedURL string) string {
	u, err := url.Parse(feedURL)
	if err != nil || u.Host == "" {
		return feedURL
	}
	return u.Scheme + "://" + u.Host + "/"
}

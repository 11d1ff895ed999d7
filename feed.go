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
// the outlets that also reported it and the other reports of its event.
func (p *Pipeline) Feed(ctx context.Context) (feeds.Feed, error) {
	views, err := p.store.LatestStories(ctx, p.opts.Feed.MaxEntries)
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
	f.Hubs = p.opts.Feed.Hubs // the subscription document only: archives never change
	for _, v := range views {
		e := p.entry(v, byName)
		p.addEvent(&e, v, events[v.Event])
		f.Entries = append(f.Entries, e)
		if v.Updated.After(f.Updated) {
			f.Updated = v.Updated
		}
	}
	if f.Updated.IsZero() {
		f.Updated = p.now().UTC().Truncate(time.Second)
	}
	return f, nil
}

// feedHead is the feed's metadata, without entries.
func (p *Pipeline) feedHead() feeds.Feed {
	return feeds.Feed{
		ID:           p.opts.Feed.URL,
		Title:        p.opts.Feed.Title,
		Subtitle:     p.opts.Feed.Subtitle,
		SelfURL:      p.opts.Feed.URL,
		AlternateURL: siteURL(p.opts.Feed.URL),
		Author:       p.opts.Feed.Author,
		Generator:    feeds.Generator{Name: "aggregator", Version: Version},
	}
}

// sourcesByName returns the stored sources by name.
func (p *Pipeline) sourcesByName(ctx context.Context) (map[string]Source, error) {
	srcs, err := p.store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]Source, len(srcs))
	for _, s := range srcs {
		byName[s.Name] = s
	}
	return byName, nil
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
		outlet := html.EscapeString(c.OutletName())
		link := c.Link()
		if link != "" {
			e.Related = append(e.Related, feeds.Link{Href: link, Title: c.OutletName() + ": " + c.Title, Lang: c.Language})
			outlet = fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(link), outlet)
		}
		// A copy without a link is named as text.
		also = append(also, "<li>"+outlet+": "+html.EscapeString(c.Title)+"</li>")
	}
	summary := SummaryHTML(h.Item)
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

// SummaryHTML is the summary the feed shows for an item (without its
// "also reported by"): its upstream summary, else its text, shortened to
// feeds.SummaryMax characters, as sanitised HTML.
func SummaryHTML(it Item) string {
	if s := feeds.Summary(it.SummaryHTML, feeds.SummaryMax); s != "" {
		return s
	}
	return feeds.Summary(feeds.TextHTML(it.Body), feeds.SummaryMax)
}

// EntryID is the Atom id of a story's feed entry: a tag URI (RFC 4151)
// with the feed URL's host as authority, the story's creation date, and its
// match key ("tag:feeds.example.org,2026-12-02:story:4"). It never changes
// for a story: feed readers tell entries apart by it.
func EntryID(feedURL string, s Story) string {
	return feeds.TagURI(feedURL, s.Created, StoryKey(s.ID).String())
}

// siteURL is the origin of the feed URL: where the daemon serves its
// reading page.
func siteURL(feedURL string) string {
	u, err := url.Parse(feedURL)
	if err != nil || u.Host == "" {
		return feedURL
	}
	return u.Scheme + "://" + u.Host + "/"
}

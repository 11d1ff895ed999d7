package aggregator

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"aggregator/feeds"
)

// How events show in the feeds: every entry of a story that belongs to an
// event carries the event's category and links to the event's other
// stories; the event feed (eventfeed.go) has one entry per event.

// EventCategoryPrefix starts the term of an event's category: the term is
// "event:" and the event's key ("event:story:12", "event:seed:NAME"). The
// category's scheme is the event feed's URL (EventFeedURL), where the event
// has its own entry.
const EventCategoryPrefix = "event:"

// maxEventReports is the most other reports of its event an entry lists;
// the event feed's entry lists them all.
const maxEventReports = 20

// EventFeedURL is the public URL of the event feed: "events.atom" beside
// the curated feed's URL ("https://example.org/nk/feed.atom" gives
// "https://example.org/nk/events.atom"); "" when feedURL is not an
// absolute URL.
func EventFeedURL(feedURL string) string {
	u, err := url.Parse(feedURL)
	if err != nil || !u.IsAbs() {
		return ""
	}
	return u.ResolveReference(&url.URL{Path: "events.atom"}).String()
}

// eventsOf returns every stored story of the events of views, by event key,
// oldest first. A story without an event (stored before events) is in none.
func (p *Pipeline) eventsOf(ctx context.Context, views []StoryView) (map[string][]StoryView, error) {
	var keys []string
	seen := map[string]bool{"": true}
	for _, v := range views {
		if !seen[v.Event] {
			seen[v.Event] = true
			keys = append(keys, v.Event)
		}
	}
	out := make(map[string][]StoryView, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	members, err := p.store.EventMembers(ctx, keys)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		out[m.Event] = append(out[m.Event], m)
	}
	return out, nil
}

// founder is the story that started an event: the story its key names,
// else (a seed's event, or a founder that left it) its oldest member.
func founder(key string, members []StoryView) StoryView {
	k := StoredMatchKey(key)
	for _, m := range members {
		if k.Kind == MatchStory && m.ID == k.ID {
			return m
		}
	}
	return members[0]
}

// eventCategory is the category naming an event, labelled with its
// founding story's title.
func (p *Pipeline) eventCategory(key string, members []StoryView) feeds.Category {
	c := feeds.Category{Term: EventCategoryPrefix + key, Scheme: EventFeedURL(p.opts.Feed.URL)}
	if len(members) > 0 {
		if t := founder(key, members).Head.Title; t != "" {
			c.Label = "Event: " + t
		}
	}
	return c
}

// addEvent adds to a story's entry its event's category and the event's
// other stories, as related links (hreflang from each one's head item)
// and as "Other reports of this event" in the summary.
func (p *Pipeline) addEvent(e *feeds.Entry, v StoryView, members []StoryView) {
	if v.Event == "" {
		return
	}
	e.SchemeCategories = append(e.SchemeCategories, p.eventCategory(v.Event, members))
	var items []string
	more := 0
	for _, m := range members {
		if m.ID == v.ID || m.Head.Link() == "" {
			continue
		}
		if len(items) == maxEventReports {
			more++
			continue
		}
		h := m.Head
		e.Related = append(e.Related, feeds.Link{Href: h.Link(), Title: h.OutletName() + ": " + h.Title, Lang: h.Language})
		items = append(items, reportHTML(h))
	}
	if len(items) == 0 {
		return
	}
	if more > 0 {
		items = append(items, fmt.Sprintf("<li>and %d more</li>", more))
	}
	e.SummaryHTML += "<p>Other reports of this event:</p><ul>" + strings.Join(items, "") + "</ul>"
}

// reportHTML is one report in a list: its outlet (linked, as text when
// it has no link), its language and its title.
func reportHTML(it SourcedItem) string {
	return "<li>" + outletHTML(it) + languageNote(it.Language) + ": " + html.EscapeString(it.Title) + "</li>"
}

// outletHTML is an item's outlet linked to it, as text when it has no
// link.
func outletHTML(it SourcedItem) string {
	outlet := html.EscapeString(it.OutletName())
	if link := it.Link(); link != "" {
		outlet = fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(link), outlet)
	}
	return outlet
}

// languageNote is " (Indonesian)" for an item in "id", "" when its
// language is unknown.
func languageNote(tag string) string {
	if name := LanguageName(tag); name != "" {
		return " (" + html.EscapeString(name) + ")"
	}
	return ""
}

// LanguageName is the English name of a BCP 47 language tag ("Indonesian"
// for "id"); the tag itself when it has no known name, "" for "" and
// "und".
func LanguageName(tag string) string {
	tag = strings.TrimSpace(tag)
	if tag == "" || tag == "und" {
		return ""
	}
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	if name := display.English.Tags().Name(t); name != "" {
		return name
	}
	return tag
}

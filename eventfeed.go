package aggregator

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"aggregator/feeds"
)

// EventFeed builds the event feed: one entry per event of the stories the
// curated feed carries, newest first by its newest report. An entry lists
// every report of its event (each story's head and the other outlets that
// also reported it) and is updated whenever a report joins. A story stored
// before events is an event of its own.
func (p *Pipeline) EventFeed(ctx context.Context) (feeds.Feed, error) {
	views, err := p.store.LatestStories(ctx, p.opts.Feed.MaxEntries)
	if err != nil {
		return feeds.Feed{}, err
	}
	events, err := p.eventsOf(ctx, views)
	if err != nil {
		return feeds.Feed{}, err
	}
	self := EventFeedURL(p.opts.Feed.URL)
	f := feeds.Feed{
		ID:           self,
		Title:        strings.TrimSpace(p.opts.Feed.Title + " — events"),
		Subtitle:     "One entry per event, with every outlet's report of it",
		SelfURL:      self,
		AlternateURL: siteURL(p.opts.Feed.URL),
		Author:       p.opts.Feed.Author,
		Generator:    feeds.Generator{Name: "aggregator", Version: Version},
		Hubs:         p.opts.Feed.Hubs,
	}
	seen := map[string]bool{}
	for _, v := range views {
		key, members := v.Event, events[v.Event]
		if key == "" || len(members) == 0 {
			key, members = StoryKey(v.ID).String(), []StoryView{v}
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		founded, err := p.founded(ctx, key, members)
		if err != nil {
			return feeds.Feed{}, err
		}
		e := p.eventEntry(key, founded, members)
		f.Entries = append(f.Entries, e)
		if e.Updated.After(f.Updated) {
			f.Updated = e.Updated
		}
	}
	sort.SliceStable(f.Entries, func(i, j int) bool { return f.Entries[i].Updated.After(f.Entries[j].Updated) })
	if f.Updated.IsZero() {
		f.Updated = p.now().UTC().Truncate(time.Second)
	}
	return f, nil
}

// EventEntryID is the Atom id of an event's entry in the event feed: a tag
// URI like a story's (EntryID) with "event:" before the event's key, dated
// by the story that started the event ("tag:feeds.example.org,2026-12-02:
// event:story:4" for the event story 4 started); a seed's event is dated by
// the first story that followed it. It never changes for an event: the
// founding story keeps its creation date also when it later leaves the
// event.
func EventEntryID(feedURL, key string, founded time.Time) string {
	return feeds.TagURI(feedURL, founded, EventCategoryPrefix+key)
}

// founded is the creation time of the story that started an event: the one
// its key names, also when that story has since left the event, else (a
// seed's event) its oldest member's.
func (p *Pipeline) founded(ctx context.Context, key string, members []StoryView) (time.Time, error) {
	first := founder(key, members)
	k := StoredMatchKey(key)
	if k.Kind != MatchStory || first.ID == k.ID {
		return first.Created, nil
	}
	st, err := p.store.StoryByID(ctx, k.ID)
	if errors.Is(err, ErrNotFound) {
		return first.Created, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("event %s: %w", key, err)
	}
	return st.Created, nil
}

// eventEntry is the event feed's entry of one event founded at founded,
// its members oldest first.
func (p *Pipeline) eventEntry(key string, founded time.Time, members []StoryView) feeds.Entry {
	first := founder(key, members)
	e := feeds.Entry{
		ID:               EventEntryID(p.opts.Feed.URL, key, founded),
		Title:            first.Head.Title,
		Link:             first.Head.Link(),
		Published:        first.Head.Published,
		SchemeCategories: []feeds.Category{p.eventCategory(key, members)},
	}
	if e.Title == "" {
		e.Title = "(untitled)"
	}
	var outlets, items []string
	seenOutlet := map[string]bool{}
	langs := map[string]bool{}
	reports := 0
	note := func(it SourcedItem) {
		reports++
		langs[it.Language] = true
		if o := it.OutletName(); !seenOutlet[o] {
			seenOutlet[o] = true
			outlets = append(outlets, o)
		}
		if it.Link() != "" && it.Link() != e.Link {
			e.Related = append(e.Related, feeds.Link{Href: it.Link(), Title: it.OutletName() + ": " + it.Title, Lang: it.Language})
		}
	}
	for _, m := range members {
		note(m.Head)
		var also []string
		for _, c := range m.OtherReports() {
			note(c)
			also = append(also, outletHTML(c))
		}
		item := strings.TrimSuffix(reportHTML(m.Head), "</li>") + ", " + m.Head.Published.UTC().Format("2006-01-02")
		if len(also) > 0 {
			item += "; also reported by " + strings.Join(also, ", ")
		}
		items = append(items, item+"</li>")
		e.Updated = latest(e.Updated, m.Updated, m.Head.Published)
		if m.Head.Published.Before(e.Published) {
			e.Published = m.Head.Published
		}
	}
	e.Author = strings.Join(outlets, ", ")
	delete(langs, "")
	summary := feeds.Summary(first.Head.SummaryHTML, feeds.SummaryMax/2)
	if summary == "" {
		summary = feeds.Summary(feeds.TextHTML(first.Head.Body), feeds.SummaryMax/2)
	}
	e.SummaryHTML = summary + fmt.Sprintf("<p>%s of this event, %s:</p><ul>%s</ul>",
		plural(reports, "report"), coverage(len(outlets), len(langs)), strings.Join(items, ""))
	return e
}

// coverage says how many outlets and languages reported an event.
func coverage(outlets, langs int) string {
	s := "by " + plural(outlets, "outlet")
	if langs > 1 {
		s += " in " + plural(langs, "language")
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// latest returns the latest of times.
func latest(times ...time.Time) time.Time {
	var t time.Time
	for _, x := range times {
		if x.After(t) {
			t = x
		}
	}
	return t
}

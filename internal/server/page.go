package server

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"aggregator"
	"aggregator/feeds"
)

// The reading page at /: the latest stories as the feed has them, for a
// person with a browser, phone or desktop, without JavaScript.

//go:embed page.html
var pageHTML string

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"day": day,
	"iso": iso,
}).Parse(pageHTML))

// contentSecurityPolicy is the policy of the HTML pages: nothing loads but
// their inline styles and data: images; no script, no form, no frame.
const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// readingPage is what the reading page shows.
type readingPage struct {
	Title, Subtitle string
	Updated         time.Time // the newest story's update
	Groups          []pageGroup
	ArchiveHref     string // the current month's archive, relative; "" without stories
}

// pageGroup is one event: its newest story on the page shown in full, its
// other stories on the page as "other reports of this event". A story
// without an event, or alone in its event, is a group of its own.
type pageGroup struct {
	Lead   pageStory
	Others []pageStory
}

// pageStory is one story on the page.
type pageStory struct {
	ID                 int64
	Event              string // the event's key (see eventKey); "" for none
	Title, Link        string // Link: "" when the story has no safe link
	Outlet             string
	Published, Updated time.Time
	Summary            template.HTML // sanitised as in the feed
	Also               []outletLink  // Link "" for a copy without a safe link
}

func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	if !allowRead(w, r) {
		return
	}
	rd := s.page.Load()
	if rd == nil { // not published yet
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		var err error
		if rd, err = s.renderPage(ctx); err != nil {
			s.logger.Error("reading page", "error", err)
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	h := w.Header()
	h.Set("Vary", "Accept-Encoding")
	enc := &rd.identity
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		enc = &rd.gzip
		h.Set("Content-Encoding", "gzip")
	}
	h["Etag"] = enc.etag
	if notModified(r, rd) {
		setHTMLHeaders(h)
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeHTML(w, r, enc.body)
}

// renderPage renders the reading page from the store, as Publish does
// after every cycle.
func (s *Server) renderPage(ctx context.Context) (*rendering, error) {
	page, err := s.readingPage(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading page: %w", err)
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, page); err != nil {
		return nil, fmt.Errorf("reading page: %w", err)
	}
	rd, err := newRendering(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("reading page: %w", err)
	}
	return rd, nil
}

// writeHTML answers with one of the HTML pages, under the strict policy.
func writeHTML(w http.ResponseWriter, r *http.Request, body []byte) {
	h := w.Header()
	setHTMLHeaders(h)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// setHTMLHeaders sets the headers every HTML page is served with: always
// revalidated, and under the strict policy.
func setHTMLHeaders(h http.Header) {
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

// readingPage gathers the latest stories, as many as the feed carries.
func (s *Server) readingPage(ctx context.Context) (*readingPage, error) {
	b := s.Backend()
	opts := b.Pipeline.Options()
	views, err := b.Store.LatestStories(ctx, opts.Feed.MaxEntries)
	if err != nil {
		return nil, err
	}
	page := &readingPage{Title: opts.Feed.Title, Subtitle: opts.Feed.Subtitle}
	stories := make([]pageStory, 0, len(views))
	for _, v := range views {
		stories = append(stories, storyOnPage(v))
		if v.Updated.After(page.Updated) {
			page.Updated = v.Updated
		}
	}
	page.Groups = groupByEvent(stories)
	if len(views) > 0 {
		page.ArchiveHref = aggregator.ArchivePath(aggregator.ArchiveMonth(s.now()))
	}
	return page, nil
}

func storyOnPage(v aggregator.StoryView) pageStory {
	h := v.Head
	ps := pageStory{ID: v.ID, Event: eventKey(v), Title: h.Title, Link: safeLink(h.Link()), Outlet: h.OutletName(),
		Published: h.Published, Updated: v.Updated,
		// Sanitised like every summary the feed writes.
		Summary: template.HTML(feeds.Sanitize(aggregator.SummaryHTML(h.Item)))}
	if ps.Title == "" {
		ps.Title = "(untitled)"
	}
	if !ps.Updated.After(ps.Published) {
		ps.Updated = time.Time{} // not shown
	}
	for _, c := range v.OtherReports() {
		ps.Also = append(ps.Also, outletLink{Outlet: c.OutletName(), Title: c.Title, Link: safeLink(c.Link())})
	}
	return ps
}

// eventKey is the key of the event a story belongs to (Story.Event), ""
// for none (a story stored before events). Stories of one event are shown
// together, the later ones as "other reports of this event"
// (groupByEvent).
func eventKey(v aggregator.StoryView) string { return v.Event }

// groupByEvent puts the stories of one event together, in the order of the
// event's newest story; a story without an event is a group of its own.
func groupByEvent(stories []pageStory) []pageGroup {
	var groups []pageGroup
	at := map[string]int{} // event key → index in groups
	for _, st := range stories {
		if st.Event != "" {
			if i, ok := at[st.Event]; ok {
				groups[i].Others = append(groups[i].Others, st)
				continue
			}
			at[st.Event] = len(groups)
		}
		groups = append(groups, pageGroup{Lead: st})
	}
	return groups
}

// safeLink returns link when it is an absolute http or https URL, else "":
// the page then shows the title without a link, never an empty href.
func safeLink(link string) string {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return link
}

// day is a date for readers: "2 Dec 2026, 15:04 UTC".
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

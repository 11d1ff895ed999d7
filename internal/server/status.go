package server

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"time"

	"aggregator"
)

// Limits of the status page's lists.
const (
	statusStories    = 25
	statusSuppressed = 25
)

// suppressedVerdicts are the verdicts of items that did not become an entry
// of their own.
var suppressedVerdicts = []aggregator.Verdict{
	aggregator.VerdictSeedCopy,
	aggregator.VerdictStoryCopy,
	aggregator.VerdictSameURL,
	aggregator.VerdictSameArticle,
	aggregator.VerdictOffTopic,
}

//go:embed status.html
var statusHTML string

var statusTemplate = template.Must(template.New("status").Funcs(template.FuncMap{
	"when":  when,
	"ago":   ago,
	"iso":   iso,
	"score": func(f float64) string { return fmt.Sprintf("%.3f", f) },
}).Parse(statusHTML))

// statusPage is what the status page shows.
type statusPage struct {
	Title    string
	Now      time.Time
	Schedule string
	Next     time.Time
	Health   string // "" when healthy

	Cycle      *cycleView // nil before the first cycle
	Counts     aggregator.Counts
	Sources    []sourceRow
	Events     []eventGroup // the latest stories, grouped by event
	Suppressed []suppressedRow
	Push       *pushView // nil when no hub or webhook is configured
}

// eventGroup is the stories of one event on the status page.
type eventGroup struct {
	Key     string     // the event's key ("story:4", "seed:NAME"); "" for a story stored before events
	Stories []storyRow // newest first
}

type cycleView struct {
	Started, Finished time.Time
	Duration          time.Duration
	Sources, Failed   int // sources polled, and failed among them
	NotModified       int // sources that answered 304
	Skipped, Retired  int // sources not polled: not due yet, or retired
	Total             aggregator.SourceReport
	Err               string
}

type storyRow struct {
	Title, Link, Outlet string
	Language            string // its English name, "" when unknown
	Published, Updated  time.Time
	Also                []outletLink
}

type outletLink struct{ Outlet, Title, Link string }

type suppressedRow struct {
	Title, Link, Source string
	FirstSeen           time.Time
	Verdict, Meaning    string
	Matched, MatchURL   string
	Resemblance         float64
	Containment         float64
	OnTopic             bool
	TopicRule           string
	TopicSimilarity     float64
	Stripped            int
}

func (s *Server) serveStatus(w http.ResponseWriter, r *http.Request) {
	if !allowRead(w, r) {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	page, err := s.statusPage(ctx)
	if err != nil {
		s.logger.Error("status page", "error", err)
		http.Error(w, "status page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := statusTemplate.Execute(&buf, page); err != nil {
		s.logger.Error("status page", "error", err)
		http.Error(w, "status page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	writeHTML(w, r, buf.Bytes())
}

// statusPage gathers the page from the backend and the last cycle.
func (s *Server) statusPage(ctx context.Context) (*statusPage, error) {
	b := s.Backend()
	opts := b.Pipeline.Options()
	page := &statusPage{Title: opts.Feed.Title, Now: s.now(), Schedule: s.sched.Spec(), Next: s.sched.Next(), Push: s.pushView()}
	if err := s.Health(ctx); err != nil {
		page.Health = err.Error()
	}
	if c := s.cycle(); c.finished {
		total, failed := c.report.Totals()
		skipped, retired := c.report.Skipped()
		page.Cycle = &cycleView{Started: c.report.Started, Finished: c.report.Finished,
			Duration: c.report.Finished.Sub(c.report.Started).Round(time.Millisecond),
			Sources:  len(c.report.Sources) - skipped, Failed: failed, Total: total,
			Skipped: skipped, Retired: retired}
		for _, sr := range c.report.Sources {
			if sr.NotModified {
				page.Cycle.NotModified++
			}
		}
		if c.err != nil {
			page.Cycle.Err = c.err.Error()
		}
	}
	var err error
	if page.Counts, err = b.Store.Counts(ctx); err != nil {
		return nil, err
	}
	if page.Sources, err = sourceRows(ctx, b, opts.Sources); err != nil {
		return nil, err
	}
	if c := s.cycle(); c.finished {
		addClashes(page.Sources, c.report)
	}
	for i := range page.Sources {
		// A source is fetched by the first cycle at or after it is due.
		if r := &page.Sources[i]; !r.Retired && r.NextFetchAt.Before(page.Next) {
			r.NextFetchAt = page.Next
		}
	}
	if page.Events, err = eventGroups(ctx, b.Store); err != nil {
		return nil, err
	}
	if page.Suppressed, err = suppressedRows(ctx, b); err != nil {
		return nil, err
	}
	return page, nil
}

// eventGroups are the latest stories grouped by event, in the order of
// each event's newest story among them; a group holds every stored story
// of its event, newest first (by the head's published time).
func eventGroups(ctx context.Context, st aggregator.FeedStore) ([]eventGroup, error) {
	views, err := st.LatestStories(ctx, statusStories)
	if err != nil {
		return nil, err
	}
	var keys []string
	seen := map[string]bool{"": true}
	for _, v := range views {
		if !seen[v.Event] {
			seen[v.Event] = true
			keys = append(keys, v.Event)
		}
	}
	byEvent := map[string][]aggregator.StoryView{}
	if len(keys) > 0 {
		members, err := st.EventMembers(ctx, keys)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			byEvent[m.Event] = append(byEvent[m.Event], m)
		}
	}
	var groups []eventGroup
	done := map[string]bool{}
	for _, v := range views {
		members := byEvent[v.Event]
		if v.Event == "" || len(members) == 0 {
			groups = append(groups, eventGroup{Key: v.Event, Stories: []storyRow{storyRowOf(v)}})
			continue
		}
		if done[v.Event] {
			continue
		}
		done[v.Event] = true
		slices.SortStableFunc(members, func(a, b aggregator.StoryView) int { return b.Head.Published.Compare(a.Head.Published) })
		g := eventGroup{Key: v.Event}
		for _, m := range members {
			g.Stories = append(g.Stories, storyRowOf(m))
		}
		groups = append(groups, g)
	}
	return groups, nil
}

func storyRowOf(v aggregator.StoryView) storyRow {
	row := storyRow{Title: v.Head.Title, Link: v.Head.Link(), Outlet: v.Head.OutletName(),
		Language: aggregator.LanguageName(v.Head.Language), Published: v.Head.Published, Updated: v.Updated}
	if row.Title == "" {
		row.Title = "(untitled)"
	}
	for _, c := range v.OtherReports() { // as the feed lists them
		row.Also = append(row.Also, outletLink{Outlet: c.OutletName(), Title: c.Title, Link: c.Link()})
	}
	return row
}

// suppressedRows are the newest items that did not become an entry of
// their own, with the same explanation as "aggregator explain".
func suppressedRows(ctx context.Context, b Backend) ([]suppressedRow, error) {
	items, err := b.Store.RecentItems(ctx, statusSuppressed, suppressedVerdicts...)
	if err != nil {
		return nil, err
	}
	rows := make([]suppressedRow, 0, len(items))
	for _, it := range items {
		d := it.Decision
		row := suppressedRow{Title: it.Title, Link: it.Link(), Source: it.SourceName, FirstSeen: it.FirstSeen,
			Verdict: string(d.Verdict), Meaning: aggregator.VerdictMeaning(d.Verdict),
			Resemblance: d.Resemblance, Containment: d.Containment, OnTopic: d.OnTopic,
			TopicRule: d.TopicRule, TopicSimilarity: d.TopicSimilarity, Stripped: len(d.Stripped)}
		if row.Title == "" {
			row.Title = "(untitled)"
		}
		exps, err := b.Pipeline.Explain(ctx, it.URL)
		if err != nil {
			return nil, err
		}
		for _, e := range exps {
			if e.Item.ID == it.ID {
				row.Matched, row.MatchURL = e.Matched, e.MatchURL
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func iso(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// ago says how far t is from now in words: "3 min ago", "in 12 s".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	future := d < 0
	d = time.Duration(math.Abs(float64(d)))
	var s string
	switch {
	case d < time.Second:
		return "now"
	case d < time.Minute:
		s = fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		s = fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		s = fmt.Sprintf("%d h", int(d.Hours()))
	default:
		s = fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

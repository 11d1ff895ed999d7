package server

import (
	"context"
	"strconv"
	"strings"
	"time"

	"aggregator"
)

// sourceRow is one line of the status page's sources table: the configured
// source with everything the store knows about its fetches.
type sourceRow struct {
	aggregator.Source
	Polled     bool // fetched at least once
	Retired    bool
	NextReason string // what set the next fetch time

	New, Duplicates, OffTopic, Updates int

	Details []detail // the rest of the stored state, for the row's details

	// Clashes are the GUIDs the last cycle found on two entries of the
	// feed with different links (kept as separate items).
	Clashes []aggregator.GUIDClash
}

// detail is one labelled value of a source's stored state.
type detail struct{ Label, Value string }

// sourceRows lists the configured sources in configuration order; a source
// added by a reload shows up at once, before its first fetch.
func sourceRows(ctx context.Context, b Backend, configured []aggregator.Source) ([]sourceRow, error) {
	stored, err := b.Store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]aggregator.Source, len(stored))
	for _, s := range stored {
		byName[s.Name] = s
	}
	counts, err := b.Store.VerdictCounts(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]sourceRow, 0, len(configured))
	for _, c := range configured {
		s, ok := byName[c.Name]
		if !ok || s.URL != c.URL {
			// Not stored yet, or stored under a URL the config no longer
			// names: the next cycle starts it afresh.
			s = aggregator.Source{Name: c.Name, URL: c.URL}
		}
		row := sourceRow{Source: s, Polled: !s.LastFetchAt.IsZero(), Retired: !s.RetiredAt.IsZero(),
			NextReason: s.NextFetchReason}
		v := counts[c.Name]
		row.New = v[aggregator.VerdictNew]
		row.Duplicates = v[aggregator.VerdictSeedCopy] + v[aggregator.VerdictStoryCopy] + v[aggregator.VerdictSameURL] + v[aggregator.VerdictSameArticle]
		row.OffTopic = v[aggregator.VerdictOffTopic]
		row.Updates = v[aggregator.VerdictUpdate]
		row.Details = sourceDetails(s)
		rows = append(rows, row)
	}
	return rows, nil
}

// addClashes sets each row's GUID clashes from the last cycle's report.
func addClashes(rows []sourceRow, rep aggregator.Report) {
	byName := make(map[string][]aggregator.GUIDClash, len(rep.Sources))
	for _, sr := range rep.Sources {
		byName[sr.Name] = sr.GUIDClashes
	}
	for i := range rows {
		rows[i].Clashes = byName[rows[i].Name]
	}
}

// sourceDetails lists the stored state that the table's columns do not
// show, leaving out what is unset.
func sourceDetails(s aggregator.Source) []detail {
	var out []detail
	add := func(label, value string) {
		if value != "" {
			out = append(out, detail{label, value})
		}
	}
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return when(t)
	}
	dur := func(d time.Duration) string {
		if d <= 0 {
			return ""
		}
		return d.String()
	}
	add("feed title", s.FeedTitle)
	add("feed id", s.FeedID)
	add("feed link", s.FeedLink)
	add("last success", at(s.LastSuccessAt))
	add("error kind", s.LastErrorKind)
	if s.ErrorCount > 0 {
		add("failures in a row", strconv.Itoa(s.ErrorCount))
	}
	add("next fetch", at(s.NextFetchAt))
	add("next fetch set by", s.NextFetchReason)
	add("Retry-After until", at(s.RetryAfterUntil))
	add("moved permanently to", s.MovedURL)
	add("moved at", at(s.MovedAt))
	add("retired (410 Gone) at", at(s.RetiredAt))
	add("ETag", s.ETag)
	add("Last-Modified", s.LastModified)
	add("RSS ttl", dur(s.TTL))
	add("Cache-Control max-age", dur(s.MaxAge))
	add("Expires", at(s.Expires))
	add("sy:updatePeriod", dur(s.UpdatePeriod))
	if len(s.SkipHours) > 0 {
		hours := make([]string, len(s.SkipHours))
		for i, h := range s.SkipHours {
			hours[i] = strconv.Itoa(h)
		}
		add("skipHours (UTC)", strings.Join(hours, ", "))
	}
	if len(s.SkipDays) > 0 {
		days := make([]string, len(s.SkipDays))
		for i, d := range s.SkipDays {
			days[i] = d.String()
		}
		add("skipDays", strings.Join(days, ", "))
	}
	return out
}

// skipped reports whether a source was left out of a cycle (not due, or
// retired); such a source was not fetched and counts in no fetch metric.
func skipped(s aggregator.SourceReport) bool { return s.Skipped }

package server

import (
	"context"
	"time"

	"aggregator"
	"aggregator/store"
)

// sourceRow is one line of the status page's sources table: the configured
// source with what the store knows about its fetches.
type sourceRow struct {
	Name, URL     string
	ConfiguredURL string // differs from URL when a permanent redirect moved it
	FeedTitle     string
	Polled        bool // fetched at least once
	LastFetch     time.Time
	LastSuccess   time.Time
	Status        int
	Error         string
	ErrorCount    int
	NextFetch     time.Time

	New, Duplicates, OffTopic, Updates int
}

// sourceRows lists the configured sources in configuration order; a source
// added by a reload shows up at once, before its first fetch.
func sourceRows(ctx context.Context, b Backend, configured []aggregator.Source) ([]sourceRow, error) {
	stored, err := b.Store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]store.Source, len(stored))
	for _, s := range stored {
		byName[s.Name] = s
	}
	counts, err := b.Store.VerdictCounts(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]sourceRow, 0, len(configured))
	for _, c := range configured {
		row := sourceRow{Name: c.Name, URL: c.URL, ConfiguredURL: c.URL}
		if s, ok := byName[c.Name]; ok {
			row.URL = s.URL
			row.FeedTitle = s.FeedTitle
			row.Polled = !s.LastFetchAt.IsZero()
			row.LastFetch, row.LastSuccess = s.LastFetchAt, s.LastSuccessAt
			row.Status, row.Error, row.ErrorCount = s.LastStatus, s.LastError, s.ErrorCount
			row.NextFetch = s.NextFetchAt
		}
		v := counts[c.Name]
		row.New = v[string(aggregator.VerdictNew)]
		row.Duplicates = v[string(aggregator.VerdictSeedCopy)] + v[string(aggregator.VerdictStoryCopy)] + v[string(aggregator.VerdictSameURL)]
		row.OffTopic = v[string(aggregator.VerdictOffTopic)]
		row.Updates = v[string(aggregator.VerdictUpdate)]
		rows = append(rows, row)
	}
	return rows, nil
}

// skipped reports whether a source was left out of a cycle (not due yet);
// such a source was not fetched and counts in no fetch metric.
func skipped(aggregator.SourceReport) bool { return false }

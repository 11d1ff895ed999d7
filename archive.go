package aggregator

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"aggregator/feeds"
)

// Feed archives (RFC 5005, archived feeds): every story is in the archive
// document of the calendar month (UTC) it was created in. A story's
// creation time never changes, so once a month is over the set of entries
// of its archive never changes either. The subscription document (Feed)
// links to the current month's archive as prev-archive; each archive links
// to the month before (from the month of the oldest story on) and the
// month after (up to the current month), so walking prev-archive from the
// feed reaches every story, each in exactly one archive.

// ArchiveMonth is the month whose archive holds a story created at t: the
// first instant of t's calendar month, UTC.
func ArchiveMonth(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// ArchivePath is the path of a month's archive relative to the feed's own
// URL: "archive/2026-11.atom".
func ArchivePath(month time.Time) string {
	return "archive/" + month.UTC().Format("2006-01") + ".atom"
}

// ArchiveURL is the public URL of a month's archive: ArchivePath resolved
// against the feed URL ("https://host/feed.atom" gives
// "https://host/archive/2026-11.atom").
func ArchiveURL(feedURL string, month time.Time) string {
	ref := &url.URL{Path: ArchivePath(month)}
	base, err := url.Parse(feedURL)
	if err != nil {
		return ref.String()
	}
	return base.ResolveReference(ref).String()
}

// Archive returns the archive document of month (any instant in it): every
// story created in that calendar month, newest first, rendered exactly as
// the feed's entries (same ids), with fh:archive and the links to the
// current feed and the neighbouring archives. closed reports whether the
// month is over, so that its set of entries can no longer change. A month
// before the oldest story's or after the current one is ErrNotFound.
func (p *Pipeline) Archive(ctx context.Context, month time.Time) (f feeds.Feed, closed bool, err error) {
	month = ArchiveMonth(month)
	first, err := p.store.FirstStoryCreated(ctx)
	if errors.Is(err, ErrNotFound) {
		return feeds.Feed{}, false, fmt.Errorf("archive %s: no story yet: %w", month.Format("2006-01"), ErrNotFound)
	}
	if err != nil {
		return feeds.Feed{}, false, fmt.Errorf("archive %s: %w", month.Format("2006-01"), err)
	}
	oldest, current := ArchiveMonth(first), ArchiveMonth(p.now())
	if month.Before(oldest) || month.After(current) {
		return feeds.Feed{}, false, fmt.Errorf("archive %s: the archives run from %s to %s: %w",
			month.Format("2006-01"), oldest.Format("2006-01"), current.Format("2006-01"), ErrNotFound)
	}
	next := month.AddDate(0, 1, 0)
	views, err := p.store.StoriesCreated(ctx, month, next)
	if err != nil {
		return feeds.Feed{}, false, fmt.Errorf("archive %s: %w", month.Format("2006-01"), err)
	}
	byName, err := p.sourcesByName(ctx)
	if err != nil {
		return feeds.Feed{}, false, fmt.Errorf("archive %s: %w", month.Format("2006-01"), err)
	}
	self := ArchiveURL(p.opts.Feed.URL, month)
	f = p.feedHead()
	f.ID, f.SelfURL = self, self
	f.Archive, f.CurrentURL = true, p.opts.Feed.URL
	if month.After(oldest) {
		f.PrevArchiveURL = ArchiveURL(p.opts.Feed.URL, month.AddDate(0, -1, 0))
	}
	if month.Before(current) {
		f.NextArchiveURL = ArchiveURL(p.opts.Feed.URL, next)
	}
	f.Updated = month
	for _, v := range views {
		e := p.entry(v, byName)
		f.Entries = append(f.Entries, e)
		if e.Updated.After(f.Updated) {
			f.Updated = e.Updated
		}
	}
	return f, month.Before(current), nil
}

// PrevArchiveURL is the subscription document's prev-archive link: the
// current month's archive, "" while there is no story. Only the daemon
// serves archives, so only the feed it serves links to them.
func (p *Pipeline) PrevArchiveURL(ctx context.Context) (string, error) {
	if _, err := p.store.FirstStoryCreated(ctx); errors.Is(err, ErrNotFound) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("prev-archive: %w", err)
	}
	return ArchiveURL(p.opts.Feed.URL, ArchiveMonth(p.now())), nil
}

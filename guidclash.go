package aggregator

import (
	"context"
	"errors"
	"slices"
	"time"

	"aggregator/fetch"
)

// GUIDClash is a GUID that two entries of one feed carry with different
// links: two articles, kept as two items. The entry with Link keeps the
// GUID; the one with OtherLink is stored under ClashGUID(GUID, OtherLink).
type GUIDClash struct {
	GUID, Link, OtherLink string
}

// ClashGUID is the GUID an entry is stored under when another entry of its
// feed carries the same guid with another link: the guid and the link, so
// that every later poll finds the same item again.
func ClashGUID(guid, link string) string { return guid + " <" + link + ">" }

// entryLink is the link entries are told apart by: canonical, else as given.
func entryLink(e fetch.Entry) string {
	if e.CanonicalURL != "" {
		return e.CanonicalURL
	}
	return e.URL
}

// separateGUIDClashes returns entries with the GUID of every entry that
// shares its GUID with an entry of another link replaced by ClashGUID, and
// reports each such clash in sr and the log. Of the entries sharing a GUID,
// the one with the link of the item stored under it keeps it (an update, as
// before), else the oldest. A GUID that arrives with a new link in a feed
// where no other entry carries it is no clash: the article moved, and it
// is an update. entries itself is left as it is.
func (p *Pipeline) separateGUIDClashes(ctx context.Context, tx CycleTx, src Source, entries []fetch.Entry, now time.Time, sr *SourceReport) ([]fetch.Entry, error) {
	links := map[string][]string{} // guid → its distinct links, oldest entry first
	for _, i := range oldestFirst(entries, now) {
		e := entries[i]
		if l := entryLink(e); l != "" && !slices.Contains(links[e.GUID], l) {
			links[e.GUID] = append(links[e.GUID], l)
		}
	}
	var out []fetch.Entry
	for i, e := range entries {
		ls := links[e.GUID]
		if len(ls) < 2 {
			continue
		}
		keep, err := p.clashKeeper(ctx, tx, src, e.GUID, ls)
		if err != nil {
			return nil, err
		}
		if l := entryLink(e); l != "" && l != keep {
			if out == nil {
				out = slices.Clone(entries)
			}
			out[i].GUID = ClashGUID(e.GUID, l)
			c := GUIDClash{GUID: e.GUID, Link: keep, OtherLink: l}
			sr.GUIDClashes = append(sr.GUIDClashes, c)
			p.logger.Warn("two entries of the feed share a GUID but not their link; kept as separate items",
				"source", src.Name, "guid", c.GUID, "link", c.Link, "other_link", c.OtherLink, "stored_as", out[i].GUID)
		}
	}
	if out == nil {
		return entries, nil
	}
	return out, nil
}

// clashKeeper is the link of the entries sharing guid (links, oldest first)
// that keeps the GUID: the stored item's, else the oldest entry's.
func (p *Pipeline) clashKeeper(ctx context.Context, tx CycleTx, src Source, guid string, links []string) (string, error) {
	prev, err := tx.ItemByGUID(ctx, src.ID, guid)
	switch {
	case err == nil:
		if slices.Contains(links, prev.Link()) {
			return prev.Link(), nil
		}
	case !errors.Is(err, ErrNotFound):
		return "", err
	}
	return links[0], nil
}

package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"aggregator"
	"aggregator/feeds"
)

// archiveStylesheet is Stylesheet as seen from an archive document, one
// directory down.
const archiveStylesheet = "../" + Stylesheet

// closedCacheControl is the Cache-Control of a closed month's archive: its
// set of entries never changes, so a client may keep it for a year.
var closedCacheControl = []string{"public, max-age=31536000"}

// archiveCache keeps the archive documents rendered since the last
// Publish: a closed month is asked for again and again (clients keep it,
// crawlers do not), and its entries change only when a cycle changes a
// story. Publish empties it.
type archiveCache struct {
	mu  sync.Mutex
	gen uint64 // bumped by clear, so that a render begun before is not kept
	m   map[string]archiveRendering
}

// archiveRendering is one month's archive as served.
type archiveRendering struct {
	*rendering
	closed bool
}

// archiveCacheMax bounds the archives kept between two cycles.
const archiveCacheMax = 48

func (c *archiveCache) clear() {
	c.mu.Lock()
	c.gen++
	c.m = nil
	c.mu.Unlock()
}

// get returns the cached rendering of month, or renders it with render and
// keeps it.
func (c *archiveCache) get(month string, render func() (archiveRendering, error)) (archiveRendering, error) {
	c.mu.Lock()
	ar, ok := c.m[month]
	gen := c.gen
	c.mu.Unlock()
	if ok {
		return ar, nil
	}
	ar, err := render()
	if err != nil {
		return archiveRendering{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		if c.m == nil || len(c.m) >= archiveCacheMax {
			c.m = make(map[string]archiveRendering)
		}
		c.m[month] = ar
	}
	return ar, nil
}

// serveArchive answers /archive/YYYY-MM.atom: the RFC 5005 archive
// document of that month, with a year's max-age once the month is over and
// the feed's own Cache-Control while it is the current month.
func (s *Server) serveArchive(w http.ResponseWriter, r *http.Request) {
	if !allowRead(w, r) {
		return
	}
	name := r.PathValue("month")
	month, err := parseArchiveName(name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	ar, err := s.archives.get(name, func() (archiveRendering, error) { return s.renderArchive(ctx, month) })
	if errors.Is(err, aggregator.ErrNotFound) {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	if err != nil {
		s.logger.Error("archive", "month", name, "error", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	cc := closedCacheControl
	if !ar.closed {
		cc = s.feeds.cacheControl(s.maxAge())
	}
	writeRendering(w, r, ar.rendering, feeds.FormatAtom, cc)
}

// parseArchiveName reads "2026-11.atom" as the month it names.
func parseArchiveName(name string) (time.Time, error) {
	ym, ok := strings.CutSuffix(name, ".atom")
	month, err := time.Parse("2006-01", ym)
	if !ok || err != nil || month.Format("2006-01") != ym {
		return time.Time{}, fmt.Errorf("no archive %q: archives are named YEAR-MONTH.atom, as in /archive/2026-11.atom", name)
	}
	return month, nil
}

func (s *Server) renderArchive(ctx context.Context, month time.Time) (archiveRendering, error) {
	f, closed, err := s.Backend().Pipeline.Archive(ctx, month)
	if err != nil {
		return archiveRendering{}, err
	}
	f.Stylesheet = archiveStylesheet
	var buf bytes.Buffer
	if err := feeds.Write(&buf, feeds.FormatAtom, f); err != nil {
		return archiveRendering{}, fmt.Errorf("render archive %s: %w", month.Format("2006-01"), err)
	}
	rd, err := newRendering(buf.Bytes())
	if err != nil {
		return archiveRendering{}, fmt.Errorf("render archive %s: %w", month.Format("2006-01"), err)
	}
	rd.modified = f.Updated.UTC().Truncate(time.Second)
	rd.lastModified = []string{rd.modified.Format(http.TimeFormat)}
	return archiveRendering{rendering: rd, closed: closed}, nil
}

package server

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"aggregator/internal/opml"
)

// serveSources answers /sources.opml: the configured sources as OPML 2.0,
// each with the site link its feed last gave (htmlUrl) when it has been
// fetched, for a feed reader to subscribe to them all.
func (s *Server) serveSources(w http.ResponseWriter, r *http.Request) {
	if !allowRead(w, r) {
		return
	}
	b := s.Backend()
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	links := map[string]string{}
	if stored, err := b.Store.Sources(ctx); err == nil {
		for _, src := range stored {
			links[src.Name] = src.FeedLink
		}
	} else {
		s.logger.Warn("sources.opml: the stored sources could not be read; exported without their site links", "err", err)
	}
	opts := b.Pipeline.Options()
	doc := opml.Document{Title: opts.Feed.Title + ": sources", Created: s.now()}
	for _, src := range opts.Sources {
		doc.Feeds = append(doc.Feeds, opml.Feed{Title: src.Name, XMLURL: src.URL, HTMLURL: links[src.Name], FullText: string(src.FullText)})
	}
	var buf bytes.Buffer
	if err := opml.Write(&buf, doc); err != nil {
		http.Error(w, "the sources could not be written", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Disposition", `inline; filename="sources.opml"`)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

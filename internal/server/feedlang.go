package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"aggregator"
	"aggregator/feeds"
	"aggregator/fetch"
)

// langFeedsMax is how many languages' feeds are kept rendered at once; a
// request for another renders its feed and drops the least recently asked.
const langFeedsMax = 32

// langFeeds holds the per-language feeds (/feed.atom?lang=en), rendered in
// every format on the first request for a language after each publish and
// served like the main feed from then on, for at most langFeedsMax
// languages. A language no story is in gets its valid, empty feed.
type langFeeds struct {
	mu    sync.Mutex // held while rendering, so that a language is rendered once
	gen   uint64     // bumped by invalidate; a rendering of an older one is stale
	cache *lru.Cache[string, *langRendering]
}

// langRendering is one language's feed in every format, rendered in
// generation gen.
type langRendering struct {
	gen     uint64
	formats map[feeds.Format]*rendering
}

// invalidate marks every rendering stale: the stories or the feed's
// settings changed. A stale rendering stays as the previous one when the
// language is rendered again, for its modification time.
func (l *langFeeds) invalidate() {
	l.mu.Lock()
	l.gen++
	l.mu.Unlock()
}

// get returns the current rendering of lang's feed, rendering it with
// build when there is none.
func (l *langFeeds) get(lang string, build func() (feeds.Feed, error), now time.Time) (*langRendering, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cache == nil {
		c, err := lru.New[string, *langRendering](langFeedsMax)
		if err != nil {
			return nil, err
		}
		l.cache = c
	}
	prev, _ := l.cache.Get(lang)
	if prev != nil && prev.gen == l.gen {
		return prev, nil
	}
	f, err := build()
	if err != nil {
		return nil, err
	}
	lr := &langRendering{gen: l.gen, formats: make(map[feeds.Format]*rendering, len(formats))}
	for _, format := range formats {
		ff := f
		ff.SelfURL = aggregator.LanguageFeedURL(selfURL(f.SelfURL, "", format), lang)
		var p *rendering
		if prev != nil {
			p = prev.formats[format]
		}
		if lr.formats[format], err = render(ff, format, p, now); err != nil {
			return nil, err
		}
	}
	l.cache.Add(lang, lr)
	return lr, nil
}

// requestedLanguage returns the language a feed request asks for with the
// query parameter lang ("" when it has none), or an error naming the
// parameter when its value is not one primary language subtag ("en",
// "id"; any case).
func requestedLanguage(r *http.Request) (string, error) {
	if r.URL.RawQuery == "" {
		return "", nil // the main feed's requests stay free of query parsing
	}
	vals, ok := r.URL.Query()["lang"]
	if !ok {
		return "", nil
	}
	if len(vals) != 1 {
		return "", fmt.Errorf("lang: give one language, not %d", len(vals))
	}
	lang := strings.ToLower(vals[0])
	if p := fetch.PrimaryLanguage(lang); p == "" || p != lang {
		return "", fmt.Errorf("lang: %q is not a primary language subtag (a two- or three-letter code such as en, id, ko)", vals[0])
	}
	return lang, nil
}

// serveLanguageFeed answers a request for the feed of lang in format.
func (s *Server) serveLanguageFeed(w http.ResponseWriter, r *http.Request, format feeds.Format, lang string) {
	b := s.Backend()
	lr, err := s.langs.get(lang, func() (feeds.Feed, error) {
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		f, err := b.Pipeline.FeedIn(ctx, lang)
		f.Stylesheet = Stylesheet
		return f, err
	}, s.now())
	if err != nil {
		s.logger.Error("rendering a language's feed failed", "lang", lang, "err", err)
		w.Header().Set("Retry-After", "5")
		http.Error(w, "the feed could not be rendered", http.StatusServiceUnavailable)
		return
	}
	writeRendering(w, r, lr.formats[format], format, s.feeds.cacheControl(s.maxAge()))
}

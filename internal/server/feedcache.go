package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"aggregator/feeds"
)

// Stylesheet is the href of the CSS stylesheet the served Atom feed names.
// It is relative, so that it resolves next to the feed also behind a
// reverse proxy that mounts the daemon under a path.
const Stylesheet = "feed.css"

// formats are the feed formats served, by path; eventFormats those of the
// event feed.
var (
	formats = map[string]feeds.Format{
		"/feed.atom": feeds.FormatAtom,
		"/feed.rss":  feeds.FormatRSS,
		"/feed.json": feeds.FormatJSON,
	}
	eventFormats = map[string]feeds.Format{
		"/events.atom": feeds.FormatAtom,
		"/events.rss":  feeds.FormatRSS,
		"/events.json": feeds.FormatJSON,
	}
)

// The names of the two feeds' files: NAME.atom, NAME.rss, NAME.json.
const (
	storyFeedName = "feed"
	eventFeedName = "events"
)

// rendering is one format of the feed as served: the bytes, their gzip
// encoding, and a strong ETag for each.
type rendering struct {
	body, gz     []byte
	etag, etagGz string
	modified     time.Time // Last-Modified

	// The response header values, made once per render so that a request
	// only puts them in its header map. They are shared by every request
	// and never modified.
	identity, gzip encoding
	lastModified   []string
	link           []string // WebSub discovery: the hubs and the self URL; nil without hubs
}

// encoding is the header values of one encoding of a rendering.
type encoding struct {
	body          []byte
	etag, length  []string
	contentCoding []string // nil for the identity
}

// Header values that are the same for every response of the feed.
var (
	varyValue = []string{"Accept, Accept-Encoding"}
	gzipValue = []string{"gzip"}
	xmlValue  = []string{"application/xml; charset=utf-8"}
)

// contentTypes are the media types the formats are served with, as header
// values.
var contentTypes = func() map[feeds.Format][]string {
	m := make(map[feeds.Format][]string, len(formats))
	for _, f := range formats {
		m[f] = []string{f.ContentType()}
	}
	return m
}()

// feedCache holds a feed rendered in every format. It is replaced as a
// whole after each cycle, so a request never sees half an update.
type feedCache struct {
	name string // the feed's file name without extension; "" is storyFeedName
	mu   sync.RWMutex
	cur  map[feeds.Format]*rendering
	cc   atomic.Pointer[cacheControlValue] // the last Cache-Control value served
}

// update renders f in every format. A format whose bytes changed although
// the feed's updated time did not (a reload changed the title) gets now as
// its modification time, so that If-Modified-Since still sees the change.
// It returns the self URLs of the formats whose bytes changed (none at the
// first render).
func (c *feedCache) update(f feeds.Feed, now time.Time) ([]string, error) {
	next := make(map[feeds.Format]*rendering, len(formats))
	c.mu.RLock()
	prev := c.cur
	c.mu.RUnlock()
	var changed []string
	for _, format := range formats {
		ff := f
		ff.SelfURL = selfURL(f.SelfURL, c.name, format)
		r, err := render(ff, format, prev[format], now)
		if err != nil {
			return nil, err
		}
		if p := prev[format]; p != nil && p.etag != r.etag && !slices.Contains(changed, ff.SelfURL) {
			changed = append(changed, ff.SelfURL)
		}
		next[format] = r
	}
	c.mu.Lock()
	c.cur = next
	c.mu.Unlock()
	slices.Sort(changed) // formats is a map: an order of its own
	return changed, nil
}

// linkHeader is the Link header values of WebSub discovery: one per hub
// and one for the self URL, or nil when there are no hubs.
func linkHeader(hubs []string, self string) []string {
	if len(hubs) == 0 || self == "" {
		return nil
	}
	var out []string
	for _, h := range hubs {
		out = append(out, "<"+h+`>; rel="hub"`)
	}
	return append(out, "<"+self+`>; rel="self"`)
}

// render writes f in format. Its modification time is f's updated time
// (the Unix epoch, as the writer's, when f has none), or now when the bytes
// differ from prev's (nil: none) although that time did not move on.
func render(f feeds.Feed, format feeds.Format, prev *rendering, now time.Time) (*rendering, error) {
	var buf bytes.Buffer
	if err := feeds.Write(&buf, format, f); err != nil {
		return nil, fmt.Errorf("render feed: %w", err)
	}
	r, err := newRendering(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("render feed: %w", err)
	}
	r.modified = f.Updated.UTC().Truncate(time.Second)
	if f.Updated.IsZero() {
		r.modified = time.Unix(0, 0).UTC()
	}
	if prev != nil && prev.etag != r.etag && !r.modified.After(prev.modified) {
		r.modified = now.UTC().Truncate(time.Second)
	}
	r.lastModified = []string{r.modified.Format(http.TimeFormat)}
	r.link = linkHeader(f.Hubs, f.SelfURL)
	return r, nil
}

func newRendering(body []byte) (*rendering, error) {
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:16])
	// The two encodings are different representations: a strong ETag must
	// tell them apart.
	r := &rendering{body: body, gz: gz.Bytes(), etag: `"` + tag + `"`, etagGz: `"` + tag + `-gzip"`}
	r.identity = encoding{body: r.body, etag: []string{r.etag}, length: []string{strconv.Itoa(len(r.body))}}
	r.gzip = encoding{body: r.gz, etag: []string{r.etagGz}, length: []string{strconv.Itoa(len(r.gz))}, contentCoding: gzipValue}
	return r, nil
}

// selfURL is the public URL of the feed name in format, derived from the
// URL of its Atom feed when it ends in name + ".atom" ("feed.atom",
// "events.atom").
func selfURL(atomURL, name string, format feeds.Format) string {
	if name == "" {
		name = storyFeedName
	}
	base, ok := strings.CutSuffix(atomURL, name+".atom")
	if !ok || format == feeds.FormatAtom {
		return atomURL
	}
	return base + name + "." + string(format)
}

func (c *feedCache) get(format feeds.Format) *rendering {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.cur[format]
}

// serve answers a GET or HEAD for the feed in format: 304 when the client's
// copy is current, else the bytes (gzip-encoded when accepted). The bytes
// and header values were made when the feed was rendered: a request costs
// a few map assignments besides what net/http does (see BENCHMARKS.md).
func (c *feedCache) serve(w http.ResponseWriter, r *http.Request, format feeds.Format, maxAge time.Duration) {
	if !allowRead(w, r) {
		return
	}
	rd := c.get(format)
	if rd == nil {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "the feed is not rendered yet", http.StatusServiceUnavailable)
		return
	}
	writeRendering(w, r, rd, format, c.cacheControl(maxAge))
}

// writeRendering answers a GET or HEAD with rd, in format, with the
// Cache-Control value cc: 304 when the client's copy is current, else the
// bytes (gzip-encoded when accepted).
func writeRendering(w http.ResponseWriter, r *http.Request, rd *rendering, format feeds.Format, cc []string) {
	enc := &rd.identity
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		enc = &rd.gzip
	}
	// The keys are in canonical form: assigning them directly spares
	// Header.Set its checks and a slice per value.
	h := w.Header()
	h["Vary"] = varyValue
	h["Etag"] = enc.etag
	h["Last-Modified"] = rd.lastModified
	h["Cache-Control"] = cc
	if rd.link != nil {
		h["Link"] = rd.link
	}
	if notModified(r, rd) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Type"] = contentType(format, r.Header.Get("Accept"))
	if enc.contentCoding != nil {
		h["Content-Encoding"] = enc.contentCoding
	}
	h["Content-Length"] = enc.length
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(enc.body)
	}
}

// cacheControlValue is a Cache-Control header value and the max-age it
// names.
type cacheControlValue struct {
	maxAge time.Duration
	value  []string
}

// cacheControl returns the Cache-Control header value for maxAge (whole
// seconds), made once for as long as maxAge stays the same.
func (c *feedCache) cacheControl(maxAge time.Duration) []string {
	maxAge = maxAge.Truncate(time.Second)
	if v := c.cc.Load(); v != nil && v.maxAge == maxAge {
		return v.value
	}
	v := &cacheControlValue{maxAge: maxAge, value: []string{"public, max-age=" + strconv.Itoa(int(maxAge/time.Second))}}
	c.cc.Store(v)
	return v.value
}

// contentType is the media type the feed is served with. Browsers show
// application/atom+xml as plain text and never apply its stylesheet, so a
// request that asks for HTML without naming Atom (a browser opening the
// link) gets the same bytes as application/xml, which they render with the
// CSS stylesheet. Feed readers get application/atom+xml.
func contentType(format feeds.Format, accept string) []string {
	if format == feeds.FormatAtom && strings.Contains(accept, "text/html") && !strings.Contains(accept, "application/atom+xml") {
		return xmlValue
	}
	return contentTypes[format]
}

// notModified applies If-None-Match (weak comparison, against either
// encoding's tag) and, only when that header is absent, If-Modified-Since.
func notModified(r *http.Request, rd *rendering) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for rest := inm; rest != ""; {
			var t string
			t, rest, _ = strings.Cut(rest, ",")
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == rd.etag || t == rd.etagGz {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !rd.modified.After(t)
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip: named
// with a q-value above 0, or else admitted by "*".
func acceptsGzip(header string) bool {
	gzipQ, starQ := -1.0, -1.0
	for rest := header; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := qValue(params)
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			gzipQ = max(gzipQ, q)
		case "*":
			starQ = q
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// qValue returns the q parameter among params ("q=0.5;x=y"), 1 when absent.
func qValue(params string) float64 {
	for rest := params; rest != ""; {
		var p string
		p, rest, _ = strings.Cut(rest, ";")
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				return f
			}
		}
	}
	return 1
}

// allowRead answers 405 for anything but GET and HEAD.
func allowRead(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

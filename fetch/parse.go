package fetch

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	gfjson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
)

// SummaryMaxBytes caps Entry.SummaryHTML.
const SummaryMaxBytes = 8 << 10

// Feed is a parsed and normalised feed.
type Feed struct {
	Title    string // plain text
	Link     string // the site's link, absolute; "" if none
	ID       string // the Atom id, else the feed URL
	Language string
	Entries  []Entry
	// Repaired is true when the body was malformed and had to be mended:
	// XML cut short or broken (the entries before the damage are kept) or a
	// JSON Feed with mistyped fields.
	Repaired bool
	// Hints are what the feed asks of pollers: <ttl>, sy:updatePeriod,
	// <skipHours>, <skipDays>.
	Hints Hints
}

// Entry is one normalised feed entry.
type Entry struct {
	GUID         string    // the entry's guid/id; else its link; else "sha1:"+hex(sha1(title+"\n"+text))
	URL          string    // absolute http(s) link, resolved against the feed URL; "" if none
	CanonicalURL string    // CanonicalURL(URL); "" if URL is ""
	Title        string    // plain text, NFKC, one line
	Text         string    // plain text of the content, else of the description; paragraphs separated by "\n"
	SummaryHTML  string    // raw, unsanitised HTML of the description (else the content), at most SummaryMaxBytes
	Author       string    // names joined with ", "
	Categories   []string  // trimmed, without duplicates
	Published    time.Time // UTC; published, else updated; zero when the feed gives neither
	Updated      time.Time // UTC; zero when the feed gives none
	// Language is the primary language subtag the entry or its feed
	// declares, lower case ("en", "id"); "" when none is declared
	// (language.go).
	Language string

	// Outlet is the real outlet an aggregator item (Google News, Bing News)
	// names, and OutletURL the URL it gives for it (RSS <source url>); ""
	// for an item of the outlet's own feed. Redirect is true when URL is the
	// aggregator's redirect, which is never to be fetched (outlet.go).
	Outlet    string
	OutletURL string
	Redirect  bool
}

// Parse decodes body (any charset; see the package's charset handling),
// parses it as RSS, Atom or JSON Feed and normalises the entries, resolving
// relative links against feedURL. contentType is the response's Content-Type
// header, "" if unknown. Errors wrap ErrEmptyBody, ErrNotAFeed (as a
// *NotAFeedError, listing the feeds an HTML page advertises) or ErrParse.
func Parse(body []byte, contentType, feedURL string) (*Feed, error) {
	if len(bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")))) == 0 {
		return nil, ErrEmptyBody
	}
	return parseText(toUTF8(body, contentType), contentType, feedURL)
}

// parseText is Parse on a body already converted by toUTF8, as the HTTP
// layer's Response.Body is. (Parse's first check for an empty body is a
// shortcut: a body that is empty by that test is empty after toUTF8 too.)
func parseText(text []byte, contentType, feedURL string) (*Feed, error) {
	text = skipLeadingJunk(text)
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, ErrEmptyBody
	}
	base, err := url.Parse(strings.TrimSpace(feedURL))
	if err != nil || !base.IsAbs() {
		base = nil
	}

	kind := gofeed.DetectFeedType(bytes.NewReader(text))
	if kind == gofeed.FeedTypeUnknown {
		return nil, notAFeed(text, contentType, base)
	}
	parsed, err := parseFormat(kind, text)
	repaired := false
	switch {
	case err != nil && kind == gofeed.FeedTypeJSON:
		if fixed := coerceJSONFeed(text); fixed != nil {
			if p, err2 := parseFormat(kind, fixed); err2 == nil {
				parsed, err, repaired = p, nil, true
			}
		}
	case err != nil:
		if fixed := repairXML(text); fixed != nil {
			if p, err2 := parseFormat(kind, fixed); err2 == nil {
				parsed, err, repaired = p, nil, true
			}
		}
	case parsed.notFeed:
		if x := rssJSONToXML(text); x != nil {
			parsed, err = parseFormat(gofeed.FeedTypeRSS, x)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrParse, err)
	}
	if parsed.notFeed {
		return nil, &NotAFeedError{ContentType: mediaTypeOr(contentType, "application/json"), Detail: "JSON without a JSON Feed version or items"}
	}
	f := normaliseFeed(parsed, base, strings.TrimSpace(feedURL))
	f.Repaired = repaired
	return f, nil
}

// parsed is gofeed's universal feed plus what the universal form drops.
type parsed struct {
	feed    *gofeed.Feed
	atomID  string
	notFeed bool         // JSON that is not a JSON Feed
	hints   Hints        // RSS channel and syndication-module hints
	sources []itemSource // RSS items' <source>, by item index
	langs   []string     // JSON Feed items' "language", by item index
}

// parseFormat runs the gofeed parser for kind on text. A panic inside the
// parser becomes an error carrying its stack (a *PanicError): one hostile
// feed must never take the daemon down.
func parseFormat(kind gofeed.FeedType, text []byte) (p parsed, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parser %w", newPanicError(r)) // "parser panic: …", with the stack
		}
	}()
	switch kind {
	case gofeed.FeedTypeAtom:
		af, err := (&atom.Parser{}).Parse(bytes.NewReader(text))
		if err != nil {
			return p, err
		}
		p.atomID = strings.TrimSpace(af.ID)
		p.hints = syHints(af.Extensions)
		p.feed, err = (&gofeed.DefaultAtomTranslator{}).Translate(af)
		return p, err
	case gofeed.FeedTypeRSS:
		rf, err := (&rss.Parser{}).Parse(bytes.NewReader(text))
		if err != nil {
			return p, err
		}
		p.hints = rssHints(rf.TTL, rf.SkipHours, rf.SkipDays, rf.Extensions)
		p.sources = rssSources(rf)
		p.feed, err = (&gofeed.DefaultRSSTranslator{}).Translate(rf)
		return p, err
	case gofeed.FeedTypeJSON:
		jf, err := (&gfjson.Parser{}).Parse(bytes.NewReader(text))
		if err != nil {
			return p, err
		}
		p.notFeed = !strings.Contains(jf.Version, "jsonfeed.org") && len(jf.Items) == 0
		for _, it := range jf.Items {
			lang := ""
			if it != nil {
				lang = it.Language
			}
			p.langs = append(p.langs, lang)
		}
		p.feed, err = (&gofeed.DefaultJSONTranslator{}).Translate(jf)
		return p, err
	}
	return p, gofeed.ErrFeedTypeNotDetected
}

// normaliseFeed turns gofeed's feed into ours.
func normaliseFeed(p parsed, base *url.URL, feedURL string) *Feed {
	gf := p.feed
	f := &Feed{
		Title:    singleLine(HTMLToText(gf.Title)),
		Link:     resolveLink(base, gf.Link),
		ID:       p.atomID,
		Language: strings.TrimSpace(gf.Language),
		Entries:  make([]Entry, 0, len(gf.Items)),
		Hints:    p.hints,
	}
	if f.ID == "" {
		f.ID = feedURL
	}
	for i, it := range gf.Items {
		if it == nil {
			continue
		}
		e := normaliseEntry(it, base)
		itemLang := ""
		if i < len(p.langs) {
			itemLang = p.langs[i]
		}
		e.Language = entryLanguage(it, itemLang, gf.Language)
		src := itemSource{name: bingSource(it)}
		if i < len(p.sources) && p.sources[i].name != "" {
			src = p.sources[i]
		}
		applyOutlet(&e, src)
		f.Entries = append(f.Entries, e)
	}
	return f
}

// normaliseEntry turns one gofeed item into an Entry.
func normaliseEntry(it *gofeed.Item, base *url.URL) Entry {
	e := Entry{Title: singleLine(HTMLToText(it.Title))}

	rawLink := strings.TrimSpace(it.Link)
	for _, l := range it.Links {
		if rawLink != "" {
			break
		}
		rawLink = strings.TrimSpace(l)
	}
	guid := strings.TrimSpace(it.GUID)
	if rawLink == "" && (strings.HasPrefix(guid, "http://") || strings.HasPrefix(guid, "https://")) {
		rawLink = guid // an RSS guid is a permalink unless it says otherwise
	}
	e.URL = resolveLink(base, rawLink)
	if e.URL != "" {
		e.CanonicalURL = CanonicalURL(e.URL)
	}

	content, desc := strings.TrimSpace(it.Content), strings.TrimSpace(it.Description)
	e.Text = HTMLToText(content)
	if e.Text == "" {
		e.Text = HTMLToText(desc)
	}
	if desc != "" {
		e.SummaryHTML = capHTML(desc, SummaryMaxBytes)
	} else {
		e.SummaryHTML = capHTML(content, SummaryMaxBytes)
	}

	switch {
	case guid != "":
		e.GUID = guid
	case e.URL != "":
		e.GUID = e.URL
	case rawLink != "":
		e.GUID = rawLink
	default:
		sum := sha1.Sum([]byte(e.Title + "\n" + e.Text))
		e.GUID = "sha1:" + hex.EncodeToString(sum[:])
	}

	e.Author = authorNames(it.Authors)
	if e.Author == "" && it.Author != nil {
		e.Author = authorNames([]*gofeed.Person{it.Author})
	}
	e.Categories = cleanCategories(it.Categories)

	if it.UpdatedParsed != nil {
		e.Updated = it.UpdatedParsed.UTC()
	}
	switch {
	case it.PublishedParsed != nil:
		e.Published = it.PublishedParsed.UTC()
	default:
		e.Published = e.Updated
	}
	return e
}

// resolveLink resolves ref against base and returns it only if the result is
// an absolute http or https URL; anything else ("javascript:", "mailto:",
// unparsable, relative without a base) yields "".
func resolveLink(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		u, err = url.Parse(strings.ReplaceAll(ref, " ", "%20"))
		if err != nil {
			return ""
		}
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// authorNames joins the people's names (or e-mail addresses) with ", ".
func authorNames(people []*gofeed.Person) string {
	var names []string
	seen := map[string]bool{}
	for _, p := range people {
		if p == nil {
			continue
		}
		n := singleLine(NormalizeText(p.Name))
		if n == "" {
			n = singleLine(NormalizeText(p.Email))
		}
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// cleanCategories makes categories plain text, as titles are (markup
// stripped, entities decoded, normalised), and drops empty ones and
// duplicates.
func cleanCategories(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range in {
		c = singleLine(HTMLToText(c))
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// skipLeadingJunk drops text before the start of the document when a feed
// begins with garbage such as a PHP warning. It leaves b alone when it starts
// with markup or JSON, or when no feed root can be found.
func skipLeadingJunk(b []byte) []byte {
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) == 0 || t[0] == '<' || t[0] == '{' {
		return b
	}
	first := -1
	for _, marker := range []string{"<?xml", "<rss", "<feed", "<rdf:RDF", "<RDF"} {
		if i := bytes.Index(t, []byte(marker)); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	if first < 0 {
		return b
	}
	return t[first:]
}

// mediaTypeOr returns contentType's media type, or def when it has none.
func mediaTypeOr(contentType, def string) string {
	if mt := mediaType(contentType); mt != "" {
		return mt
	}
	return def
}

// mediaType returns the lower-case media type of a Content-Type value, "" if none.
func mediaType(contentType string) string {
	if contentType == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// Package feeds renders the curated feed as Atom 1.0, RSS 2.0 or JSON Feed 1.1,
// sanitises upstream HTML before it is republished, and writes feed files
// atomically.
//
// The documents are built with github.com/gorilla/feeds. Its structs lack part
// of what a complete Atom feed carries (several links told apart by rel,
// category terms, atom:source, the generator, published dates), so this
// package embeds them in its own structs that add those elements.
package feeds

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Feed is the curated feed to render.
type Feed struct {
	ID           string    // feed id; an absolute IRI (the public feed URL)
	Title        string    // plain text
	Subtitle     string    // plain text
	SelfURL      string    // link rel="self": the public URL of this feed in the format written
	AlternateURL string    // link rel="alternate": an HTML page (the reading page)
	Hubs         []string  // WebSub hubs (link rel="hub"; JSON Feed hubs)
	Author       string    // feed-level author name
	Language     string    // optional language tag (xml:lang, RSS language, JSON language)
	Updated      time.Time // newest entry's Updated; if zero, the newest entry's is used
	Generator    Generator
	Entries      []Entry // ordered newest first
	// Stylesheet, when set, is the URL of a CSS stylesheet that the Atom
	// document names in an xml-stylesheet processing instruction, so that a
	// browser opening the feed shows it readable. Other formats ignore it.
	Stylesheet string
	// Archive links (RFC 5005, archived feeds), Atom only. A subscription
	// document sets PrevArchiveURL; an archive document sets Archive (the
	// fh:archive element), CurrentURL (the subscription document) and the
	// archives before and after it, empty at the ends.
	Archive                        bool
	CurrentURL                     string
	PrevArchiveURL, NextArchiveURL string
}

// Generator names the software that produced the feed.
type Generator struct{ Name, Version, URI string }

// Entry is one story of the curated feed.
type Entry struct {
	ID          string    // stable absolute IRI, usually a tag: URI (see TagURI)
	Title       string    // plain text; Write shortens it to TitleMax characters
	Link        string    // rel="alternate": the original article
	Published   time.Time // optional
	Updated     time.Time // if zero, Published is used, then the feed's Updated
	Author      string    // the source's (outlet's) name
	SummaryHTML string    // upstream HTML, sanitised before output (Summary shortens it)
	Categories  []string  // category terms
	// SchemeCategories are categories with a scheme and a label (the
	// story's event), written after Categories.
	SchemeCategories []Category
	Related          []Link  // other outlets' copies of the story, other reports of its event (rel="related")
	Source           *Source // the feed the entry came from (atom:source); nil omits it
	// Language is the entry's language as a BCP 47 tag (Atom xml:lang on
	// the entry, RSS dc:language, JSON Feed language); "" when unknown. A
	// value that is not a language tag is left out.
	Language string
}

// Link is a related link with an optional human-readable title and the
// language of the page it points to.
type Link struct {
	Href, Title string
	// Lang is the linked page's language as a BCP 47 tag (Atom hreflang);
	// "" when unknown. A value that is not a language tag is left out.
	Lang string
}

// Category is a category of an entry with the scheme its term belongs to
// (an IRI; "" for none) and a human-readable label ("" for none). In RSS the
// scheme is the category's domain; in JSON Feed the term is a tag.
type Category struct{ Term, Scheme, Label string }

// Source describes the original feed of an entry (RFC 4287 section 4.2.11).
type Source struct {
	ID      string    // the original feed's id; when not an absolute IRI, FeedURL is used
	Title   string    // the original feed's title
	Link    string    // the original feed's web page (rel="alternate")
	Updated time.Time // when the original feed last changed; if zero, the entry's Updated
	FeedURL string    // optional: the original feed's own URL (rel="self"; RSS source url)
}

// epoch is the feed's updated time when neither the feed nor any entry has
// one, so that the output stays a pure function of the input.
var epoch = time.Unix(0, 0).UTC()

// Write renders f in the given format to w. Entry summaries are sanitised
// with Sanitize. It fails when the format is unknown or when the feed or an
// entry has no id or an id that is not an absolute IRI.
func Write(w io.Writer, format Format, f Feed) error {
	if !format.valid() {
		return fmt.Errorf("write feed: %w: %q", ErrUnknownFormat, string(format))
	}
	p, err := prepare(f)
	if err != nil {
		return fmt.Errorf("write %s feed: %w", format, err)
	}
	switch format {
	case FormatAtom:
		err = writeAtom(w, p)
	case FormatRSS:
		err = writeRSS(w, p)
	case FormatJSON:
		err = writeJSON(w, p)
	}
	if err != nil {
		return fmt.Errorf("write %s feed: %w", format, err)
	}
	return nil
}

// prepared is a Feed with defaults filled in, times normalised to UTC
// seconds and summaries sanitised; every format renders from it.
type prepared struct {
	Feed
	updated time.Time
	author  string // feed author, with a fallback when an entry has none
	entries []preparedEntry
}

type preparedEntry struct {
	Entry
	updated    time.Time
	published  time.Time // zero when unknown
	summary    string    // sanitised HTML
	categories []string
	schemed    []Category
	related    []Link
}

func prepare(f Feed) (*prepared, error) {
	if err := checkID(f.ID); err != nil {
		return nil, fmt.Errorf("feed id: %w", err)
	}
	p := &prepared{Feed: f, updated: normTime(f.Updated), author: strings.TrimSpace(f.Author)}
	p.Language = cleanLanguage(f.Language)
	newest := time.Time{}
	entryWithoutAuthor := false
	for i, e := range f.Entries {
		if err := checkID(e.ID); err != nil {
			return nil, fmt.Errorf("entry %d %q: id: %w", i, e.Title, err)
		}
		pe := preparedEntry{
			Entry:      e,
			updated:    normTime(e.Updated),
			published:  normTime(e.Published),
			summary:    strings.TrimSpace(Sanitize(e.SummaryHTML)),
			categories: cleanCategories(e.Categories),
			schemed:    cleanSchemeCategories(e.SchemeCategories, e.Categories),
			related:    cleanRelated(e.Related, e.Link),
		}
		pe.Source = cleanSource(e.Source)
		pe.Author = strings.TrimSpace(e.Author)
		pe.Language = cleanLanguage(e.Language)
		pe.Title = ShortenText(e.Title, TitleMax)
		if pe.updated.IsZero() {
			pe.updated = pe.published
		}
		if pe.updated.After(newest) {
			newest = pe.updated
		}
		if pe.Author == "" {
			entryWithoutAuthor = true
		}
		p.entries = append(p.entries, pe)
	}
	if p.updated.IsZero() {
		p.updated = newest
	}
	if p.updated.IsZero() {
		p.updated = epoch
	}
	for i := range p.entries {
		pe := &p.entries[i]
		if pe.updated.IsZero() {
			pe.updated = p.updated
		}
		// A source's updated is required; the entry's is the latest
		// change of the source feed that we know of.
		if pe.Source != nil && pe.Source.Updated.IsZero() {
			pe.Source.Updated = pe.updated
		}
	}
	// Atom requires an author on every entry or on the feed.
	if p.author == "" && entryWithoutAuthor {
		p.author = firstNonEmpty(f.Title, f.Generator.Name, "unknown")
	}
	return p, nil
}

// cleanSource returns a copy of s whose id is an absolute IRI: an upstream
// id that is not one (a "urn:uuid:" without a UUID, a relative reference) is
// replaced by the source feed's URL, or dropped.
func cleanSource(s *Source) *Source {
	if s == nil {
		return nil
	}
	c := *s
	if checkID(c.ID) != nil {
		c.ID = ""
		if checkID(c.FeedURL) == nil {
			c.ID = c.FeedURL
		}
	}
	return &c
}

func normTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// cleanCategories makes the terms plain text (markup stored before the
// fetcher stripped it is stripped here) and drops empty and repeated ones.
func cleanCategories(terms []string) []string {
	var out []string
	seen := make(map[string]bool)
	for _, t := range terms {
		t = strings.Join(strings.Fields(stripTags(t)), " ")
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// cleanSchemeCategories drops categories without a term, those whose
// scheme is not an absolute IRI, and repeated terms (also a term of plain).
func cleanSchemeCategories(cats []Category, plain []string) []Category {
	var out []Category
	seen := make(map[string]bool)
	for _, t := range cleanCategories(plain) {
		seen[t] = true
	}
	for _, c := range cats {
		c.Term, c.Scheme = strings.Join(strings.Fields(stripTags(c.Term)), " "), strings.TrimSpace(c.Scheme)
		c.Label = ShortenText(stripTags(c.Label), TitleMax)
		if c.Term == "" || seen[c.Term] || (c.Scheme != "" && checkID(c.Scheme) != nil) {
			continue
		}
		seen[c.Term] = true
		out = append(out, c)
	}
	return out
}

// cleanRelated drops empty and repeated links and those pointing at the
// entry's own link, and a language that is not a language tag.
func cleanRelated(links []Link, self string) []Link {
	var out []Link
	seen := map[string]bool{self: true, "": true}
	for _, l := range links {
		l.Href = strings.TrimSpace(l.Href)
		l.Title = ShortenText(l.Title, TitleMax)
		l.Lang = cleanLanguage(l.Lang)
		if seen[l.Href] {
			continue
		}
		seen[l.Href] = true
		out = append(out, l)
	}
	return out
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// Package opml reads and writes OPML subscription lists (OPML 2.0,
// opml.org/spec2.opml): the sources exported for a feed reader, and a
// reader's list turned into sources to configure (Plan). It knows nothing
// of the config file; cmd/aggregator and internal/server translate.
package opml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// Namespace is the namespace of the attributes this program adds to an
// outline (aggregator:fullText), which other readers ignore.
const Namespace = "urn:x-aggregator:opml"

// Feed is one subscription: an outline of type "rss".
type Feed struct {
	Title    string // the outline's text and title
	XMLURL   string // the feed's URL
	HTMLURL  string // the site's URL; "" for none
	FullText string // when the article pages are fetched ("auto", "always"); "" or "never" for never
}

// Document is the head of a subscription list to write.
type Document struct {
	Title   string
	Created time.Time // dateCreated; zero leaves it out
	Feeds   []Feed
}

type opmlDoc struct {
	XMLName xml.Name    `xml:"opml"`
	Version string      `xml:"version,attr"`
	NS      string      `xml:"xmlns:aggregator,attr,omitempty"`
	Head    opmlHead    `xml:"head"`
	Body    []opmlEntry `xml:"body>outline"`
}

type opmlHead struct {
	Title       string `xml:"title"`
	DateCreated string `xml:"dateCreated,omitempty"`
	Docs        string `xml:"docs"`
}

type opmlEntry struct {
	Type     string `xml:"type,attr"`
	Text     string `xml:"text,attr"`
	Title    string `xml:"title,attr"`
	XMLURL   string `xml:"xmlUrl,attr"`
	HTMLURL  string `xml:"htmlUrl,attr,omitempty"`
	FullText string `xml:"aggregator:fullText,attr,omitempty"`
}

// Write writes d as an OPML 2.0 document, one outline of type "rss" per
// feed, in order.
func Write(w io.Writer, d Document) error {
	doc := opmlDoc{Version: "2.0", Head: opmlHead{Title: d.Title, Docs: "https://opml.org/spec2.opml"}}
	if !d.Created.IsZero() {
		doc.Head.DateCreated = d.Created.UTC().Format(time.RFC1123Z)
	}
	for _, f := range d.Feeds {
		e := opmlEntry{Type: "rss", Text: f.Title, Title: f.Title, XMLURL: f.XMLURL, HTMLURL: f.HTMLURL}
		if f.FullText != "" && f.FullText != "never" {
			e.FullText, doc.NS = f.FullText, Namespace
		}
		doc.Body = append(doc.Body, e)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	return nil
}

// Outline is one <outline> element of a list read, in document order.
type Outline struct {
	Line                      int // where its start tag ends, 1-based
	Text, Title, Type         string
	XMLURL, HTMLURL, FullText string
	// Categories are the texts (else titles) of the outlines it is nested
	// in, outermost first.
	Categories []string
	// Children is how many outlines are directly nested in it.
	Children int
}

// List is a subscription list as read.
type List struct {
	Version, Title string
	Outlines       []Outline
}

// ErrNotOPML is returned for a document whose root element is not <opml>.
var ErrNotOPML = errors.New("not an OPML document")

// Read parses an OPML document of any version (1.0, 1.1, 2.0; any
// character encoding the XML declaration names) and returns its outlines.
// Attribute names are matched without regard to case (xmlUrl, xmlurl), as
// readers write them both ways. A syntax error names its line.
func Read(r io.Reader) (*List, error) {
	d := xml.NewDecoder(r)
	d.CharsetReader = charset.NewReaderLabel
	d.Strict = false // HTML entities and bare ampersands in titles are common
	d.Entity = xml.HTMLEntity
	var (
		l      List
		stack  []int // indexes into l.Outlines of the open outlines
		inHead bool
		root   bool
		path   []string // element names from the root
		title  strings.Builder
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("opml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if len(path) == 0 {
				if name != "opml" {
					return nil, fmt.Errorf("opml: %w (the root element is <%s>)", ErrNotOPML, t.Name.Local)
				}
				l.Version, root = attr(t, "version"), true
			}
			path = append(path, name)
			inHead = len(path) == 3 && path[1] == "head" && name == "title"
			if name != "outline" || len(path) < 3 || path[1] != "body" {
				continue
			}
			line, _ := d.InputPos()
			o := Outline{Line: line, Text: attr(t, "text"), Title: attr(t, "title"), Type: attr(t, "type"),
				XMLURL: attr(t, "xmlUrl"), HTMLURL: attr(t, "htmlUrl"), FullText: nsAttr(t, Namespace, "fullText")}
			for _, i := range stack {
				o.Categories = append(o.Categories, firstNonEmpty(l.Outlines[i].Text, l.Outlines[i].Title))
			}
			if n := len(stack); n > 0 {
				l.Outlines[stack[n-1]].Children++
			}
			l.Outlines = append(l.Outlines, o)
			stack = append(stack, len(l.Outlines)-1)
		case xml.EndElement:
			if len(path) > 0 {
				if path[len(path)-1] == "outline" && len(stack) > 0 && len(path) >= 3 && path[1] == "body" {
					stack = stack[:len(stack)-1]
				}
				path = path[:len(path)-1]
			}
			inHead = false
		case xml.CharData:
			if inHead {
				title.Write(t)
			}
		}
	}
	if !root {
		return nil, fmt.Errorf("opml: %w (no root element)", ErrNotOPML)
	}
	if len(path) != 0 {
		return nil, fmt.Errorf("opml: the document ends inside <%s>", path[len(path)-1])
	}
	l.Title = strings.TrimSpace(title.String())
	return &l, nil
}

// attr returns the value of the unprefixed attribute name (any case),
// trimmed.
func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Space == "" && strings.EqualFold(a.Name.Local, name) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// nsAttr returns the value of the attribute name in namespace ns, trimmed.
func nsAttr(t xml.StartElement, ns, name string) string {
	for _, a := range t.Attr {
		if a.Name.Space == ns && a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

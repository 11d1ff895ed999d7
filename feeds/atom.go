package feeds

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	gorilla "github.com/gorilla/feeds"
)

// atomFeed extends gorilla's AtomFeed with what RFC 4287 allows and gorilla
// lacks. Fields named like gorilla's shadow them (encoding/xml prefers the
// shallower field), so gorilla's single link and string category never
// appear.
//
// Field order is output order: gorilla's remaining fields (id, updated,
// author, …) come where it is embedded; entries must come last.
type atomFeed struct {
	Lang     string    `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Title    atomText  `xml:"title"`
	Subtitle *atomText `xml:"subtitle"`
	*gorilla.AtomFeed
	Links     []atomLink     `xml:"link"`
	Generator *atomGenerator `xml:"generator"`
	Entries   []*atomEntry   `xml:"entry"`
}

// FeedXml returns the document to marshal; it overrides the method promoted
// from gorilla's AtomFeed, which would marshal only the embedded part.
func (a *atomFeed) FeedXml() any { return a }

type atomEntry struct {
	Lang  string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Title atomText `xml:"title"`
	*gorilla.AtomEntry
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Source     *atomSource    `xml:"source"`
}

// atomText is a text construct; type="text" makes readers show it verbatim.
type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomLink struct {
	Href  string `xml:"href,attr"`
	Rel   string `xml:"rel,attr,omitempty"`
	Type  string `xml:"type,attr,omitempty"`
	Title string `xml:"title,attr,omitempty"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomGenerator struct {
	URI     string `xml:"uri,attr,omitempty"`
	Version string `xml:"version,attr,omitempty"`
	Name    string `xml:",chardata"`
}

type atomSource struct {
	ID      string     `xml:"id,omitempty"`
	Title   *atomText  `xml:"title"`
	Links   []atomLink `xml:"link"`
	Updated string     `xml:"updated,omitempty"`
}

func plainText(s string) atomText { return atomText{Type: "text", Text: s} }

// atomDocument builds the Atom document: gorilla's AtomFeed, extended.
func atomDocument(p *prepared) *atomFeed {
	g := (&gorilla.Atom{Feed: p.gorillaFeed()}).AtomFeed()
	g.Id = p.ID // gorilla uses the feed's link as its id
	g.Link = nil
	doc := &atomFeed{AtomFeed: g, Lang: p.Language, Title: plainText(p.Title)}
	if p.Subtitle != "" {
		st := plainText(p.Subtitle)
		doc.Subtitle = &st
	}
	if p.SelfURL != "" {
		doc.Links = append(doc.Links, atomLink{Href: p.SelfURL, Rel: "self", Type: "application/atom+xml"})
	}
	if p.AlternateURL != "" {
		doc.Links = append(doc.Links, atomLink{Href: p.AlternateURL, Rel: "alternate", Type: "text/html"})
	}
	if p.Generator.Name != "" {
		doc.Generator = &atomGenerator{URI: p.Generator.URI, Version: p.Generator.Version, Name: p.Generator.Name}
	}
	doc.Entries = make([]*atomEntry, len(g.Entries))
	for i, ge := range g.Entries {
		doc.Entries[i] = atomEntryOf(ge, &p.entries[i])
	}
	return doc
}

func atomEntryOf(g *gorilla.AtomEntry, e *preparedEntry) *atomEntry {
	g.Published = formatTime(e.published)
	g.Links = nil
	ae := &atomEntry{AtomEntry: g, Lang: e.Language, Title: plainText(e.Title)}
	if e.Link != "" {
		ae.Links = append(ae.Links, atomLink{Href: e.Link, Rel: "alternate", Type: "text/html"})
	} else {
		// Without an alternate link, Atom requires content.
		g.Content = &gorilla.AtomContent{Type: "html", Content: e.summary}
	}
	for _, r := range e.related {
		ae.Links = append(ae.Links, atomLink{Href: r.Href, Rel: "related", Type: "text/html", Title: r.Title})
	}
	for _, c := range e.categories {
		ae.Categories = append(ae.Categories, atomCategory{Term: c})
	}
	ae.Source = atomSourceOf(e.Source)
	return ae
}

func atomSourceOf(s *Source) *atomSource {
	if s == nil {
		return nil
	}
	as := &atomSource{ID: s.ID, Updated: formatTime(normTime(s.Updated))}
	if s.Title != "" {
		t := plainText(s.Title)
		as.Title = &t
	}
	if s.FeedURL != "" {
		as.Links = append(as.Links, atomLink{Href: s.FeedURL, Rel: "self"})
	}
	if s.Link != "" {
		as.Links = append(as.Links, atomLink{Href: s.Link, Rel: "alternate", Type: "text/html"})
	}
	if as.ID == "" && as.Title == nil && as.Links == nil && as.Updated == "" {
		return nil
	}
	return as
}

func writeAtom(w io.Writer, p *prepared) error {
	if p.Stylesheet != "" {
		return writeAtomStyled(w, p)
	}
	if err := gorilla.WriteXML(atomDocument(p), w); err != nil {
		return fmt.Errorf("encode xml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("encode xml: %w", err)
	}
	return nil
}

var _ gorilla.XmlFeed = (*atomFeed)(nil)

// writeAtomStyled writes the document as gorilla.WriteXML does, with an
// xml-stylesheet processing instruction between the XML declaration and the
// root element.
func writeAtomStyled(w io.Writer, p *prepared) error {
	var href strings.Builder
	if err := xml.EscapeText(&href, []byte(p.Stylesheet)); err != nil {
		return fmt.Errorf("encode xml: %w", err)
	}
	pi := xml.Header + `<?xml-stylesheet type="text/xsl" href="` + href.String() + `"?>` + "\n"
	if _, err := io.WriteString(w, pi); err != nil {
		return fmt.Errorf("encode xml: %w", err)
	}
	e := xml.NewEncoder(w)
	e.Indent("", "  ")
	if err := e.Encode(atomDocument(p).FeedXml()); err != nil {
		return fmt.Errorf("encode xml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("encode xml: %w", err)
	}
	return nil
}

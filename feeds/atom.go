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
	XmlnsFH  string    `xml:"xmlns:fh,attr,omitempty"`
	Title    atomText  `xml:"title"`
	Subtitle *atomText `xml:"subtitle"`
	*gorilla.AtomFeed
	Links     []atomLink     `xml:"link"`
	Archive   *struct{}      `xml:"fh:archive"`
	Generator *atomGenerator `xml:"generator"`
	Entries   []*atomEntry   `xml:"entry"`
}

// HistoryNS is the namespace of RFC 5005's fh:archive element.
const HistoryNS = "http://purl.org/syndication/history/1.0"

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
	Href     string `xml:"href,attr"`
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
	Title    string `xml:"title,attr,omitempty"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
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
	for _, h := range p.Hubs {
		doc.Links = append(doc.Links, atomLink{Href: h, Rel: "hub"})
	}
	if p.AlternateURL != "" {
		doc.Links = append(doc.Links, atomLink{Href: p.AlternateURL, Rel: "alternate", Type: "text/html"})
	}
	doc.Links = append(doc.Links, archiveLinks(p)...)
	if p.Archive {
		doc.XmlnsFH, doc.Archive = HistoryNS, &struct{}{}
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

// archiveLinks are the RFC 5005 links of the document: current,
// prev-archive, next-archive, each when set.
func archiveLinks(p *prepared) []atomLink {
	var links []atomLink
	for _, l := range []struct{ rel, href string }{
		{"current", p.CurrentURL}, {"prev-archive", p.PrevArchiveURL}, {"next-archive", p.NextArchiveURL},
	} {
		if l.href != "" {
			links = append(links, atomLink{Href: l.href, Rel: l.rel, Type: "application/atom+xml"})
		}
	}
	return links
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
		ae.Links = append(ae.Links, atomLink{Href: r.Href, Rel: "related", Type: "text/html", HrefLang: r.Lang, Title: r.Title})
	}
	for _, c := range e.categories {
		ae.Categories = append(ae.Categories, atomCategory{Term: c})
	}
	for _, c := range e.schemed {
		ae.Categories = append(ae.Categories, atomCategory(c))
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
	if as.ID == "" && as.Title == nil && as.Links == nil {
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
// xml-stylesheet processing instruction naming the CSS stylesheet between
// the XML declaration and the root element.
func writeAtomStyled(w io.Writer, p *prepared) error {
	var href strings.Builder
	if err := xml.EscapeText(&href, []byte(p.Stylesheet)); err != nil {
		return fmt.Errorf("encode xml: %w", err)
	}
	pi := xml.Header + `<?xml-stylesheet type="text/css" href="` + href.String() + `"?>` + "\n"
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

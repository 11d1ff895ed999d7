package feeds

import (
	"fmt"
	"io"
	"strings"

	gorilla "github.com/gorilla/feeds"
)

// rssDocument extends gorilla's <rss> wrapper with the Atom and Dublin Core
// namespaces, used for the feed's self link, related links and item authors.
type rssDocument struct {
	*gorilla.RssFeedXml
	AtomNS  string      `xml:"xmlns:atom,attr"`
	DCNS    string      `xml:"xmlns:dc,attr"`
	Channel *rssChannel `xml:"channel"`
}

// FeedXml returns the document to marshal.
func (r *rssDocument) FeedXml() any { return r }

type rssChannel struct {
	*gorilla.RssFeed
	AtomLinks []atomLink `xml:"atom:link"`
	Items     []*rssItem `xml:"item"`
}

// rssItem extends gorilla's RssItem: link and description left out when
// empty (RSS 2.0 needs only one of title and description), several categories, a source with its
// required url attribute, the outlet's name as dc:creator (RSS's author
// element must hold an e-mail address) and related links as atom:link.
type rssItem struct {
	*gorilla.RssItem
	Link        string        `xml:"link,omitempty"`
	Description string        `xml:"description,omitempty"`
	Creator     string        `xml:"dc:creator,omitempty"`
	Language    string        `xml:"dc:language,omitempty"`
	Categories  []rssCategory `xml:"category"`
	Source      *rssSource    `xml:"source"`
	Related     []atomLink    `xml:"atom:link"`
}

// rssCategory is a category with the scheme it belongs to as its domain.
type rssCategory struct {
	Domain string `xml:"domain,attr,omitempty"`
	Term   string `xml:",chardata"`
}

type rssSource struct {
	URL   string `xml:"url,attr"`
	Title string `xml:",chardata"`
}

// rssDocumentOf builds the RSS document: gorilla's RssFeed, extended.
func rssDocumentOf(p *prepared) *rssDocument {
	gf := p.gorillaFeed()
	ch := (&gorilla.Rss{Feed: gf}).RssFeed()
	wrapper, _ := ch.FeedXml().(*gorilla.RssFeedXml)
	wrapper.Channel = nil
	ch.ManagingEditor = "" // RSS wants an e-mail address; the feed has only a name
	if ch.Description == "" {
		ch.Description = p.Title // required by RSS 2.0
	}
	ch.Language = p.Language
	ch.Generator = strings.TrimSpace(p.Generator.Name + " " + p.Generator.Version)
	doc := &rssDocument{
		RssFeedXml: wrapper,
		AtomNS:     "http://www.w3.org/2005/Atom",
		DCNS:       "http://purl.org/dc/elements/1.1/",
		Channel:    &rssChannel{RssFeed: ch},
	}
	if p.SelfURL != "" {
		doc.Channel.AtomLinks = []atomLink{{Href: p.SelfURL, Rel: "self", Type: "application/rss+xml"}}
	}
	for _, h := range p.Hubs {
		doc.Channel.AtomLinks = append(doc.Channel.AtomLinks, atomLink{Href: h, Rel: "hub"})
	}
	doc.Channel.Items = make([]*rssItem, len(ch.Items))
	for i, gi := range ch.Items {
		e := &p.entries[i]
		gi.Author = ""
		it := &rssItem{RssItem: gi, Link: gi.Link, Description: gi.Description, Creator: e.Author, Language: e.Language}
		for _, c := range e.categories {
			it.Categories = append(it.Categories, rssCategory{Term: c})
		}
		for _, c := range e.schemed {
			it.Categories = append(it.Categories, rssCategory{Domain: c.Scheme, Term: c.Term})
		}
		if s := e.Source; s != nil {
			if u := firstNonEmpty(s.FeedURL, s.Link); u != "" {
				it.Source = &rssSource{URL: u, Title: firstNonEmpty(s.Title, u)}
			}
		}
		for _, r := range e.related {
			it.Related = append(it.Related, atomLink{Href: r.Href, Rel: "related", Type: "text/html", HrefLang: r.Lang, Title: r.Title})
		}
		doc.Channel.Items[i] = it
	}
	ch.Items = nil
	return doc
}

func writeRSS(w io.Writer, p *prepared) error {
	if err := gorilla.WriteXML(rssDocumentOf(p), w); err != nil {
		return fmt.Errorf("encode xml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("encode xml: %w", err)
	}
	return nil
}

var _ gorilla.XmlFeed = (*rssDocument)(nil)

package fetch

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// feedTypes are the link types an HTML page uses to advertise a feed.
var feedTypes = map[string]bool{
	"application/rss+xml": true, "application/atom+xml": true, "application/feed+json": true,
	"application/rdf+xml": true, "application/json": true,
}

// maxAlternates bounds how many advertised feeds an error lists.
const maxAlternates = 10

// notAFeed builds the error for a body that gofeed does not recognise,
// listing the feeds an HTML page advertises.
func notAFeed(text []byte, contentType string, base *url.URL) error {
	mt := mediaType(contentType)
	root := rootElement(text)
	isHTML := mt == "text/html" || mt == "application/xhtml+xml" || strings.EqualFold(root, "html") ||
		(root == "" && strings.HasPrefix(http.DetectContentType(text), "text/html"))
	e := &NotAFeedError{ContentType: mt}
	if isHTML {
		if e.ContentType == "" || !strings.Contains(e.ContentType, "html") {
			e.ContentType = "text/html"
		}
		e.Alternates = alternates(text, base)
		return e
	}
	if e.ContentType == "" {
		e.ContentType = strings.ToLower(strings.TrimSpace(strings.Split(http.DetectContentType(text), ";")[0]))
	}
	if root != "" {
		e.Detail = "root element <" + root + ">"
	}
	return e
}

// rootElement returns the local name of the first element of an XML
// document, "" when there is none before the first error.
func rootElement(text []byte) string {
	d := xml.NewDecoder(bytes.NewReader(text))
	d.Strict = false
	d.CharsetReader = nil
	for range 1000 {
		tok, err := d.RawToken()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
	return ""
}

// alternates returns the absolute URLs of the feeds an HTML page advertises
// with <link rel="alternate" type="application/rss+xml|atom+xml|…" href="…">.
func alternates(page []byte, base *url.URL) []string {
	var out []string
	seen := map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(page))
	for len(out) < maxAlternates {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if atom.Lookup(name) != atom.Link || !hasAttr {
			continue
		}
		var rel, typ, href string
		for {
			k, v, more := z.TagAttr()
			switch string(k) {
			case "rel":
				rel = strings.ToLower(string(v))
			case "type":
				typ = strings.ToLower(strings.TrimSpace(string(v)))
			case "href":
				href = string(v)
			}
			if !more {
				break
			}
		}
		typ, _, _ = strings.Cut(typ, ";")
		if !containsField(rel, "alternate") || !feedTypes[strings.TrimSpace(typ)] {
			continue
		}
		if u := resolveLink(base, href); u != "" && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

// containsField reports whether the space-separated list s contains word.
func containsField(s, word string) bool {
	for _, f := range strings.Fields(s) {
		if f == word {
			return true
		}
	}
	return false
}

package feeds

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// policy is the allow-list applied to upstream HTML. A bluemonday policy is
// safe for concurrent use once built.
var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "b", "i", "em", "strong", "ul", "ol", "li", "blockquote",
		"h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("src", "alt").OnElements("img")
	// Only absolute http(s) and mailto URLs: relative ones would resolve
	// against this feed instead of the upstream page, and every other scheme
	// (javascript:, vbscript:, data:, …) is dropped with its attribute.
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	p.RequireNoFollowOnLinks(true)
	// "<p>a</p><div>b</div>" must not become "ab".
	p.AddSpaceWhenStrippingTag(true)
	return p
}

// Sanitize returns html with everything removed but an allow-list of
// harmless markup: p, br, a[href], b, i, em, strong, ul, ol, li, blockquote,
// img[src,alt], h1–h6, figure and figcaption. Scripts, styles, frames,
// objects, forms, event handlers, style attributes and URLs with schemes
// other than http, https and mailto are removed; the text of removed
// elements is kept, except inside script, style, iframe and object. Links
// get rel="nofollow noopener". Text is returned entity-escaped. The markup
// is balanced: html is parsed as an HTML5 parser would (an end tag with no
// start tag is dropped, an element left open is closed) and written out
// again before the allow-list applies, and void elements end in "/>".
func Sanitize(html string) string {
	out := policy.Sanitize(balance(html))
	// bluemonday adds rel="nofollow" itself but adds noopener only together
	// with target="_blank", which we do not want. Its output escapes quotes
	// in text and attribute values, so this exact string can only be the
	// rel attribute it added to an <a>.
	out = strings.ReplaceAll(out, ` rel="nofollow"`, ` rel="nofollow noopener"`)
	// An image whose src was dropped (data:, javascript:, relative) is left
	// as <img alt="…">; remove it.
	out = imgWithoutSrc.ReplaceAllString(out, "")
	// Stripped tags leave spaces behind (see AddSpaceWhenStrippingTag); with
	// no <pre> allowed, runs of them render as one space anyway.
	return strings.TrimSpace(spaceRun.ReplaceAllString(out, " "))
}

var spaceRun = regexp.MustCompile(`[ \t]{2,}`)

// imgWithoutSrc matches an img element that bluemonday left with no src; its
// output quotes every attribute value and escapes quotes inside them.
var imgWithoutSrc = regexp.MustCompile(`<img(?: alt="[^"]*")?/?>`)

// body is the context balance parses a fragment in: the body of a document.
var body = &xhtml.Node{Type: xhtml.ElementNode, Data: "body", DataAtom: atom.Body}

// balance parses s as an HTML fragment and renders the tree again, so that
// every element is closed once and end tags without a start tag are gone.
// The allow-list drops an element's start and end tags together, so its
// output stays balanced.
func balance(s string) string {
	if !strings.ContainsRune(s, '<') {
		return s
	}
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		// The parser fails only when reading fails; a strings.Reader
		// does not.
		return xhtml.EscapeString(s)
	}
	var b strings.Builder
	for _, n := range nodes {
		if err := xhtml.Render(&b, n); err != nil {
			return xhtml.EscapeString(s)
		}
	}
	return b.String()
}

// stripTags returns the text of s without its tags, its entities decoded,
// when s holds markup (a "<" starting a tag); else s as it is.
func stripTags(s string) string {
	if !strings.ContainsRune(s, '<') {
		return s
	}
	var b strings.Builder
	markup := false
	z := xhtml.NewTokenizer(strings.NewReader(s))
	for tt := z.Next(); tt != xhtml.ErrorToken; tt = z.Next() {
		switch tt {
		case xhtml.TextToken:
			b.Write(z.Text())
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			markup = true
			b.WriteByte(' ')
		}
	}
	if !markup {
		return s
	}
	return b.String()
}

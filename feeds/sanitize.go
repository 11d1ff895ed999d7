package feeds

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
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
// get rel="nofollow noopener". Text is returned entity-escaped.
func Sanitize(html string) string {
	out := policy.Sanitize(html)
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

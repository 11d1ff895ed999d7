package fetch

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// blockElements end a line of text before and after them.
var blockElements = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Br: true, atom.Caption: true, atom.Dd: true, atom.Details: true, atom.Div: true,
	atom.Dl: true, atom.Dt: true, atom.Figcaption: true, atom.Figure: true, atom.Footer: true,
	atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Header: true, atom.Hr: true, atom.Li: true, atom.Main: true,
	atom.Nav: true, atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true,
	atom.Summary: true, atom.Table: true, atom.Tbody: true, atom.Td: true, atom.Tfoot: true,
	atom.Th: true, atom.Thead: true, atom.Tr: true, atom.Ul: true,
}

// skippedElements have contents that are not text a reader sees.
var skippedElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Title: true, atom.Svg: true, atom.Math: true, atom.Iframe: true,
	atom.Object: true,
}

// HTMLToText returns the plain text of an HTML fragment or document: block
// elements (p, div, br, li, h1–h6, tr, blockquote…) become line breaks, the
// contents of script, style, noscript and the like are dropped, entities are
// decoded, and the result goes through NormalizeText.
func HTMLToText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return NormalizeText(s)
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0 // depth inside skipped elements
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return NormalizeText(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skippedElements[a] && tt != html.SelfClosingTagToken {
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
				continue
			}
			if blockElements[a] {
				b.WriteByte('\n')
			} else if a == atom.Img {
				b.WriteByte(' ')
			}
		}
	}
}

// NormalizeText applies Unicode NFKC, drops control and zero-width
// characters, collapses runs of spaces and tabs into one space, trims each
// line, drops empty lines and joins the rest with "\n". Invalid UTF-8 becomes
// U+FFFD.
func NormalizeText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = norm.NFKC.String(s)
	var out strings.Builder
	out.Grow(len(s))
	var line strings.Builder
	space := false // a space is pending inside the current line
	flush := func() {
		if line.Len() > 0 {
			if out.Len() > 0 {
				out.WriteByte('\n')
			}
			out.WriteString(line.String())
			line.Reset()
		}
		space = false
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == '\u2028' || r == '\u2029' || r == '\u0085':
			flush()
		case unicode.IsSpace(r):
			space = line.Len() > 0
		case r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060' || r == '\uFEFF' || r == '\u00AD':
			// zero-width characters and soft hyphens: invisible, drop
		case unicode.IsControl(r):
			space = line.Len() > 0
		default:
			if space {
				line.WriteByte(' ')
				space = false
			}
			line.WriteRune(r)
		}
	}
	flush()
	return out.String()
}

// singleLine joins the lines of NormalizeText output with spaces.
func singleLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// capHTML shortens s to at most max bytes, cutting after the last complete
// tag in the second half of the allowance when there is one, else at a rune
// boundary.
func capHTML(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := s[:max]
	if i := strings.LastIndexByte(cut, '>'); i >= max/2 {
		return cut[:i+1]
	}
	i := max
	for i > 0 && max-i < utf8.UTFMax && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

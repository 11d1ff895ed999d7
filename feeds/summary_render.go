package feeds

import (
	"html"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// summaryRender rewrites a parsed HTML fragment as paragraphs, lists and
// inline markup, counting the visible text; with a limit it stops after
// that many characters of it, adds Ellipsis and closes what is open.
type summaryRender struct {
	out   strings.Builder
	plain strings.Builder // the visible text, a "\n" between paragraphs
	n     int             // characters of plain so far
	limit int             // -1: no limit
	done  bool

	para    bool // a <p> of ours is open
	list    int  // depth of open lists
	item    int  // depth of open list items: their blocks do not open paragraphs
	inline  int  // depth of open inline elements: blocks inside them are spaces
	space   bool // a space is pending before the next text
	started bool // text was written since the last paragraph break
}

func render(nodes []*xhtml.Node, limit int) *summaryRender {
	r := &summaryRender{limit: limit}
	for _, n := range nodes {
		r.node(n)
	}
	r.closePara()
	return r
}

// skipped elements are dropped with everything inside them.
var skipped = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Object: true,
	atom.Embed: true, atom.Noscript: true, atom.Template: true, atom.Svg: true, atom.Math: true, atom.Head: true,
	atom.Title: true, atom.Select: true, atom.Textarea: true, atom.Button: true, atom.Frameset: true}

// inlineKept are the inline elements written out, with href on a.
var inlineKept = map[atom.Atom]bool{atom.A: true, atom.B: true, atom.Strong: true, atom.I: true, atom.Em: true}

// blocks end the paragraph before them and start a new one after them.
var blocks = map[atom.Atom]bool{atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true,
	atom.Header: true, atom.Footer: true, atom.Main: true, atom.Aside: true, atom.Nav: true, atom.Blockquote: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Figure: true,
	atom.Figcaption: true, atom.Table: true, atom.Tr: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Pre: true, atom.Address: true, atom.Center: true, atom.Hr: true, atom.Form: true, atom.Fieldset: true,
	atom.Details: true, atom.Summary: true, atom.Body: true, atom.Html: true}

func (r *summaryRender) node(n *xhtml.Node) {
	if r.done {
		return
	}
	switch n.Type {
	case xhtml.TextNode:
		r.text(n.Data)
		return
	case xhtml.ElementNode:
	default:
		r.children(n)
		return
	}
	switch a := n.DataAtom; {
	case skipped[a]:
	case a == atom.Ul || a == atom.Ol:
		r.listNode(n)
	case a == atom.Li && r.list > 0 && r.item == 0:
		r.textBreak()
		r.out.WriteString("<li>")
		r.item++
		r.children(n)
		r.item--
		r.out.WriteString("</li>")
		r.textBreak()
	case a == atom.Td || a == atom.Th:
		r.space = r.started
		r.children(n)
		r.space = r.started
	case a == atom.A && !safeURL(n, "href"):
		r.children(n)
	case inlineKept[a]:
		r.openPara()
		r.pendingSpace()
		r.out.WriteString("<" + a.String() + attr(n, "href") + ">")
		r.inline++
		r.children(n)
		r.inline--
		r.out.WriteString("</" + a.String() + ">")
	case a == atom.Br:
		if r.started && !r.done {
			r.out.WriteString("<br>")
			r.space = false
		}
	case a == atom.Img:
		if safeURL(n, "src") {
			r.openPara()
			r.pendingSpace()
			r.out.WriteString("<img" + attr(n, "src") + attr(n, "alt") + ">")
		}
	case blocks[a] || a == atom.Li:
		r.breakPara()
		r.children(n)
		r.breakPara()
	default:
		r.children(n)
	}
}

func (r *summaryRender) children(n *xhtml.Node) {
	for c := n.FirstChild; c != nil && !r.done; c = c.NextSibling {
		r.node(c)
	}
}

// listNode writes a list; a list inside an inline element or list item is
// flattened into it.
func (r *summaryRender) listNode(n *xhtml.Node) {
	if r.inline > 0 || r.item > 0 {
		r.children(n)
		return
	}
	r.breakPara()
	tag := n.DataAtom.String()
	r.out.WriteString("<" + tag + ">")
	r.list++
	r.children(n)
	r.list--
	r.out.WriteString("</" + tag + ">")
	r.breakPara()
}

// text writes a text node with its white space collapsed, up to the limit.
func (r *summaryRender) text(s string) {
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	lead := s != "" && unicode.IsSpace(first)
	for i, w := range strings.FieldsFunc(s, unicode.IsSpace) {
		if r.done {
			return
		}
		if r.started && (i > 0 || lead || r.space) {
			r.emit(" ")
		}
		r.space = false
		r.emit(w)
	}
	if s != "" && unicode.IsSpace(last) {
		r.space = true
	}
}

// emit writes visible text, cut at the limit.
func (r *summaryRender) emit(s string) {
	if s == " " && r.limit >= 0 && r.n >= r.limit {
		r.finish()
		return
	}
	r.openPara()
	rs := []rune(s)
	if r.limit >= 0 && r.n+len(rs) > r.limit {
		rs = rs[:r.limit-r.n]
	}
	r.out.WriteString(html.EscapeString(string(rs)))
	r.plain.WriteString(string(rs))
	r.n += len(rs)
	r.started = true
	if r.limit >= 0 && r.n >= r.limit {
		r.finish()
	}
}

func (r *summaryRender) finish() {
	if !r.done {
		r.out.WriteString(html.EscapeString(Ellipsis))
		r.done = true
	}
}

// openPara opens a paragraph for loose inline content.
func (r *summaryRender) openPara() {
	if !r.para && r.item == 0 && r.list == 0 {
		r.out.WriteString("<p>")
		r.para = true
	}
}

func (r *summaryRender) closePara() {
	if r.para {
		r.out.WriteString("</p>")
		r.para = false
	}
}

// breakPara ends the paragraph (a space inside inline elements and list
// items, where a paragraph cannot end).
func (r *summaryRender) breakPara() {
	if r.inline > 0 || r.item > 0 {
		r.space = r.started
		return
	}
	r.closePara()
	r.textBreak()
}

// textBreak records a paragraph break in the visible text.
func (r *summaryRender) textBreak() {
	if r.started && !r.done {
		r.plain.WriteString("\n")
		r.n++
	}
	r.started, r.space = false, false
}

// pendingSpace writes the space pending before an inline element.
func (r *summaryRender) pendingSpace() {
	if r.started && r.space {
		r.emit(" ")
	}
	r.space = false
}

// safeURL reports whether n's attribute key is an absolute http(s) or
// mailto URL, which Sanitize keeps.
func safeURL(n *xhtml.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			u, err := url.Parse(strings.TrimSpace(a.Val))
			return err == nil && (u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "mailto")
		}
	}
	return false
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return " " + key + `="` + html.EscapeString(a.Val) + `"`
		}
	}
	return ""
}

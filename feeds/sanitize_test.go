package feeds

import (
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain text kept", "Hello, world", "Hello, world"},
		{"allowed markup kept", "<p>A <b>b</b> <i>i</i> <em>e</em> <strong>s</strong><br></p>",
			"<p>A <b>b</b> <i>i</i> <em>e</em> <strong>s</strong><br/></p>"},
		{"lists and quotes kept", "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote>q</blockquote>",
			"<ul><li>one</li></ul><ol><li>two</li></ol><blockquote>q</blockquote>"},
		{"headings and figures kept", "<h1>t</h1><h6>u</h6><figure><img src=\"https://x.example/a.jpg\" alt=\"a\"><figcaption>c</figcaption></figure>",
			"<h1>t</h1><h6>u</h6><figure><img src=\"https://x.example/a.jpg\" alt=\"a\"/><figcaption>c</figcaption></figure>"},
		{"link gets nofollow noopener", `<a href="https://x.example/a">x</a>`,
			`<a href="https://x.example/a" rel="nofollow noopener">x</a>`},
		{"upstream rel replaced", `<a href="https://x.example/" rel="opener">x</a>`,
			`<a href="https://x.example/" rel="nofollow noopener">x</a>`},
		{"script removed with its text", `a<script>alert(1)</script>b`, "ab"},
		{"script in upper case removed", `a<SCRIPT SRC="https://evil.example/x.js"></SCRIPT>b`, "ab"},
		{"style element removed", `<style>body{display:none}</style>text`, "text"},
		{"iframe removed", `x<iframe src="https://evil.example/"></iframe>y`, "x y"},
		{"object and embed removed", `<object data="a.swf"><param name="a"></object><embed src="b.swf">z`, "z"},
		{"form removed, text kept", `<form action="https://evil.example/"><input name="q"><button>Go</button></form>`, "Go"},
		{"onclick removed", `<p onclick="steal()">hi</p>`, "<p>hi</p>"},
		{"onerror removed", `<img src="https://x.example/a.jpg" onerror="x()">`, `<img src="https://x.example/a.jpg"/>`},
		{"style attribute removed", `<p style="color:red">hi</p>`, "<p>hi</p>"},
		{"javascript href removed, text kept", `<a href="javascript:alert(1)">click</a>`, "click"},
		{"obfuscated javascript href removed", `<a href="jav&#x09;ascript:alert(1)">click</a>`, "click"},
		{"vbscript href removed", `<a href="vbscript:msgbox(1)">vb</a>`, "vb"},
		{"data href removed", `<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>`, "d"},
		{"data image dropped", `<img src="data:image/png;base64,AAAA" alt="pixel">`, ""},
		{"relative link dropped", `<p>see <a href="/local">l</a>.</p>`, "<p>see l .</p>"},
		{"unknown element stripped, text kept", "<div>a</div><span>b</span>", "a b"},
		{"entities stay escaped", "Tom &amp; Jerry &lt;3 &#34;q&#34;", "Tom &amp; Jerry &lt;3 &#34;q&#34;"},
		{"bare ampersand escaped", "AT&T <3", "AT&amp;T &lt;3"},
		{"quote in attribute cannot break out", `<a href="https://x.example/?a=&quot;onclick=&quot;x">x</a>`,
			`<a href="https://x.example/?a=&#34;onclick=&#34;x" rel="nofollow noopener">x</a>`},
		{"html comment removed", "a<!-- <script>x</script> -->b", "ab"},
		{"stray end tag dropped", "<p>one</p>two</p>", "<p>one</p>two<p></p>"},
		{"unclosed elements closed", "<p>a <b>bold<p>next", "<p>a <b>bold</b></p><p><b>next</b></p>"},
		{"misnested elements repaired", "<b><i>x</b>y</i>", "<b><i>x</i></b><i>y</i>"},
		{"stray end tag of a dropped element", "a</div></span>b", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in); got != tt.want {
				t.Errorf("Sanitize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestSanitizeNeverEmitsActiveContent feeds hostile fragments and checks the
// output for anything a browser would execute.
func TestSanitizeNeverEmitsActiveContent(t *testing.T) {
	hostile := []string{
		`<scr<script>ipt>alert(1)</script>`,
		`<svg onload=alert(1)>`,
		`<img src=x onerror=alert(1)//`,
		`<a href=" javascript:alert(1)">x</a>`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<body onload="x()">`,
		`<meta http-equiv="refresh" content="0;url=javascript:x()">`,
		`<link rel="stylesheet" href="https://evil.example/x.css">`,
		`<base href="https://evil.example/">`,
	}
	forbidden := []string{"<script", "<svg", "<style", "<meta", "<link", "<base", "<body", "onerror", "onload", "javascript:"}
	for _, in := range hostile {
		out := strings.ToLower(Sanitize(in))
		for _, f := range forbidden {
			if strings.Contains(out, f) {
				t.Errorf("Sanitize(%q) = %q, contains %q", in, out, f)
			}
		}
	}
}

// TestSanitizeBalanced checks that the output is balanced HTML: parsed and
// rendered again by an HTML5 parser it stays the same, so no end tag lacks
// its start tag and no element is left open (the W3C validator's NotHtml).
func TestSanitizeBalanced(t *testing.T) {
	inputs := []string{
		"a</p>b",
		"<p>a<ul><li>b</li></ul>c</p>",
		"<b>x<p>y</b>z",
		"<li>a</li></p>",
		`<a href="https://x.example/">a<p>b</a>`,
		"<blockquote>x</p>",
		"<p>a<blockquote>b</p>c</blockquote>",
		"<h1>a<p>b</h1>",
		"<figure><p>a</figure></figcaption>",
		`<a href="javascript:x()"><b>t</a></b></p>`,
		`<table><tr><td><p>cell</td></tr></table></p>`,
		"</p></p><p>",
	}
	for _, in := range inputs {
		out := Sanitize(in)
		if again := reparse(t, out); again != out {
			t.Errorf("Sanitize(%q) = %q, not balanced: parsed again it is %q", in, out, again)
		}
		if strings.Count(out, "</p>") != strings.Count(out, "<p>") {
			t.Errorf("Sanitize(%q) = %q: <p> and </p> do not pair", in, out)
		}
	}
}

// reparse parses s as a fragment of a body and renders it again.
func reparse(t *testing.T, s string) string {
	t.Helper()
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), &xhtml.Node{Type: xhtml.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, n := range nodes {
		if err := xhtml.Render(&b, n); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

package feeds

import (
	"strings"
	"testing"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain text kept", "Hello, world", "Hello, world"},
		{"allowed markup kept", "<p>A <b>b</b> <i>i</i> <em>e</em> <strong>s</strong><br></p>",
			"<p>A <b>b</b> <i>i</i> <em>e</em> <strong>s</strong><br></p>"},
		{"lists and quotes kept", "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote>q</blockquote>",
			"<ul><li>one</li></ul><ol><li>two</li></ol><blockquote>q</blockquote>"},
		{"headings and figures kept", "<h1>t</h1><h6>u</h6><figure><img src=\"https://x.example/a.jpg\" alt=\"a\"><figcaption>c</figcaption></figure>",
			"<h1>t</h1><h6>u</h6><figure><img src=\"https://x.example/a.jpg\" alt=\"a\"><figcaption>c</figcaption></figure>"},
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
		{"onerror removed", `<img src="https://x.example/a.jpg" onerror="x()">`, `<img src="https://x.example/a.jpg">`},
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

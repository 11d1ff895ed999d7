package fetch

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs become lines", "<p>One.</p><p>Two.</p>", "One.\nTwo."},
		{"br", "first<br>second<br/>third", "first\nsecond\nthird"},
		{"script and style dropped", "<p>keep</p><script>var x = '<p>no</p>';</script><style>p{}</style><noscript>no</noscript>", "keep"},
		{"entities decoded", "Kim &amp; Putin &lt;3 &quot;talks&quot; &#x41;&#66; &nbsp;end", `Kim & Putin <3 "talks" AB end`},
		{"inline tags do not split words", "Py<b>ong</b>yang <a href='x'>link</a>", "Pyongyang link"},
		{"lists and headings", "<h1>Title</h1><ul><li>a</li><li>b</li></ul>", "Title\na\nb"},
		{"table rows", "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>", "1\n2\n3"},
		{"blockquote and div", "<div>x<blockquote>quoted</blockquote>y</div>", "x\nquoted\ny"},
		{"whitespace collapsed", "<p>  lots \t of\n\n space  </p>", "lots of\nspace"},
		{"plain text passes through", "no markup here", "no markup here"},
		{"unclosed tags", "<p>open <b>bold", "open bold"},
		{"comment dropped", "a<!-- hidden -->b", "ab"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLToText(tt.in); got != tt.want {
				t.Errorf("HTMLToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"fullwidth to ASCII", "ＡＢＣ１２３", "ABC123"},
		{"ligature", "ﬁnancial", "financial"},
		{"nbsp and ideographic space", "a\u00a0b\u3000c", "a b c"},
		{"runs of spaces and tabs", "a  \t b", "a b"},
		{"lines trimmed, empty dropped", "  one  \n\n \t \r\n two\r\nthree ", "one\ntwo\nthree"},
		{"zero-width and soft hyphen dropped", "Py\u200Bong\u00ADyang\uFEFF", "Pyongyang"},
		{"control characters are spaces", "a\x00b\x07c", "a b c"},
		{"invalid utf-8 replaced", "ok\xffok", "ok\uFFFDok"},
		{"composed form", "e\u0301", "é"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeText(tt.in); got != tt.want {
				t.Errorf("NormalizeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCapHTML(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"short unchanged", "<p>hi</p>", 100, "<p>hi</p>"},
		{"cut after last tag", "<p>aaaa</p><p>bbbbbbbb</p>", 16, "<p>aaaa</p><p>"},
		{"no tag in second half: rune boundary", "<p>" + strings.Repeat("é", 20), 10, "<p>ééé"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := capHTML(tt.in, tt.max)
			if got != tt.want || len(got) > tt.max || !utf8.ValidString(got) {
				t.Errorf("capHTML(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

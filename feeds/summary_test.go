package feeds

import (
	"strings"
	"testing"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
)

func TestSummary(t *testing.T) {
	long := strings.Repeat("word ", 30) // 150 characters
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"short text is kept", "<p>Kim met Putin.</p>", 100, "<p>Kim met Putin.</p>"},
		{"loose text becomes a paragraph", "Kim met Putin.", 100, "<p>Kim met Putin.</p>"},
		{"paragraphs stay paragraphs", "<p>One.</p><p>Two.</p>", 100, "<p>One.</p><p>Two.</p>"},
		{"div blocks become paragraphs", "<div>One.</div><div>Two.</div>", 100, "<p>One.</p><p>Two.</p>"},
		{"text around a block", "Lead<div>Body</div>Tail", 100, "<p>Lead</p><p>Body</p><p>Tail</p>"},
		{"cut at a sentence", "<p>The first sentence is here. The second one runs on and on.</p>", 40,
			"<p>The first sentence is here. …</p>"},
		{"cut at a paragraph end", "<p>Kim met Putin in Pyongyang</p><p>They signed a treaty on defence.</p>", 40,
			"<p>Kim met Putin in Pyongyang …</p>"},
		{"cut at a word when no sentence ends in the budget", "<p>" + long + "</p>", 22, "<p>word word word word …</p>"},
		{"an abbreviation is no sentence end", "<p>Talks with the U.S. and Mr. Putin went on for many hours</p>", 30,
			"<p>Talks with the U.S. and Mr. …</p>"},
		{"never inside a UTF-8 sequence", "<p>" + strings.Repeat("é", 50) + "</p>", 10, "<p>" + strings.Repeat("é", 10) + " …</p>"},
		{"CJK sentence", "<p>金正恩与普京会谈。双方签署了条约并讨论了合作的许多方面。</p>", 12, "<p>金正恩与普京会谈。 …</p>"},
		{"inline markup closed after the cut", `<p>See <a href="https://example.org/a">the long report on the summit talks</a> today.</p>`, 20,
			`<p>See <a href="https://example.org/a" rel="nofollow noopener">the long report …</a></p>`},
		{"later paragraphs dropped after the cut", "<p>First paragraph ends here.</p><p>" + long + "</p><p>Third.</p>", 40,
			"<p>First paragraph ends here. …</p>"},
		{"lists kept", "<ul><li>one</li><li>two</li></ul>", 100, "<ul><li>one</li><li>two</li></ul>"},
		{"scripts and styles dropped", "<p>Hi<script>alert(1)</script><style>p{}</style> there</p>", 100, "<p>Hi there</p>"},
		{"unsafe links dropped", `<p><a href="javascript:alert(1)">x</a></p>`, 100, "<p>x</p>"},
		{"unbalanced input balanced", "<p><b>bold <i>both", 100, "<p><b>bold <i>both</i></b></p>"},
		{"table cells spaced", "<table><tr><td>a</td><td>b</td></tr></table>", 100, "<p>a b</p>"},
		{"breaks inside a paragraph", "<p>one<br>two</p>", 100, "<p>one<br/>two</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summary(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("Summary(%q, %d)\n got %q\nwant %q", tt.in, tt.max, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("invalid UTF-8: %q", got)
			}
			if _, err := xhtml.ParseFragment(strings.NewReader(got), nil); err != nil {
				t.Errorf("output does not parse: %v", err)
			}
		})
	}
}

func TestTextHTML(t *testing.T) {
	got := TextHTML("First <line>.\n\n  Second line.  \n")
	want := "<p>First &lt;line&gt;.</p><p>Second line.</p>"
	if got != want {
		t.Errorf("TextHTML = %q, want %q", got, want)
	}
}

func TestShortenText(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"Short title", 300, "Short title"},
		{"Kim  and\nPutin", 300, "Kim and Putin"},
		{"Putin accepts an invitation to visit North Korea", 20, "Putin accepts an …"},
		{strings.Repeat("x", 30), 10, strings.Repeat("x", 10) + " …"},
		{"Ким Чен Ын пригласил Путина", 12, "Ким Чен Ын …"},
	}
	for _, tt := range tests {
		if got := ShortenText(tt.in, tt.max); got != tt.want {
			t.Errorf("ShortenText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

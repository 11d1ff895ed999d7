package feeds

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// SummaryMax is the length, in characters of visible text, that Summary
// shortens an entry's summary to; TitleMax is the same for titles, which
// Write caps itself.
const (
	SummaryMax = 600
	TitleMax   = 300
)

// Ellipsis ends a shortened title or summary.
const Ellipsis = " …"

// Summary returns html as a sanitised summary of at most max characters of
// visible text (SummaryMax when max <= 0). Paragraphs stay paragraphs: every
// block of the upstream markup (p, div, section, headings, table rows, …)
// becomes a <p>, lists stay lists, and only links, emphasis, line breaks and
// images are kept inside them. A longer text is cut at the end of the last
// sentence that fits in the second half of the budget, else at the last
// space there, else at a character, and ends with Ellipsis. The result is
// balanced markup, never cut inside a tag, a word (where a word ends at a
// space) or a UTF-8 sequence.
func Summary(s string, max int) string {
	if max <= 0 {
		max = SummaryMax
	}
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), &xhtml.Node{Type: xhtml.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return Sanitize(s)
	}
	all := render(nodes, -1)
	text := []rune(all.plain.String())
	if len(text) <= max {
		return Sanitize(all.out.String())
	}
	return Sanitize(render(nodes, cutAt(text, max)).out.String())
}

// TextHTML turns plain text whose paragraphs are separated by newlines into
// HTML paragraphs.
func TextHTML(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			b.WriteString("<p>" + html.EscapeString(line) + "</p>")
		}
	}
	return b.String()
}

// ShortenText returns the plain text s on one line with at most max
// characters, cut at a word boundary (at a character when a single word
// fills more than half of it) and ending with Ellipsis when shortened.
func ShortenText(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return strings.TrimSpace(string(r[:wordCut(r, max)])) + Ellipsis
}

// cutAt is where a text longer than max is cut: after the last sentence end
// within max, else at the last space, as long as either lies in the second
// half of the budget; else at max.
func cutAt(text []rune, max int) int {
	for i := max; i >= max/2 && i > 0; i-- {
		if sentenceEnd(text, i) {
			return i
		}
	}
	return wordCut(text, max)
}

// wordCut is the last space at or before max in the second half of the
// budget (the text before it), else max.
func wordCut(text []rune, max int) int {
	for i := max; i >= max/2 && i > 0; i-- {
		if unicode.IsSpace(text[i]) && !unicode.IsSpace(text[i-1]) {
			return i
		}
	}
	return max
}

// sentenceEnd reports whether text[:i] ends a sentence: a full stop,
// question or exclamation mark (Latin or CJK), possibly followed by closing
// quotes or brackets, and then a space (not needed after a CJK mark), or a
// paragraph break. A full stop
// after a single letter or a common title ("U.S.", "Mr.") does not count.
func sentenceEnd(text []rune, i int) bool {
	if i < len(text) && text[i] == '\n' {
		return true // a paragraph's end
	}
	j := i - 1
	for j > 0 && strings.ContainsRune(`"'”’»)]」』`, text[j]) {
		j--
	}
	switch text[j] {
	case '。', '！', '？':
		return true
	case '!', '?':
		return i == len(text) || unicode.IsSpace(text[i])
	case '.':
		if i < len(text) && !unicode.IsSpace(text[i]) {
			return false
		}
	default:
		return false
	}
	k := j
	for k > 0 && unicode.IsLetter(text[k-1]) {
		k--
	}
	word := string(text[k:j])
	if utf8.RuneCountInString(word) == 1 && unicode.IsUpper(text[k]) {
		return false // "U.S.", "J. Smith"
	}
	switch word {
	case "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Lt", "Col", "Sgt", "Jr", "Sr", "vs", "No", "Prof", "Rep", "Sen", "Gov":
		return false
	}
	return true
}

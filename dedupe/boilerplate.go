package dedupe

import (
	"regexp"
	"strings"
	"unicode"
)

// boilerplateStarts matches the start of trimmed lines that are site
// furniture rather than article text: link teasers, bylines, credits, share
// buttons, ad markers, copyright and subscription footers. The patterns are
// joined into one case-insensitive alternation anchored at the line start.
var boilerplateStarts = anchoredAnyOf(
	// "Baca Juga: …", "Baca juga …", "Lihat juga", "Read more: …", "Also read", "Lesen Sie auch", "Xem thêm".
	`(baca|lihat|simak) (juga|selengkapnya|artikel)\b`,
	`(read|see|watch) (more|also)\b`,
	`also (read|see)\b`,
	`related( articles?| stories| news)?\s*:`,
	`(lesen sie auch|mehr zum thema)\b`,
	`(xem thêm|đọc thêm|tin liên quan)\b`,
	// Bylines and sources: "Penulis : … Editor : …", "Sumber: Reuters | Editor: …", "Reporter: …".
	`(penulis|editor|reporter|pewarta|redaktur|penyunting|sumber|source|writer|written by|edited by)\s*:`,
	// Credits: "Additional reporting by …", "Writing by … Editing by …".
	`(additional )?reporting by\b`,
	`(writing|editing) by\b`,
	// Photo credits.
	`(foto|photo|photos|image|gambar|ilustrasi|dok)\s*[:/(]`,
	// Share buttons.
	`(share|tweet|bagikan|salin tautan|salin link|copy link|share this( article| story)?|print|cetak)$`,
	// Ads and scroll prompts.
	`(advertisement|iklan|anzeige|sponsored|adunit\b.*)$`,
	`scroll (to|untuk) (continue|lanjut)`,
	// Copyright.
	`(copyright|hak cipta)\b`,
	`(©|\(c\) )`,
	// Subscription and footer prompts.
	`(dapatkan|ikuti|follow|subscribe|gabung|join)\b.*\b(whatsapp|telegram|google news|newsletter|channel|berita terkini|updates?)\b`,
	`(untuk berita terkini|for the latest news)\b`,
	`(download|unduh) (aplikasi|the app|our app)\b`,
	// Placeholders and wire sign-offs: "[img.2]", "name@yna.co.kr(END)".
	`\[(img|embed)\.\d+\]$`,
	`\S+@\S+\s*\(end\)$`,
)

// boilerplatePhrases mark a short line as boilerplate wherever they occur
// in it (compared in lower case): credits such as "Associated Press
// contributed to this report." or "… berkontribusi pada laporan ini.", photo
// agencies, rights notices and update stamps.
var boilerplatePhrases = []string{
	"contributed to this report", "contributed to this story", "contributed to this article",
	"berkontribusi pada laporan", "berkontribusi pada pemberitaan", "berkontribusi pada berita",
	"berkontribusi dalam laporan", "berkontribusi untuk laporan",
	"getty images", "ap photo", "afp photo", "antara foto", "reuters photo",
	"all rights reserved", "last updated",
}

func anchoredAnyOf(patterns ...string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)^(?:` + strings.Join(patterns, `|`) + `)`)
}

// maxBoilerplateWords is the longest line the table and the byline rule are
// tried on; longer lines are paragraphs of text.
const maxBoilerplateWords = 25

// byline matches a line that is only "By" and capitalised names, such as
// "By Hyung-jin Kim and Jim Heintz" (case-sensitive, unlike the table).
var byline = regexp.MustCompile(`^By\s+\p{Lu}[\p{L}.'-]*(\s+(\p{Lu}[\p{L}.'-]*|and|dan|und))*$`)

// maxShortLineWords is the longest line the short-line rule strips.
const maxShortLineWords = 3

// StripBoilerplate splits body into lines and removes the boilerplate ones.
// It returns the kept lines and the stripped lines, both in order; blank
// lines are dropped from both. Lines are removed when they match the
// boilerplate table, are a byline, are an all-capitals related-story
// headline, or (only when the body has more than one line) are navigation:
// at most three words and no sentence punctuation, such as "Notification",
// "Kategori Berita" or "×".
func StripBoilerplate(body string) (kept, stripped []string) {
	lines := strings.Split(body, "\n")
	nonBlank := 0
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			nonBlank++
		}
	}
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if isBoilerplate(t, nonBlank > 1) {
			stripped = append(stripped, t)
		} else {
			kept = append(kept, t)
		}
	}
	return kept, stripped
}

func isBoilerplate(line string, shortRule bool) bool {
	words := countWords(line)
	if words > maxBoilerplateWords {
		return false
	}
	if startsBoilerplate(line) || byline.MatchString(line) || containsPhrase(line) {
		return true
	}
	if shortRule && words <= maxShortLineWords && !strings.ContainsAny(line, sentencePunct) {
		return true
	}
	return words >= 4 && words <= 25 && isAllCaps(line) && !strings.HasSuffix(line, ".")
}

// sentencePunct are characters whose presence makes a short line text
// rather than navigation.
const sentencePunct = `.!?:;,"“”«»`

// isAllCaps reports whether line has letters and none of them is lower case
// (scripts without case, such as Hangul, never count as capitals).
func isAllCaps(line string) bool {
	upper := 0
	for _, r := range line {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 10
}

// countWords returns len(Words(s)) without building the words.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		w := isWordRune(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

func containsPhrase(line string) bool {
	lower := strings.ToLower(line)
	for _, p := range boilerplatePhrases {
		if strings.Contains(lower, p) {
			return true
		}
	}
	return false
}

package event

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// months are the month names of the languages the corpus and the keyword
// groups cover in Latin script, by month number.
var months = map[string]int{}

func init() {
	for i, list := range []string{
		"january januari janvier enero januar jan", "february februari février febrero februar feb",
		"march maret mars marzo märz mar", "april avril abril apr", "may mei mai mayo",
		"june juni juin junio jun", "july juli juillet julio jul", "august agustus août agosto aug agu",
		"september septembre septiembre sep sept", "october oktober octobre octubre oct okt",
		"november novembre noviembre nov", "december desember décembre diciembre dezember dec des",
	} {
		for _, w := range strings.Fields(list) {
			months[w] = i + 1
		}
	}
}

// dates adds the days the lower-case tokens name: "19 June", "18-19
// Juni", "June 19".
func (f *Features) dates(toks []string) {
	add := func(m int, d string) {
		if n, err := strconv.Atoi(d); err == nil && n >= 1 && n <= 31 && len(d) <= 2 {
			f.Dates[fmt.Sprintf("%02d-%02d", m, n)] = true
		}
	}
	for i, t := range toks {
		m, ok := months[t]
		if !ok {
			continue
		}
		if i > 0 {
			a, b, _ := strings.Cut(toks[i-1], "-") // "19 June", "18-19 Juni"
			add(m, a)
			if b != "" {
				add(m, b)
			}
		}
		if i+1 < len(toks) {
			add(m, toks[i+1]) // "June 19"
		}
	}
}

// quoteMarks pair each opening quotation mark with its closing one.
var quoteMarks = map[rune]rune{'“': '”', '"': '"', '«': '»', '„': '“'}

// quotes adds the quoted phrases of four words or more in s.
func (f *Features) quotes(s string) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		closing, ok := quoteMarks[r]
		if !ok {
			continue
		}
		end := strings.IndexRune(s[i:min(len(s), i+300)], closing)
		if end < 0 {
			continue
		}
		if ws := tokens(strings.ToLower(s[i : i+end])); len(ws) >= 4 {
			f.Quotes[strings.Join(ws, " ")] = true
		}
		i += end + utf8.RuneLen(closing)
	}
}

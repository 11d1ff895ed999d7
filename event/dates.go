package event

import (
	"fmt"
	"regexp"
	"strings"
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

var (
	dayMonthRE = regexp.MustCompile(`\b(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?\.?\s+(\p{L}+)`)
	monthDayRE = regexp.MustCompile(`\b(\p{L}+)\.?\s+(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?\b`)
)

// dates adds the days s names: "19 June", "18-19 Juni", "June 19".
func (f *Features) dates(s string) {
	s = strings.ToLower(s)
	add := func(month string, days ...string) {
		m, ok := months[month]
		if !ok {
			return
		}
		for _, d := range days {
			var n int
			if _, err := fmt.Sscan(d, &n); err == nil && n >= 1 && n <= 31 {
				f.Dates[fmt.Sprintf("%02d-%02d", m, n)] = true
			}
		}
	}
	for _, m := range dayMonthRE.FindAllStringSubmatch(s, -1) {
		add(m[3], m[1], m[2])
	}
	for _, m := range monthDayRE.FindAllStringSubmatch(s, -1) {
		add(m[1], m[2], m[3])
	}
}

var quoteRE = regexp.MustCompile(`[“"«„]([^”"»“]{10,300})[”"»“]`)

// quotes adds the quoted phrases of four words or more in s.
func (f *Features) quotes(s string) {
	for _, m := range quoteRE.FindAllStringSubmatch(s, -1) {
		ws := tokens(strings.ToLower(m[1]))
		if len(ws) >= 4 {
			f.Quotes[strings.Join(ws, " ")] = true
		}
	}
}

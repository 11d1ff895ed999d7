package main

import (
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
)

// table writes rows in columns aligned by display width: a wide character
// (Hangul, kana, CJK ideographs, most emoji) takes two terminal cells, a
// combining mark none, which text/tabwriter, counting runes, gets wrong.
// Columns are two spaces apart; lines do not end in spaces.
type table struct{ rows [][]string }

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// write writes the rows to w.
func (t *table) write(w io.Writer) {
	var widths []int
	for _, row := range t.rows {
		for i, c := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, row := range t.rows {
		var line strings.Builder
		for i, c := range row {
			line.WriteString(c)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-runewidth.StringWidth(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	io.WriteString(w, b.String())
}

package dedupe

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestStartFilterMatchesRegexp checks that the start filter of the
// boilerplate rules answers exactly as the rules' regular expression on
// every line of the test texts and the benchmark corpus, on the lines the
// boilerplate tests use, and on those lines' tails and case variants.
func TestStartFilterMatchesRegexp(t *testing.T) {
	if boilerplateFilter == nil {
		t.Fatal("the boilerplate expression is not an anchored alternation the filter understands")
	}
	var lines []string
	for _, tx := range loadBenchTexts(t) {
		lines = append(lines, tx.Title)
		lines = append(lines, strings.Split(tx.Body, "\n")...)
	}
	for _, name := range []string{"article.txt", "independent.txt", "offtopic.txt"} {
		lines = append(lines, strings.Split(readTestdata(t, name), "\n")...)
	}
	lines = append(lines, "", " ", "Baca Juga: x", "BACA JUGA x", "baca juga", "Read more: x", "© 2024", "(c) 2024 x",
		"[img.2]", "[embed.12]", "kim@yna.co.kr(END)", "kim@yna.co.kr (end)", "x@y", "Foto: AP", "Share", "Iklan",
		"Ikuti kami di WhatsApp Channel", "Copyright 2024", "Hak Cipta", "Penulis : Rina Editor : Budi", "SCROLL TO CONTINUE WITH CONTENT",
		"Ḱ", "K", "\u212a", "ſ", "Lesen Sie auch", "Xem thêm", "ĐỌC THÊM", "related: x", "Related stories:")
	r := rand.New(rand.NewPCG(5, 6))
	n := len(lines)
	for i := range n {
		l := strings.TrimSpace(lines[i])
		lines = append(lines, strings.ToUpper(l), strings.ToLower(l))
		if len(l) > 2 {
			lines = append(lines, l[r.IntN(len(l)):])
		}
	}
	full := 0
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if got, want := startsBoilerplate(l), boilerplateStarts.MatchString(l); got != want {
			t.Errorf("%q: filter says %v, expression %v", l, got, want)
		}
		r, _ := firstRune(l)
		if boilerplateFilter.first[r] != nil {
			full++
		}
	}
	t.Logf("%d lines, %d of them tried against some alternatives; %d first characters, rest %v", len(lines), full, len(boilerplateFilter.first), boilerplateFilter.rest)
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}

package event

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/RadhiFadlillah/whatlanggo"
)

// Doc is one story as the event step sees it: its head item's text.
type Doc struct {
	Title, Text string
	// Lang is the text's language (ISO 639-1, "en", "id"…); "" means
	// identify it from the text.
	Lang      string
	Published time.Time
}

// Features are what a story is compared by.
type Features struct {
	Lang      string
	Published time.Time
	Names     map[string]float64 // name id → weight (1, or less for a background name)
	Numbers   map[string]bool    // numbers of 100 or more, normalised ("1500", "10000"), years excluded
	Dates     map[string]bool    // days named in the text, "06-19"
	Quotes    map[string]bool    // quoted phrases of four words or more, lower case
	Terms     map[string]float64 // content-word counts of the title (twice) and text
	// Concepts are the counts of the news concepts (lexicon.go) the title
	// (twice) and text name, whatever their language.
	Concepts map[string]float64
}

// backgroundWeight is what a background name counts.
const backgroundWeight = 1.0 / 3

// Extract reads the features of d; contentWord says which lower-case
// words count for the cosine (nil: any word of three letters or more).
func Extract(d Doc, contentWord func(string) bool) Features {
	if contentWord == nil {
		contentWord = anyWord
	}
	f := Features{
		Lang: d.Lang, Published: d.Published, Names: map[string]float64{}, Numbers: map[string]bool{},
		Dates: map[string]bool{}, Quotes: map[string]bool{}, Terms: map[string]float64{},
		Concepts: map[string]float64{},
	}
	if f.Lang == "" {
		f.Lang = whatlanggo.DetectLang(d.Title + "\n" + d.Text).Iso6391()
	}
	for _, w := range tokens(d.Title) {
		if lw := strings.ToLower(w); contentWord(lw) && !isTopicWord(lw) {
			f.Terms[lw] += 2
		}
	}
	f.names(d.Title, false)
	f.names(d.Text, true)
	for _, w := range tokens(d.Text) {
		if lw := strings.ToLower(w); contentWord(lw) && !isTopicWord(lw) {
			f.Terms[lw]++
		}
	}
	for i, part := range []string{d.Title, d.Text} {
		for _, w := range tokens(part) {
			if c := conceptWords.concept(strings.ToLower(w)); c != "" {
				f.Concepts[c] += float64(2 - i)
			}
		}
	}
	f.numbers(d.Title + "\n" + d.Text)
	f.dates(d.Title + "\n" + d.Text)
	f.quotes(d.Text)
	return f
}

func anyWord(w string) bool { return len([]rune(w)) >= 3 && !isNumber(w) }

// isTopicWord reports whether a word is one of the topic's own names.
func isTopicWord(w string) bool {
	for _, a := range aliases[w] {
		if a.kind == topicName && len(a.words) == 1 {
			return true
		}
	}
	return false
}

var sentenceEnd = regexp.MustCompile(`[.!?:;]["”’)]?\s+|\n+`)

// names adds the known names in s, and, when capitalised is set, the runs
// of words s capitalises inside a sentence (not its first word), each run
// one name ("Dewan Keamanan", "Kyungnam University"); a run next to a
// known name is its first name or title and is dropped.
func (f *Features) names(s string, capitalised bool) {
	for _, sent := range sentenceEnd.Split(s, -1) {
		toks := tokens(sent)
		lower := make([]string, len(toks))
		for i, t := range toks {
			lower[i] = strings.ToLower(t)
		}
		var run []string
		flush := func(nextToName bool) {
			if !nextToName {
				for _, w := range run {
					f.Names[w] = 1
				}
			}
			run = run[:0]
		}
		for i := 0; i < len(toks); i++ {
			if id, n, kind := aliases.match(lower, i); n > 0 {
				flush(true)
				switch kind {
				case specific:
					f.Names[id] = 1
				case background:
					f.Names[id] = max(f.Names[id], backgroundWeight)
				}
				i += n - 1
				continue
			}
			w := lower[i]
			if !capitalised || i == 0 || !startsUpper(toks[i]) || notNames[w] || len([]rune(w)) < 3 || isNumber(w) {
				flush(false)
				continue
			}
			run = append(run, w)
		}
		flush(false)
	}
}

func startsUpper(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) && r != '.' && r != ',' {
			return false
		}
	}
	return true
}

// tokens splits s into words: runs of letters, digits, marks and inner
// hyphens or apostrophes; a possessive "'s" is dropped.
func tokens(s string) []string {
	out := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && r != '-' && r != '\'' && r != '’'
	})
	for i, w := range out {
		w = strings.Trim(w, "-'’")
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		out[i] = w
	}
	return out
}

var numberRE = regexp.MustCompile(`\b(\d{1,3}(?:[.,\s]\d{3})+|\d+)(?:[.,]\d+)?\s*(ribu|thousand|juta|million|miliar|billion|tausend)?\b`)

var multipliers = map[string]int64{"ribu": 1e3, "thousand": 1e3, "tausend": 1e3, "juta": 1e6, "million": 1e6, "miliar": 1e9, "billion": 1e9}

// numbers adds the numbers of 100 or more in s, written with or without
// thousands separators or a word for thousand or million; a year of the
// last two centuries is no such number.
func (f *Features) numbers(s string) {
	for _, m := range numberRE.FindAllStringSubmatch(strings.ToLower(s), -1) {
		digits := strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return r
			}
			return -1
		}, m[1])
		n, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			continue
		}
		if mul := multipliers[m[2]]; mul != 0 {
			n *= mul
		} else if n >= 1900 && n <= 2100 && len(m[1]) == 4 {
			continue
		}
		if n >= 100 {
			f.Numbers[strconv.FormatInt(n, 10)] = true
		}
	}
}

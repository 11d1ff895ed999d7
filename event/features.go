package event

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
		f.Lang = whatlanggo.DetectWithOptions(firstBytes(d.Title+"\n"+d.Text, langSample), langOptions).Lang.Iso6391()
	}
	title, text := lowerTokens(d.Title), lowerTokens(d.Text)
	for i, part := range [][]string{title, text} {
		for _, w := range part {
			if contentWord(w) && !isTopicWord(w) {
				f.Terms[w] += float64(2 - i)
			}
			if c := conceptWords.concept(w); c != "" {
				f.Concepts[c] += float64(2 - i)
			}
		}
		f.dates(part)
	}
	f.names(d.Title, false)
	f.names(d.Text, true)
	f.numbers(d.Title + "\n" + d.Text)
	f.quotes(d.Text)
	return f
}

// langSample is how much of a text identifies its language.
const langSample = 400

// langOptions limit language identification to the languages the keyword
// groups cover, which also makes it several times faster.
var langOptions = whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{
	whatlanggo.Eng: true, whatlanggo.Ind: true, whatlanggo.Deu: true, whatlanggo.Vie: true, whatlanggo.Rus: true,
	whatlanggo.Kor: true, whatlanggo.Fra: true, whatlanggo.Spa: true, whatlanggo.Por: true, whatlanggo.Ita: true,
	whatlanggo.Tur: true, whatlanggo.Pol: true, whatlanggo.Ukr: true, whatlanggo.Jpn: true, whatlanggo.Cmn: true,
	whatlanggo.Arb: true, whatlanggo.Tha: true, whatlanggo.Hin: true,
}}

// firstBytes returns s cut to at most n bytes, at a rune boundary.
func firstBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
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

// sentences splits s after each full stop, question or exclamation mark,
// colon or semicolon followed by a space, and at line breaks.
func sentences(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		end := c == '\n'
		if !end && strings.IndexByte(".!?:;", c) >= 0 && i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '\n') {
			end = true
		}
		if end {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// names adds the known names in s, and, when capitalised is set, the runs
// of words s capitalises inside a sentence (not its first word), each run
// one name ("Dewan Keamanan", "Kyungnam University"); a run next to a
// known name is its first name or title and is dropped.
func (f *Features) names(s string, capitalised bool) {
	for _, sent := range sentences(s) {
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

// lowerTokens returns the tokens of s in lower case.
func lowerTokens(s string) []string {
	out := tokens(s)
	for i, w := range out {
		out[i] = strings.ToLower(w)
	}
	return out
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

var multipliers = map[string]int64{"ribu": 1e3, "thousand": 1e3, "tausend": 1e3, "juta": 1e6, "million": 1e6, "miliar": 1e9, "billion": 1e9}

// numbers adds the numbers of 100 or more in s, written with or without
// thousands separators ("1,500", "1.500", "10 000") or a word for thousand
// or million after them ("10 ribu"); a year of the last two centuries is no
// such number, and decimals are dropped.
func (f *Features) numbers(s string) {
	isDigit := func(i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }
	for i := 0; i < len(s); i++ {
		if !isDigit(i) || (i > 0 && (isDigit(i-1) || isWordByte(s[i-1]))) {
			continue
		}
		var n int64
		j, groups := i, 0
		for isDigit(j) {
			n = n*10 + int64(s[j]-'0')
			j++
		}
		lead := j - i
		for lead <= 3 && j < len(s) && strings.IndexByte(". ,", s[j]) >= 0 && isDigit(j+1) && isDigit(j+2) && isDigit(j+3) && !isDigit(j+4) {
			n = n*1000 + int64(s[j+1]-'0')*100 + int64(s[j+2]-'0')*10 + int64(s[j+3]-'0')
			j += 4
			groups++
		}
		if j < len(s) && (s[j] == '.' || s[j] == ',') && isDigit(j+1) { // a decimal part
			for j++; isDigit(j); j++ {
			}
		}
		word := strings.ToLower(firstWord(s[j:]))
		if mul := multipliers[word]; mul != 0 {
			n *= mul
		} else if groups == 0 && lead == 4 && n >= 1900 && n <= 2100 {
			n = 0
		}
		if n >= 100 {
			f.Numbers[strconv.FormatInt(n, 10)] = true
		}
		i = j
	}
}

func isWordByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// firstWord returns the letters s starts with after spaces.
func firstWord(s string) string {
	s = strings.TrimLeft(s, " ")
	end := 0
	for end < len(s) && isWordByte(s[end]) {
		end++
	}
	return s[:end]
}

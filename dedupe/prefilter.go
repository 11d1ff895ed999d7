package dedupe

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// startFilter spares an anchored alternation of regular expressions most of
// its work: from the parsed expression it learns which first characters
// each alternative can match, so a line is tried only against the
// alternatives that can start with its first character, and against those
// that can start with anything (the rest) only when it contains the literal
// text each of them requires. It answers exactly what the expression
// answers.
type startFilter struct {
	first  map[rune]*regexp.Regexp // first character → the alternatives that can start with it, and the rest
	rest   *regexp.Regexp
	needed []string // for each alternative of rest, a literal it contains ("" when none is known)
}

// maxClassRunes is the largest character class enumerated into the
// first-character set; a larger one counts as "anything".
const maxClassRunes = 64

// newStartFilter returns a filter for re, which must be anchored at the
// start of the text; it returns nil when re has another shape, and callers
// then use re itself.
func newStartFilter(re *regexp.Regexp) *startFilter {
	parsed, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	parsed = parsed.Simplify()
	alts := anchoredAlternatives(parsed)
	if alts == nil {
		return nil
	}
	f := &startFilter{first: make(map[rune]*regexp.Regexp)}
	var rest []string
	byRune := map[rune][]string{}
	for _, a := range alts {
		runes, known := firstRunes(a)
		if !known {
			rest = append(rest, a.String())
			f.needed = append(f.needed, requiredLiteral(a))
			continue
		}
		for _, r := range runes {
			if l := byRune[r]; len(l) == 0 || l[len(l)-1] != a.String() {
				byRune[r] = append(l, a.String())
			}
		}
	}
	compiled := map[string]*regexp.Regexp{}
	for r, subs := range byRune {
		expr := `^(?:` + strings.Join(append(subs, rest...), `|`) + `)`
		if compiled[expr] == nil {
			c, err := regexp.Compile(expr)
			if err != nil {
				return nil
			}
			compiled[expr] = c
		}
		f.first[r] = compiled[expr]
	}
	if len(rest) > 0 {
		var err error
		if f.rest, err = regexp.Compile(`^(?:` + strings.Join(rest, `|`) + `)`); err != nil {
			return nil
		}
	}
	return f
}

// MatchString reports whether the filter's expression matches s.
func (f *startFilter) MatchString(s string) bool {
	if f == nil {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if re := f.first[r]; re != nil {
		return re.MatchString(s)
	}
	if f.rest == nil {
		return false
	}
	for _, lit := range f.needed {
		if lit == "" || strings.Contains(s, lit) {
			return f.rest.MatchString(s)
		}
	}
	return false
}

// anchoredAlternatives returns the alternatives of an expression of the form
// ^(?:a|b|…), or nil.
func anchoredAlternatives(re *syntax.Regexp) []*syntax.Regexp {
	if re.Op != syntax.OpConcat || len(re.Sub) != 2 || re.Sub[0].Op != syntax.OpBeginText {
		return nil
	}
	body := re.Sub[1]
	for body.Op == syntax.OpCapture {
		body = body.Sub[0]
	}
	if body.Op == syntax.OpAlternate {
		return body.Sub
	}
	return []*syntax.Regexp{body}
}

// firstRunes returns every character a match of re can start with, or
// false when that is not a small known set (re can start with anything, or
// match the empty text).
func firstRunes(re *syntax.Regexp) ([]rune, bool) {
	runes, nonEmpty, ok := firstOf(re)
	return runes, ok && nonEmpty
}

// firstOf returns the first characters of re's matches, whether every match
// of re is non-empty, and whether the set is known.
func firstOf(re *syntax.Regexp) (runes []rune, nonEmpty, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return nil, false, true
		}
		return foldOrbit(re.Rune[0], re.Flags&syntax.FoldCase != 0), true, true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi-lo+1 > maxClassRunes || len(runes) > maxClassRunes {
				return nil, true, false
			}
			for r := lo; r <= hi; r++ {
				runes = append(runes, r)
			}
		}
		return runes, true, true
	case syntax.OpCapture:
		return firstOf(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			rs, ne, ok := firstOf(sub)
			if !ok {
				return nil, false, false
			}
			runes = append(runes, rs...)
			if ne {
				return runes, true, true
			}
		}
		return runes, false, true
	case syntax.OpAlternate:
		nonEmpty = true
		for _, sub := range re.Sub {
			rs, ne, ok := firstOf(sub)
			if !ok {
				return nil, false, false
			}
			runes = append(runes, rs...)
			nonEmpty = nonEmpty && ne
		}
		return runes, nonEmpty, true
	case syntax.OpStar, syntax.OpQuest:
		rs, _, ok := firstOf(re.Sub[0])
		return rs, false, ok
	case syntax.OpPlus:
		return firstOf(re.Sub[0])
	case syntax.OpRepeat:
		rs, ne, ok := firstOf(re.Sub[0])
		return rs, ne && re.Min > 0, ok
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return nil, false, true
	default: // any character, and anything unforeseen
		return nil, true, false
	}
}

// foldOrbit returns r and, when fold is set, every character that matches
// it case-insensitively.
func foldOrbit(r rune, fold bool) []rune {
	out := []rune{r}
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			out = append(out, f)
		}
	}
	return out
}

// requiredLiteral returns a literal without letters (so that case folding
// cannot change it) that every match of re contains, or "".
func requiredLiteral(re *syntax.Regexp) string {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op != syntax.OpConcat {
		return ""
	}
	for _, sub := range re.Sub {
		if sub.Op != syntax.OpLiteral {
			continue
		}
		lit := string(sub.Rune)
		if !strings.ContainsFunc(lit, unicode.IsLetter) {
			return lit
		}
	}
	return ""
}

// boilerplateFilter is the start filter of boilerplateStarts.
var boilerplateFilter = newStartFilter(boilerplateStarts)

// startsBoilerplate reports whether boilerplateStarts matches line.
func startsBoilerplate(line string) bool {
	if boilerplateFilter == nil {
		return boilerplateStarts.MatchString(line)
	}
	return boilerplateFilter.MatchString(line)
}

package dedupe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Canonicalize returns s as the words shingling sees: lower-cased, with every
// run of characters that are not letters, marks or digits (punctuation,
// quotes, dashes, symbols, whitespace) collapsed to one space, and no leading
// or trailing space. Letters and digits of every script are kept.
func Canonicalize(s string) string {
	return strings.Join(Words(s), " ")
}

// Words splits s into lower-cased words: maximal runs of letters, marks and
// digits. "Kim Jong-un's" gives [kim jong un s].
func Words(s string) []string {
	return appendWords(nil, s)
}

// appendWords appends the words of s to dst. Words that are already lower
// case and need no rewriting share memory with s.
func appendWords(dst []string, s string) []string {
	start := -1   // byte offset of the current word, -1 outside a word
	lower := true // the current word needs no case mapping
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if isWordRune(r) {
			if start < 0 {
				start, lower = i, true
			}
			if lower && r != unicode.ToLower(r) {
				lower = false
			}
		} else if start >= 0 {
			dst = append(dst, wordOf(s[start:i], lower))
			start = -1
		}
		i += size
	}
	if start >= 0 {
		dst = append(dst, wordOf(s[start:], lower))
	}
	return dst
}

func wordOf(w string, lower bool) string {
	if lower {
		return w
	}
	return strings.ToLower(w)
}

// isWordRune reports whether r belongs inside a word.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

package dedupe

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
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

// appendWordHashes appends the xxhash of every word of s, as Words would
// give them, to dst without building the words: a word already in lower
// case is hashed where it lies, any other is lower-cased into *buf first.
func appendWordHashes(dst []uint64, s string, buf *[]byte) []uint64 {
	start := -1
	lower := true
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
			dst = append(dst, hashWord(s[start:i], lower, buf))
			start = -1
		}
		i += size
	}
	if start >= 0 {
		dst = append(dst, hashWord(s[start:], lower, buf))
	}
	return dst
}

// hashWord returns the xxhash of strings.ToLower(w), which is w itself when
// lower is true.
func hashWord(w string, lower bool, buf *[]byte) uint64 {
	if lower {
		return xxhash.Sum64String(w)
	}
	b := (*buf)[:0]
	for i := 0; i < len(w); {
		if c := w[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		b = utf8.AppendRune(b, unicode.ToLower(r))
		i += size
	}
	*buf = b
	return xxhash.Sum64(b)
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

package fetch

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// xmlDeclEncoding finds the encoding pseudo-attribute of a leading XML declaration.
var xmlDeclEncoding = regexp.MustCompile(`^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']`)

// toUTF8 returns body as valid UTF-8 with any XML declaration saying
// encoding="utf-8", so that the XML decoder never converts it again.
//
// The order of evidence: a byte-order mark; the zero-byte pattern of
// UTF-16/32 without one; then, if the bytes are already valid UTF-8, they are
// taken as UTF-8 whatever the labels say (a wrong label is far more common
// than Latin-1 text that happens to be valid UTF-8); otherwise the charset
// from the Content-Type header, then the one the XML declaration names;
// failing those, windows-1252 when no byte sequence is valid multi-byte
// UTF-8, else UTF-8 with the invalid bytes replaced by U+FFFD.
func toUTF8(body []byte, contentType string) []byte {
	return decodeBody(body, headerCharset(contentType), declaredCharset(body))
}

// htmlToUTF8 is toUTF8 for an HTML page: between the Content-Type's
// charset and an XML declaration, the charset a <meta charset> or
// <meta http-equiv="Content-Type"> element names counts too.
func htmlToUTF8(body []byte, contentType string) []byte {
	return decodeBody(body, headerCharset(contentType), metaCharset(body), declaredCharset(body))
}

// metaCharsetAttr finds the charset of a <meta charset="…"> element or of
// the content of a <meta http-equiv="Content-Type" content="…; charset=…">.
var metaCharsetAttr = regexp.MustCompile(`(?i)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)`)

// metaCharset returns the encoding an HTML <meta> element in the first 32
// KiB of b names, "" if none. Pages often put it later than the 1024 bytes
// HTML's prescan looks at.
func metaCharset(b []byte) string {
	if m := metaCharsetAttr.FindSubmatch(b[:min(len(b), 32<<10)]); m != nil {
		return string(m[1])
	}
	return ""
}

// decodeBody converts body to UTF-8 (see toUTF8), the labels being the
// charsets its metadata names, most trusted first.
func decodeBody(body []byte, labels ...string) []byte {
	if enc := wideEncoding(body); enc != nil {
		return fixDeclaration(decodeWith(enc, body))
	}
	if bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		return fixDeclaration(bytes.ToValidUTF8(body[3:], []byte("\uFFFD")))
	}
	if utf8.Valid(body) {
		return fixDeclaration(body)
	}
	for _, label := range labels {
		enc, name := charset.Lookup(label)
		if enc == nil || name == "utf-8" {
			continue
		}
		return fixDeclaration(decodeWith(enc, body))
	}
	if !hasMultibyteUTF8(body) {
		return fixDeclaration(decodeWith(charmap.Windows1252, body))
	}
	return fixDeclaration(bytes.ToValidUTF8(body, []byte("\uFFFD")))
}

// wideEncoding recognises UTF-16 and UTF-32 by byte-order mark or, without
// one, by the zero bytes around the first ASCII characters ("<" or "{").
func wideEncoding(b []byte) encoding.Encoding {
	switch {
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0xFE, 0xFF}):
		return utf32.UTF32(utf32.BigEndian, utf32.ExpectBOM)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0x00, 0x00}):
		return utf32.UTF32(utf32.LittleEndian, utf32.ExpectBOM)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	}
	if len(b) < 4 {
		return nil
	}
	switch {
	case b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0:
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM)
	case b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0:
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM)
	case b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	case b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	}
	return nil
}

// decodeWith converts b to UTF-8; undecodable input becomes U+FFFD.
func decodeWith(enc encoding.Encoding, b []byte) []byte {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		// Decoders in x/text replace bad input rather than fail; this is a
		// last resort so that one odd byte never loses the whole feed.
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD"))
}

// headerCharset returns the charset parameter of a Content-Type value, unquoted.
func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return params["charset"]
	}
	// Tolerate sloppy headers such as "text/xml;charset= 'us-ascii'".
	i := strings.Index(strings.ToLower(contentType), "charset")
	if i < 0 {
		return ""
	}
	v := strings.TrimLeft(contentType[i+len("charset"):], " \t=:")
	v, _, _ = strings.Cut(v, ";")
	return strings.Trim(strings.TrimSpace(v), `"'`)
}

// declaredCharset returns the encoding named by a leading XML declaration.
func declaredCharset(b []byte) string {
	head := b[:min(len(b), 1024)]
	if m := xmlDeclEncoding.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

// fixDeclaration rewrites the encoding of a leading XML declaration to utf-8.
func fixDeclaration(b []byte) []byte {
	head := b[:min(len(b), 1024)]
	loc := xmlDeclEncoding.FindSubmatchIndex(head)
	if loc == nil || strings.EqualFold(string(b[loc[2]:loc[3]]), "utf-8") {
		return b
	}
	out := make([]byte, 0, len(b)+5)
	out = append(out, b[:loc[2]]...)
	out = append(out, "utf-8"...)
	return append(out, b[loc[3]:]...)
}

// hasMultibyteUTF8 reports whether b holds at least one valid multi-byte UTF-8 sequence.
func hasMultibyteUTF8(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r != utf8.RuneError && size > 1 {
			return true
		}
		b = b[size:]
	}
	return false
}

package feeds

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TagURI returns an RFC 4151 tag URI "tag:<host>,<date>:<specific>" built
// from the host of feedURL (lower-cased, without port; "invalid" when the
// URL has none), the date of created in UTC as 2006-01-02, and specific.
// Characters that a tag URI does not allow in specific are percent-encoded.
// The result depends only on its inputs, so it is stable across runs and
// machines. For example:
//
//	TagURI("https://news.example.org/feed.atom", t, "story/42")
//	// tag:news.example.org,2026-11-21:story/42
func TagURI(feedURL string, created time.Time, specific string) string {
	host := "invalid"
	if u, err := url.Parse(strings.TrimSpace(feedURL)); err == nil && u.Hostname() != "" {
		host = strings.ToLower(u.Hostname())
	}
	return "tag:" + host + "," + created.UTC().Format("2006-01-02") + ":" + escapeTagSpecific(specific)
}

// escapeTagSpecific percent-encodes every byte of s that is not allowed in
// the specific part of a tag URI (RFC 4151: pchar, "/" and "?"), keeping
// valid percent-encoded triplets as they are.
func escapeTagSpecific(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case tagSpecificByte(c):
			b.WriteByte(c)
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func tagSpecificByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

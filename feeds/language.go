package feeds

import (
	"regexp"
	"strings"
)

// langTagPattern is the form of a language tag that Atom's xml:lang and
// hreflang accept (RFC 4287's atomLanguageTag), which RSS and JSON Feed
// take too.
var langTagPattern = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)

// cleanLanguage returns tag trimmed when it has the form of a language
// tag, else "".
func cleanLanguage(tag string) string {
	tag = strings.TrimSpace(tag)
	if !langTagPattern.MatchString(tag) {
		return ""
	}
	return tag
}

package fetch

import (
	"strings"

	"github.com/mmcdole/gofeed"
	"golang.org/x/text/language"
)

// PrimaryLanguage returns the primary language subtag of a declared BCP 47
// language tag, in lower case ("en-US", "en_us" and "EN" give "en"; the
// deprecated "iw" gives "he"), or "" when tag is empty, malformed, unknown
// or private use ("english", "jp", "x-klingon"). Parsing is
// golang.org/x/text/language's.
func PrimaryLanguage(tag string) string {
	tag = strings.TrimSpace(tag)
	if tag == "" {
		return ""
	}
	t, err := language.Parse(tag)
	if err != nil {
		return ""
	}
	base, conf := t.Base()
	if conf != language.Exact {
		return ""
	}
	return strings.ToLower(base.String())
}

// entryLanguage is the primary language an entry declares: the item's own
// (an RSS item's dc:language, a JSON Feed 1.1 item's "language"), else the
// feed's (RSS <language> or dc:language, Atom xml:lang on <feed>, JSON Feed
// "language"); "" when neither declares a valid one. gofeed does not expose
// xml:lang on an Atom <entry>, so an Atom entry has its feed's language.
func entryLanguage(it *gofeed.Item, itemLang, feedLang string) string {
	if it.DublinCoreExt != nil {
		for _, l := range it.DublinCoreExt.Language {
			if p := PrimaryLanguage(l); p != "" {
				return p
			}
		}
	}
	if p := PrimaryLanguage(itemLang); p != "" {
		return p
	}
	return PrimaryLanguage(feedLang)
}

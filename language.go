package aggregator

import (
	"github.com/RadhiFadlillah/whatlanggo"

	"aggregator/fetch"
)

// minIdentifyRunes is the least text, in characters of title and body
// together, that language identification is tried on: below it the
// trigram profiles say little.
const minIdentifyRunes = 20

// itemLanguage is the language of an entry as an item: the one the entry
// or its feed declares, else the one whatlanggo identifies from its title
// and text when it reports the identification as reliable, else "".
func itemLanguage(e fetch.Entry) string {
	if e.Language != "" {
		return e.Language
	}
	return IdentifyLanguage(e.Title + "\n" + e.Text)
}

// IdentifyLanguage returns the primary language subtag of text as
// whatlanggo identifies it (trigram profiles of each script, no model to
// load), or "" when the text is too short, the identification is not
// reliable by whatlanggo's confidence threshold, or the language has no
// two- or three-letter code.
func IdentifyLanguage(text string) string {
	n := 0
	for range text {
		if n++; n >= minIdentifyRunes {
			break
		}
	}
	if n < minIdentifyRunes {
		return ""
	}
	info := whatlanggo.Detect(text)
	if !info.IsReliable() {
		return ""
	}
	code := info.Lang.Iso6391()
	if code == "" {
		code = info.Lang.Iso6393()
	}
	return fetch.PrimaryLanguage(code)
}

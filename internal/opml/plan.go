package opml

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// Note is something said about one outline of an imported list: why it
// was skipped, or what was changed to import it.
type Note struct {
	Line    int    // the outline's line
	Outline string // its text or title, else its xmlUrl
	Message string
}

func (n Note) String() string {
	return fmt.Sprintf("line %d: %q: %s", n.Line, n.Outline, n.Message)
}

// Import is what Plan makes of a list.
type Import struct {
	Feeds   []Feed // the sources to add, in document order, with unique names
	Skipped []Note // outlines not imported, and why
	Changed []Note // outlines imported with a change (renamed, category dropped)
}

// Plan turns the outlines of l into sources to add to those configured
// (compared by URL as the config does: scheme and host in any case, no
// fragment, "/" for an empty path; names without regard to case). Every
// outline with an xmlUrl is a feed, whatever its type; nested outlines
// are flattened, since sources have no categories. An outline is skipped
// when it has no xmlUrl, when its xmlUrl is not an absolute http(s) URL,
// or when its URL is already configured or came earlier in the list.
func Plan(l *List, configured []Feed) Import {
	var im Import
	urls := map[string]string{} // URL key → what has it
	names := map[string]bool{}
	for _, f := range configured {
		urls[urlKey(f.XMLURL)] = fmt.Sprintf("already configured as source %q", f.Title)
		names[strings.ToLower(f.Title)] = true
	}
	for _, o := range l.Outlines {
		label := firstNonEmpty(cleanName(o.Text), cleanName(o.Title), o.XMLURL)
		skip := func(format string, args ...any) {
			im.Skipped = append(im.Skipped, Note{Line: o.Line, Outline: label, Message: fmt.Sprintf(format, args...)})
		}
		if o.XMLURL == "" {
			if o.Children > 0 {
				im.Changed = append(im.Changed, Note{Line: o.Line, Outline: label,
					Message: fmt.Sprintf("a category of %d outline(s): flattened (sources have no categories)", o.Children)})
			} else {
				skip("no xmlUrl: not a feed (type %q)", o.Type)
			}
			continue
		}
		key := urlKey(o.XMLURL)
		if key == "" {
			skip("xmlUrl %q is not an absolute http(s) URL", o.XMLURL)
			continue
		}
		if why, dup := urls[key]; dup {
			skip("xmlUrl %s: %s", o.XMLURL, why)
			continue
		}
		urls[key] = fmt.Sprintf("a duplicate of the outline on line %d", o.Line)
		f := Feed{Title: uniqueName(label, o.XMLURL, names), XMLURL: o.XMLURL, HTMLURL: o.HTMLURL}
		if f.Title != label {
			im.Changed = append(im.Changed, Note{Line: o.Line, Outline: label,
				Message: fmt.Sprintf("renamed %q: the name is already taken", f.Title)})
		}
		switch o.FullText {
		case "", "never":
		case "auto", "always":
			f.FullText = o.FullText
		default:
			im.Changed = append(im.Changed, Note{Line: o.Line, Outline: label,
				Message: fmt.Sprintf("aggregator:fullText %q is not never, auto or always: left out", o.FullText)})
		}
		im.Feeds = append(im.Feeds, f)
	}
	return im
}

// uniqueName returns name, else name with the URL's host, else that with a
// number, whichever is not yet in names (lower case), and adds it there.
func uniqueName(name, rawURL string, names map[string]bool) string {
	cand := name
	if names[strings.ToLower(cand)] {
		host := rawURL
		if u, err := url.Parse(rawURL); err == nil {
			host = u.Host
		}
		cand = name + " (" + host + ")"
		for i := 2; names[strings.ToLower(cand)]; i++ {
			cand = fmt.Sprintf("%s (%s) %d", name, host, i)
		}
	}
	names[strings.ToLower(cand)] = true
	return cand
}

// cleanName is s as a source name: control characters dropped, runs of
// white space made one space, trimmed.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// urlKey is the form in which the config compares source URLs, or "" when
// s is not an absolute http(s) URL.
func urlKey(s string) string {
	u, err := url.Parse(s)
	if err != nil || s != strings.TrimSpace(s) || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return ""
	}
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

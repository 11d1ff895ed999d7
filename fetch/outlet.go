package fetch

import (
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"
)

// Aggregator items. A news aggregator's feed (Google News, Bing News)
// carries other outlets' articles: each item names its real outlet (RSS
// <source url="…">Outlet</source>, or Bing's News:Source element), its
// title ends in " - Outlet" (or " | Outlet"), its description only repeats
// the title as a link, and its link is a redirect through the aggregator.
// Such an item is the outlet's article: it is attributed to the outlet,
// its title loses the suffix, its description is not body text, and a
// redirect link that needs JavaScript to resolve is marked never to be
// fetched.

// itemSource is the outlet an RSS item names in its <source> element.
type itemSource struct{ name, url string }

// rssSources returns, by item index, the <source> of each RSS item.
func rssSources(rf *rss.Feed) []itemSource {
	out := make([]itemSource, len(rf.Items))
	for i, it := range rf.Items {
		if it != nil && it.Source != nil {
			out[i] = itemSource{name: strings.TrimSpace(it.Source.Title), url: strings.TrimSpace(it.Source.URL)}
		}
	}
	return out
}

// bingSource returns the outlet a Bing News item names in its News:Source
// extension element, "" when there is none.
func bingSource(it *gofeed.Item) string {
	for prefix, elems := range it.Extensions {
		if !strings.EqualFold(prefix, "news") {
			continue
		}
		for name, exts := range elems {
			if strings.EqualFold(name, "source") && len(exts) > 0 {
				return strings.TrimSpace(exts[0].Value)
			}
		}
	}
	return ""
}

// applyOutlet makes e an aggregator item of the outlet src names, when it
// names one: the outlet becomes the author and e.Outlet, the title loses
// its " - Outlet" suffix, a description that only repeats the title is no
// body text, and a redirect link is marked. An item naming no outlet is
// left as it is.
func applyOutlet(e *Entry, src itemSource) {
	if src.name == "" {
		return
	}
	e.Outlet = singleLine(HTMLToText(src.name))
	e.OutletURL = src.url
	e.Author = e.Outlet
	e.Title = trimOutletSuffix(e.Title, e.Outlet)
	if repeatsTitle(e.Text, e.Title, e.Outlet) {
		e.Text, e.SummaryHTML = "", ""
	}
	if target := redirectTarget(e.URL); target != "" {
		e.URL, e.CanonicalURL = target, CanonicalURL(target)
	}
	e.Redirect = isAggregatorRedirect(e.URL)
}

// redirectTarget returns the article a redirect link names in its query
// (Bing News' apiclick.aspx?…&url=…), "" for any other link.
func redirectTarget(link string) string {
	u, err := url.Parse(link)
	if err != nil || !strings.HasSuffix(strings.ToLower(u.Hostname()), "bing.com") || !strings.EqualFold(u.Path, "/news/apiclick.aspx") {
		return ""
	}
	t, err := url.Parse(u.Query().Get("url"))
	if err != nil || (t.Scheme != "http" && t.Scheme != "https") || t.Host == "" {
		return ""
	}
	return t.String()
}

// trimOutletSuffix removes " - Outlet" or " | Outlet" from the end of title.
func trimOutletSuffix(title, outlet string) string {
	for _, sep := range []string{" - ", " | ", " – ", " — "} {
		if head, tail, ok := cutLast(title, sep); ok && strings.EqualFold(strings.TrimSpace(tail), outlet) && strings.TrimSpace(head) != "" {
			return strings.TrimSpace(head)
		}
	}
	return title
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// repeatsTitle reports whether text says nothing but the title, with or
// without the outlet's name and its suffix (as an aggregator's link-only
// description does).
func repeatsTitle(text, title, outlet string) bool {
	norm := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
	t := norm(text)
	if t == "" {
		return false
	}
	o := norm(outlet)
	t = strings.TrimSpace(strings.TrimSuffix(t, o))
	for _, sep := range []string{"-", "|", "–", "—"} {
		t = strings.TrimSpace(strings.TrimSuffix(t, sep))
	}
	return t == norm(title)
}

// isAggregatorRedirect reports whether link is an aggregator's redirect
// that only a browser running its JavaScript resolves (news.google.com's
// article links): kept as the item's link, never fetched.
func isAggregatorRedirect(link string) bool {
	u, err := url.Parse(link)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return host == "news.google.com" && (strings.HasPrefix(u.Path, "/rss/articles/") || strings.HasPrefix(u.Path, "/articles/"))
}

// OutletHost is the host that identifies an outlet's own articles: the host
// of rawURL, lower-case, without "www." ("https://www.reuters.com/x" →
// "reuters.com"); "" when rawURL has no host.
func OutletHost(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

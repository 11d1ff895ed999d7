package aggregator_test

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/feeds"
	"aggregator/fetch"
)

// The entry as a feed reader shows it: summary, title, date, and items
// that share a GUID.

// entryRSS is an RSS feed of the given items (already XML).
func entryRSS(items ...string) string {
	return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>e</title><link>https://e.example/</link>` +
		strings.Join(items, "") + `</channel></rss>`
}

// entryItem is an on-topic RSS item; pub is an RFC 1123 date ("" for none).
func entryItem(guid, link, title, pub, descHTML string) string {
	s := fmt.Sprintf(`<item><title>%s</title><link>%s</link><guid isPermaLink="false">%s</guid>`, html.EscapeString(title), link, guid)
	if pub != "" {
		s += "<pubDate>" + pub + "</pubDate>"
	}
	return s + "<description>" + html.EscapeString(descHTML) + "</description></item>"
}

// onTopicText is an on-topic paragraph of about 200 characters; texts of
// different n share few word shingles.
func onTopicText(seed string, n int) string {
	words := strings.Fields(`amber basalt cedar delta ember fjord garnet harbor indigo juniper kestrel lagoon
		meadow nickel orchid pepper quartz raven saffron tundra umber velvet willow yarrow zephyr anchor`)
	w := func(i int) string { return words[(n*7+i*i+i*n*3)%len(words)] + fmt.Sprint((n*31+i)%97) }
	return fmt.Sprintf("North Korea and Russia signed the %s %s %s accord on %s cooperation in Pyongyang. "+
		"Officials from Moscow called the %s %s %s talks productive and said more meetings would follow soon.",
		w(1), w(2), w(3), seed, w(4), w(5), w(6))
}

// servedEntries polls one source serving body and returns the feed's entries.
func servedEntries(t *testing.T, body string) (*pollFixture, []feeds.Entry) {
	t.Helper()
	srv := serveHandler(t, &feedHandler{body: body})
	f := newPollFixture(t, fetch.Options{}, aggregator.Source{Name: "e", URL: srv.URL})
	if sr := reportFor(t, f.poll(t), "e"); sr.Err != nil {
		t.Fatalf("poll: %v", sr.Err)
	}
	feed, err := f.p.Feed(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return f, feed.Entries
}

func TestFeedSummaryIsCutAtASentenceAndKeepsParagraphs(t *testing.T) {
	desc := "<div>" + onTopicText("railway", 1) + "</div><div>" + onTopicText("harbour", 2) + "</div><div>" +
		onTopicText("energy", 3) + " " + strings.Repeat("Longwordforthetest ", 20) + "</div>"
	long := strings.Repeat("Pyongyang Moscow summit treaty ", 15) // 465 characters
	_, entries := servedEntries(t, entryRSS(
		entryItem("g1", "https://e.example/1", "Kim and Putin sign railway and harbour deals", "Mon, 09 Mar 2026 08:00:00 GMT", desc),
		entryItem("g2", "https://e.example/2", long, "Mon, 09 Mar 2026 07:00:00 GMT", onTopicText("fishery", 4))))
	if len(entries) != 2 {
		t.Fatalf("%d entries, want 2", len(entries))
	}
	sum := entries[0].SummaryHTML
	if !strings.HasPrefix(sum, "<p>North Korea and Russia signed") || strings.Count(sum, "</p><p>") != 2 {
		t.Errorf("paragraphs run together: %q", sum)
	}
	if !strings.HasSuffix(sum, "on energy cooperation in Pyongyang. …</p>") {
		t.Errorf("summary not cut after the last sentence that fits: %q", sum)
	}
	if n := len([]rune(feeds.Sanitize(sum))); n > feeds.SummaryMax+200 {
		t.Errorf("summary of %d characters", n)
	}
	var b strings.Builder
	if err := feeds.Write(&b, feeds.FormatAtom, feeds.Feed{ID: "https://f.example/", Entries: entries[1:]}); err != nil {
		t.Fatal(err)
	}
	title := strings.TrimSpace(long)[:strings.LastIndex(strings.TrimSpace(long)[:feeds.TitleMax+1], " ")] + " …"
	if !strings.Contains(b.String(), `<title type="text">`+title+`</title>`) {
		t.Errorf("title not shortened to %q:\n%s", title, b.String())
	}
}

func TestFutureDateIsReplacedByTheFirstSeenTime(t *testing.T) {
	f, entries := servedEntries(t, entryRSS(
		entryItem("far", "https://e.example/far", "Kim and Putin meet in Vladivostok", "Thu, 09 Apr 2026 09:00:00 GMT", onTopicText("port", 1)),
		entryItem("near", "https://e.example/near", "Kim and Putin sign a treaty", "Tue, 10 Mar 2026 20:00:00 GMT", onTopicText("treaty", 2))))
	seen := f.clock.Now()
	published := map[string]string{}
	for _, e := range entries {
		published[e.Link] = e.Published.Format(time.RFC3339)
	}
	if got, want := published["https://e.example/far"], seen.Format(time.RFC3339); got != want {
		t.Errorf("entry dated a month ahead is published %s, want the first-seen time %s", got, want)
	}
	if got := published["https://e.example/near"]; got != "2026-03-10T20:00:00Z" {
		t.Errorf("entry dated 11 hours ahead is published %s, want its own date", got)
	}
	exps, err := f.p.Explain(context.Background(), "https://e.example/far")
	if err != nil || len(exps) != 1 {
		t.Fatalf("explain: %v, %d explanations", err, len(exps))
	}
	note := aggregator.PublishedNote(exps[0].Item.Item)
	if !strings.Contains(note, "2026-04-09 09:00:00Z") || !strings.Contains(note, "more than a day in the future") {
		t.Errorf("explain says %q, not that the feed's date was replaced", note)
	}
	exps, _ = f.p.Explain(context.Background(), "https://e.example/near")
	if note := aggregator.PublishedNote(exps[0].Item.Item); strings.Contains(note, "replaced") {
		t.Errorf("explain of a kept date says %q", note)
	}
}

func TestSameGUIDWithDifferentLinksStaysTwoItems(t *testing.T) {
	h := &feedHandler{}
	srv := serveHandler(t, h)
	f := newPollFixture(t, fetch.Options{}, aggregator.Source{Name: "e", URL: srv.URL})
	var log strings.Builder
	p, err := aggregator.New(context.Background(), f.store, fetch.New(f.fopts, nil, nil), f.opts, slog.New(slog.NewTextHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	f.p = p
	items := func(kremlinTitle string) string {
		return entryRSS(
			entryItem("dup", "https://e.example/rail", "Kim and Putin open a railway bridge", "Mon, 09 Mar 2026 07:00:00 GMT", onTopicText("railway", 1)),
			entryItem("dup", "https://e.example/kremlin", kremlinTitle, "Mon, 09 Mar 2026 08:00:00 GMT", onTopicText("kremlin", 2)),
			// The same entry twice is no clash.
			entryItem("dup", "https://e.example/rail", "Kim and Putin open a railway bridge", "Mon, 09 Mar 2026 07:00:00 GMT", onTopicText("railway", 1)))
	}
	stories := func() map[string]string {
		feed, err := f.p.Feed(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, e := range feed.Entries {
			out[e.Link] = e.Title
		}
		return out
	}

	h.body = items("Kim visits the Kremlin")
	sr := reportFor(t, f.poll(t), "e")
	want := map[string]string{"https://e.example/rail": "Kim and Putin open a railway bridge", "https://e.example/kremlin": "Kim visits the Kremlin"}
	if got := stories(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("feed entries %v, want %v", got, want)
	}
	clash := aggregator.GUIDClash{GUID: "dup", Link: "https://e.example/rail", OtherLink: "https://e.example/kremlin"}
	if len(sr.GUIDClashes) != 1 || sr.GUIDClashes[0] != clash {
		t.Errorf("report's clashes %+v, want %+v", sr.GUIDClashes, clash)
	}
	if !strings.Contains(log.String(), "level=WARN") || !strings.Contains(log.String(), "guid=dup") ||
		!strings.Contains(log.String(), "link=https://e.example/rail") || !strings.Contains(log.String(), "other_link=https://e.example/kremlin") {
		t.Errorf("no warning naming the source, GUID and both links in the log:\n%s", log.String())
	}

	// The next poll finds both items again; a changed title is an update of
	// the right one.
	h.body = items("Kim visits the Kremlin for talks")
	f.clock.Set(f.clock.Now().Add(time.Hour))
	sr = reportFor(t, f.poll(t), "e")
	if sr.New != 0 || sr.Updated != 1 || len(sr.GUIDClashes) != 1 {
		t.Errorf("second poll: %d new, %d updated, clashes %+v; want 0, 1 and the same clash", sr.New, sr.Updated, sr.GUIDClashes)
	}
	want["https://e.example/kremlin"] = "Kim visits the Kremlin for talks"
	if got := stories(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("feed entries after the update %v, want %v", got, want)
	}

	// A GUID that comes back alone with another link is the article moved:
	// an update, as before.
	h.body = entryRSS(entryItem("dup", "https://e.example/rail-bridge", "Kim and Putin open a railway bridge", "Mon, 09 Mar 2026 07:00:00 GMT", onTopicText("railway", 1)))
	f.clock.Set(f.clock.Now().Add(time.Hour))
	sr = reportFor(t, f.poll(t), "e")
	if sr.New != 0 || sr.Updated != 1 || len(sr.GUIDClashes) != 0 {
		t.Errorf("moved article: %d new, %d updated, clashes %+v; want an update", sr.New, sr.Updated, sr.GUIDClashes)
	}
	if c, _ := f.store.Counts(context.Background()); c.Items != 2 {
		t.Errorf("%d items after the move, want 2", c.Items)
	}
	if exps, err := f.p.Explain(context.Background(), "https://e.example/rail-bridge"); err != nil || len(exps) != 1 || exps[0].Item.GUID != "dup" {
		t.Errorf("moved article: %d items with its new link (%v), want the item of GUID dup", len(exps), err)
	}
}

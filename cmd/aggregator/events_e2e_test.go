package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// corpusItem is one item of the shared corpus (items.jsonl).
type corpusItem struct {
	ID, URL, Outlet, Lang, Published, Title, Body string
}

// corpusItems reads the items with the given ids from the shared corpus,
// in the order asked.
func corpusItems(t *testing.T, shared string, ids ...string) []corpusItem {
	t.Helper()
	f, err := os.Open(filepath.Join(shared, "testdata", "corpus", "items.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	byID := map[string]corpusItem{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var it corpusItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatal(err)
		}
		byID[it.ID] = it
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var out []corpusItem
	for _, id := range ids {
		it, ok := byID[id]
		if !ok {
			t.Fatalf("corpus has no item %s", id)
		}
		out = append(out, it)
	}
	return out
}

// rssFeed is an outlet's RSS 2.0 feed of items, each published at the
// given time of its day.
func rssFeed(title, lang string, items []corpusItem, times []string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>` + html.EscapeString(title) +
		`</title><link>https://` + strings.ToLower(strings.ReplaceAll(title, " ", "")) + `.example/</link><description>` +
		html.EscapeString(title) + ` news</description><language>` + lang + "</language>\n")
	for i, it := range items {
		var body strings.Builder
		for _, p := range strings.Split(it.Body, "\n") {
			if p = strings.TrimSpace(p); p != "" {
				body.WriteString("<p>" + html.EscapeString(p) + "</p>")
			}
		}
		b.WriteString("<item><title>" + html.EscapeString(it.Title) + "</title><link>" + html.EscapeString(it.URL) + "</link><guid>" +
			html.EscapeString(it.URL) + "</guid><pubDate>" + times[i] + "</pubDate><description>" + html.EscapeString(body.String()) +
			"</description></item>\n")
	}
	return b.String() + "</channel></rss>"
}

// eventDoc is what the test reads of a served feed.
type eventDoc struct {
	ID      string `xml:"id"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Summary string `xml:"summary"`
		Links   []struct {
			Rel      string `xml:"rel,attr"`
			Href     string `xml:"href,attr"`
			HrefLang string `xml:"hreflang,attr"`
		} `xml:"link"`
		Categories []struct {
			Term   string `xml:"term,attr"`
			Scheme string `xml:"scheme,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

// eventEntry is an entry as the test compares it: its link, its related
// links with their hreflang, and its event category.
type eventEntry struct {
	id, link, event string
	related         map[string]string // href: hreflang
	summary         string
}

func readEventDoc(t *testing.T, body []byte) (string, []eventEntry) {
	t.Helper()
	var doc eventDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("not Atom: %v\n%s", err, body)
	}
	var out []eventEntry
	for _, e := range doc.Entries {
		ee := eventEntry{id: e.ID, related: map[string]string{}, summary: e.Summary}
		for _, l := range e.Links {
			switch l.Rel {
			case "alternate":
				ee.link = l.Href
			case "related":
				ee.related[l.Href] = l.HrefLang
			}
		}
		for _, c := range e.Categories {
			if strings.HasPrefix(c.Term, "event:") {
				ee.event = c.Term
			}
		}
		out = append(out, ee)
	}
	return doc.ID, out
}

// validateAtom runs jing on an Atom document when it is on PATH.
func validateAtom(t *testing.T, shared, name string, body []byte) {
	t.Helper()
	jing, err := exec.LookPath("jing")
	if err != nil {
		t.Logf("jing is not on PATH: %s not validated against the RELAX NG schema", name)
		return
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	cmd := exec.Command(jing, "-c", filepath.Join(shared, "schemas", "atom", "atom.rnc"), path)
	cmd.Stdout = &stdout
	if err := cmd.Run(); err != nil || stdout.Len() > 0 {
		t.Errorf("%s is not valid Atom: %v\n%s", name, err, stdout.String())
	}
}

// TestEventsEndToEnd runs the daemon over three outlets' feeds with three
// reports of 24 October 2024 from the shared corpus: TASS (English) and
// Kompas (Indonesian) on the State Duma's ratification of the treaty with
// North Korea, one event; and the Guardian on Putin not denying North
// Korean troops at the Brics summit, another event of the same day that
// names the same treaty, article and people. The two reports of the
// ratification are one entry of /events.atom and link each other (with
// hreflang) in /feed.atom; the Guardian's stays apart in both. Then
// "aggregator fetch --group event" writes the same event feed.
func TestEventsEndToEnd(t *testing.T) {
	shared := os.Getenv("AGGREGATOR_SHARED")
	if shared == "" {
		t.Skip("AGGREGATOR_SHARED is not set; set it to the shared dir to read testdata/corpus/items.jsonl")
	}
	items := corpusItems(t, shared, "w0061", "w0062", "w0063")
	kompas, tass, guardian := items[0], items[1], items[2]
	fs := &feedServer{bodies: map[string]feedBody{
		"/tass.rss":     {"application/rss+xml", rssFeed("TASS", "en", []corpusItem{tass}, []string{"Thu, 24 Oct 2024 14:40:00 +0300"})},
		"/guardian.rss": {"application/rss+xml", rssFeed("The Guardian", "en-gb", []corpusItem{guardian}, []string{"Thu, 24 Oct 2024 17:55:00 +0100"})},
		"/kompas.rss":   {"application/rss+xml", rssFeed("Kompas", "id", []corpusItem{kompas}, []string{"Thu, 24 Oct 2024 20:30:15 +0700"})},
	}}
	ts := httptest.NewServer(fs)
	t.Cleanup(ts.Close)
	dir := t.TempDir()
	listen := freeAddr(t)
	cfg := writeConfig(t, dir, `state: state.db
schedule: "@every 1s"
listen: `+listen+`
feed: {title: NK–Russia, url: "http://`+listen+`/feed.atom"}
dedupe: {window: 87600h}
sources:
  - {name: TASS, url: "`+ts.URL+`/tass.rss"}
  - {name: The Guardian, url: "`+ts.URL+`/guardian.rss"}
  - {name: Kompas, url: "`+ts.URL+`/kompas.rss"}
`)
	d := startDaemon(t, cfg, listen)
	var events []eventEntry
	waitUntil(t, "/events.atom carries the three reports", func() bool {
		resp, body := d.get("GET", "/events.atom", nil)
		if resp.StatusCode != http.StatusOK {
			return false
		}
		_, events = readEventDoc(t, body)
		n := 0
		for _, e := range events {
			n += 1 + len(e.related)
		}
		return n == 3
	})
	resp, eventsBody := d.get("GET", "/events.atom", nil)
	validateAtom(t, shared, "events.atom", eventsBody)
	if resp.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Errorf("/events.atom Content-Type %q", resp.Header.Get("Content-Type"))
	}
	if r, _ := d.get("GET", "/events.atom", map[string]string{"If-None-Match": resp.Header.Get("ETag")}); r.StatusCode != http.StatusNotModified {
		t.Errorf("/events.atom with its ETag: %d, want 304", r.StatusCode)
	}
	feedID, _ := readEventDoc(t, eventsBody)
	if feedID != "http://"+listen+"/events.atom" {
		t.Errorf("event feed id %q", feedID)
	}

	byLink := map[string]eventEntry{}
	for _, e := range events {
		byLink[e.link] = e
	}
	if len(events) != 2 {
		for _, u := range []string{kompas.URL, tass.URL, guardian.URL} {
			_, exp, _ := runCLI(t, "explain", "--config", cfg, u)
			t.Logf("aggregator explain %s:\n%s", u, exp)
		}
		t.Fatalf("/events.atom has %d entries, want 2 (the ratification, the troops): %+v", len(events), events)
	}
	// The event's entry links to the report that started it (the feeds
	// are fetched concurrently, so either may be first) and relates the
	// other.
	ratification, peer := byLink[tass.URL], kompas
	wantLang := "id"
	if _, ok := byLink[kompas.URL]; ok {
		ratification, peer, wantLang = byLink[kompas.URL], tass, "en"
	}
	troops := byLink[guardian.URL]
	if ratification.related[peer.URL] != wantLang || len(ratification.related) != 1 {
		t.Errorf("the ratification's event entry %s links %v, want %s (hreflang %s) only", ratification.link, ratification.related, peer.Outlet, wantLang)
	}
	if !strings.Contains(ratification.summary, "(English)") || !strings.Contains(ratification.summary, "(Indonesian)") ||
		!strings.Contains(ratification.summary, html.EscapeString(kompas.Title)) || !strings.Contains(ratification.summary, html.EscapeString(tass.Title)) {
		t.Errorf("the ratification's event summary does not list both reports with their languages:\n%s", ratification.summary)
	}
	if len(troops.related) != 0 || troops.id == "" || troops.id == ratification.id {
		t.Errorf("the troops event entry: id %q, related %v", troops.id, troops.related)
	}

	_, feedBody := d.get("GET", "/feed.atom", nil)
	validateAtom(t, shared, "feed.atom", feedBody)
	_, stories := readEventDoc(t, feedBody)
	if len(stories) != 3 {
		t.Fatalf("/feed.atom has %d entries, want one per report (3)", len(stories))
	}
	byLink = map[string]eventEntry{}
	for _, e := range stories {
		byLink[e.link] = e
	}
	en, id, other := byLink[tass.URL], byLink[kompas.URL], byLink[guardian.URL]
	if en.related[kompas.URL] != "id" || id.related[tass.URL] != "en" || len(en.related) != 1 || len(id.related) != 1 {
		t.Errorf("the two reports of the ratification link %v and %v, want each other with hreflang", en.related, id.related)
	}
	if !strings.Contains(en.summary, "Other reports of this event") || !strings.Contains(en.summary, "Kompas</a> (Indonesian)") {
		t.Errorf("TASS's summary lacks the other report:\n%s", en.summary)
	}
	if len(other.related) != 0 || strings.Contains(other.summary, "Other reports of this event") {
		t.Errorf("the Guardian's report links %v:\n%s", other.related, other.summary)
	}
	if en.event == "" || en.event != id.event || other.event == "" || other.event == en.event {
		t.Errorf("event categories: TASS %q, Kompas %q, Guardian %q; want the first two equal and the third another", en.event, id.event, other.event)
	}

	d.signal(syscall.SIGTERM)
	if code := d.wait(30 * time.Second); code != 0 {
		t.Fatalf("daemon exit %d", code)
	}
	out := filepath.Join(dir, "events.atom")
	if code, stdout, stderr := runCLI(t, "fetch", "--config", cfg, "--group", "event", "--out", out, "--quiet"); code != 0 ||
		!strings.Contains(stdout, "(atom, 2 events)") {
		t.Fatalf("fetch --group event: exit %d\n%s%s", code, stdout, stderr)
	}
	written, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, fromFetch := readEventDoc(t, written); len(fromFetch) != 2 || fromFetch[0].id != events[0].id || fromFetch[1].id != events[1].id {
		t.Errorf("fetch --group event wrote %+v, want the served event entries %q, %q", fromFetch, events[0].id, events[1].id)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"aggregator/seeds"
)

// The end-to-end test serves three feeds (RSS 2.0, Atom, JSON Feed) from a
// local server, runs "aggregator fetch" twice and reads the Atom it wrote.

type article struct {
	Title string
	Body  []string // paragraphs
}

func readArticle(t *testing.T, name string) article {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	return article{Title: lines[0], Body: lines[1:]}
}

func seedArticle(t *testing.T, prefix string) article {
	t.Helper()
	for _, s := range seeds.Embedded() {
		if strings.HasPrefix(s.Name, prefix) {
			var body []string
			for _, l := range strings.Split(s.Text, "\n") {
				if strings.TrimSpace(l) != "" {
					body = append(body, strings.TrimSpace(l))
				}
			}
			return article{Title: s.Title, Body: body[1:]}
		}
	}
	t.Fatalf("no seed %s", prefix)
	return article{}
}

// leadOf returns the paragraph of a that starts with prefix.
func leadOf(t *testing.T, a article, prefix string) string {
	t.Helper()
	for _, p := range a.Body {
		if strings.HasPrefix(p, prefix) {
			return p
		}
	}
	t.Fatalf("no paragraph starts with %q", prefix)
	return ""
}

func paragraphsHTML(ps []string) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("<p>" + html.EscapeString(p) + "</p>")
	}
	return b.String()
}

// feedServer serves fixed bodies with ETag/Last-Modified and 304s, and
// records the conditional headers of every request.
type feedServer struct {
	mu       sync.Mutex
	bodies   map[string]feedBody
	requests []request
}

type feedBody struct {
	contentType string
	body        string
}

type request struct {
	path, ifNoneMatch, ifModifiedSince string
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, request{r.URL.Path, r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")})
	fb, ok := s.bodies[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := fmt.Sprintf(`"%x"`, len(fb.body))
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", "Mon, 10 Nov 2025 08:00:00 GMT")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", fb.contentType)
	fmt.Fprint(w, fb.body)
}

func (s *feedServer) takeRequests() []request {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.requests
	s.requests = nil
	return r
}

// fixture builds the three feeds and returns the server and the article
// URLs by role.
func fixture(t *testing.T) (*feedServer, *httptest.Server, map[string]string) {
	t.Helper()
	x := readArticle(t, "story-x.txt")
	y1 := readArticle(t, "story-y1.txt")
	y2 := readArticle(t, "story-y2.txt")
	z := readArticle(t, "story-z.txt")
	off := readArticle(t, "offtopic.txt")
	seed0 := seedArticle(t, "000_")
	seed2 := seedArticle(t, "002_")

	fs := &feedServer{bodies: map[string]feedBody{}}
	srv := httptest.NewServer(fs)
	t.Cleanup(srv.Close)
	u := func(p string) string { return srv.URL + p }
	urls := map[string]string{
		"x":        u("/wire-a/x-kursk"),
		"z":        u("/wire-a/z-satelit"),
		"seedcopy": u("/wire-a/putin-segera-ke-pyongyang"),
		"off":      u("/wire-a/puting-beliung"),
		"xcopy":    u("/outlet-b/2024/11/troops-kursk-copy"),
		"seedlead": u("/outlet-b/putin-diundang"),
		"y1":       u("/outlet-b/lavrov-wonsan"),
		"y2":       u("/digest-c/moscow-diplomat-kalma"),
		"zsummary": u("/digest-c/ringkas-satelit"),
		"xsameurl": u("/wire-a/x-kursk?utm_source=digest&utm_medium=rss#top"),
	}

	// Wire A (RSS 2.0): story X in full, story Z in full (content:encoded),
	// a near-copy of seed 000 (new headline, boilerplate added), off topic.
	seedCopyBody := append([]string{"Baca Juga: Harga cabai naik jelang akhir tahun"}, seed0.Body...)
	seedCopyBody = append(seedCopyBody, "Baca Juga: Timnas U-17 lolos ke putaran final", "Penulis: Redaksi Wire A | Editor: Tim Dunia")
	rssItem := func(title, link, guid, date, desc, content string) string {
		s := "<item><title>" + html.EscapeString(title) + "</title><link>" + html.EscapeString(link) + "</link>" +
			"<guid isPermaLink=\"false\">" + guid + "</guid><pubDate>" + date + "</pubDate>" +
			"<description>" + html.EscapeString(desc) + "</description>"
		if content != "" {
			s += "<content:encoded><![CDATA[" + content + "]]></content:encoded>"
		}
		return s + "<category>Dunia</category></item>\n"
	}
	fs.bodies["/a.rss"] = feedBody{"application/rss+xml; charset=utf-8", `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Wire A</title><link>` + u("/wire-a/") + `</link><description>Wire A world news</description>
` + rssItem(x.Title, urls["x"], "wire-a-x", "Wed, 06 Nov 2024 09:00:00 +0000", paragraphsHTML(x.Body), "") +
		rssItem(z.Title, urls["z"], "wire-a-z", "Tue, 05 Nov 2024 07:00:00 +0700", paragraphsHTML(z.Body[:1]), paragraphsHTML(z.Body)) +
		rssItem("Kremlin sambut undangan, Putin bisa segera ke Pyongyang", urls["seedcopy"], "wire-a-seed", "Mon, 22 Jan 2024 10:00:00 +0700", paragraphsHTML(seedCopyBody), "") +
		rssItem(off.Title, urls["off"], "wire-a-off", "Mon, 04 Nov 2024 15:00:00 +0700", paragraphsHTML(off.Body), "") +
		`</channel></rss>`}

	// Outlet B (Atom): a re-headlined copy of X with boilerplate and the
	// last paragraph cut, the lead paragraph of seed 002, and report Y1.
	xCopyBody := append([]string{"By Outlet B staff"}, x.Body[:len(x.Body)-1]...)
	xCopyBody = append(xCopyBody, "Read more: Seoul weighs new sanctions", "Share this article")
	atomEntry := func(title, link, id, date, content string) string {
		return "<entry><title>" + html.EscapeString(title) + "</title><link rel=\"alternate\" href=\"" + html.EscapeString(link) + "\"/>" +
			"<id>" + id + "</id><published>" + date + "</published><updated>" + date + "</updated>" +
			"<author><name>Outlet B</name></author><content type=\"html\">" + html.EscapeString(content) + "</content></entry>\n"
	}
	fs.bodies["/b.atom"] = feedBody{"application/atom+xml", `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Outlet B</title><id>urn:outlet-b</id>
<link rel="alternate" href="` + u("/outlet-b/") + `"/><updated>2025-07-12T10:00:00Z</updated>
` + atomEntry("Pyongyang's troops reach Kursk, Seoul says", urls["xcopy"], "urn:outlet-b:1", "2024-11-06T11:30:00Z", paragraphsHTML(xCopyBody)) +
		atomEntry("Putin diundang Kim Jong-un ke Pyongyang", urls["seedlead"], "urn:outlet-b:2", "2024-01-21T08:00:00Z", paragraphsHTML([]string{leadOf(t, seed2, "Presiden Rusia Vladimir Putin menyambut")})) +
		atomEntry(y1.Title, urls["y1"], "urn:outlet-b:3", "2025-07-11T09:00:00Z", paragraphsHTML(y1.Body)) +
		`</feed>`}

	// Digest C (JSON Feed): report Y2 of the same event, a summary-only
	// item of Z, and X again under a tracking-parameter URL.
	jf := map[string]any{
		"version": "https://jsonfeed.org/version/1.1", "title": "Digest C", "home_page_url": u("/digest-c/"),
		"items": []map[string]any{
			{"id": "c-1", "url": urls["y2"], "title": y2.Title, "content_html": paragraphsHTML(y2.Body), "date_published": "2025-07-12T06:00:00Z"},
			{"id": "c-2", "url": urls["zsummary"], "title": "Intelijen: ahli satelit Rusia di Korea Utara", "summary": z.Body[0], "date_published": "2024-11-05T09:00:00Z"},
			{"id": "c-3", "url": urls["xsameurl"], "title": x.Title, "content_text": strings.Join(x.Body[:2], "\n\n"), "date_published": "2024-11-06T12:00:00Z"},
		},
	}
	jb, err := json.Marshal(jf)
	if err != nil {
		t.Fatal(err)
	}
	fs.bodies["/c.json"] = feedBody{"application/feed+json", string(jb)}
	return fs, srv, urls
}

func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// atomDoc is what the test reads back from the written feed.
type atomDoc struct {
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  string      `xml:"author>name"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Author    string     `xml:"author>name"`
	Links     []atomLink `xml:"link"`
	Summary   string     `xml:"summary"`
	SourceID  string     `xml:"source>id"`
}

func (e atomEntry) link(rel string) []string {
	var out []string
	for _, l := range e.Links {
		if l.Rel == rel || (rel == "alternate" && l.Rel == "") {
			out = append(out, l.Href)
		}
	}
	sort.Strings(out)
	return out
}

func readAtom(t *testing.T, path string) atomDoc {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc atomDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("output is not XML: %v", err)
	}
	return doc
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestFetchEndToEnd(t *testing.T) {
	fs, srv, urls := fixture(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, `state: state.db
feed:
  title: Test curated feed
  url: https://feeds.example.org/nk-ru/feed.atom
sources:
  - {name: Wire A, url: "`+srv.URL+`/a.rss"}
  - {name: Outlet B, url: "`+srv.URL+`/b.atom"}
  - {name: Digest C, url: "`+srv.URL+`/c.json"}
fetch:
  concurrency: 1
  per_host: 1
  timeout: 10s
`)
	out := filepath.Join(dir, "feed.atom")

	code, stdout, stderr := runCLI(t, "fetch", "--config", cfg, "--out", out)
	if code != 0 {
		t.Fatalf("first fetch exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	t.Logf("first run:\n%s", stdout)
	for _, r := range fs.takeRequests() {
		if r.ifNoneMatch != "" || r.ifModifiedSince != "" {
			t.Errorf("first request to %s was conditional", r.path)
		}
	}
	doc := readAtom(t, out)

	// Feed level.
	if doc.ID == "" || doc.Title != "Test curated feed" || doc.Updated == "" || doc.Author == "" {
		t.Errorf("feed metadata incomplete: id=%q title=%q updated=%q author=%q", doc.ID, doc.Title, doc.Updated, doc.Author)
	}
	var self string
	for _, l := range doc.Links {
		if l.Rel == "self" {
			self = l.Href
		}
	}
	if self != "https://feeds.example.org/nk-ru/feed.atom" {
		t.Errorf("self link = %q", self)
	}

	// Entries: X, Z, Y1 and Y2 are stories; nothing else is.
	byLink := map[string]atomEntry{}
	for _, e := range doc.Entries {
		alt := e.link("alternate")
		if len(alt) != 1 {
			t.Fatalf("entry %q has alternate links %v", e.Title, alt)
		}
		byLink[alt[0]] = e
		if !strings.HasPrefix(e.ID, "tag:feeds.example.org,") {
			t.Errorf("entry %q id %q is not a tag: URI of the feed's host", e.Title, e.ID)
		}
		if e.Author == "" || e.Updated == "" || e.Published == "" || e.Summary == "" || e.SourceID == "" {
			t.Errorf("entry %q incomplete: %+v", e.Title, e)
		}
	}
	want := []string{urls["x"], urls["z"], urls["y1"], urls["y2"]}
	sort.Strings(want)
	var got []string
	for l := range byLink {
		got = append(got, l)
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("published entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The second outlet's copy of X is a related link on X only; the
	// summary-only item of Z is a related link on Z; the tracking-parameter
	// URL of X is the same article, not another outlet.
	if rel := byLink[urls["x"]].link("related"); strings.Join(rel, " ") != urls["xcopy"] {
		t.Errorf("X related = %v, want [%s]", rel, urls["xcopy"])
	}
	if rel := byLink[urls["z"]].link("related"); strings.Join(rel, " ") != urls["zsummary"] {
		t.Errorf("Z related = %v, want [%s]", rel, urls["zsummary"])
	}
	// Y1 and Y2 are two outlets' own reports of one event: not copies
	// ("also reported by"), but other reports of the event, linked both ways.
	for k, other := range map[string]string{"y1": "y2", "y2": "y1"} {
		e := byLink[urls[k]]
		if rel := e.link("related"); strings.Join(rel, " ") != urls[other] {
			t.Errorf("independent report %s has related links %v, want the other report of its event %s", k, rel, urls[other])
		}
		if strings.Contains(e.Summary, "Also reported by") || !strings.Contains(e.Summary, "Other reports of this event") {
			t.Errorf("independent report %s: the other report is not listed as one of its event:\n%s", k, e.Summary)
		}
	}
	if byLink[urls["x"]].Author != "Wire A" || byLink[urls["y2"]].Author != "Digest C" {
		t.Errorf("authors: X %q, Y2 %q", byLink[urls["x"]].Author, byLink[urls["y2"]].Author)
	}
	if !strings.Contains(byLink[urls["x"]].Summary, "Outlet B") {
		t.Errorf("X summary does not name the outlet that also reported it: %q", byLink[urls["x"]].Summary)
	}
	if !strings.Contains(stdout, "total: 3 sources (0 failed), 10 entries, 4 new, 5 duplicates, 1 off-topic") {
		t.Errorf("unexpected totals in:\n%s", stdout)
	}

	// explain shows the seed a suppressed item matched, with scores.
	code, exp, stderr := runCLI(t, "explain", "--config", cfg, urls["seedcopy"])
	if code != 0 || !strings.Contains(exp, "seed_duplicate") || !strings.Contains(exp, "seed 000_c4fe606cd232d100.txt") ||
		!strings.Contains(exp, "resemblance") || !strings.Contains(exp, "Baca Juga: Harga cabai") {
		t.Errorf("explain seed copy (exit %d):\n%s%s", code, exp, stderr)
	}
	code, exp, _ = runCLI(t, "explain", "--config", cfg, urls["seedlead"])
	if code != 0 || !strings.Contains(exp, "seed 002_d941ebfd04aa38f2.txt") || !strings.Contains(exp, "containment 1.000") {
		t.Errorf("explain seed lead (exit %d):\n%s", code, exp)
	}
	code, exp, _ = runCLI(t, "explain", "--config", cfg, urls["xcopy"])
	if code != 0 || !strings.Contains(exp, "story_duplicate") || !strings.Contains(exp, urls["x"]) {
		t.Errorf("explain story copy (exit %d):\n%s", code, exp)
	}
	code, exp, _ = runCLI(t, "explain", "--config", cfg, urls["off"])
	if code != 0 || !strings.Contains(exp, "off_topic") {
		t.Errorf("explain off-topic (exit %d):\n%s", code, exp)
	}

	// Second run: conditional requests, nothing new, ids and updated unchanged.
	code, stdout, stderr = runCLI(t, "fetch", "--config", cfg, "--out", out)
	if code != 0 {
		t.Fatalf("second fetch exit %d\n%s%s", code, stdout, stderr)
	}
	reqs := fs.takeRequests()
	if len(reqs) != 3 {
		t.Errorf("second run made %d requests, want 3", len(reqs))
	}
	for _, r := range reqs {
		if r.ifNoneMatch == "" || r.ifModifiedSince == "" {
			t.Errorf("second request to %s not conditional: %+v", r.path, r)
		}
	}
	if !strings.Contains(stdout, "0 new") {
		t.Errorf("second run published something:\n%s", stdout)
	}
	doc2 := readAtom(t, out)
	if dir := os.Getenv("AGGREGATOR_E2E_OUT"); dir != "" {
		// .ci/run validates this feed with jing, xmllint, feedparser and newsboat.
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "e2e.atom"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if len(doc2.Entries) != len(doc.Entries) {
		t.Fatalf("second run has %d entries, first %d", len(doc2.Entries), len(doc.Entries))
	}
	for i := range doc.Entries {
		a, b := doc.Entries[i], doc2.Entries[i]
		if a.ID != b.ID || a.Updated != b.Updated {
			t.Errorf("entry %d changed: id %q→%q updated %q→%q", i, a.ID, b.ID, a.Updated, b.Updated)
		}
	}
	if doc.Updated != doc2.Updated {
		t.Errorf("feed updated changed: %q → %q", doc.Updated, doc2.Updated)
	}
}

func TestFetchWithoutNetwork(t *testing.T) {
	// A listener that is closed at once: every connection is refused.
	srv := httptest.NewServer(http.NotFoundHandler())
	dead := srv.URL
	srv.Close()
	dir := t.TempDir()
	cfg := writeConfig(t, dir, `state: state.db
feed: {url: "http://127.0.0.1:8080/feed.atom"}
sources:
  - {name: one, url: "`+dead+`/one.xml"}
  - {name: two, url: "`+dead+`/two.xml"}
fetch: {timeout: 5s}
`)
	out := filepath.Join(dir, "feed.atom")
	code, stdout, stderr := runCLI(t, "fetch", "--config", cfg, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, name := range []string{"one", "two"} {
		if !strings.Contains(stdout, name+" ") || !strings.Contains(stdout, "refused") {
			t.Errorf("source %s failure not reported clearly:\n%s", name, stdout)
		}
	}
	if !strings.Contains(stdout, "(2 failed)") {
		t.Errorf("totals do not count the failures:\n%s", stdout)
	}
	doc := readAtom(t, out)
	if doc.ID == "" || len(doc.Entries) != 0 {
		t.Errorf("feed without network: id %q, %d entries", doc.ID, len(doc.Entries))
	}
}

func TestBadConfigExitsNonZero(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "feed:\n  url: https://x.example/feed.atom\n  titel: typo\nsources: []\n")
	code, _, stderr := runCLI(t, "fetch", "--config", cfg, "--out", filepath.Join(dir, "f.atom"))
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(stderr, "config.yaml:3") || !strings.Contains(stderr, "titel") {
		t.Errorf("error does not name file, line and field:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "state.db")); err == nil {
		t.Error("a state file was created for a bad config")
	}
	if code, _, _ := runCLI(t, "check", "--config", cfg); code == 0 {
		t.Error("check accepted a bad config")
	}
}

package opml

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sharedOPML returns the path of a file in $AGGREGATOR_SHARED/testdata/opml,
// skipping the test when the variable is unset.
func sharedOPML(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("AGGREGATOR_SHARED")
	if dir == "" {
		t.Skip("AGGREGATOR_SHARED is not set; set it to the shared dir to read the OPML files of testdata/opml")
	}
	return filepath.Join(dir, "testdata", "opml", name)
}

func readFile(t *testing.T, path string) *List {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := Read(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return l
}

// TestReadRealFiles reads the three real subscription lists (OPML 1.0 from
// Google Reader with nested categories; OPML 1.1 and 2.0 from a Mac
// reader, one without title attributes) and checks what they hold: the
// number of outlines and of feeds, the categories, and what Plan makes of
// them (the file's duplicate skipped, the clashing names renamed).
func TestReadRealFiles(t *testing.T) {
	cases := []struct {
		file                   string
		version, title         string
		outlines, feeds        int
		categories             int
		add, skipped           int
		firstName, firstURL    string
		nestedName, nestedPath string
	}{
		{"feedjira2009__google-reader-subscriptions.opml", "1.0", "Paul Dix subscriptions in Google Reader",
			312, 300, 12, 287, 13, "Afterthought", "http://www.gilhildebrand.com/afterthought/?feed=rss2", "IR Thoughts", "Search"},
		{"rsparser__Subs.opml", "1.1", "Subs", 211, 207, 4, 206, 1,
			"Daring Fireball", "http://daringfireball.net/feeds/main", "", ""},
		{"rsparser__SubsNoTitleAttributes.opml", "2.0", "Subs", 211, 207, 4, 206, 1,
			"Daring Fireball", "http://daringfireball.net/feeds/main", "", ""},
	}
	for _, c := range cases {
		l := readFile(t, sharedOPML(t, c.file))
		feeds, cats := 0, 0
		for _, o := range l.Outlines {
			if o.XMLURL != "" {
				feeds++
			}
			if o.Children > 0 {
				cats++
			}
			if c.nestedName != "" && o.Text == c.nestedName && o.Line < 100 && !reflect.DeepEqual(o.Categories, []string{c.nestedPath}) {
				t.Errorf("%s: %q is in categories %q, want [%s]", c.file, o.Text, o.Categories, c.nestedPath)
			}
		}
		if l.Version != c.version || l.Title != c.title || len(l.Outlines) != c.outlines || feeds != c.feeds || cats != c.categories {
			t.Errorf("%s: version %q, title %q, %d outlines, %d feeds, %d categories; want %q, %q, %d, %d, %d",
				c.file, l.Version, l.Title, len(l.Outlines), feeds, cats, c.version, c.title, c.outlines, c.feeds, c.categories)
		}
		im := Plan(l, nil)
		if len(im.Feeds) != c.add || len(im.Skipped) != c.skipped {
			t.Errorf("%s: %d to add, %d skipped; want %d, %d", c.file, len(im.Feeds), len(im.Skipped), c.add, c.skipped)
		}
		if len(im.Feeds) > 0 && (im.Feeds[0].Title != c.firstName || im.Feeds[0].XMLURL != c.firstURL) {
			t.Errorf("%s: first feed %+v, want %q %s", c.file, im.Feeds[0], c.firstName, c.firstURL)
		}
		names := map[string]bool{}
		for _, f := range im.Feeds {
			if f.Title == "" || names[strings.ToLower(f.Title)] || urlKey(f.XMLURL) == "" {
				t.Errorf("%s: feed %+v has an empty, repeated or invalid name or URL", c.file, f)
			}
			names[strings.ToLower(f.Title)] = true
		}
		for _, n := range im.Skipped {
			if !strings.Contains(n.Message, "a duplicate of the outline on line") {
				t.Errorf("%s: skipped %s; only duplicates are expected", c.file, n)
			}
		}
		// Imported again on top of itself: nothing is new.
		if again := Plan(l, im.Feeds); len(again.Feeds) != 0 || len(again.Skipped) != c.feeds {
			t.Errorf("%s: imported over its own import: %d to add, %d skipped; want 0, %d", c.file, len(again.Feeds), len(again.Skipped), c.feeds)
		}
	}
}

// TestPlanSkipsAndChanges checks every reason an outline is skipped or
// changed, each named with the outline's line.
func TestPlanSkipsAndChanges(t *testing.T) {
	doc := `<?xml version="1.0"?>
<opml version="2.0" xmlns:aggregator="urn:x-aggregator:opml"><head><title>t &amp; u</title></head><body>
<outline text="Just a link" type="link" url="https://example.org/"/>
<outline text="FTP" xmlUrl="ftp://example.org/feed"/>
<outline text="Relative" xmlUrl="/feed.xml"/>
<outline text="Configured" xmlUrl="HTTPS://Wire.Example/feed#x"/>
<outline text="World">
  <outline text="Europe">
    <outline text="Wire" xmlURL="https://other.example/rss" aggregator:fullText="auto"/>
  </outline>
</outline>
<outline title="Again" xmlurl="https://other.example/rss"/>
<outline text="Tabs	and
 lines" xmlUrl="https://third.example/feed" aggregator:fullText="sometimes"/>
<outline xmlUrl="https://fourth.example"/>
</body></opml>`
	l, err := Read(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if l.Title != "t & u" {
		t.Errorf("title %q", l.Title)
	}
	im := Plan(l, []Feed{{Title: "wire", XMLURL: "https://wire.example/feed"}})
	want := []Feed{
		{Title: "Wire (other.example)", XMLURL: "https://other.example/rss", FullText: "auto"},
		{Title: "Tabs and lines", XMLURL: "https://third.example/feed"},
		{Title: "https://fourth.example", XMLURL: "https://fourth.example"},
	}
	if !reflect.DeepEqual(im.Feeds, want) {
		t.Errorf("feeds\n%+v\nwant\n%+v", im.Feeds, want)
	}
	wantSkipped := []string{
		`line 3: "Just a link": no xmlUrl: not a feed (type "link")`,
		`line 4: "FTP": xmlUrl "ftp://example.org/feed" is not an absolute http(s) URL`,
		`line 5: "Relative": xmlUrl "/feed.xml" is not an absolute http(s) URL`,
		`line 6: "Configured": xmlUrl HTTPS://Wire.Example/feed#x: already configured as source "wire"`,
		`line 12: "Again": xmlUrl https://other.example/rss: a duplicate of the outline on line 9`,
	}
	var got []string
	for _, n := range im.Skipped {
		got = append(got, n.String())
	}
	if !reflect.DeepEqual(got, wantSkipped) {
		t.Errorf("skipped\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantSkipped, "\n"))
	}
	got = nil
	for _, n := range im.Changed {
		got = append(got, n.String())
	}
	wantChanged := []string{
		`line 7: "World": a category of 1 outline(s): flattened (sources have no categories)`,
		`line 8: "Europe": a category of 1 outline(s): flattened (sources have no categories)`,
		`line 9: "Wire": renamed "Wire (other.example)": the name is already taken`,
		`line 14: "Tabs and lines": aggregator:fullText "sometimes" is not never, auto or always: left out`,
	}
	if !reflect.DeepEqual(got, wantChanged) {
		t.Errorf("changed\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantChanged, "\n"))
	}
}

func TestReadRejects(t *testing.T) {
	for doc, want := range map[string]string{
		"":                                    "no root element",
		`<rss version="2.0"><channel/></rss>`: "the root element is <rss>",
		`<opml version="2.0"><body><outline text="a">`: "",
		"not xml at all": "no root element",
	} {
		_, err := Read(strings.NewReader(doc))
		if err == nil || (want != "" && !strings.Contains(err.Error(), want)) {
			t.Errorf("Read(%q) = %v, want an error mentioning %q", doc, err, want)
		}
		if want != "" && !errors.Is(err, ErrNotOPML) {
			t.Errorf("Read(%q) = %v, want ErrNotOPML", doc, err)
		}
	}
}

// TestRoundTrip writes feeds and reads them back: the same feeds, and an
// OPML 2.0 document with the fields the spec requires of an rss outline.
func TestRoundTrip(t *testing.T) {
	feeds := []Feed{
		{Title: "Wire <A> & co", XMLURL: "https://wire.example/feed?a=1&b=2"},
		{Title: "조선중앙통신", XMLURL: "http://kcna.example/rss", FullText: "always"},
		{Title: "Site", XMLURL: "https://site.example/atom", HTMLURL: "https://site.example/", FullText: "never"},
	}
	var b bytes.Buffer
	if err := Write(&b, Document{Title: "Sources", Created: time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC), Feeds: feeds}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{`<opml version="2.0" xmlns:aggregator="urn:x-aggregator:opml">`, "<dateCreated>Wed, 02 Dec 2026 18:00:00 +0000</dateCreated>",
		`type="rss" text="Wire &lt;A&gt; &amp; co"`, `aggregator:fullText="always"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the document lacks %s:\n%s", want, out)
		}
	}
	l, err := Read(&b)
	if err != nil {
		t.Fatal(err)
	}
	im := Plan(l, nil)
	feeds[2].FullText = "" // never is the default, not written
	if !reflect.DeepEqual(im.Feeds, feeds) || len(im.Skipped)+len(im.Changed) != 0 || l.Version != "2.0" || l.Title != "Sources" {
		t.Errorf("read back %+v (skipped %v, changed %v), want %+v", im.Feeds, im.Skipped, im.Changed, feeds)
	}
}

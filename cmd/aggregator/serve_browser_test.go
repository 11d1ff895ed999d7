package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// chromiumPath is Debian's chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium with args and the URL and returns its
// standard output.
func chromium(t *testing.T, url string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, chromiumPath, append(append(base, args...), url)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes()
}

// artifactDir is where screenshots go: $AGGREGATOR_ARTIFACTS (CI keeps
// it) or the test's temporary directory.
func artifactDir(t *testing.T) string {
	if dir := os.Getenv("AGGREGATOR_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// TestServeInBrowser loads the reading page, the status page and the Atom
// feed in headless Chromium: the reading page must show the stories with
// their outlets and links and no script, the status page the sources table
// and the stories, the feed its entries styled by the CSS stylesheet.
// Screenshots at phone (390 px) and desktop (1280 px) widths are saved as
// artifacts.
func TestServeInBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("headless browser test skipped: %s not found (apt-get install chromium; .ci/run does)", chromiumPath)
	}
	_, srv, _ := fixture(t)
	x := readArticle(t, "story-x.txt")
	y1 := readArticle(t, "story-y1.txt")
	y2 := readArticle(t, "story-y2.txt")
	z := readArticle(t, "story-z.txt")
	listen := freeAddr(t)
	cfg := writeConfig(t, t.TempDir(), serveConfig(listen, `  - {name: Wire A, url: "`+srv.URL+`/a.rss"}
  - {name: Outlet B, url: "`+srv.URL+`/b.atom"}
  - {name: Digest C, url: "`+srv.URL+`/c.json"}
  - {name: Dead link, url: "http://127.0.0.1:1/feed.xml"}
`))
	d := startDaemon(t, cfg, listen)
	defer func() {
		d.signal(syscall.SIGTERM)
		d.wait(30 * time.Second)
	}()
	waitUntil(t, "the feed carries the stories", func() bool {
		_, body := d.get("GET", "/feed.atom", nil)
		return bytes.Contains(body, []byte(html.EscapeString(y2.Title)))
	})

	t.Run("reading page", func(t *testing.T) {
		dom := string(chromium(t, d.url("/"), "--dump-dom"))
		stories := between(dom, `<ol class="stories">`, "<footer>")
		if stories == "" {
			t.Fatalf("the reading page has no list of stories:\n%.2000s", dom)
		}
		for _, a := range []article{x, y1, y2, z} {
			if !strings.Contains(stories, domText(a.Title)+"</a></h2>") {
				t.Errorf("the reading page lacks the linked title %q", a.Title)
			}
		}
		if n := strings.Count(stories, `<li class="story"`); n < 4 {
			t.Errorf("the reading page shows %d stories, want at least 4", n)
		}
		if !strings.Contains(stories, "<h3>Also reported by</h3>") {
			t.Error("no story shows the outlets that also reported it")
		}
		for _, outlet := range []string{"Wire A", "Outlet B"} {
			if !strings.Contains(stories, `<span class="outlet">`+outlet+`</span>`) {
				t.Errorf("no story names the outlet %q", outlet)
			}
		}
		for _, bad := range []string{"<script", `href=""`, "javascript:"} {
			if strings.Contains(dom, bad) {
				t.Errorf("the rendered page contains %q", bad)
			}
		}
		for _, href := range regexp.MustCompile(`<h2 class="title"><a href="([^"]*)"`).FindAllStringSubmatch(stories, -1) {
			if !strings.HasPrefix(href[1], "http://") && !strings.HasPrefix(href[1], "https://") {
				t.Errorf("a story links to %q", href[1])
			}
		}
		if !strings.Contains(dom, `<a href="status">Status</a>`) || !strings.Contains(dom, `name="viewport"`) {
			t.Error("the reading page lacks its link to the status page or its viewport")
		}
		screenshots(t, d.url("/"), "reading-page")
	})

	t.Run("status page", func(t *testing.T) {
		dom := string(chromium(t, d.url("/status"), "--dump-dom"))
		table := between(dom, `id="sources-table"`, "</table>")
		if table == "" {
			t.Fatalf("rendered page has no sources table:\n%.2000s", dom)
		}
		if n := strings.Count(table, `<tr class="source">`); n != 4 {
			t.Errorf("sources table has %d rows, want 4", n)
		}
		for _, name := range []string{"Wire A", "Outlet B", "Digest C", "Dead link"} {
			if !strings.Contains(table, name) {
				t.Errorf("sources table lacks %q", name)
			}
		}
		if !strings.Contains(table, "connection refused") {
			t.Error("the failing source's error is not in the table")
		}
		stories := between(dom, `<ol class="stories">`, "</ol>")
		for _, a := range []article{x, y1, y2, z} {
			if !strings.Contains(stories, domText(a.Title)) {
				t.Errorf("stories lack %q", a.Title)
			}
		}
		if !strings.Contains(stories, "Also reported by") {
			t.Error("no story shows the outlets that also reported it")
		}
		if !strings.Contains(dom, `<ol class="suppressed">`) || !strings.Contains(dom, "seed_duplicate") {
			t.Error("suppressed items with their verdicts are missing")
		}
		screenshots(t, d.url("/status"), "status-page")
	})

	t.Run("feed styled by CSS", func(t *testing.T) {
		dom := string(chromium(t, d.url("/feed.atom"), "--dump-dom"))
		if n := strings.Count(dom, "<entry>") + strings.Count(dom, "<entry "); n < 4 {
			t.Fatalf("the browser shows %d entries, want at least 4:\n%.2000s", n, dom)
		}
		for _, a := range []article{x, y1, y2, z} {
			if !strings.Contains(dom, domText(a.Title)) {
				t.Errorf("the feed view lacks the entry %q", a.Title)
			}
		}
		if strings.Contains(strings.ToLower(dom), "xsl") {
			t.Error("the feed as the browser sees it still mentions XSLT")
		}
		shot := screenshots(t, d.url("/feed.atom"), "feed-css")
		// The note pointing to the reading page is painted in its own
		// colour: the stylesheet applied (a raw XML view has no such pixel).
		if n := countColor(t, shot, color.RGBA{0xe8, 0xf0, 0xfb, 0xff}); n < 1000 {
			t.Errorf("the feed view has %d pixels of the note's colour: the CSS stylesheet was not applied", n)
		}
	})
}

// screenshots saves PNG screenshots of url at phone and desktop widths as
// NAME-390.png and NAME-1280.png and returns the phone one's path.
func screenshots(t *testing.T, url, name string) string {
	t.Helper()
	var phone string
	for _, size := range []struct{ w, h int }{{390, 844}, {1280, 900}} {
		shot := filepath.Join(artifactDir(t), fmt.Sprintf("%s-%d.png", name, size.w))
		chromium(t, url, "--screenshot="+shot, fmt.Sprintf("--window-size=%d,%d", size.w, size.h))
		png, err := os.ReadFile(shot)
		if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Fatalf("no PNG screenshot at %s: %v", shot, err)
		}
		t.Logf("screenshot: %s (%d bytes)", shot, len(png))
		if phone == "" {
			phone = shot
		}
	}
	return phone
}

// countColor counts the pixels of exactly c in a PNG file.
func countColor(t *testing.T, path string, c color.RGBA) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == c {
				n++
			}
		}
	}
	return n
}

// domText escapes s as Chromium serialises text in --dump-dom.
func domText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\u00a0", "&nbsp;").Replace(s)
}

// between returns the part of s from the first start up to the next end.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], end)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j]
}

package main

import (
	"bytes"
	"context"
	"html"
	"os"
	"os/exec"
	"path/filepath"
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

// TestServeInBrowser loads the status page and the Atom feed in headless
// Chromium: the page must render the sources table and the stories, the
// feed its entries through the XSLT stylesheet. A phone-sized screenshot
// of the status page is saved as an artifact.
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

	t.Run("status page", func(t *testing.T) {
		dom := string(chromium(t, d.url("/"), "--dump-dom"))
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

		shot := filepath.Join(artifactDir(t), "status-page.png")
		chromium(t, d.url("/"), "--screenshot="+shot, "--window-size=412,900")
		png, err := os.ReadFile(shot)
		if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Fatalf("no PNG screenshot at %s: %v", shot, err)
		}
		t.Logf("screenshot: %s (%d bytes)", shot, len(png))
		wide := filepath.Join(artifactDir(t), "status-page-wide.png")
		chromium(t, d.url("/"), "--screenshot="+wide, "--window-size=1280,1000")
	})

	t.Run("feed through XSLT", func(t *testing.T) {
		dom := string(chromium(t, d.url("/feed.atom"), "--dump-dom"))
		if n := strings.Count(dom, `<article class="entry">`); n < 4 {
			t.Fatalf("the XSLT view shows %d entries, want at least 4:\n%.2000s", n, dom)
		}
		for _, a := range []article{x, y1, y2, z} {
			if !strings.Contains(dom, domText(a.Title)) {
				t.Errorf("the XSLT view lacks the entry %q", a.Title)
			}
		}
		if !strings.Contains(dom, "Also reported by") {
			t.Error("the XSLT view shows no related outlets")
		}
		shot := filepath.Join(artifactDir(t), "feed-xslt.png")
		chromium(t, d.url("/feed.atom"), "--screenshot="+shot, "--window-size=412,900")
	})
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

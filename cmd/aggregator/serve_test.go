package main

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveConfig is a daemon config polling the given sources every second.
func serveConfig(listen, sources string) string {
	return `state: state.db
schedule: "@every 1s"
listen: ` + listen + `
log: {level: debug}
feed:
  title: Test curated feed
  url: http://` + listen + `/feed.atom
sources:
` + sources + `fetch:
  timeout: 10s
`
}

// TestServe runs the daemon on the three-feed fixture through its life:
// the feed with ETag and 304, the status page, metrics and health, a
// reload that adds a source, a reload with a broken config, and SIGTERM;
// the fake notify socket sees READY, watchdog pings, RELOADING and STOPPING.
func TestServe(t *testing.T) {
	_, srv, _ := fixture(t)
	x := readArticle(t, "story-x.txt")
	y1 := readArticle(t, "story-y1.txt")
	y2 := readArticle(t, "story-y2.txt")
	dir := t.TempDir()
	listen := freeAddr(t)
	twoSources := `  - {name: Wire A, url: "` + srv.URL + `/a.rss"}
  - {name: Outlet B, url: "` + srv.URL + `/b.atom"}
  - {name: Dead, url: "` + srv.URL + `/gone.rss"}
`
	cfg := writeConfig(t, dir, serveConfig(listen, twoSources))
	d := startDaemon(t, cfg, listen)

	waitUntil(t, "the feed carries the first cycle's stories", func() bool {
		resp, body := d.get("GET", "/feed.atom", nil)
		return resp.StatusCode == 200 && bytes.Contains(body, []byte(html.EscapeString(x.Title)))
	})

	t.Run("feed", func(t *testing.T) {
		resp, body := d.get("GET", "/feed.atom", nil)
		if ct := resp.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		etag := resp.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 10 {
			t.Errorf("ETag %q is not a strong entity tag", etag)
		}
		lastMod := resp.Header.Get("Last-Modified")
		if _, err := http.ParseTime(lastMod); err != nil {
			t.Errorf("Last-Modified %q: %v", lastMod, err)
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
			t.Errorf("Cache-Control %q has no max-age", cc)
		}
		if !bytes.Contains(body, []byte(`<?xml-stylesheet type="text/css" href="feed.css"?>`)) {
			t.Errorf("served Atom names no stylesheet:\n%.300s", body)
		}
		var doc atomDoc
		if err := xml.Unmarshal(body, &doc); err != nil {
			t.Fatalf("served feed is not XML: %v", err)
		}
		if len(doc.Entries) < 3 {
			t.Errorf("served feed has %d entries, want at least 3 (X, Z, Y1)", len(doc.Entries))
		}

		resp, body = d.get("GET", "/feed.atom", map[string]string{"If-None-Match": etag})
		if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("If-None-Match with the current ETag: %d with %d bytes, want 304 and none", resp.StatusCode, len(body))
		}
		resp, _ = d.get("GET", "/feed.atom", map[string]string{"If-None-Match": `"stale"`})
		if resp.StatusCode != http.StatusOK {
			t.Errorf("If-None-Match with another ETag: %d, want 200", resp.StatusCode)
		}
		resp, _ = d.get("GET", "/feed.atom", map[string]string{"If-Modified-Since": lastMod})
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("If-Modified-Since Last-Modified: %d, want 304", resp.StatusCode)
		}

		resp, gz := d.get("GET", "/feed.atom", map[string]string{"Accept-Encoding": "gzip"})
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Accept-Encoding gzip got Content-Encoding %q", resp.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(plain, body200(t, d)) {
			t.Errorf("gzip body does not decode to the feed (err %v)", err)
		}
		if resp.Header.Get("ETag") == etag {
			t.Error("gzip and identity encodings share one strong ETag")
		}
		resp, _ = d.get("GET", "/feed.atom", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": resp.Header.Get("ETag")})
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("conditional gzip request: %d, want 304", resp.StatusCode)
		}

		resp, body = d.get("HEAD", "/feed.atom", nil)
		if resp.StatusCode != 200 || len(body) != 0 || resp.Header.Get("ETag") != etag {
			t.Errorf("HEAD: %d, %d bytes, ETag %q", resp.StatusCode, len(body), resp.Header.Get("ETag"))
		}
		resp, _ = d.get("POST", "/feed.atom", nil)
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST: %d, want 405", resp.StatusCode)
		}
		for path, ct := range map[string]string{
			"/feed.rss":  "application/rss+xml; charset=utf-8",
			"/feed.json": "application/feed+json; charset=utf-8",
			"/feed.css":  "text/css; charset=utf-8",
		} {
			resp, body := d.get("GET", path, nil)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != ct || len(body) == 0 {
				t.Errorf("GET %s: %d %q, %d bytes", path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
			}
		}
	})

	t.Run("status, health, metrics", func(t *testing.T) {
		resp, body := d.get("GET", "/", nil)
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte(html.EscapeString(x.Title))) || !bytes.Contains(body, []byte(`href="status"`)) {
			t.Errorf("reading page: %d, story X present: %v, link to the status page: %v", resp.StatusCode,
				bytes.Contains(body, []byte(html.EscapeString(x.Title))), bytes.Contains(body, []byte(`href="status"`)))
		}
		resp, body = d.get("GET", "/status", nil)
		page := string(body)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("status page: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for _, want := range []string{"Wire A", "Outlet B", html.EscapeString(x.Title), html.EscapeString(y1.Title),
			"Also reported by", "seed_duplicate", "off_topic", "containment"} {
			if !strings.Contains(page, want) {
				t.Errorf("status page lacks %q", want)
			}
		}
		resp, body = d.get("GET", "/healthz", nil)
		if resp.StatusCode != 200 {
			t.Errorf("/healthz: %d %s", resp.StatusCode, body)
		}
		_, body = d.get("GET", "/metrics", nil)
		metrics := string(body)
		for _, want := range []string{
			`aggregator_fetches_total{outcome="ok",source="Wire A"}`,
			`aggregator_fetch_duration_seconds_count{source="Outlet B"}`,
			`aggregator_items_total{decision="new"}`,
			`aggregator_stories_published_total`,
			`aggregator_cycle_duration_seconds_count`,
			`aggregator_last_successful_cycle_timestamp_seconds`,
			`aggregator_source_errors_total{source="Wire A"} 0`,
			`aggregator_fetches_total{outcome="error",source="Dead"}`,
			`aggregator_source_failing{source="Dead"} 1`,
		} {
			if !strings.Contains(metrics, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		// The log: one line per cycle with the totals, one per failing source.
		log := d.log.String()
		for _, want := range []string{
			`level=INFO msg="cycle finished" sources=3 failed=1 `,
			`level=WARN msg="source failed" source=Dead `,
		} {
			if !strings.Contains(log, want) {
				t.Errorf("log lacks %q", want)
			}
		}
		if d.notify.count("WATCHDOG=1") == 0 {
			waitUntil(t, "a watchdog ping", func() bool { return d.notify.count("WATCHDOG=1") > 0 })
		}
	})

	t.Run("reload adds a source", func(t *testing.T) {
		writeConfig(t, dir, serveConfig(listen, twoSources+`  - {name: Digest C, url: "`+srv.URL+`/c.json"}
`))
		d.signal(syscall.SIGHUP)
		waitUntil(t, "RELOADING=1 and READY=1 again", func() bool {
			return d.notify.count("RELOADING=1") == 1 && d.notify.count("READY=1") == 2
		})
		checkMonotonic(t, d.notify)
		_, body := d.get("GET", "/status", nil)
		if !strings.Contains(string(body), "Digest C") {
			t.Error("status page does not list the added source after the reload")
		}
		waitUntil(t, "a story of the added source is in the feed", func() bool {
			_, body := d.get("GET", "/feed.atom", nil)
			return bytes.Contains(body, []byte(html.EscapeString(y2.Title)))
		})
		if !strings.Contains(d.log.String(), `added="[Digest C]"`) {
			t.Errorf("no log line names the added source")
		}
	})

	t.Run("broken config keeps the running one", func(t *testing.T) {
		before := body200(t, d)
		writeConfig(t, dir, "sources: [\n  {name: broken\n")
		d.signal(syscall.SIGHUP)
		waitUntil(t, "RELOADING=1 and READY=1 after the failed reload", func() bool {
			return d.notify.count("RELOADING=1") == 2 && d.notify.count("READY=1") == 3
		})
		if !strings.Contains(d.log.String(), "reload failed; the running configuration stays") {
			t.Error("the failed reload is not logged")
		}
		resp, body := d.get("GET", "/feed.atom", nil)
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte(html.EscapeString(y2.Title))) {
			t.Errorf("after a failed reload the feed is %d, story Y2 present: %v", resp.StatusCode, bytes.Contains(body, []byte(y2.Title)))
		}
		if len(before) == 0 {
			t.Error("empty feed before the failed reload")
		}
		_, page := d.get("GET", "/status", nil)
		if !strings.Contains(string(page), "Digest C") {
			t.Error("the failed reload dropped a source")
		}
		// Cycles go on with the running config.
		n := strings.Count(d.log.String(), `msg="cycle finished"`)
		waitUntil(t, "another cycle after the failed reload", func() bool {
			return strings.Count(d.log.String(), `msg="cycle finished"`) > n
		})
	})

	t.Run("SIGTERM", func(t *testing.T) {
		d.signal(syscall.SIGTERM)
		if code := d.wait(20 * time.Second); code != 0 {
			t.Errorf("exit status %d after SIGTERM, want 0", code)
		}
		if d.notify.count("STOPPING=1") != 1 {
			t.Errorf("STOPPING=1 sent %d times", d.notify.count("STOPPING=1"))
		}
		if !strings.Contains(d.log.String(), "msg=stopped") {
			t.Error("no 'stopped' log line")
		}
		// The state survives: the store is closed cleanly and reopens.
		if _, err := os.Stat(filepath.Join(dir, "state.db")); err != nil {
			t.Error(err)
		}
	})
}

// body200 returns the current identity-encoded Atom feed.
func body200(t *testing.T, d *daemonProc) []byte {
	t.Helper()
	resp, body := d.get("GET", "/feed.atom", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("GET /feed.atom: %d", resp.StatusCode)
	}
	return body
}

// checkMonotonic checks that RELOADING=1 came with a MONOTONIC_USEC.
func checkMonotonic(t *testing.T, ns *notifySocket) {
	t.Helper()
	for _, m := range ns.messages() {
		if !strings.Contains(m, "RELOADING=1") {
			continue
		}
		found := false
		for _, l := range strings.Split(m, "\n") {
			if v, ok := strings.CutPrefix(l, "MONOTONIC_USEC="); ok {
				if n, err := strconv.ParseUint(v, 10, 64); err == nil && n > 0 {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("RELOADING=1 without MONOTONIC_USEC: %q", m)
		}
	}
}

// slowSource is a feed server whose answer takes delay, or never comes
// when delay is 0; started receives a value when a request arrives.
func slowSource(t *testing.T, delay time.Duration) (*httptest.Server, <-chan struct{}) {
	t.Helper()
	started := make(chan struct{}, 100)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		var timer <-chan time.Time
		if delay > 0 {
			timer = time.After(delay)
		}
		select {
		case <-timer:
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title><link>http://slow.example/</link><description>d</description></channel></rss>`)
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs before srv.Close
	return srv, started
}

// TestServeShutdownDuringCycle sends SIGTERM while a cycle waits on a
// slow source: a cycle that ends within the deadline finishes and is
// recorded; one that would not is cancelled at the deadline. Both exit 0.
func TestServeShutdownDuringCycle(t *testing.T) {
	tests := []struct {
		name      string
		delay     time.Duration // 0: the source never answers
		deadline  string
		wantInLog string
	}{
		{"cycle finishes", 1500 * time.Millisecond, "20s", `msg="cycle finished"`},
		{"cycle cancelled", 0, "1s", "running cycle cancelled at the shutdown deadline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slow, started := slowSource(t, tt.delay)
			listen := freeAddr(t)
			cfg := writeConfig(t, t.TempDir(), strings.Replace(serveConfig(listen,
				`  - {name: Slow, url: "`+slow.URL+`/feed.rss"}
`), "timeout: 10s", "timeout: 5m", 1))
			d := startDaemon(t, cfg, listen, "--shutdown-timeout", tt.deadline)
			select {
			case <-started:
			case <-time.After(30 * time.Second):
				t.Fatal("the slow source was never polled")
			}
			d.signal(syscall.SIGTERM)
			// The bound is a hang guard: the source alone would hold the
			// cycle for minutes.
			if code := d.wait(30 * time.Second); code != 0 {
				t.Errorf("exit status %d, want 0", code)
			}
			log := d.log.String()
			stop := strings.Index(log, `msg="shutting down"`)
			if stop < 0 || !strings.Contains(log[stop:], tt.wantInLog) {
				t.Errorf("log after shutting down lacks %q", tt.wantInLog)
			}
			if d.notify.count("STOPPING=1") != 1 {
				t.Error("no STOPPING=1")
			}
		})
	}
}

// TestServeSecondSignalForcesExit: a second SIGTERM during a slow shutdown
// exits at once with a failure status.
func TestServeSecondSignalForcesExit(t *testing.T) {
	slow, started := slowSource(t, 0)
	listen := freeAddr(t)
	cfg := writeConfig(t, t.TempDir(), strings.Replace(serveConfig(listen,
		`  - {name: Slow, url: "`+slow.URL+`/feed.rss"}
`), "timeout: 10s", "timeout: 5m", 1))
	d := startDaemon(t, cfg, listen, "--shutdown-timeout", "10m")
	<-started
	d.signal(syscall.SIGTERM)
	waitUntil(t, "shutdown begins", func() bool { return strings.Contains(d.log.String(), `msg="shutting down"`) })
	d.signal(syscall.SIGTERM)
	if code := d.wait(30 * time.Second); code == 0 {
		t.Error("exit status 0 after a forced exit, want non-zero")
	}
	if !strings.Contains(d.log.String(), "second signal: exiting at once") {
		t.Error("forced exit not logged")
	}
}

func TestServeBadConfigDoesNotStart(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "schedule: \"@every 10ms\"\nsources: []\n")
	code, _, stderr := runCLI(t, "serve", "--config", cfg)
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(stderr, "config.yaml:1: schedule") {
		t.Errorf("error does not name the file, line and field:\n%s", stderr)
	}
}

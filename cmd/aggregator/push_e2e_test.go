package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// recorder is a local WebSub hub or webhook receiver: it records every
// request and answers 500 to the first failFirst of them, 204 after.
type recorder struct {
	*httptest.Server
	mu        sync.Mutex
	failFirst int
	calls     int
	accepted  []recorded
}

type recorded struct {
	form      url.Values
	body      []byte
	signature string
}

func newRecorder(t *testing.T, failFirst int) *recorder {
	rc := &recorder{failFirst: failFirst}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.calls++
		if r.Method != http.MethodPost || rc.calls <= rc.failFirst {
			http.Error(w, "not now", http.StatusInternalServerError)
			return
		}
		rc.accepted = append(rc.accepted, recorded{form: form, body: body, signature: r.Header.Get("X-Signature-256")})
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *recorder) got() (calls int, accepted []recorded) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.calls, slices.Clone(rc.accepted)
}

func signature(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

const hookSecret = "e2e-secret-0123456789"

// pushConfig is a daemon config with one hub and one signed webhook.
func pushConfig(listen, feedSrv, hub, hook string) string {
	return `state: state.db
schedule: "@every 1s"
listen: ` + listen + `
log: {level: debug}
feed:
  title: Test curated feed
  url: http://` + listen + `/feed.atom
  hubs: ["` + hub + `"]
notify:
  - url: ` + hook + `/hook
    secret: ` + hookSecret + `
sources:
  - {name: Wire A, url: "` + feedSrv + `/a.rss"}
  - {name: Outlet B, url: "` + feedSrv + `/b.atom"}
fetch:
  timeout: 10s
`
}

// TestServePush runs the daemon with a local hub and a local webhook that
// fails its first request: the hub is pinged for each feed URL the first
// cycle changed, the feed names the hub, every new story reaches the
// webhook once, signed, and a restart on the same state repeats nothing.
func TestServePush(t *testing.T) {
	_, srv, _ := fixture(t)
	hub, hook := newRecorder(t, 0), newRecorder(t, 1)
	dir := t.TempDir()
	listen := freeAddr(t)
	cfg := writeConfig(t, dir, pushConfig(listen, srv.URL, hub.URL, hook.URL))
	d := startDaemon(t, cfg, listen)

	self, events := "http://"+listen+"/feed.", "http://"+listen+"/events."
	waitUntil(t, "the hub got a ping for each feed format", func() bool { _, got := hub.got(); return len(got) >= 6 })
	_, pings := hub.got()
	var topics []string
	for _, p := range pings {
		if p.form.Get("hub.mode") != "publish" {
			t.Errorf("ping %v", p.form)
		}
		topics = append(topics, p.form.Get("hub.url"))
	}
	slices.Sort(topics)
	if want := []string{events + "atom", events + "json", events + "rss", self + "atom", self + "json", self + "rss"}; !slices.Equal(topics[:6], want) {
		t.Errorf("hub.url of the pings %q, want %q", topics, want)
	}
	resp, body := d.get("GET", "/feed.atom", nil)
	if links := resp.Header.Values("Link"); !slices.Equal(links, []string{"<" + hub.URL + `>; rel="hub"`, "<" + self + `atom>; rel="self"`}) {
		t.Errorf("Link headers %q", links)
	}
	var doc atomDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, e := range doc.Entries {
		ids[e.ID] = true
	}

	waitUntil(t, "every story reached the webhook (after its 10 s backoff)", func() bool {
		_, got := hook.got()
		return len(got) >= len(doc.Entries)
	})
	calls, got := hook.got()
	seen := map[string]bool{}
	for _, r := range got {
		if r.signature != signature(hookSecret, r.body) {
			t.Errorf("signature %q does not match the body", r.signature)
		}
		var p struct {
			ID, Title string
			Related   []struct{ Title, Link, Outlet string }
		}
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatal(err)
		}
		if !ids[p.ID] || seen[p.ID] {
			t.Errorf("webhook got id %q (in the feed: %v, seen before: %v)", p.ID, ids[p.ID], seen[p.ID])
		}
		seen[p.ID] = true
	}
	if len(seen) != len(doc.Entries) || calls != len(doc.Entries)+1 {
		t.Errorf("webhook: %d requests for %d stories (%d entries in the feed), want one each plus the failed first", calls, len(seen), len(doc.Entries))
	}
	// The receiver has them all; the daemon has marked them delivered
	// once its metrics say so (a stop between the two may send one again:
	// at least once).
	hookName := `webhook="notify[0] http://` + strings.TrimPrefix(hook.URL, "http://") + `/…"`
	waitUntil(t, "the daemon counts every delivery", func() bool {
		_, m := d.get("GET", "/metrics", nil)
		return strings.Contains(string(m), fmt.Sprintf(`aggregator_webhook_deliveries_total{outcome="ok",%s} %d`, hookName, len(doc.Entries))) &&
			strings.Contains(string(m), `aggregator_webhook_pending{`+hookName+`} 0`)
	})
	_, status := d.get("GET", "/status", nil)
	if !strings.Contains(string(status), `id="push"`) || !strings.Contains(string(status), hub.URL) {
		t.Error("the status page has no push section naming the hub")
	}
	_, metrics := d.get("GET", "/metrics", nil)
	for _, want := range []string{`aggregator_webhook_deliveries_total{outcome="error",` + hookName + `} 1`,
		`aggregator_webhook_pending{` + hookName + `} 0`,
		`aggregator_websub_publishes_total{hub="` + hub.URL + `",outcome="ok"}`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	d.signal(syscall.SIGTERM)
	if code := d.wait(20 * time.Second); code != 0 {
		t.Fatalf("exit status %d", code)
	}

	d2 := startDaemon(t, cfg, listen)
	waitUntil(t, "the restarted daemon finished a cycle", func() bool {
		_, page := d2.get("GET", "/status", nil)
		return !strings.Contains(string(page), "No cycle has finished")
	})
	time.Sleep(500 * time.Millisecond) // the worker's first round
	if again, _ := hook.got(); again != calls {
		t.Errorf("after a restart the webhook got %d requests, want still %d", again, calls)
	}
	d2.signal(syscall.SIGTERM)
	d2.wait(20 * time.Second)
}

// TestFetchDeliversWebhooks: "aggregator fetch" delivers the new stories'
// webhooks before it exits, and pings the hub because the file it wrote
// changed; a second run with nothing new sends nothing.
func TestFetchDeliversWebhooks(t *testing.T) {
	_, srv, _ := fixture(t)
	hub, hook := newRecorder(t, 0), newRecorder(t, 0)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, pushConfig("127.0.0.1:1", srv.URL, hub.URL, hook.URL))
	out := filepath.Join(dir, "feed.atom")
	code, stdout, stderr := runCLI(t, "fetch", "--config", cfg, "--out", out)
	if code != 0 {
		t.Fatalf("fetch: %d\n%s\n%s", code, stdout, stderr)
	}
	doc := readAtom(t, out)
	_, got := hook.got()
	if len(got) != len(doc.Entries) || len(doc.Entries) == 0 {
		t.Fatalf("webhook got %d requests for %d entries", len(got), len(doc.Entries))
	}
	for _, r := range got {
		if r.signature != signature(hookSecret, r.body) {
			t.Errorf("bad signature %q", r.signature)
		}
	}
	if want := fmt.Sprintf("webhooks: %d delivered\n", len(doc.Entries)); !strings.Contains(stdout, want) {
		t.Errorf("report lacks %q:\n%s", want, stdout)
	}
	if _, pings := hub.got(); len(pings) != 1 || pings[0].form.Get("hub.url") != "http://127.0.0.1:1/feed.atom" {
		t.Errorf("hub pings %+v, want one for the feed URL", pings)
	}
	if !strings.Contains(stdout, "hub "+hub.URL+": notified") {
		t.Errorf("report does not say the hub was notified:\n%s", stdout)
	}
	before, _ := os.ReadFile(out)

	code, stdout, _ = runCLI(t, "fetch", "--config", cfg, "--out", out)
	after, _ := os.ReadFile(out)
	if code != 0 || strings.Contains(stdout, "webhooks:") && !strings.Contains(stdout, "webhooks: 0 delivered") {
		t.Errorf("second fetch: %d\n%s", code, stdout)
	}
	if calls, _ := hook.got(); calls != len(doc.Entries) {
		t.Errorf("webhook got %d requests after a second run, want still %d", calls, len(doc.Entries))
	}
	if calls, _ := hub.got(); string(before) == string(after) && calls != 1 {
		t.Errorf("hub pinged %d times though the file did not change", calls)
	}
}

// TestServePushNeverBlocksCycles: a webhook and a hub that never answer
// hold no cycle back, and a stop with their requests in flight is clean.
func TestServePushNeverBlocksCycles(t *testing.T) {
	_, srv, _ := fixture(t)
	release := make(chan struct{})
	var hits sync.Map
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Store(r.URL.Path, true)
		select { // answer only when the test ends or the client gives up
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) }) // runs before slow.Close
	dir := t.TempDir()
	listen := freeAddr(t)
	cfg := writeConfig(t, dir, pushConfig(listen, srv.URL, slow.URL+"/hub", slow.URL))
	d := startDaemon(t, cfg, listen)
	waitUntil(t, "the webhook and the hub have a request each in flight", func() bool {
		_, h := hits.Load("/hub")
		_, w := hits.Load("/hook")
		return h && w
	})
	start := strings.Count(d.log.String(), `msg="cycle finished"`)
	waitUntil(t, "three more cycles finish meanwhile", func() bool {
		return strings.Count(d.log.String(), `msg="cycle finished"`) >= start+3
	})
	d.signal(syscall.SIGTERM)
	if code := d.wait(20 * time.Second); code != 0 {
		t.Fatalf("exit status %d with requests in flight", code)
	}
}

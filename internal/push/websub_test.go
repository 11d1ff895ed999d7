package push

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"
)

// hub is a local WebSub hub recording the publish pings it gets; it
// answers 503 to the first failFirst of them.
type hub struct {
	*httptest.Server
	mu        sync.Mutex
	failFirst int
	calls     int
	got       []url.Values // the pings answered 2xx
	bad       []string     // requests that were not a well-formed ping
}

func newHub(t *testing.T, failFirst int) *hub {
	h := &hub{failFirst: failFirst}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.calls++
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			h.bad = append(h.bad, r.Method+" "+r.Header.Get("Content-Type"))
		}
		if err := r.ParseForm(); err != nil {
			h.bad = append(h.bad, err.Error())
		}
		if h.calls <= h.failFirst {
			http.Error(w, "hub is busy", http.StatusServiceUnavailable)
			return
		}
		h.got = append(h.got, r.PostForm)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hub) pings() (calls int, got []url.Values, bad []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls, slices.Clone(h.got), slices.Clone(h.bad)
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPublisherPingsEveryHub(t *testing.T) {
	good, flaky, dead := newHub(t, 0), newHub(t, 2), newHub(t, 1000)
	p := NewPublisher([]string{good.URL, flaky.URL + "/hub", dead.URL},
		PublisherOptions{Backoff: Backoff{Initial: time.Millisecond, Max: 4 * time.Millisecond}, Attempts: 3, UserAgent: "test/1"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); p.Run(ctx) }()
	defer func() { cancel(); <-done }()

	topics := []string{"https://news.example.org/feed.atom", "https://news.example.org/feed.rss"}
	p.Publish(topics...)
	waitFor(t, "the dead hub's three attempts", func() bool {
		calls, _, _ := dead.pings()
		st := p.Status()
		return calls == 6 && st[2].Failed == 6 && st[1].Delivered == 2
	})
	for _, h := range []*hub{good, flaky} {
		_, got, bad := h.pings()
		if len(bad) > 0 {
			t.Errorf("malformed pings: %q", bad)
		}
		if len(got) != 2 {
			t.Fatalf("hub got %d pings, want 2: %v", len(got), got)
		}
		for i, form := range got {
			if form.Get("hub.mode") != "publish" || form.Get("hub.url") != topics[i] || len(form) != 2 {
				t.Errorf("ping %d = %v, want hub.mode=publish&hub.url=%s", i, form, topics[i])
			}
		}
	}
	if calls, _, _ := flaky.pings(); calls != 4 {
		t.Errorf("flaky hub got %d requests, want 4 (two 503s, then each URL)", calls)
	}
	st := p.Status()
	if st[1].Failed != 2 || st[1].Delivered != 2 || st[1].ConsecutiveFailures != 0 || st[1].LastError != "" {
		t.Errorf("flaky hub status = %+v", st[1])
	}
	if st[2].ConsecutiveFailures != 6 || st[2].Delivered != 0 || st[2].LastError == "" {
		t.Errorf("dead hub status = %+v", st[2])
	}

	// Published again later: only the new URL goes, once per hub.
	p.Publish(topics[0])
	waitFor(t, "the second ping", func() bool { _, got, _ := good.pings(); return len(got) == 3 })
	if _, got, _ := good.pings(); got[2].Get("hub.url") != topics[0] {
		t.Errorf("third ping = %v", got[2])
	}
}

func TestBackoffDelay(t *testing.T) {
	b := Backoff{Initial: 10 * time.Second, Max: time.Minute}
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, time.Minute, time.Minute}
	for i, w := range want {
		if got := b.Delay(i + 1); got != w {
			t.Errorf("Delay(%d) = %v, want %v", i+1, got, w)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://hooks.slack.com/services/T0/B0/secret": "https://hooks.slack.com/…",
		"http://user:pw@desk.example:8080/?token=x":     "http://desk.example:8080/…",
		"https://hub.example.net/":                      "https://hub.example.net",
		"::":                                            "(unparsable URL)",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

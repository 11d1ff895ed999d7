package systemd

import (
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// listen opens a fake NOTIFY_SOCKET and returns a function that reads the
// next datagram.
func listen(t *testing.T, name string) func() string {
	t.Helper()
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return func() string {
		t.Helper()
		buf := make([]byte, 4096)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("read notification: %v", err)
		}
		return string(buf[:n])
	}
}

func TestNotifierSendsStates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify.sock")
	next := listen(t, path)
	n := NewNotifier(path)
	defer n.Close()
	if !n.Enabled() {
		t.Fatal("notifier with a socket is not enabled")
	}

	if err := n.Ready("serving 3 sources"); err != nil {
		t.Fatal(err)
	}
	if got, want := next(), "READY=1\nSTATUS=serving 3 sources"; got != want {
		t.Errorf("ready sent %q, want %q", got, want)
	}

	if err := n.Reloading(""); err != nil {
		t.Fatal(err)
	}
	got := next()
	lines := strings.Split(got, "\n")
	if lines[0] != "RELOADING=1" || len(lines) != 2 || !strings.HasPrefix(lines[1], "MONOTONIC_USEC=") {
		t.Fatalf("reloading sent %q, want RELOADING=1 and MONOTONIC_USEC", got)
	}
	usec, err := strconv.ParseUint(strings.TrimPrefix(lines[1], "MONOTONIC_USEC="), 10, 64)
	if err != nil || usec == 0 {
		t.Errorf("MONOTONIC_USEC %q is not a positive number", lines[1])
	}

	if err := n.Watchdog(); err != nil {
		t.Fatal(err)
	}
	if got := next(); got != "WATCHDOG=1" {
		t.Errorf("watchdog sent %q", got)
	}

	// A status cannot smuggle in another state line.
	if err := n.Stopping("bye\nREADY=1"); err != nil {
		t.Fatal(err)
	}
	if got, want := next(), "STOPPING=1\nSTATUS=bye READY=1"; got != want {
		t.Errorf("stopping sent %q, want %q", got, want)
	}
}

func TestNotifierAbstractSocket(t *testing.T) {
	name := "@aggregator-test-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	next := listen(t, name)
	n := NewNotifier(name)
	defer n.Close()
	if err := n.Ready(""); err != nil {
		t.Fatal(err)
	}
	if got := next(); got != "READY=1" {
		t.Errorf("sent %q", got)
	}
}

func TestNotifierWithoutSocketDoesNothing(t *testing.T) {
	n := NewNotifier("")
	if n.Enabled() {
		t.Error("notifier without a socket says it is enabled")
	}
	if err := n.Ready("x"); err != nil {
		t.Errorf("Ready without a socket: %v", err)
	}
	var zero *Notifier
	if err := zero.Watchdog(); err != nil {
		t.Errorf("Watchdog on nil notifier: %v", err)
	}
}

func TestNotifierMissingSocket(t *testing.T) {
	n := NewNotifier(filepath.Join(t.TempDir(), "absent.sock"))
	if err := n.Ready(""); err == nil {
		t.Error("notify to a missing socket did not fail")
	}
}

func TestWatchdogInterval(t *testing.T) {
	tests := []struct {
		usec, pid string
		want      time.Duration
		wantErr   bool
	}{
		{"", "", 0, false},
		{"200000", "", 100 * time.Millisecond, false},
		{"30000000", "42", 15 * time.Second, false},
		{"30000000", "43", 0, false}, // meant for another process
		{"0", "", 0, true},
		{"abc", "", 0, true},
		{"1000", "x", 0, true},
	}
	for _, tt := range tests {
		got, err := WatchdogInterval(tt.usec, tt.pid, 42)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("WatchdogInterval(%q, %q) = %v, %v; want %v, error %v", tt.usec, tt.pid, got, err, tt.want, tt.wantErr)
		}
	}
}

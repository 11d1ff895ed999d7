package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The serve tests run the real binary, built once per test run into
// binDir, as systemd would: signals, a notify socket, a port.

var (
	binDir    string
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "aggregator-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binary builds the command once and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binPath = filepath.Join(binDir, "aggregator")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// waitUntil polls cond until it holds; the bound only guards against a hang.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// lockedBuffer collects the daemon's log.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// notifySocket is a fake NOTIFY_SOCKET that records every datagram.
type notifySocket struct {
	path string
	conn *net.UnixConn
	mu   sync.Mutex
	msgs []string
}

func newNotifySocket(t *testing.T) *notifySocket {
	t.Helper()
	// Socket paths are limited to about 100 bytes: keep it short.
	dir, err := os.MkdirTemp("", "agg-ns-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ns := &notifySocket{path: filepath.Join(dir, "notify")}
	ns.conn, err = net.ListenUnixgram("unixgram", &net.UnixAddr{Name: ns.path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			n, err := ns.conn.Read(buf)
			if err != nil {
				return // closed at cleanup
			}
			ns.mu.Lock()
			ns.msgs = append(ns.msgs, string(buf[:n]))
			ns.mu.Unlock()
		}
	}()
	t.Cleanup(func() { ns.conn.Close(); <-done })
	return ns
}

// messages returns what was received so far.
func (ns *notifySocket) messages() []string {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	return append([]string(nil), ns.msgs...)
}

// count returns how many messages carry the state line.
func (ns *notifySocket) count(line string) int {
	n := 0
	for _, m := range ns.messages() {
		for _, l := range strings.Split(m, "\n") {
			if l == line {
				n++
			}
		}
	}
	return n
}

// daemon is a running "aggregator serve".
type daemonProc struct {
	t      *testing.T
	cmd    *exec.Cmd
	log    *lockedBuffer
	addr   string
	notify *notifySocket
	exited chan struct{}
	err    error
}

// startDaemon runs "aggregator serve --config cfg" with a fake notify
// socket and a watchdog of 200 ms; listen is the address the config names.
func startDaemon(t *testing.T, cfg, listen string, extraArgs ...string) *daemonProc {
	t.Helper()
	ns := newNotifySocket(t)
	d := &daemonProc{t: t, log: &lockedBuffer{}, addr: listen, notify: ns, exited: make(chan struct{})}
	args := append([]string{"serve", "--config", cfg}, extraArgs...)
	d.cmd = exec.Command(binary(t), args...)
	var env []string
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM":
			continue
		}
		env = append(env, kv)
	}
	d.cmd.Env = append(env, "NOTIFY_SOCKET="+ns.path, "WATCHDOG_USEC=200000")
	d.cmd.Stdout = d.log
	d.cmd.Stderr = d.log
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		d.err = d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-d.exited:
		default:
			d.cmd.Process.Kill()
			<-d.exited
		}
		if t.Failed() {
			t.Logf("daemon log:\n%s", d.log.String())
		}
	})
	waitUntil(t, "the daemon is ready (READY=1)", func() bool {
		select {
		case <-d.exited:
			t.Fatalf("daemon exited during start-up: %v\n%s", d.err, d.log.String())
		default:
		}
		return ns.count("READY=1") > 0
	})
	return d
}

func (d *daemonProc) url(path string) string { return "http://" + d.addr + path }

func (d *daemonProc) signal(sig syscall.Signal) {
	d.t.Helper()
	if err := d.cmd.Process.Signal(sig); err != nil {
		d.t.Fatalf("signal %v: %v", sig, err)
	}
}

// wait waits for the daemon to exit (at most within bound, a hang guard)
// and returns its exit status.
func (d *daemonProc) wait(bound time.Duration) int {
	d.t.Helper()
	select {
	case <-d.exited:
	case <-time.After(bound):
		d.t.Fatalf("daemon still running %s after the signal\n%s", bound, d.log.String())
	}
	if d.err == nil {
		return 0
	}
	if ee, ok := d.err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	d.t.Fatalf("wait: %v", d.err)
	return -1
}

// get fetches path with the given request headers, without transparent
// decompression; it returns the response and its raw body.
func (d *daemonProc) get(method, path string, header map[string]string) (*http.Response, []byte) {
	d.t.Helper()
	req, err := http.NewRequest(method, d.url(path), nil)
	if err != nil {
		d.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		d.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		d.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp, body
}

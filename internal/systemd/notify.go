// Package systemd speaks the two parts of systemd's service protocol the
// daemon needs, with the standard library only: readiness and status
// notifications over the datagram socket named by NOTIFY_SOCKET
// (sd_notify(3)), and the watchdog interval from WATCHDOG_USEC
// (sd_watchdog_enabled(3)).
//
// The package never reads the environment itself: the command passes the
// variables in, so that everything here can be tested with a fake socket.
package systemd

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Notifier sends state changes to the service manager. The zero value and a
// Notifier made from an empty socket path send nothing, so a daemon that is
// not run by systemd needs no special case. It is safe for concurrent use.
type Notifier struct {
	addr *net.UnixAddr

	mu   sync.Mutex
	conn *net.UnixConn
}

// NewNotifier returns a Notifier for the socket path in NOTIFY_SOCKET. A path
// starting with "@" names a socket in the abstract namespace. An empty path
// gives a Notifier that does nothing.
func NewNotifier(socket string) *Notifier {
	if socket == "" {
		return &Notifier{}
	}
	return &Notifier{addr: &net.UnixAddr{Name: socket, Net: "unixgram"}}
}

// Enabled reports whether notifications are sent anywhere.
func (n *Notifier) Enabled() bool { return n != nil && n.addr != nil }

// Notify sends one datagram with the given state lines ("READY=1",
// "STATUS=…"), newline-separated as sd_notify expects.
func (n *Notifier) Notify(states ...string) error {
	if !n.Enabled() || len(states) == 0 {
		return nil
	}
	msg := strings.Join(states, "\n")
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conn == nil {
		c, err := net.DialUnix("unixgram", nil, n.addr)
		if err != nil {
			return fmt.Errorf("systemd: notify %s: %w", n.addr.Name, err)
		}
		n.conn = c
	}
	if _, err := n.conn.Write([]byte(msg)); err != nil {
		// The manager may have been restarted (a new socket at the same
		// path): dial once more before giving up.
		n.conn.Close()
		n.conn = nil
		c, derr := net.DialUnix("unixgram", nil, n.addr)
		if derr != nil {
			return fmt.Errorf("systemd: notify %s: %w", n.addr.Name, errors.Join(err, derr))
		}
		n.conn = c
		if _, err := n.conn.Write([]byte(msg)); err != nil {
			return fmt.Errorf("systemd: notify %s: %w", n.addr.Name, err)
		}
	}
	return nil
}

// Ready tells the manager that start-up (or a reload) is complete.
func (n *Notifier) Ready(status string) error {
	return n.Notify(withStatus([]string{"READY=1"}, status)...)
}

// Reloading tells the manager that a configuration reload has begun. It
// carries MONOTONIC_USEC, which systemd 253 and later require to match the
// reload with its READY=1.
func (n *Notifier) Reloading(status string) error {
	states := []string{"RELOADING=1"}
	if usec, ok := monotonicUsec(); ok {
		states = append(states, "MONOTONIC_USEC="+strconv.FormatUint(usec, 10))
	}
	return n.Notify(withStatus(states, status)...)
}

// Stopping tells the manager that shutdown has begun.
func (n *Notifier) Stopping(status string) error {
	return n.Notify(withStatus([]string{"STOPPING=1"}, status)...)
}

// Watchdog sends one keep-alive ping.
func (n *Notifier) Watchdog() error { return n.Notify("WATCHDOG=1") }

// Status sets the free-form status line "systemctl status" shows.
func (n *Notifier) Status(status string) error { return n.Notify("STATUS=" + oneLine(status)) }

// Close releases the socket.
func (n *Notifier) Close() error {
	if n == nil {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conn == nil {
		return nil
	}
	err := n.conn.Close()
	n.conn = nil
	return err
}

func withStatus(states []string, status string) []string {
	if status != "" {
		states = append(states, "STATUS="+oneLine(status))
	}
	return states
}

// oneLine keeps a status from injecting further state lines.
func oneLine(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\r", " "), "\n", " ") }

// WatchdogInterval returns how often the service must ping the watchdog:
// half of WATCHDOG_USEC, as sd_watchdog_enabled(3) advises. usec and pid are
// the values of WATCHDOG_USEC and WATCHDOG_PID; when WATCHDOG_PID is set and
// is not selfPID the watchdog is meant for another process. It returns 0
// when no watchdog is asked for, and an error for a malformed value.
func WatchdogInterval(usec, pid string, selfPID int) (time.Duration, error) {
	if usec == "" {
		return 0, nil
	}
	if pid != "" {
		p, err := strconv.Atoi(pid)
		if err != nil {
			return 0, fmt.Errorf("systemd: WATCHDOG_PID %q: %w", pid, err)
		}
		if p != selfPID {
			return 0, nil
		}
	}
	us, err := strconv.ParseUint(usec, 10, 63)
	if err != nil || us == 0 {
		return 0, fmt.Errorf("systemd: WATCHDOG_USEC %q is not a positive number of microseconds", usec)
	}
	return time.Duration(us) * time.Microsecond / 2, nil
}

package fetch

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// This file reads the hints a response's headers give about when to ask
// again; both are capped at maxHint so that no value overflows.

// retryAfter parses a Retry-After header (seconds or an HTTP date); 0 when
// absent or invalid. The wait is capped at maxHint, so that no value can
// overflow into a short or negative one.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if secs < 0 {
			return 0
		}
		return time.Duration(min(secs, int64(maxHint/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxHint)
	}
	return 0
}

// cacheHints reads Cache-Control max-age and Expires from a response and
// returns them as lifetimes from now. Expires is measured from the
// response's Date header when there is one, so a server with a wrong clock
// still gets the lifetime it meant. Per RFC 9111 max-age wins over Expires;
// no-cache and no-store ask nothing.
func cacheHints(h http.Header, now time.Time) (maxAge, expiresIn time.Duration) {
	noCache := false
	for _, v := range h.Values("Cache-Control") {
		for d := range strings.SplitSeq(v, ",") {
			name, val, _ := strings.Cut(strings.TrimSpace(d), "=")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "max-age":
				n, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(val), `"`), 10, 64)
				if (err == nil || errors.Is(err, strconv.ErrRange)) && n > 0 {
					maxAge = time.Duration(min(n, int64(maxHint/time.Second))) * time.Second
				}
			case "no-cache", "no-store":
				noCache = true
			}
		}
	}
	if noCache {
		return 0, 0
	}
	if maxAge > 0 {
		return maxAge, 0
	}
	exp, err := http.ParseTime(h.Get("Expires"))
	if err != nil {
		return 0, 0
	}
	from := now
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		from = date
	}
	if !exp.After(from) {
		return 0, 0
	}
	return 0, min(exp.Sub(from), maxHint)
}

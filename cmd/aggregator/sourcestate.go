package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"aggregator"
)

// printSourceState prints a source's polling etiquette as stored: when it
// was polled and is polled next and why, its errors, a permanent move, a
// retirement and the cache hints it gave.
func printSourceState(w io.Writer, src aggregator.Source) {
	stamp := func(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05 MST") }
	fmt.Fprintf(w, "feed url:    %s\n", src.URL)
	if src.MovedURL != "" {
		fmt.Fprintf(w, "moved to:    %s (permanent redirect, %s)\n", src.MovedURL, stamp(src.MovedAt))
	}
	switch {
	case src.LastFetchAt.IsZero():
		fmt.Fprintf(w, "polled:      never\n")
	default:
		fmt.Fprintf(w, "polled:      %s, status %d\n", stamp(src.LastFetchAt), src.LastStatus)
	}
	switch {
	case src.Retired():
		fmt.Fprintf(w, "next poll:   never: retired (410) since %s, until its config entry changes\n", stamp(src.RetiredAt))
	case src.NextFetchAt.IsZero():
		fmt.Fprintf(w, "next poll:   next cycle\n")
	default:
		fmt.Fprintf(w, "next poll:   not before %s (%s)\n", stamp(src.NextFetchAt), src.NextFetchReason)
	}
	if src.ErrorCount > 0 {
		fmt.Fprintf(w, "errors:      %d in a row, the last [%s]: %s\n", src.ErrorCount, src.LastErrorKind, src.LastError)
	}
	if !src.RetryAfterUntil.IsZero() {
		fmt.Fprintf(w, "retry-after: until %s\n", stamp(src.RetryAfterUntil))
	}
	var hints []string
	if src.TTL > 0 {
		hints = append(hints, "ttl "+src.TTL.String())
	}
	if src.MaxAge > 0 {
		hints = append(hints, "max-age "+src.MaxAge.String())
	}
	if !src.Expires.IsZero() {
		hints = append(hints, "expires "+stamp(src.Expires))
	}
	if src.UpdatePeriod > 0 {
		hints = append(hints, "sy:updatePeriod "+src.UpdatePeriod.String())
	}
	if len(src.SkipHours) > 0 {
		hours := make([]string, len(src.SkipHours))
		for i, h := range src.SkipHours {
			hours[i] = strconv.Itoa(h)
		}
		hints = append(hints, "skipHours "+strings.Join(hours, ","))
	}
	if len(src.SkipDays) > 0 {
		days := make([]string, len(src.SkipDays))
		for i, d := range src.SkipDays {
			days[i] = d.String()
		}
		hints = append(hints, "skipDays "+strings.Join(days, ","))
	}
	if len(hints) > 0 {
		fmt.Fprintf(w, "asks for:    %s\n", strings.Join(hints, "; "))
	}
}

package fetch

import (
	"errors"
	"strconv"
	"strings"
	"time"

	ext "github.com/mmcdole/gofeed/extensions"
)

// Hints are what a feed document asks of the programs that poll it. Zero
// fields mean the feed asks nothing.
type Hints struct {
	TTL          time.Duration  // RSS <ttl>: minutes the feed may be cached
	UpdatePeriod time.Duration  // sy:updatePeriod divided by sy:updateFrequency
	SkipHours    []int          // RSS <skipHours>: UTC hours (0-23) not to poll in
	SkipDays     []time.Weekday // RSS <skipDays>: days not to poll on
}

// maxHint bounds what a hint can say: a feed asking for a ttl of a year is
// still polled daily (a source is never silently dropped).
const maxHint = 365 * 24 * time.Hour

// rssHints reads <ttl>, <skipHours>, <skipDays> and the syndication module
// from an RSS channel.
func rssHints(ttl string, skipHours, skipDays []string, exts ext.Extensions) Hints {
	h := syHints(exts)
	if m, err := strconv.ParseInt(strings.TrimSpace(ttl), 10, 64); (err == nil || errors.Is(err, strconv.ErrRange)) && m > 0 {
		h.TTL = time.Duration(min(m, int64(maxHint/time.Minute))) * time.Minute // capped before it can overflow
	}
	seenHour := map[int]bool{}
	for _, s := range skipHours {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 || n > 24 {
			continue
		}
		n %= 24 // some feeds write 24 for midnight
		if !seenHour[n] {
			seenHour[n] = true
			h.SkipHours = append(h.SkipHours, n)
		}
	}
	seenDay := map[time.Weekday]bool{}
	for _, s := range skipDays {
		for d := time.Sunday; d <= time.Saturday; d++ {
			if strings.EqualFold(strings.TrimSpace(s), d.String()) && !seenDay[d] {
				seenDay[d] = true
				h.SkipDays = append(h.SkipDays, d)
			}
		}
	}
	return h
}

// syHints reads sy:updatePeriod and sy:updateFrequency (RSS 1.0's
// syndication module, also used in RSS 2.0 and Atom feeds).
func syHints(exts ext.Extensions) Hints {
	sy := exts["sy"]
	if sy == nil {
		return Hints{}
	}
	first := func(name string) string {
		if v := sy[name]; len(v) > 0 {
			return strings.TrimSpace(v[0].Value)
		}
		return ""
	}
	var period time.Duration
	switch strings.ToLower(first("updatePeriod")) {
	case "hourly":
		period = time.Hour
	case "daily":
		period = 24 * time.Hour
	case "weekly":
		period = 7 * 24 * time.Hour
	case "monthly":
		period = 30 * 24 * time.Hour
	case "yearly":
		period = 365 * 24 * time.Hour
	default:
		return Hints{}
	}
	freq := 1
	if n, err := strconv.Atoi(first("updateFrequency")); err == nil && n > 0 {
		freq = n
	}
	return Hints{UpdatePeriod: period / time.Duration(freq)}
}

package aggregator

import (
	"time"
)

// What is taken from an entry when it becomes an item, beyond copying it.

// MaxFutureDate is how far after the first-seen time a feed's published
// date may lie; a later one is a mistake (a wrong time zone, a scheduled
// post's date, a broken clock) and is replaced by the first-seen time.
const MaxFutureDate = 24 * time.Hour

// publishedAt is the published time of an item first seen at seen whose
// feed gave the date feed (zero when none): the feed's date, else seen;
// seen too when the feed's date lies more than MaxFutureDate after it, and
// then the feed's date is returned as replaced.
func publishedAt(feed, seen time.Time) (published, replaced time.Time) {
	switch {
	case feed.IsZero():
		return seen, time.Time{}
	case feed.Sub(seen) > MaxFutureDate:
		return seen, feed
	}
	return feed, time.Time{}
}

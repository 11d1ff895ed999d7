package aggregator

import (
	"math/rand/v2"
	"net/http"
	"time"

	"aggregator/fetch"
)

// Polling etiquette: when a source is polled again.
//
// A cycle polls the sources that are due. After a success (200 or 304) a
// source is due again at once, unless it asked for more: RSS <ttl>,
// Cache-Control max-age (else Expires), sy:updatePeriod/updateFrequency push
// its next poll later, by the longest of them, and <skipHours>/<skipDays>
// move it out of the hours and days it asked to be left alone. So the
// schedule decides how often cycles run, and each source can only ask for
// fewer polls, never more. Hints push a poll at most MaxDelay later: a
// source is never silently dropped.
//
// After an error the source backs off exponentially: the schedule's period
// times 2^(errors-1), capped at MaxDelay, with equal jitter (a random wait
// between half and all of it) so that sources failing together do not come
// back together. A 429 or 503 with Retry-After waits at least that long
// (at most MaxRetryAfter). A 410 Gone retires the source until its config
// entry changes.
//
// A one-shot "aggregator fetch" follows the same rules: with no hints and no
// errors, every source is due at every run, so running it twice in a row
// polls twice (conditionally). The schedule's period (Options.Interval)
// matters only as the unit of backoff and for the tolerance below.
const (
	// MaxDelay caps both the error backoff and what hints can ask for.
	MaxDelay = 24 * time.Hour
	// MaxRetryAfter caps how long a Retry-After is honoured.
	MaxRetryAfter = 7 * 24 * time.Hour
	// DefaultInterval is the schedule's period when Options.Interval is zero.
	DefaultInterval = 15 * time.Minute
)

// Reasons stored in Source.NextFetchReason.
const (
	ReasonSchedule     = "schedule"
	ReasonTTL          = "ttl"
	ReasonMaxAge       = "max-age"
	ReasonExpires      = "expires"
	ReasonUpdatePeriod = "sy:updatePeriod"
	ReasonSkipHours    = "skipHours"
	ReasonSkipDays     = "skipDays"
	ReasonBackoff      = "backoff"
	ReasonRetryAfter   = "retry-after"
	ReasonRetired      = "retired (410)"
)

// jitter returns a number in [0, 1) for the backoff; tests replace it.
var jitter = defaultJitter

func defaultJitter() float64 { return rand.Float64() }

// policy decides when sources are polled.
type policy struct {
	interval time.Duration // the schedule's period
}

func newPolicy(interval time.Duration) policy {
	if interval <= 0 {
		interval = DefaultInterval
	}
	return policy{interval: interval}
}

// slack is how early a cycle may poll a source: cycles fire on the
// schedule, a little after the instant a hint names, and a source asking
// for "every hour" should not wait for the cycle after the one at the hour.
func (p policy) slack() time.Duration { return min(p.interval/10, time.Minute) }

// due reports whether src is polled in a cycle starting at t.
func (p policy) due(src Source, t time.Time) bool {
	return !src.Retired() && !src.NextFetchAt.After(t.Add(p.slack()))
}

// afterSuccess returns the next poll time of a source whose fetch in the
// cycle that started at start succeeded, from the hints stored on src.
func (p policy) afterSuccess(src Source, start time.Time) (time.Time, string) {
	next, reason := start, ReasonSchedule
	push := func(d time.Duration, why string) {
		if d <= 0 {
			return
		}
		if t := start.Add(min(d, MaxDelay)); t.After(next) {
			next, reason = t, why
		}
	}
	push(src.TTL, ReasonTTL)
	if src.MaxAge > 0 {
		push(src.MaxAge, ReasonMaxAge)
	} else if !src.Expires.IsZero() {
		push(src.Expires.Sub(start), ReasonExpires)
	}
	push(src.UpdatePeriod, ReasonUpdatePeriod)
	return skipAhead(next, reason, src.SkipHours, src.SkipDays)
}

// afterError returns the next poll time of a source that has now failed
// errors times in a row, the last time in the cycle that started at start;
// retryAfter is what a 429 or 503 asked for (0 if nothing).
func (p policy) afterError(src Source, start time.Time, errors int, retryAfter time.Duration) (time.Time, string) {
	d := MaxDelay
	if errors < 1 {
		errors = 1
	}
	if errors <= 32 {
		if b := p.interval << (errors - 1); b > 0 && b < MaxDelay {
			d = b
		}
	}
	d = d/2 + time.Duration(jitter()*float64(d/2))
	next, reason := start.Add(d), ReasonBackoff
	if retryAfter > 0 {
		if t := start.Add(min(retryAfter, MaxRetryAfter)); t.After(next) {
			next, reason = t, ReasonRetryAfter
		}
	}
	return skipAhead(next, reason, src.SkipHours, src.SkipDays)
}

// stateChange is what a fetch did to a source that is told beyond its
// state: in the log and the cycle's report.
type stateChange struct {
	gone      bool   // the fetch answered 410 Gone: the source is retired
	movedFrom string // a permanent redirect moved the source from here…
	movedTo   string // …to here, in this fetch
}

// nextState returns the state of src after the fetch result res, received
// at now in the cycle that started at start: the outcome of the fetch, the
// validators and cache hints of a success, the backoff of a failure, and
// when the source is polled next and why. It changes nothing else.
func (p policy) nextState(src Source, res fetch.Result, start, now time.Time) (Source, stateChange) {
	src.LastFetchAt = now
	src.LastStatus = res.Status
	if res.Err != nil {
		return p.afterFailedFetch(src, res, start, now)
	}
	return p.afterGoodFetch(src, res, start, now)
}

// afterFailedFetch is nextState for a fetch that failed.
func (p policy) afterFailedFetch(src Source, res fetch.Result, start, now time.Time) (Source, stateChange) {
	var ch stateChange
	src.ErrorCount++
	src.LastError = res.Err.Error()
	src.LastErrorKind = fetch.Kind(res.Err)
	src.RetryAfterUntil = time.Time{}
	if res.RetryAfter > 0 {
		src.RetryAfterUntil = start.Add(min(res.RetryAfter, MaxRetryAfter))
	}
	src.NextFetchAt, src.NextFetchReason = p.afterError(src, start, src.ErrorCount, res.RetryAfter)
	if res.Status == http.StatusGone {
		if !src.Retired() {
			src.RetiredAt = now
		}
		src.NextFetchAt, src.NextFetchReason = time.Time{}, ReasonRetired
		ch.gone = true
	}
	return src, ch
}

// afterGoodFetch is nextState for a fetch that succeeded (200 or 304).
func (p policy) afterGoodFetch(src Source, res fetch.Result, start, now time.Time) (Source, stateChange) {
	var ch stateChange
	src.ErrorCount = 0
	src.LastError, src.LastErrorKind = "", ""
	src.RetryAfterUntil, src.RetiredAt = time.Time{}, time.Time{}
	src.LastSuccessAt = now
	if res.ETag != "" || res.LastModified != "" || !res.NotModified {
		src.ETag, src.LastModified = res.ETag, res.LastModified
	}
	src.MaxAge, src.Expires = res.MaxAge, time.Time{}
	if res.ExpiresIn > 0 {
		src.Expires = now.Add(res.ExpiresIn)
	}
	if res.Feed != nil {
		src.FeedID, src.FeedTitle, src.FeedLink = res.Feed.ID, res.Feed.Title, res.Feed.Link
		h := res.Feed.Hints
		src.TTL, src.UpdatePeriod, src.SkipHours, src.SkipDays = h.TTL, h.UpdatePeriod, h.SkipHours, h.SkipDays
	}
	if res.MovedTo != "" && res.MovedTo != src.FetchURL() {
		ch.movedFrom, ch.movedTo = src.FetchURL(), res.MovedTo
		src.MovedURL, src.MovedAt = res.MovedTo, now
		if res.MovedTo == src.URL {
			src.MovedURL, src.MovedAt = "", time.Time{} // moved back to the configured URL
		}
	}
	src.NextFetchAt, src.NextFetchReason = p.afterSuccess(src, start)
	return src, ch
}

// skipAhead moves t to the start of the first hour (UTC) that is neither in
// skipHours nor on one of skipDays. A feed that skips every hour or every
// day asks for nothing: its hints are ignored.
func skipAhead(t time.Time, reason string, skipHours []int, skipDays []time.Weekday) (time.Time, string) {
	var hours [24]bool
	var days [7]bool
	nh, nd := 0, 0
	for _, h := range skipHours {
		if h >= 0 && h < 24 && !hours[h] {
			hours[h] = true
			nh++
		}
	}
	for _, d := range skipDays {
		if d >= time.Sunday && d <= time.Saturday && !days[d] {
			days[d] = true
			nd++
		}
	}
	if nh == 24 || nd == 7 || nh+nd == 0 {
		return t, reason
	}
	u := t.UTC()
	for range 24 * 8 {
		switch {
		case days[u.Weekday()]:
			reason = ReasonSkipDays
		case hours[u.Hour()]:
			reason = ReasonSkipHours
		default:
			if u.Equal(t.UTC()) {
				return t, reason
			}
			return u, reason
		}
		u = u.Truncate(time.Hour).Add(time.Hour)
	}
	return t, reason
}

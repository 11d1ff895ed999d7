package aggregator

import (
	"testing"
	"time"
)

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	t.Cleanup(func() { jitter = defaultJitter })
	pol := newPolicy(15 * time.Minute)
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	for _, j := range []float64{0, 0.5, 0.999999} {
		jitter = func() float64 { return j }
		for errs := 1; errs <= 40; errs++ {
			next, why := pol.afterError(Source{}, start, errs, 0)
			d := min(15*time.Minute<<min(errs-1, 20), MaxDelay)
			if gap := next.Sub(start); gap < d/2 || gap > d || why != ReasonBackoff {
				t.Fatalf("jitter %v, %d errors: wait %v (%s), want [%v, %v]", j, errs, gap, why, d/2, d)
			}
		}
	}
	jitter = func() float64 { return 0.999999 }
	if next, _ := pol.afterError(Source{}, start, 1000, 0); next.Sub(start) >= MaxDelay {
		t.Errorf("the backoff passed the 24 h cap: %v", next.Sub(start))
	}
}

func TestRetryAfterOverridesAShorterBackoff(t *testing.T) {
	pol := newPolicy(15 * time.Minute)
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	if next, why := pol.afterError(Source{}, start, 1, 3*time.Hour); next != start.Add(3*time.Hour) || why != ReasonRetryAfter {
		t.Errorf("Retry-After 3h: %v (%s)", next.Sub(start), why)
	}
	if next, why := pol.afterError(Source{}, start, 1, 30*24*time.Hour); next != start.Add(MaxRetryAfter) || why != ReasonRetryAfter {
		t.Errorf("Retry-After 30 days: %v (%s), want the %v cap", next.Sub(start), why, MaxRetryAfter)
	}
	if _, why := pol.afterError(Source{}, start, 1, time.Second); why != ReasonBackoff {
		t.Errorf("a Retry-After shorter than the backoff set the reason %q", why)
	}
}

func TestSkipAhead(t *testing.T) {
	tue9 := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC) // a Tuesday
	all := make([]int, 24)
	for i := range all {
		all[i] = i
	}
	tests := []struct {
		name   string
		hours  []int
		days   []time.Weekday
		want   time.Time
		reason string
	}{
		{"nothing to skip", nil, nil, tue9, "x"},
		{"other hours", []int{3, 4}, nil, tue9, "x"},
		{"this hour", []int{9}, nil, tue9.Truncate(time.Hour).Add(time.Hour), ReasonSkipHours},
		{"hours across midnight", []int{9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0, 1}, nil,
			time.Date(2026, 3, 11, 2, 0, 0, 0, time.UTC), ReasonSkipHours},
		{"this day", nil, []time.Weekday{time.Tuesday}, time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC), ReasonSkipDays},
		{"day then hour", []int{0}, []time.Weekday{time.Tuesday}, time.Date(2026, 3, 11, 1, 0, 0, 0, time.UTC), ReasonSkipHours},
		{"every hour is no hint", all, nil, tue9, "x"},
		{"every day is no hint", nil, []time.Weekday{0, 1, 2, 3, 4, 5, 6}, tue9, "x"},
	}
	for _, tt := range tests {
		got, reason := skipAhead(tue9, "x", tt.hours, tt.days)
		if !got.Equal(tt.want) || reason != tt.reason {
			t.Errorf("%s: %v (%s), want %v (%s)", tt.name, got, reason, tt.want, tt.reason)
		}
	}
}

func TestDueAllowsTheCycleAtTheHint(t *testing.T) {
	pol := newPolicy(15 * time.Minute)
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	src := Source{NextFetchAt: at}
	for _, tt := range []struct {
		cycle time.Time
		due   bool
	}{
		{at.Add(-15 * time.Minute), false},
		{at.Add(-2 * time.Minute), false},
		{at.Add(-30 * time.Second), true}, // a cycle that fires a little early is not skipped
		{at, true},
		{at.Add(time.Hour), true},
	} {
		if got := pol.due(src, tt.cycle); got != tt.due {
			t.Errorf("cycle at %v: due %v, want %v", tt.cycle.Sub(at), got, tt.due)
		}
	}
	src.RetiredAt = at
	if pol.due(src, at.Add(100*time.Hour)) {
		t.Error("a retired source is due")
	}
}

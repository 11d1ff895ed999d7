package wiring

import (
	"testing"
	"time"
)

func TestSchedulePeriod(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 7, 0, 0, time.UTC)
	for spec, want := range map[string]time.Duration{
		"@every 15m":   15 * time.Minute,
		"*/20 * * * *": 20 * time.Minute,
		"0 * * * *":    time.Hour,
		"@daily":       24 * time.Hour,
		"not a spec":   0,
	} {
		if got := SchedulePeriod(spec, now); got != want {
			t.Errorf("SchedulePeriod(%q) = %v, want %v", spec, got, want)
		}
	}
}

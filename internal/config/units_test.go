package config

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30s", 30 * time.Second, true},
		{"720h", 720 * time.Hour, true},
		{"1h30m", 90 * time.Minute, true},
		{"30d", 30 * 24 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true},
		{" 2d ", 48 * time.Hour, true},
		{"d", 0, false},
		{"-1d", 0, false},
		{"1d-1h", 0, false},
		{"1.5d", 0, false},
		{"99999999d", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestDurationString(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{720 * time.Hour, "720h"},
		{15 * time.Minute, "15m"},
		{90 * time.Minute, "1h30m"},
		{30 * time.Second, "30s"},
		{0, "0s"},
		{1500 * time.Millisecond, "1.5s"},
	}
	for _, tt := range tests {
		if got := Duration(tt.d).String(); got != tt.want {
			t.Errorf("Duration(%v).String() = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want ByteSize
		ok   bool
	}{
		{"10MiB", 10 << 20, true},
		{"10 MiB", 10 << 20, true},
		{"10mib", 10 << 20, true},
		{"512KB", 512000, true},
		{"512KiB", 512 << 10, true},
		{"1GB", 1e9, true},
		{"1.5MiB", 3 << 19, true},
		{"1048576", 1 << 20, true},
		{"100B", 100, true},
		{"0", 0, true},
		{"", 0, false},
		{"MiB", 0, false},
		{"-1", 0, false},
		{"10 furlongs", 0, false},
		{"1e6", 0, false},
		{"1.2.3KB", 0, false},
		{"99999999999GiB", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseByteSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseByteSize(%q) = %v, %v; want %v, ok=%v", tt.in, int64(got), err, int64(tt.want), tt.ok)
		}
	}
}

func TestByteSizeString(t *testing.T) {
	tests := []struct {
		b    ByteSize
		want string
	}{
		{10 * MiB, "10MiB"},
		{512000, "500KiB"},
		{1000, "1000B"},
		{2 * GiB, "2GiB"},
		{0, "0B"},
	}
	for _, tt := range tests {
		if got := tt.b.String(); got != tt.want {
			t.Errorf("ByteSize(%d).String() = %q, want %q", int64(tt.b), got, tt.want)
		}
		back, err := ParseByteSize(tt.b.String())
		if err != nil || back != tt.b {
			t.Errorf("ParseByteSize(%q) = %v, %v; want %d", tt.b.String(), int64(back), err, int64(tt.b))
		}
	}
}

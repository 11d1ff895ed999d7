package feeds

import (
	"errors"
	"testing"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in          string
		want        Format
		contentType string
		wantErr     bool
	}{
		{"atom", FormatAtom, "application/atom+xml; charset=utf-8", false},
		{" RSS ", FormatRSS, "application/rss+xml; charset=utf-8", false},
		{"Json", FormatJSON, "application/feed+json; charset=utf-8", false},
		{"", "", "", true},
		{"xml", "", "", true},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if tt.wantErr {
			if !errors.Is(err, ErrUnknownFormat) {
				t.Errorf("ParseFormat(%q) error = %v, want ErrUnknownFormat", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if ct := got.ContentType(); ct != tt.contentType {
			t.Errorf("%q.ContentType() = %q, want %q", got, ct, tt.contentType)
		}
	}
}

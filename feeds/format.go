package feeds

import (
	"errors"
	"fmt"
	"strings"
)

// Format is an output format of the curated feed.
type Format string

// The formats Write can render.
const (
	FormatAtom Format = "atom"
	FormatRSS  Format = "rss"
	FormatJSON Format = "json"
)

// ErrUnknownFormat is returned for a format name other than atom, rss or json.
var ErrUnknownFormat = errors.New("feeds: unknown format")

// ParseFormat returns the Format named by s ("atom", "rss" or "json", in any
// case, surrounding spaces ignored).
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if !f.valid() {
		return "", fmt.Errorf("parse format %q: %w (want atom, rss or json)", s, ErrUnknownFormat)
	}
	return f, nil
}

// ContentType returns the media type to serve the format with, or
// "application/octet-stream" for an unknown format.
func (f Format) ContentType() string {
	switch f {
	case FormatAtom:
		return "application/atom+xml; charset=utf-8"
	case FormatRSS:
		return "application/rss+xml; charset=utf-8"
	case FormatJSON:
		return "application/feed+json; charset=utf-8"
	}
	return "application/octet-stream"
}

func (f Format) valid() bool {
	return f == FormatAtom || f == FormatRSS || f == FormatJSON
}

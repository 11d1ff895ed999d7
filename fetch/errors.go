package fetch

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
)

// Sentinel errors returned (wrapped) by Fetch and Parse. Use errors.Is to
// tell the kinds of failure apart; Kind maps an error to a short label.
var (
	// ErrStatus reports a response with a status other than 2xx or 304.
	ErrStatus = errors.New("unexpected status")
	// ErrNotAFeed reports a body that is not RSS, Atom or JSON Feed (often an HTML page).
	ErrNotAFeed = errors.New("not a feed")
	// ErrBodyTooLarge reports a body whose decompressed size exceeds Options.MaxBodyBytes.
	ErrBodyTooLarge = errors.New("body too large")
	// ErrEmptyBody reports a successful response with nothing in it.
	ErrEmptyBody = errors.New("empty body")
	// ErrParse reports a feed that was recognised but could not be parsed.
	ErrParse = errors.New("parse")
	// ErrTimeout reports a request that did not finish within Options.Timeout.
	ErrTimeout = errors.New("timeout")
	// ErrTooManyRedirects reports a redirect chain longer than the limit, or a loop.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrBadURL reports a URL that cannot be fetched (unparsable, or not http/https).
	ErrBadURL = errors.New("bad url")
	// ErrRequest reports a transport failure: DNS, connection refused, TLS,
	// a connection reset or closed before the body was complete…
	ErrRequest = errors.New("request failed")
	// ErrEncoding reports a body whose content encoding is unsupported or
	// corrupt (a broken gzip stream).
	ErrEncoding = errors.New("bad content encoding")

	// The errors of a page that gives no article (Fetcher.Article).

	// ErrNotHTML reports an article response that is not an HTML page (a
	// PDF, an image, a feed…), by its Content-Type or its sniffed body.
	ErrNotHTML = errors.New("not an html page")
	// ErrTooShort reports an article page whose extracted text is under
	// MinArticleWords words, with no evidence of why.
	ErrTooShort = errors.New("too little article text")
	// ErrPaywall reports a short page with the marks of a paywall
	// (schema.org isAccessibleForFree false, a paywall element).
	ErrPaywall = errors.New("paywall")
	// ErrConsent reports a short page with the marks of a cookie or consent
	// wall (a consent manager's container).
	ErrConsent = errors.New("consent wall")
	// ErrCaptcha reports a short page with the marks of a captcha or a bot
	// challenge.
	ErrCaptcha = errors.New("captcha")
	// ErrJavaScript reports a short page that needs JavaScript to show its
	// text (a <noscript> asking to enable it).
	ErrJavaScript = errors.New("javascript required")
	// ErrRedirectLink reports an aggregator's redirect link (a Google News
	// article link), which only a browser running its JavaScript resolves:
	// it is never fetched (outlet.go).
	ErrRedirectLink = errors.New("an aggregator's redirect link, not fetched")
)

// StatusError is the error for a response with an unexpected HTTP status.
// It matches ErrStatus with errors.Is.
type StatusError struct {
	Code int
}

// Error returns "status <code>".
func (e *StatusError) Error() string { return fmt.Sprintf("status %d", e.Code) }

// Is reports whether target is ErrStatus.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// NotAFeedError is the error for a body that is not a feed. It matches
// ErrNotAFeed with errors.Is. When the body is an HTML page that advertises
// feeds with <link rel="alternate">, Alternates lists their absolute URLs.
type NotAFeedError struct {
	ContentType string   // media type, from the header or sniffed ("text/html")
	Detail      string   // optional, e.g. "root element <opml>"
	Alternates  []string // feeds the page links to, absolute URLs
}

// Error returns "not a feed (<type>)", with the detail and the advertised feeds if any.
func (e *NotAFeedError) Error() string {
	var b strings.Builder
	b.WriteString("not a feed (")
	if e.ContentType == "" {
		b.WriteString("unknown type")
	} else {
		b.WriteString(e.ContentType)
	}
	b.WriteString(")")
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if len(e.Alternates) > 0 {
		b.WriteString("; the page advertises feeds: ")
		b.WriteString(strings.Join(e.Alternates, ", "))
	}
	return b.String()
}

// Is reports whether target is ErrNotAFeed.
func (e *NotAFeedError) Is(target error) bool { return target == ErrNotAFeed }

// Kind returns a short, stable label for the kind of err, suitable for a
// metrics label or a status page: "" (nil), "status", "not_a_feed",
// "too_large", "empty", "parse", "timeout", "redirects", "bad_url",
// "encoding", "canceled", "network" or "other"; for an article page also
// "not_html", "too_short", "paywall", "consent", "captcha", "javascript" or
// "redirect_link".
func Kind(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrStatus):
		return "status"
	case errors.Is(err, ErrNotAFeed):
		return "not_a_feed"
	case errors.Is(err, ErrBodyTooLarge):
		return "too_large"
	case errors.Is(err, ErrEmptyBody):
		return "empty"
	case errors.Is(err, ErrParse):
		return "parse"
	case errors.Is(err, ErrTimeout):
		return "timeout"
	case errors.Is(err, ErrTooManyRedirects):
		return "redirects"
	case errors.Is(err, ErrBadURL):
		return "bad_url"
	case errors.Is(err, ErrEncoding):
		return "encoding"
	case errors.Is(err, ErrNotHTML):
		return "not_html"
	case errors.Is(err, ErrTooShort):
		return "too_short"
	case errors.Is(err, ErrPaywall):
		return "paywall"
	case errors.Is(err, ErrConsent):
		return "consent"
	case errors.Is(err, ErrCaptcha):
		return "captcha"
	case errors.Is(err, ErrJavaScript):
		return "javascript"
	case errors.Is(err, ErrRedirectLink):
		return "redirect_link"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "canceled"
	case errors.Is(err, ErrRequest):
		return "network"
	default:
		return "other"
	}
}

// BodyTooLargeError is the error for a body over the size limit. It matches
// ErrBodyTooLarge with errors.Is.
type BodyTooLargeError struct {
	Limit int64 // bytes, counted after decompression
}

// Error returns "body exceeds <limit> bytes".
func (e *BodyTooLargeError) Error() string { return fmt.Sprintf("body exceeds %d bytes", e.Limit) }

// Is reports whether target is ErrBodyTooLarge.
func (e *BodyTooLargeError) Is(target error) bool { return target == ErrBodyTooLarge }

// PanicError is a panic recovered while fetching or parsing one source,
// with the stack of the goroutine where it happened. It matches no
// sentinel error: what wraps it says where it was recovered.
type PanicError struct {
	Value any    // what was passed to panic
	Stack []byte // from runtime/debug.Stack, taken in the deferred recover
}

// Error returns "panic: <value>".
func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// newPanicError records r, the value of recover(), with the current stack;
// call it from the deferred function that recovered.
func newPanicError(r any) *PanicError {
	return &PanicError{Value: r, Stack: debug.Stack()}
}

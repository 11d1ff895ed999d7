package config

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Limits checked by Validate.
const (
	maxFeedEntries   = 10000
	maxShingleSize   = 10
	maxSignatureSize = 1024
	maxConcurrency   = 256
	maxArticles      = 10000
	minWindow        = time.Hour
	minEvery         = time.Second
)

var (
	logLevels     = []string{"debug", "info", "warn", "error"}
	fullTextModes = []string{FullTextNever, FullTextAuto, FullTextAlways}
)

// Validate checks every value of c and returns all problems found, joined,
// in the order they appear in the file. It reads the file system to check
// that the seeds directory exists.
func (c *Config) Validate() error {
	v := &validator{c: c}
	v.state()
	v.schedule()
	v.listen()
	if !slices.Contains(logLevels, c.Log.Level) {
		v.fail("log.level", "%q is not one of %s", c.Log.Level, strings.Join(logLevels, ", "))
	}
	v.feed()
	v.sources()
	v.topic()
	v.seeds()
	v.dedupe()
	v.fetch()
	v.push()

	slices.SortStableFunc(v.errs, func(a, b *Error) int { return cmp.Compare(a.Line, b.Line) })
	errs := make([]error, len(v.errs))
	for i, e := range v.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

type validator struct {
	c    *Config
	errs []*Error
}

func (v *validator) fail(field, format string, args ...any) {
	v.errs = append(v.errs, &Error{File: v.c.Path, Line: v.c.line(field), Field: field, Msg: fmt.Sprintf(format, args...)})
}

// line returns the line of field in the file, or of its nearest enclosing
// field when it was left out, or 0 when c was not read from a file.
func (c *Config) line(field string) int {
	for {
		if l, ok := c.lines[field]; ok {
			return l
		}
		if field == "" {
			return 0
		}
		i := strings.LastIndexAny(field, ".[")
		if i < 0 {
			i = 0
		}
		field = field[:i]
	}
}

// set reports whether field was written in the file.
func (c *Config) set(field string) bool {
	_, ok := c.lines[field]
	return ok
}

func (v *validator) state() {
	if strings.TrimSpace(v.c.State) == "" {
		v.fail("state", "must name the database file")
	}
}

func (v *validator) schedule() {
	if _, err := cron.ParseStandard(v.c.Schedule); err != nil {
		v.fail("schedule", "%q is not a cron spec (%v); write e.g. \"@every 15m\" or \"*/15 * * * *\"", v.c.Schedule, err)
		return
	}
	// cron rounds "@every" up to whole seconds: check what was written.
	if rest, ok := strings.CutPrefix(v.c.Schedule, "@every "); ok {
		if d, err := time.ParseDuration(strings.TrimSpace(rest)); err == nil && d < minEvery {
			v.fail("schedule", "%q polls more often than once a second", v.c.Schedule)
		}
	}
}

func (v *validator) listen() {
	_, port, err := net.SplitHostPort(v.c.Listen)
	if err != nil {
		v.fail("listen", "%q is not host:port (e.g. 127.0.0.1:8080 or :8080)", v.c.Listen)
		return
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n > math.MaxUint16 {
		v.fail("listen", "%q: port %q is not a number from 0 to 65535", v.c.Listen, port)
	}
}

func (v *validator) feed() {
	f := v.c.Feed
	if strings.TrimSpace(f.Title) == "" {
		v.fail("feed.title", "must not be empty")
	}
	if strings.TrimSpace(f.Author) == "" {
		v.fail("feed.author", "must not be empty")
	}
	v.httpURL("feed.url", f.URL)
	if f.MaxEntries < 1 || f.MaxEntries > maxFeedEntries {
		v.fail("feed.max_entries", "%d is not between 1 and %d", f.MaxEntries, maxFeedEntries)
	}
}

// httpURL checks that s is an absolute http or https URL and returns its
// canonical form for comparisons, or "" when it is not.
func (v *validator) httpURL(field, s string) string {
	if s == "" {
		v.fail(field, "required: an absolute http(s) URL")
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || s != strings.TrimSpace(s) || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		v.fail(field, "%q is not an absolute http(s) URL", s)
		return ""
	}
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

func (v *validator) sources() {
	if len(v.c.Sources) == 0 {
		v.fail("sources", "at least one source is required")
		return
	}
	names := map[string]int{}
	urls := map[string]int{}
	for i, s := range v.c.Sources {
		field := fmt.Sprintf("sources[%d]", i)
		switch name := strings.ToLower(strings.TrimSpace(s.Name)); {
		case name == "":
			v.fail(field+".name", "must not be empty")
		case hasControl(s.Name):
			v.fail(field+".name", "%q contains control characters", s.Name)
		default:
			if j, dup := names[name]; dup {
				v.fail(field+".name", "%q is already the name of sources[%d]", s.Name, j)
			} else {
				names[name] = i
			}
		}
		if u := v.httpURL(field+".url", s.URL); u != "" {
			if j, dup := urls[u]; dup {
				v.fail(field+".url", "%q is already the URL of sources[%d]", s.URL, j)
			} else {
				urls[u] = i
			}
		}
		// "" is a source Parse has not defaulted: never.
		if s.FullText != "" && !slices.Contains(fullTextModes, s.FullText) {
			v.fail(field+".full_text", "%q is not one of %s", s.FullText, strings.Join(fullTextModes, ", "))
		}
	}
}

func (v *validator) topic() {
	t := v.c.Topic
	if s := t.SeedSimilarity; s != nil && !(*s >= 0 && *s <= 1) {
		v.fail("topic.seed_similarity", "%v is not between 0 and 1", *s)
	}
	names := map[string]int{}
	for i, g := range t.Groups {
		field := fmt.Sprintf("topic.groups[%d]", i)
		name := strings.ToLower(strings.TrimSpace(g.Name))
		if name == "" {
			v.fail(field+".name", "must not be empty")
		} else if j, dup := names[name]; dup {
			v.fail(field+".name", "%q is already the name of topic.groups[%d]", g.Name, j)
		} else {
			names[name] = i
		}
		if len(g.Terms) == 0 {
			v.fail(field+".terms", "at least one term is required")
		}
		for k, term := range g.Terms {
			if strings.TrimSpace(term) == "" {
				v.fail(fmt.Sprintf("%s.terms[%d]", field, k), "must not be empty")
			}
		}
	}
}

func (v *validator) seeds() {
	if v.c.Seeds == "" {
		return
	}
	path := resolve(v.c.dir(), v.c.Seeds)
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		v.fail("seeds", "directory %s does not exist", path)
	case err != nil:
		v.fail("seeds", "%v", err)
	case !fi.IsDir():
		v.fail("seeds", "%s is not a directory", path)
	}
}

func (v *validator) dedupe() {
	d := v.c.Dedupe
	if d.ShingleSize < 1 || d.ShingleSize > maxShingleSize {
		v.fail("dedupe.shingle_size", "%d is not between 1 and %d", d.ShingleSize, maxShingleSize)
	}
	ok := true
	if d.SignatureSize < 1 || d.SignatureSize > maxSignatureSize {
		v.fail("dedupe.signature_size", "%d is not between 1 and %d", d.SignatureSize, maxSignatureSize)
		ok = false
	}
	if d.Bands < 1 {
		v.fail("dedupe.bands", "%d is not a positive number", d.Bands)
		ok = false
	}
	if d.Rows < 1 {
		v.fail("dedupe.rows", "%d is not a positive number", d.Rows)
		ok = false
	}
	if ok && d.Bands*d.Rows != d.SignatureSize {
		// Point at whichever of the three the file set.
		field := "dedupe"
		for _, f := range []string{"dedupe.bands", "dedupe.rows", "dedupe.signature_size"} {
			if v.c.set(f) {
				field = f
				break
			}
		}
		v.fail(field, "bands × rows (%d × %d = %d) must equal signature_size (%d)", d.Bands, d.Rows, d.Bands*d.Rows, d.SignatureSize)
	}
	v.fraction("dedupe.resemblance", d.Resemblance)
	v.fraction("dedupe.containment", d.Containment)
	if time.Duration(d.Window) < minWindow {
		v.fail("dedupe.window", "%s is shorter than %s", d.Window, Duration(minWindow))
	}
}

// fraction checks that x is in (0, 1].
func (v *validator) fraction(field string, x float64) {
	if !(x > 0 && x <= 1) {
		v.fail(field, "%v is not above 0 and at most 1", x)
	}
}

func (v *validator) fetch() {
	f := v.c.Fetch
	if f.Timeout <= 0 {
		v.fail("fetch.timeout", "%s is not a positive duration", f.Timeout)
	}
	if f.MaxBodySize <= 0 {
		v.fail("fetch.max_body_size", "%s is not a positive size", f.MaxBodySize)
	}
	if f.Concurrency < 1 || f.Concurrency > maxConcurrency {
		v.fail("fetch.concurrency", "%d is not between 1 and %d", f.Concurrency, maxConcurrency)
	}
	// A per-host limit above the global one is allowed: the global limit
	// applies first (so `concurrency: 1` alone is a valid setting).
	if f.PerHost < 1 || f.PerHost > maxConcurrency {
		v.fail("fetch.per_host", "%d is not between 1 and %d", f.PerHost, maxConcurrency)
	}
	if f.UserAgent == "" {
		v.fail("fetch.user_agent", "must not be empty")
	} else if strings.ContainsFunc(f.UserAgent, func(r rune) bool { return r < ' ' || r > '~' }) {
		v.fail("fetch.user_agent", "%q must be printable ASCII", f.UserAgent)
	}
	if f.ArticlesPerCycle < 1 || f.ArticlesPerCycle > maxArticles {
		v.fail("fetch.articles_per_cycle", "%d is not between 1 and %d", f.ArticlesPerCycle, maxArticles)
	}
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f })
}

// Package config reads the configuration file of the aggregator daemon and
// CLI.
//
// The file is YAML and read strictly: an unknown key, a value of the wrong
// type or a value out of range is an error, and nothing starts on a bad
// configuration. Every error names the file, the line and the field, as in
//
//	config.yaml:14: sources[2].url: "htp://x" is not an absolute http(s) URL
//
// Keys a file leaves out take the values of Default. Other packages never
// import this one: the command copies the values it needs into the option
// structs of the packages it wires together.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is the whole configuration file.
type Config struct {
	// Path is the file the configuration was read from, as given to Load
	// or Parse. It is not a key in the file.
	Path string `yaml:"-"`

	// State is the SQLite database file. Load resolves a relative path
	// against the directory of the configuration file.
	State string `yaml:"state"`
	// Schedule says when the daemon polls: a five-field cron spec, a
	// descriptor such as "@hourly", or "@every 15m".
	Schedule string `yaml:"schedule"`
	// Listen is the host:port the daemon's HTTP server listens on.
	Listen  string   `yaml:"listen"`
	Log     Log      `yaml:"log"`
	Feed    Feed     `yaml:"feed"`
	Sources []Source `yaml:"sources"`
	Topic   Topic    `yaml:"topic"`
	// Seeds is an optional directory of extra seed articles (*.txt), added
	// to the seeds built into the binary. Load resolves a relative path
	// against the directory of the configuration file.
	Seeds  string `yaml:"seeds,omitempty"`
	Dedupe Dedupe `yaml:"dedupe"`
	Fetch  Fetch  `yaml:"fetch"`
	// Notify are the webhooks that receive a JSON POST for every new
	// story.
	Notify []Webhook `yaml:"notify,omitempty"`

	// lines maps a field path ("sources[2].url") to the line it is on in
	// the file; Validate uses it to say where a problem is.
	lines map[string]int
}

// Log configures logging.
type Log struct {
	// Level is the lowest level logged: "debug", "info", "warn" or "error".
	Level string `yaml:"level"`
}

// Feed describes the curated feed the aggregator publishes.
type Feed struct {
	Title    string `yaml:"title"`
	Subtitle string `yaml:"subtitle,omitempty"`
	// URL is where subscribers fetch the feed; it becomes the feed's self
	// link and the base of its identity. Required.
	URL    string `yaml:"url"`
	Author string `yaml:"author"`
	// MaxEntries is how many of the newest stories the feed carries.
	MaxEntries int `yaml:"max_entries"`
	// Hubs are the WebSub hubs the feed names (rel="hub") and that are
	// told when it changes.
	Hubs []string `yaml:"hubs,omitempty"`
}

// Webhook is one receiver of new stories: a JSON POST per story, signed
// with Secret (HMAC-SHA256) when it is set.
type Webhook struct {
	URL    string `yaml:"url"`
	Secret string `yaml:"secret,omitempty"`
}

// Source is one upstream news feed.
type Source struct {
	// Name identifies the source in logs, metrics and the status page.
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
	// FullText says when an entry's article page is fetched, its text
	// compared instead of the feed's: "never" (the default), "auto" (when
	// the entry's own text is under 100 words) or "always".
	FullText string `yaml:"full_text,omitempty"`
}

// The values of Source.FullText.
const (
	FullTextNever  = "never"
	FullTextAuto   = "auto"
	FullTextAlways = "always"
)

// Topic holds the keyword rules that, with the seed articles, decide what
// is on topic.
type Topic struct {
	// SeedSimilarity is the least similarity to a seed article that makes
	// an item on topic by itself. Nil means unset: the caller's default.
	SeedSimilarity *float64 `yaml:"seed_similarity,omitempty"`
	// Groups are keyword groups. Empty means the caller's built-in groups;
	// how groups combine is the topic rule's business, not the config's.
	Groups []TopicGroup `yaml:"groups,omitempty"`
}

// TopicGroup is a named list of terms, any of which counts as a match.
type TopicGroup struct {
	Name  string   `yaml:"name"`
	Terms []string `yaml:"terms"`
}

// Dedupe tunes near-duplicate detection: word shingles, MinHash signatures
// and locality-sensitive hashing.
type Dedupe struct {
	// ShingleSize is the number of words in a shingle.
	ShingleSize int `yaml:"shingle_size"`
	// SignatureSize is the number of MinHash values per document; it must
	// equal Bands × Rows.
	SignatureSize int `yaml:"signature_size"`
	Bands         int `yaml:"bands"`
	Rows          int `yaml:"rows"`
	// Resemblance is the Jaccard similarity from which two items are
	// copies of each other.
	Resemblance float64 `yaml:"resemblance"`
	// Containment is the share of a shorter item's shingles found in a
	// longer one from which the shorter is a copy (a summary, a trim).
	Containment float64 `yaml:"containment"`
	// Window is how far back earlier stories are compared against.
	Window Duration `yaml:"window"`
}

// Fetch limits and identifies the polling of sources.
type Fetch struct {
	// Timeout bounds one request, body included.
	Timeout Duration `yaml:"timeout"`
	// MaxBodySize is the most bytes read from one response (after
	// decompression).
	MaxBodySize ByteSize `yaml:"max_body_size"`
	// Concurrency is how many sources are polled at once.
	Concurrency int `yaml:"concurrency"`
	// PerHost is how many of those may be on the same host.
	PerHost   int    `yaml:"per_host"`
	UserAgent string `yaml:"user_agent"`
	// ArticlesPerCycle is the most article pages fetched for one source in
	// one poll cycle (see Source.FullText).
	ArticlesPerCycle int `yaml:"articles_per_cycle"`
}

// DefaultUserAgent is the User-Agent header sent when the file sets none.
const DefaultUserAgent = "aggregator/0.1 (news feed curator)"

// Default returns the values used for every key a file leaves out. It has
// no sources and no feed URL, so it does not pass Validate by itself.
func Default() *Config {
	return &Config{
		State:    "aggregator.db",
		Schedule: "@every 15m",
		Listen:   "127.0.0.1:8080",
		Log:      Log{Level: "info"},
		Feed: Feed{
			Title:      "North Korea–Russia news, curated",
			Author:     "aggregator",
			MaxEntries: 100,
		},
		Dedupe: Dedupe{
			ShingleSize:   3,
			SignatureSize: 128,
			Bands:         32,
			Rows:          4,
			Resemblance:   0.5,
			Containment:   0.6,
			Window:        Duration(30 * 24 * time.Hour),
		},
		Fetch: Fetch{
			Timeout:     Duration(30 * time.Second),
			MaxBodySize: 10 * MiB,
			Concurrency: 8,
			PerHost:     2,
			UserAgent:   DefaultUserAgent,

			ArticlesPerCycle: 50,
		},
	}
}

// defaultSources gives every source the value of each key it leaves out
// (list elements get no defaults from Default).
func (c *Config) defaultSources() {
	for i := range c.Sources {
		if c.Sources[i].FullText == "" {
			c.Sources[i].FullText = FullTextNever
		}
	}
}

// Load reads the configuration file at path, checks it, and resolves the
// relative paths in it (state, seeds) against the file's directory.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load config: %w", err)
	}
	defer f.Close()
	c, err := Parse(path, f)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("load config %s: %w", path, err)
	}
	if !isSQLiteSpecial(c.State) {
		c.State = resolve(dir, c.State)
	}
	if c.Seeds != "" {
		c.Seeds = resolve(dir, c.Seeds)
	}
	return c, nil
}

// dir returns the directory relative paths in c are taken from.
func (c *Config) dir() string {
	if c.Path == "" {
		return "."
	}
	return filepath.Dir(c.Path)
}

func resolve(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// isSQLiteSpecial reports whether state names an in-memory database or a
// "file:" URI, which are passed to SQLite as written.
func isSQLiteSpecial(state string) bool {
	return state == ":memory:" || strings.HasPrefix(state, "file:")
}

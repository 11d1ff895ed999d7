package config

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// TestBadFiles parses every testdata/*.bad.yml. Each file starts with one
// or more "# want: LINE: FIELD: MESSAGE" comments; the error must contain
// "file:LINE: FIELD: MESSAGE" for each, and every line of the error must
// name the file and a line.
func TestBadFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/*.bad.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("found only %d bad files", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			wants := readWants(t, file)
			c, err := Load(file)
			if err == nil {
				t.Fatalf("Load succeeded (%+v), want an error", c)
			}
			msg := err.Error()
			for _, w := range wants {
				if !strings.Contains(msg, file+":"+w) {
					t.Errorf("error does not contain %q:\n%s", file+":"+w, msg)
				}
			}
			located := regexp.MustCompile(`^` + regexp.QuoteMeta(file) + `:[1-9][0-9]*: `)
			for line := range strings.Lines(msg) {
				if !located.MatchString(line) {
					t.Errorf("error line %q does not start with file:line", line)
				}
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.File != file || ce.Line == 0 {
				t.Errorf("errors.As(*Error) = %+v, want one naming the file and a line", ce)
			}
		})
	}
}

func readWants(t *testing.T, file string) []string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var wants []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w, ok := strings.CutPrefix(sc.Text(), "# want: ")
		if !ok {
			break
		}
		wants = append(wants, w)
	}
	if len(wants) == 0 {
		t.Fatalf("%s has no leading # want: comment", file)
	}
	return wants
}

func TestGoodFiles(t *testing.T) {
	abs, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	seedSim := 0.0
	tests := []struct {
		file string
		want func(*Config)
	}{
		{"minimal.good.yml", func(c *Config) {
			c.State = filepath.Join(abs, "aggregator.db")
			c.Feed.URL = "http://127.0.0.1:8080/feed.atom"
			c.Sources = []Source{{Name: "NK News", URL: "https://www.nknews.org/feed/", FullText: FullTextNever}}
		}},
		{"nulls.good.yml", func(c *Config) {
			c.State = filepath.Join(abs, "aggregator.db")
			c.Feed.URL = "https://example.org/feed.atom"
			c.Sources = []Source{{Name: "a", URL: "http://a.example/rss", FullText: FullTextNever}}
			c.Fetch.MaxBodySize = MiB
		}},
		{"full.good.yml", func(c *Config) {
			nk := []string{"North Korea", "Korea Utara", "북한"}
			*c = Config{
				State:    filepath.Join(abs, "data", "state.db"),
				Schedule: "*/20 * * * *",
				Listen:   ":9090",
				Log:      Log{Level: "debug"},
				Feed: Feed{
					Title:      "Test feed",
					Subtitle:   "Stories for the tests",
					URL:        "https://example.org/feed.atom",
					Author:     "Tester",
					MaxEntries: 50,
				},
				Sources: []Source{
					{Name: "NK News", URL: "https://www.nknews.org/feed/", FullText: FullTextAlways},
					{Name: "Antara (Dunia)", URL: "https://www.antaranews.com/rss/dunia.xml", FullText: FullTextAuto},
				},
				Topic: Topic{
					SeedSimilarity: &seedSim,
					Groups: []TopicGroup{
						{Name: "north korea", Terms: nk},
						{Name: "russia", Terms: []string{"Russia", "Rusia", "Россия"}},
						{Name: "again", Terms: nk},
					},
				},
				Seeds: filepath.Join(abs, "extra-seeds"),
				Dedupe: Dedupe{
					ShingleSize:   4,
					SignatureSize: 100,
					Bands:         20,
					Rows:          5,
					Resemblance:   0.6,
					Containment:   0.9,
					Window:        Duration(30 * 24 * time.Hour),
				},
				Fetch: Fetch{
					Timeout:     Duration(90 * time.Second),
					MaxBodySize: 512000,
					Concurrency: 4,
					PerHost:     1,
					UserAgent:   "test-agent/1.0",

					ArticlesPerCycle: 7,
				},
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			got, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			want := Default()
			tt.want(want)
			want.Path = path
			got.lines = nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Load(%s) =\n%+v\nwant\n%+v", path, got, want)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	c, err := Parse("min.yml", strings.NewReader("feed: {url: 'https://x.example/f'}\nsources: [{name: a, url: 'https://a.example/'}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"state", c.State, "aggregator.db"}, // Parse leaves paths as written
		{"schedule", c.Schedule, "@every 15m"},
		{"listen", c.Listen, "127.0.0.1:8080"},
		{"log.level", c.Log.Level, "info"},
		{"feed.title", c.Feed.Title, "North Korea–Russia news, curated"},
		{"feed.author", c.Feed.Author, "aggregator"},
		{"feed.max_entries", c.Feed.MaxEntries, 100},
		{"topic.seed_similarity set", c.Topic.SeedSimilarity != nil, false},
		{"topic.groups", len(c.Topic.Groups), 0},
		{"seeds", c.Seeds, ""},
		{"dedupe", c.Dedupe, Dedupe{ShingleSize: 3, SignatureSize: 128, Bands: 32, Rows: 4, Resemblance: 0.5, Containment: 0.6, Window: Duration(720 * time.Hour)}},
		{"fetch.timeout", time.Duration(c.Fetch.Timeout), 30 * time.Second},
		{"fetch.max_body_size", c.Fetch.MaxBodySize, ByteSize(10 << 20)},
		{"fetch.concurrency", c.Fetch.Concurrency, 8},
		{"fetch.per_host", c.Fetch.PerHost, 2},
		{"fetch.user_agent", c.Fetch.UserAgent, DefaultUserAgent},
		{"fetch.articles_per_cycle", c.Fetch.ArticlesPerCycle, 50},
		{"sources[0].full_text", c.Sources[0].FullText, FullTextNever},
		{"path", c.Path, "min.yml"},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadResolvesPaths(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "more-seeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		state     string
		wantState string
	}{
		{"aggregator.db", filepath.Join(dir, "aggregator.db")},
		{"var/lib/x.db", filepath.Join(dir, "var", "lib", "x.db")},
		{"/srv/aggregator/state.db", "/srv/aggregator/state.db"},
		{":memory:", ":memory:"},
		{"file:test.db?mode=memory", "file:test.db?mode=memory"},
	}
	for _, tt := range tests {
		t.Run(tt.state, func(t *testing.T) {
			path := filepath.Join(dir, "config.yaml")
			text := fmt.Sprintf("state: %q\nseeds: more-seeds\nfeed: {url: 'https://x.example/f'}\nsources: [{name: a, url: 'https://a.example/'}]\n", tt.state)
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			// Load from another working directory than the file's.
			t.Chdir(t.TempDir())
			c, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if c.State != tt.wantState {
				t.Errorf("state = %q, want %q", c.State, tt.wantState)
			}
			if want := filepath.Join(dir, "more-seeds"); c.Seeds != want {
				t.Errorf("seeds = %q, want %q", c.Seeds, want)
			}
		})
	}
}

func TestLoadRelativeConfigPath(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	text := "feed: {url: 'https://x.example/f'}\nsources: [{name: a, url: 'https://a.example/'}]\n"
	if err := os.WriteFile(filepath.Join(dir, "etc", "c.yml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	c, err := Load("etc/c.yml")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "etc", "aggregator.db"); c.State != want {
		t.Errorf("state = %q, want %q", c.State, want)
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load(path)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("Load(missing) = %v, want a not-exist error naming %s", err, path)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "e.yml:1: empty file"},
		{"only a document marker", "---\n", "e.yml:1: empty file"},
		{"null document", "~\n", "e.yml:1: empty file"},
		{"scalar", "hello\n", "e.yml:1: expected a mapping of configuration keys, got \"hello\""},
		{"unterminated flow", "feed: {url: x\n", "e.yml:1: invalid YAML: did not find expected ',' or '}'"},
		{"unterminated quote", "feed:\n  url: 'x\n", "e.yml:2: invalid YAML: found unexpected end of stream"},
		{"key not a name", "[a]: 1\n", "e.yml:1: expected a key name, got a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("e.yml", strings.NewReader(tt.text))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Parse(%q) = %v, want an error starting %q", tt.text, err, tt.want)
			}
		})
	}
}

// TestManyErrors checks that one run reports every problem, one per line,
// in the order of the file.
func TestManyErrors(t *testing.T) {
	text := `listen: nowhere
feed:
  url: ftp://example.org/feed
sources:
  - name: a
    url: https://a.example/
  - name: a
    url: https://b.example/
dedupe:
  containment: 0
`
	_, err := Parse("m.yml", strings.NewReader(text))
	if err == nil {
		t.Fatal("Parse succeeded")
	}
	want := []string{
		`m.yml:1: listen: "nowhere" is not host:port (e.g. 127.0.0.1:8080 or :8080)`,
		`m.yml:3: feed.url: "ftp://example.org/feed" is not an absolute http(s) URL`,
		`m.yml:7: sources[1].name: "a" is already the name of sources[0]`,
		`m.yml:10: dedupe.containment: 0 is not above 0 and at most 1`,
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestValidateWithoutFile(t *testing.T) {
	c := Default()
	err := c.Validate()
	if err == nil {
		t.Fatal("Default().Validate() succeeded, want errors for the missing feed URL and sources")
	}
	for _, want := range []string{"config: feed.url: required", "config: sources: at least one source is required"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}

	c.Feed.URL = "https://x.example/feed.atom"
	c.Sources = []Source{{Name: "a", URL: "https://a.example/"}}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate() = %v after filling in the required fields", err)
	}
}

// TestMarshalRoundTrip checks that a loaded configuration written back as
// YAML reads the same, so the CLI can print the effective configuration.
func TestMarshalRoundTrip(t *testing.T) {
	c, err := Load("testdata/full.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("testdata/roundtrip.yml", strings.NewReader(string(out)))
	if err != nil {
		t.Fatalf("Parse(Marshal(c)): %v\n%s", err, out)
	}
	c.Path, c.lines = "", nil
	again.Path, again.lines = "", nil
	if !reflect.DeepEqual(c, again) {
		t.Errorf("round trip changed the config:\n%s\n%+v\nwant\n%+v", out, again, c)
	}
}

func TestShippedConfig(t *testing.T) {
	c, err := Load("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) < 12 {
		t.Errorf("config.yaml has %d sources, want at least 12", len(c.Sources))
	}
	if c.Feed.URL != "http://127.0.0.1:8080/feed.atom" {
		t.Errorf("feed.url = %q", c.Feed.URL)
	}
	if filepath.Base(c.State) != "aggregator.db" || !filepath.IsAbs(c.State) {
		t.Errorf("state = %q, want an absolute path to aggregator.db", c.State)
	}
	if len(c.Topic.Groups) != 0 {
		t.Errorf("config.yaml sets %d topic groups; the built-in ones should be left to the code", len(c.Topic.Groups))
	}
	// Sources in at least three languages: Latin, Cyrillic and Hangul
	// script in names or URLs, or the language parameter of Google News.
	langs := map[string]bool{}
	for _, s := range c.Sources {
		for _, l := range []string{"en", "id", "ru", "ko"} {
			if strings.Contains(s.URL, "hl="+l) || strings.Contains(strings.ToLower(s.Name), "("+l+")") {
				langs[l] = true
			}
		}
	}
	for _, l := range []string{"en", "id"} {
		if !langs[l] {
			t.Errorf("no source marked as language %q", l)
		}
	}
	if !langs["ru"] && !langs["ko"] {
		t.Error("no source marked as Russian or Korean")
	}
}

package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"aggregator/internal/config"
)

const sourcesConfig = `state: state.db
feed: {url: "http://127.0.0.1:8080/feed.atom", title: "Test feed"}
sources:
  - {name: Wire A, url: "https://a.example/feed"}
  - {name: "Yonhap 연합 & co", url: "https://b.example/rss?x=1&y=2", full_text: auto}
  - {name: Site C, url: "http://c.example/atom.xml", full_text: always}
`

// TestSourcesRoundTrip exports the configured sources as OPML (standard
// output and --out) and imports the file into an empty config: the YAML
// printed is the same sources, which a config accepts; imported into the
// config they came from, nothing is new and each is said to be configured.
func TestSourcesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	cfgPath := writeConfig(t, dir, sourcesConfig)
	code, stdout, stderr := runCLI(t, "sources", "export", "--config", cfgPath)
	if code != 0 || !strings.Contains(stdout, `<opml version="2.0"`) || !strings.Contains(stdout, `xmlUrl="https://b.example/rss?x=1&amp;y=2"`) {
		t.Fatalf("export: %d\n%s\n%s", code, stdout, stderr)
	}
	out := filepath.Join(dir, "sources.opml")
	if code, _, stderr := runCLI(t, "sources", "export", "--config", cfgPath, "--out", out); code != 0 || !strings.Contains(stderr, "3 sources written") {
		t.Fatalf("export --out: %d %s", code, stderr)
	}
	if data, err := os.ReadFile(out); err != nil || string(data[:200]) != stdout[:200] {
		t.Fatalf("--out wrote %q, %v", data, err)
	}

	// Into a config with another source.
	other := writeConfig(t, t.TempDir(), `state: state.db
feed: {url: "http://127.0.0.1:8080/feed.atom"}
sources:
  - {name: Other, url: "https://other.example/feed"}
`)
	code, yml, stderr := runCLI(t, "sources", "import", "--config", other, out)
	if code != 0 || !strings.Contains(stderr, "3 sources to add, 0 skipped") {
		t.Fatalf("import: %d\n%s\n%s", code, yml, stderr)
	}
	if !strings.HasPrefix(yml, "sources:\n  - name: Wire A\n    url: https://a.example/feed\n") {
		t.Errorf("import prints\n%s\nnot in the shape of config.yaml's sources", yml)
	}
	orig, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	// The YAML printed, as the sources of a config: the same sources.
	merged := strings.Replace(sourcesConfig, sourcesConfig[strings.Index(sourcesConfig, "sources:"):], yml, 1)
	got, err := config.Parse("merged.yaml", strings.NewReader(merged))
	if err != nil {
		t.Fatalf("the imported sources do not make a valid config: %v\n%s", err, merged)
	}
	if !reflect.DeepEqual(got.Sources, orig.Sources) {
		t.Errorf("round trip: %+v\nwant %+v", got.Sources, orig.Sources)
	}

	// Into the config they came from: nothing to add.
	code, yml, stderr = runCLI(t, "sources", "import", "--config", cfgPath, out)
	if code != 0 || yml != "" || strings.Count(stderr, "already configured as source") != 3 || !strings.Contains(stderr, "0 sources to add, 3 skipped") {
		t.Errorf("import into its own config: %d %q\n%s", code, yml, stderr)
	}
}

// TestSourcesImportRealFiles imports the three real OPML files into the
// shipped config.yaml: the YAML printed, appended to the config's sources,
// makes a valid config, and stderr says what was skipped and flattened.
func TestSourcesImportRealFiles(t *testing.T) {
	shared := os.Getenv("AGGREGATOR_SHARED")
	if shared == "" {
		t.Skip("AGGREGATOR_SHARED is not set; set it to the shared dir to import testdata/opml")
	}
	base, err := os.ReadFile(filepath.Join("..", "..", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := writeConfig(t, t.TempDir(), string(base))
	shipped, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]struct {
		add     int
		stderrs []string
	}{
		"feedjira2009__google-reader-subscriptions.opml": {287, []string{"13 skipped", `"ruby": a category of 156 outline(s): flattened`, "a duplicate of the outline on line 95"}},
		"rsparser__Subs.opml":                            {206, []string{"1 skipped", `renamed "Daring Fireball (daringfireball.net)"`}},
		"rsparser__SubsNoTitleAttributes.opml":           {206, []string{"1 skipped", "a duplicate of the outline on line 44"}},
	} {
		code, yml, stderr := runCLI(t, "sources", "import", "--config", cfgPath, filepath.Join(shared, "testdata", "opml", file))
		if code != 0 {
			t.Fatalf("%s: %d\n%s", file, code, stderr)
		}
		for _, s := range want.stderrs {
			if !strings.Contains(stderr, s) {
				t.Errorf("%s: stderr lacks %q:\n%s", file, s, stderr)
			}
		}
		items := strings.TrimPrefix(yml, "sources:\n")
		merged := strings.Replace(string(base), "\nsources:\n", "\nsources:\n"+items, 1)
		cfg, err := config.Parse(file+".yaml", strings.NewReader(merged))
		if err != nil {
			t.Fatalf("%s: the config with the imported sources is not valid: %v", file, err)
		}
		if n := len(cfg.Sources) - len(shipped.Sources); n != want.add {
			t.Errorf("%s: %d sources added, want %d", file, n, want.add)
		}
	}
}

func TestSourcesImportErrors(t *testing.T) {
	dir := t.TempDir()
	cfgPath := writeConfig(t, dir, sourcesConfig)
	bad := filepath.Join(dir, "bad.opml")
	if err := os.WriteFile(bad, []byte("<opml version=\"2.0\"><body>\n<outline text=\"a\" xmlUrl=\"https://x.example/\"/>\n<outline text=\"b"), 0o644); err != nil {
		t.Fatal(err)
	}
	notOPML := filepath.Join(dir, "feed.xml")
	if err := os.WriteFile(notOPML, []byte(`<rss version="2.0"><channel/></rss>`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sources", "import", "--config", cfgPath, bad}, exitFailure, "bad.opml: opml: XML syntax error on line 3"},
		{[]string{"sources", "import", "--config", cfgPath, notOPML}, exitFailure, "feed.xml: opml: not an OPML document (the root element is <rss>)"},
		{[]string{"sources", "import", "--config", cfgPath, filepath.Join(dir, "missing.opml")}, exitFailure, "missing.opml"},
		{[]string{"sources", "import", "--config", cfgPath}, exitUsage, "give exactly one OPML file"},
		{[]string{"sources", "import", "--config", filepath.Join(dir, "nope.yaml"), bad}, exitUsage, "nope.yaml"},
		{[]string{"sources", "frobnicate"}, exitUsage, `unknown subcommand "frobnicate"`},
		{[]string{"sources"}, exitUsage, "sources export"},
	} {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != c.code || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: %d %q %q; want %d and %q", c.args[1:], code, stdout, stderr, c.code, c.want)
		}
	}
}

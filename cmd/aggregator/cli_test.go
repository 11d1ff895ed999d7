package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHelpForEveryCommand(t *testing.T) {
	for _, cmd := range []string{"fetch", "explain", "article", "check"} {
		code, _, stderr := runCLI(t, cmd, "--help")
		if code != exitOK || !strings.Contains(stderr, "Usage: aggregator "+cmd) || !strings.Contains(stderr, "-config") {
			t.Errorf("%s --help: exit %d\n%s", cmd, code, stderr)
		}
	}
	if code, stdout, _ := runCLI(t, "--help"); code != exitOK || !strings.Contains(stdout, "explain") {
		t.Errorf("--help: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "frobnicate"); code != exitUsage || !strings.Contains(stderr, "unknown command") {
		t.Errorf("unknown command: exit %d\n%s", code, stderr)
	}
	if code, stdout, _ := runCLI(t, "version"); code != exitOK || !strings.HasPrefix(stdout, "aggregator ") {
		t.Errorf("version: exit %d %q", code, stdout)
	}
}

func TestCheckShippedConfig(t *testing.T) {
	code, stdout, stderr := runCLI(t, "check", "--config", "../../config.yaml")
	if code != exitOK || !strings.Contains(stdout, "ok") {
		t.Fatalf("check config.yaml: exit %d\n%s%s", code, stdout, stderr)
	}
}

// The same stories come out as RSS 2.0 and JSON Feed.
func TestFetchFormats(t *testing.T) {
	_, srv, urls := fixture(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, `state: state.db
feed: {url: "https://feeds.example.org/feed.atom"}
sources:
  - {name: Wire A, url: "`+srv.URL+`/a.rss"}
  - {name: Outlet B, url: "`+srv.URL+`/b.atom"}
  - {name: Digest C, url: "`+srv.URL+`/c.json"}
fetch: {concurrency: 1}
`)
	rssPath, jsonPath := filepath.Join(dir, "feed.rss"), filepath.Join(dir, "feed.json")
	if code, out, errb := runCLI(t, "fetch", "--config", cfg, "--format", "rss", "--out", rssPath); code != 0 {
		t.Fatalf("rss: exit %d\n%s%s", code, out, errb)
	}
	if code, out, errb := runCLI(t, "fetch", "--config", cfg, "--format", "json", "--out", jsonPath); code != 0 {
		t.Fatalf("json: exit %d\n%s%s", code, out, errb)
	}

	data, err := os.ReadFile(rssPath)
	if err != nil {
		t.Fatal(err)
	}
	var rss struct {
		Items []struct {
			Links []string `xml:"link"` // also matches atom:link rel=related, which has no text
			GUID  string   `xml:"guid"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(data, &rss); err != nil {
		t.Fatalf("rss output: %v", err)
	}
	data, err = os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var jf struct {
		Version string `json:"version"`
		Items   []struct {
			ID  string `json:"id"`
			URL string `json:"url"`
		} `json:"items"`
	}
	if err := json.Unmarshal(data, &jf); err != nil {
		t.Fatalf("json output: %v", err)
	}
	if !strings.HasPrefix(jf.Version, "https://jsonfeed.org/version/") {
		t.Errorf("json feed version %q", jf.Version)
	}
	want := map[string]bool{urls["x"]: true, urls["z"]: true, urls["y1"]: true, urls["y2"]: true}
	if len(rss.Items) != len(want) || len(jf.Items) != len(want) {
		t.Fatalf("rss has %d items, json %d; want %d", len(rss.Items), len(jf.Items), len(want))
	}
	for i := range rss.Items {
		link := ""
		for _, l := range rss.Items[i].Links {
			if l != "" && link == "" {
				link = l
			}
		}
		if !want[link] || !want[jf.Items[i].URL] {
			t.Errorf("item %d: rss %s, json %s", i, link, jf.Items[i].URL)
		}
		if rss.Items[i].GUID == "" || rss.Items[i].GUID != jf.Items[i].ID {
			t.Errorf("item %d ids differ: rss %q json %q", i, rss.Items[i].GUID, jf.Items[i].ID)
		}
	}
	if code, _, _ := runCLI(t, "fetch", "--config", cfg, "--format", "pdf"); code != exitUsage {
		t.Errorf("--format pdf: exit %d, want %d", code, exitUsage)
	}
	if code, _, stderr := runCLI(t, "fetch", "--config", cfg, "--group", "outlet"); code != exitUsage || !strings.Contains(stderr, `--group "outlet": want story or event`) {
		t.Errorf("--group outlet: exit %d, want %d and the flag named: %s", code, exitUsage, stderr)
	}
}

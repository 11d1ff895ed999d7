package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"

	"aggregator/internal/config"
	"aggregator/internal/opml"
)

// runSources dispatches "aggregator sources export|import".
func runSources(args []string, stdout, stderr io.Writer) int {
	const synopsis = "aggregator sources export [--config FILE] [--out FILE]\n       aggregator sources import [--config FILE] OPML_FILE\n"
	if len(args) == 0 {
		fmt.Fprint(stderr, "Usage: "+synopsis)
		return exitUsage
	}
	switch args[0] {
	case "export":
		return runSourcesExport(args[1:], stdout, stderr)
	case "import":
		return runSourcesImport(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, "Usage: "+synopsis)
		return exitOK
	}
	fmt.Fprintf(stderr, "aggregator sources: unknown subcommand %q\n\nUsage: %s", args[0], synopsis)
	return exitUsage
}

// runSourcesExport prints the configured sources as OPML 2.0, or writes
// them to --out.
func runSourcesExport(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("sources export", "sources export [--config FILE] [--out FILE]", stderr)
	cfgPath := fs.String("config", "config.yaml", "config `file` whose sources are exported")
	out := fs.String("out", "", "write the OPML to `file` instead of standard output")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "aggregator sources export: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	var buf bytes.Buffer
	if err := opml.Write(&buf, sourcesDocument(cfg, time.Now())); err != nil {
		fmt.Fprintln(stderr, "aggregator sources export:", err)
		return exitFailure
	}
	if *out == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			fmt.Fprintln(stderr, "aggregator sources export:", err)
			return exitFailure
		}
		return exitOK
	}
	if err := writeFileAtomic(*out, buf.Bytes()); err != nil {
		fmt.Fprintln(stderr, "aggregator sources export:", err)
		return exitFailure
	}
	fmt.Fprintf(stderr, "aggregator sources export: %d sources written to %s\n", len(cfg.Sources), *out)
	return exitOK
}

// sourcesDocument is the OPML document of a config's sources.
func sourcesDocument(cfg *config.Config, now time.Time) opml.Document {
	d := opml.Document{Title: cfg.Feed.Title + ": sources", Created: now}
	for _, s := range cfg.Sources {
		d.Feeds = append(d.Feeds, opml.Feed{Title: s.Name, XMLURL: s.URL, FullText: s.FullText})
	}
	return d
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory, so that a failed write leaves the old file as it was.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// runSourcesImport prints, as the sources: YAML of a config, the feeds of
// an OPML file that the config does not have yet; what it skipped or
// changed, and why, goes to stderr.
func runSourcesImport(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("sources import", "sources import [--config FILE] OPML_FILE", stderr)
	cfgPath := fs.String("config", "config.yaml", "config `file` whose sources are not imported again")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "aggregator sources import: give exactly one OPML file")
		return exitUsage
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(stderr, "aggregator sources import:", err)
		return exitFailure
	}
	list, err := opml.Read(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(stderr, "aggregator sources import: %s: %v\n", path, err)
		return exitFailure
	}
	var configured []opml.Feed
	for _, s := range cfg.Sources {
		configured = append(configured, opml.Feed{Title: s.Name, XMLURL: s.URL})
	}
	im := opml.Plan(list, configured)
	for _, n := range im.Skipped {
		fmt.Fprintf(stderr, "%s: skipped: %s\n", path, n)
	}
	for _, n := range im.Changed {
		fmt.Fprintf(stderr, "%s: changed: %s\n", path, n)
	}
	fmt.Fprintf(stderr, "%s: %d outlines: %d sources to add, %d skipped\n", path, len(list.Outlines), len(im.Feeds), len(im.Skipped))
	if len(im.Feeds) == 0 {
		return exitOK
	}
	out, err := sourcesYAML(im.Feeds)
	if err != nil {
		fmt.Fprintln(stderr, "aggregator sources import:", err)
		return exitFailure
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintln(stderr, "aggregator sources import:", err)
		return exitFailure
	}
	return exitOK
}

// sourcesYAML is feeds as the sources: list of a config file.
func sourcesYAML(feeds []opml.Feed) ([]byte, error) {
	var doc struct {
		Sources []config.Source `yaml:"sources"`
	}
	for _, f := range feeds {
		doc.Sources = append(doc.Sources, config.Source{Name: f.Title, URL: f.XMLURL, FullText: f.FullText})
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

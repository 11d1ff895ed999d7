package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Parse reads a configuration from r, applies the defaults to the keys it
// leaves out, and validates it. Name is the file the text came from: it
// becomes c.Path and prefixes every error, and a relative seeds directory
// is looked for next to it. Relative paths are left as written.
//
// A returned error lists every problem found, one per line.
func Parse(name string, r io.Reader) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", name, err)
	}
	root, err := parseYAML(name, data)
	if err != nil {
		return nil, err
	}

	c := Default()
	c.Path = name
	if c.lines, err = decode(name, root, c); err != nil {
		return nil, err
	}
	c.defaultSources()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// parseYAML parses data as exactly one YAML document holding a mapping and
// returns that mapping.
func parseYAML(name string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: name, Line: 1, Msg: "empty file: expected configuration keys such as feed and sources"}
		}
		return nil, syntaxError(name, data, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, &Error{File: name, Line: next.Line, Msg: "a second YAML document; the file must hold exactly one"}
	case !errors.Is(err, io.EOF):
		return nil, syntaxError(name, data, err)
	}

	root := deref(doc.Content[0])
	if isNull(root) {
		return nil, &Error{File: name, Line: 1, Msg: "empty file: expected configuration keys such as feed and sources"}
	}
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: root.Line, Msg: "expected a mapping of configuration keys, got " + describe(root)}
	}
	return root, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns an error from the YAML parser into an *Error with the
// line number as a separate field.
func syntaxError(name string, data []byte, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "tab character") || strings.Contains(msg, "cannot start any token") {
		// The parser points at the enclosing block, or nowhere; the
		// first line indented with a tab is nearly always the culprit.
		if line := firstTabIndent(data); line > 0 {
			return &Error{File: name, Line: line, Msg: "invalid YAML: indented with a tab; YAML indentation must be spaces"}
		}
	}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: name, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return &Error{File: name, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// firstTabIndent returns the number of the first line whose indentation
// holds a tab, or 0.
func firstTabIndent(data []byte) int {
	n := 0
	for line := range bytes.Lines(data) {
		n++
		indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
		if bytes.IndexByte(indent, '\t') >= 0 {
			return n
		}
	}
	return 0
}

// yamlFields maps the yaml key names of struct type t to field indexes.
func yamlFields(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		m[name] = i
	}
	return m
}

// suggest returns ` (did you mean "x"?)` when a known key is a likely
// spelling of key, or "".
func suggest(key string, fields map[string]int) string {
	best, bestDist := "", 3
	for name := range fields {
		if dist := editDistance(strings.ToLower(key), name); dist < bestDist || dist == bestDist && name < best {
			best, bestDist = name, dist
		}
	}
	if best == "" || bestDist > 2 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == 0 || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// describe names what n is, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return strconv.Quote(n.Value)
	}
	return "nothing"
}

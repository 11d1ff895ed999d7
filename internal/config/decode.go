package config

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"

	"go.yaml.in/yaml/v3"
)

// decode copies the YAML mapping root into the struct v points to, as
// the decoder does, and returns the line of every field it set.
func decode(file string, root *yaml.Node, v any) (map[string]int, error) {
	d := &decoder{file: file, lines: map[string]int{"": root.Line}}
	d.value("", root, reflect.ValueOf(v).Elem())
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return d.lines, nil
}

// decoder copies a YAML node tree into a Go value, strictly: unknown and
// duplicate keys and values of the wrong type are errors. It records the
// line of every field it sees. It decodes booleans, integers and floats
// of every size, strings, durations (Duration and time.Duration), sizes,
// lists, mappings into maps with string keys and into structs (fields
// named by their yaml tags), and pointers to any of these; a Go type it
// does not know is an error naming the field, never a panic.
type decoder struct {
	file  string
	lines map[string]int
	errs  []error
}

func (d *decoder) fail(line int, field, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

var (
	durationType     = reflect.TypeFor[Duration]()
	timeDurationType = reflect.TypeFor[time.Duration]()
	byteSizeType     = reflect.TypeFor[ByteSize]()
)

// value decodes n into v. A null leaves v as it was, so defaults stay.
func (d *decoder) value(field string, n *yaml.Node, v reflect.Value) {
	n = deref(n)
	if isNull(n) {
		return
	}
	switch v.Type() {
	case durationType, timeDurationType:
		d.duration(field, n, v)
		return
	case byteSizeType:
		d.byteSize(field, n, v)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		d.pointer(field, n, v)
	case reflect.Bool:
		d.boolean(field, n, v)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		d.integer(field, n, v)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		d.unsigned(field, n, v)
	case reflect.Float32, reflect.Float64:
		d.float(field, n, v)
	case reflect.String:
		if s, ok := d.scalar(field, n, "a string"); ok {
			v.SetString(s)
		}
	case reflect.Slice:
		d.list(field, n, v)
	case reflect.Map:
		d.dictionary(field, n, v)
	case reflect.Struct:
		d.mapping(field, n, v)
	default:
		d.unsupported(n.Line, field, v.Type())
	}
}

// unsupported records that the config has a field of a Go type the
// decoder does not know: a bug in this package, reported like a bad value.
func (d *decoder) unsupported(line int, field string, t reflect.Type) {
	d.fail(line, field, "cannot read a value into a field of Go type %s (not supported by the config decoder)", t)
}

func (d *decoder) duration(field string, n *yaml.Node, v reflect.Value) {
	s, ok := d.scalar(field, n, "a duration")
	if !ok {
		return
	}
	dur, err := ParseDuration(s)
	if err != nil {
		d.fail(n.Line, field, "%q is not a duration (write e.g. 30s, 15m, 720h or 30d)", s)
		return
	}
	v.SetInt(int64(dur))
}

func (d *decoder) byteSize(field string, n *yaml.Node, v reflect.Value) {
	s, ok := d.scalar(field, n, "a size")
	if !ok {
		return
	}
	size, err := ParseByteSize(s)
	if err != nil {
		d.fail(n.Line, field, "%q is not a size (write e.g. 10MiB, 512KB or a number of bytes)", s)
		return
	}
	v.SetInt(int64(size))
}

// pointer decodes n into a new value for the pointer v, a copy of the one
// v points to, if any; v is set only when that decodes without an error.
func (d *decoder) pointer(field string, n *yaml.Node, v reflect.Value) {
	p := reflect.New(v.Type().Elem())
	if !v.IsNil() {
		p.Elem().Set(v.Elem())
	}
	before := len(d.errs)
	d.value(field, n, p.Elem())
	if len(d.errs) == before {
		v.Set(p)
	}
}

// boolean takes true or false, unquoted; YAML 1.1's yes, no, on and off
// are strings in YAML 1.2, and so not booleans.
func (d *decoder) boolean(field string, n *yaml.Node, v reflect.Value) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
		d.fail(n.Line, field, "%s is not true or false", describe(n))
		return
	}
	v.SetBool(b)
}

func (d *decoder) integer(field string, n *yaml.Node, v reflect.Value) {
	var i int64
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&i) != nil {
		if isUnsignedInt(n) {
			d.fail(n.Line, field, "%s is not an integer from %d to %d", describe(n), minInt(v.Type()), maxInt(v.Type()))
			return
		}
		d.fail(n.Line, field, "%s is not an integer", describe(n))
		return
	}
	if v.OverflowInt(i) {
		d.fail(n.Line, field, "%s is not an integer from %d to %d", describe(n), minInt(v.Type()), maxInt(v.Type()))
		return
	}
	v.SetInt(i)
}

func (d *decoder) unsigned(field string, n *yaml.Node, v reflect.Value) {
	var u uint64
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		d.fail(n.Line, field, "%s is not an integer", describe(n))
		return
	}
	if n.Decode(&u) != nil || v.OverflowUint(u) {
		d.fail(n.Line, field, "%s is not an integer from 0 to %d", describe(n), maxUint(v.Type()))
		return
	}
	v.SetUint(u)
}

func (d *decoder) float(field string, n *yaml.Node, v reflect.Value) {
	var f float64
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || n.Decode(&f) != nil {
		d.fail(n.Line, field, "%s is not a number", describe(n))
		return
	}
	if v.OverflowFloat(f) {
		d.fail(n.Line, field, "%s is not a number from %.2g to %.2g", describe(n), -math.MaxFloat32, math.MaxFloat32)
		return
	}
	v.SetFloat(f)
}

// isUnsignedInt reports whether n is an integer too large for an int64.
func isUnsignedInt(n *yaml.Node) bool {
	var u uint64
	return n.Kind == yaml.ScalarNode && n.Tag == "!!int" && n.Decode(&u) == nil
}

func minInt(t reflect.Type) int64   { return -1 << (t.Bits() - 1) }
func maxInt(t reflect.Type) int64   { return 1<<(t.Bits()-1) - 1 }
func maxUint(t reflect.Type) uint64 { return math.MaxUint64 >> (64 - t.Bits()) }

// list decodes a YAML sequence into the slice v, replacing what it held.
func (d *decoder) list(field string, n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n.Line, field, "expected a list, got %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		f := fmt.Sprintf("%s[%d]", field, i)
		d.lines[f] = item.Line
		d.value(f, item, s.Index(i))
	}
	v.Set(s)
}

// dictionary decodes a YAML mapping into the map v, whose keys are
// strings, replacing what it held. A value's field is "field.key".
func (d *decoder) dictionary(field string, n *yaml.Node, v reflect.Value) {
	if v.Type().Key().Kind() != reflect.String {
		d.unsupported(n.Line, field, v.Type())
		return
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n.Line, field, "expected a mapping, got %s", describe(n))
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := deref(n.Content[i]), n.Content[i+1]
		if !d.key(field, k) {
			continue
		}
		child := join(field, k.Value)
		if first, dup := seen[k.Value]; dup {
			d.fail(k.Line, child, "set twice (first on line %d)", first)
			continue
		}
		seen[k.Value] = k.Line
		d.lines[child] = k.Line
		elem := reflect.New(v.Type().Elem()).Elem()
		d.value(child, val, elem)
		m.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), elem)
	}
	v.Set(m)
}

// mapping decodes a YAML mapping into the struct v, whose fields are named
// by their yaml tags.
func (d *decoder) mapping(field string, n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.fail(n.Line, field, "expected a mapping, got %s", describe(n))
		return
	}
	fields := yamlFields(v.Type())
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := deref(n.Content[i]), n.Content[i+1]
		if !d.key(field, k) {
			continue
		}
		idx, known := fields[k.Value]
		if !known {
			d.fail(k.Line, field, "unknown field %q%s", k.Value, suggest(k.Value, fields))
			continue
		}
		child := join(field, k.Value)
		if first, dup := seen[k.Value]; dup {
			d.fail(k.Line, child, "set twice (first on line %d)", first)
			continue
		}
		seen[k.Value] = k.Line
		d.lines[child] = k.Line
		d.value(child, val, v.Field(idx))
	}
}

// key reports whether k can be a key of a mapping in field: a name, not a
// list, a mapping or the merge key (<<).
func (d *decoder) key(field string, k *yaml.Node) bool {
	if k.Kind != yaml.ScalarNode {
		d.fail(k.Line, field, "expected a key name, got %s", describe(k))
		return false
	}
	if k.Tag == "!!merge" {
		d.fail(k.Line, field, "merge keys (<<) are not supported")
		return false
	}
	return true
}

// scalar returns the text of the scalar n, or records an error saying
// that what was wanted is missing.
func (d *decoder) scalar(field string, n *yaml.Node, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n.Line, field, "expected %s, got %s", want, describe(n))
		return "", false
	}
	return n.Value, true
}

package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// kinds has a field of every kind the decoder reads. Config has no
// boolean, map, unsigned or sized integer yet; the first such field must
// not be the one that finds the decoder cannot read it.
type kinds struct {
	Flag      bool              `yaml:"flag"`
	Int       int               `yaml:"int"`
	Int8      int8              `yaml:"int8"`
	Int16     int16             `yaml:"int16"`
	Int32     int32             `yaml:"int32"`
	Int64     int64             `yaml:"int64"`
	Uint      uint              `yaml:"uint"`
	Uint8     uint8             `yaml:"uint8"`
	Uint16    uint16            `yaml:"uint16"`
	Uint32    uint32            `yaml:"uint32"`
	Uint64    uint64            `yaml:"uint64"`
	Float32   float32           `yaml:"float32"`
	Float64   float64           `yaml:"float64"`
	Text      string            `yaml:"text"`
	Wait      Duration          `yaml:"wait"`
	Timeout   time.Duration     `yaml:"timeout"`
	Size      ByteSize          `yaml:"size"`
	Names     []string          `yaml:"names"`
	Items     []kindsItem       `yaml:"items"`
	Labels    map[string]string `yaml:"labels"`
	Limits    map[string]int    `yaml:"limits"`
	Child     kindsItem         `yaml:"child"`
	MaybeFlag *bool             `yaml:"maybe_flag"`
	MaybeWait *Duration         `yaml:"maybe_wait"`
	MaybeItem *kindsItem        `yaml:"maybe_item"`
}

type kindsItem struct {
	Name    string  `yaml:"name"`
	Enabled bool    `yaml:"enabled"`
	Weight  float64 `yaml:"weight"`
}

// decodeFile decodes the YAML file at path into v as Parse decodes a
// config, without the defaults and the validation.
func decodeFile(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	root, err := parseYAML(path, data)
	if err != nil {
		return err
	}
	_, err = decode(path, root, v)
	return err
}

func TestDecodeEveryKind(t *testing.T) {
	yes, no := true, false
	quarter := Duration(15 * time.Minute)
	start := func() kinds {
		return kinds{Flag: true, Int: 5, Uint8: 9, Wait: Duration(time.Hour), Names: []string{"default"},
			Labels: map[string]string{"default": "x"}, Child: kindsItem{Name: "default"}, MaybeFlag: &yes}
	}
	tests := []struct {
		file string
		want func() kinds
	}{
		{"all.good.yml", func() kinds {
			return kinds{
				Flag: true, Int: -42, Int8: -128, Int16: 32767, Int32: -2147483648, Int64: 9223372036854775807,
				Uint: 7, Uint8: 255, Uint16: 65535, Uint32: 4294967295, Uint64: 18446744073709551615,
				Float32: 0.25, Float64: 12, Text: "100",
				Wait: Duration(36 * time.Hour), Timeout: 90 * time.Second, Size: 10 * MiB,
				Names:     []string{"a", "b"},
				Items:     []kindsItem{{Name: "first", Weight: 0.5}, {Name: "second", Enabled: true}},
				Labels:    map[string]string{"lang": "ko", "region": "east asia"},
				Limits:    map[string]int{"ru": 3, "id": 0},
				Child:     kindsItem{Name: "inner", Enabled: true},
				MaybeFlag: &no, MaybeWait: &quarter, MaybeItem: &kindsItem{Name: "pointed"},
			}
		}},
		{"nulls.good.yml", func() kinds {
			k := start()
			k.Names, k.Labels = []string{}, map[string]string{}
			return k
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := start()
			if err := decodeFile(filepath.Join("testdata", "kinds", tt.file), &got); err != nil {
				t.Fatal(err)
			}
			if want := tt.want(); !reflect.DeepEqual(got, want) {
				t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

// TestDecodeBadKinds decodes every testdata/kinds/*.bad.yml into kinds:
// the "# want:" comments at the top of each file are checked as in
// TestBadFiles.
func TestDecodeBadKinds(t *testing.T) {
	files, err := filepath.Glob("testdata/kinds/*.bad.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 7 {
		t.Fatalf("found only %d bad files", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			wants := readWants(t, file)
			var k kinds
			err := decodeFile(file, &k)
			if err == nil {
				t.Fatalf("decoded (%+v), want an error", k)
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
			if n := strings.Count(msg, "\n") + 1; n != len(wants) {
				t.Errorf("%d errors, want %d:\n%s", n, len(wants), msg)
			}
		})
	}
}

// TestDecodeUnsupportedType checks that a field of a Go type the decoder
// does not read is an error naming the place and the field, not a panic.
func TestDecodeUnsupportedType(t *testing.T) {
	tests := []struct {
		name string
		v    any
		text string
		want string
	}{
		{"interface", &struct {
			X any `yaml:"x"`
		}{}, "x: 1\n", "u.yml:1: x: cannot read a value into a field of Go type interface {}"},
		{"channel", &struct {
			X chan int `yaml:"x"`
		}{}, "x: 1\n", "u.yml:1: x: cannot read a value into a field of Go type chan int"},
		{"function", &struct {
			X func() `yaml:"x"`
		}{}, "x: 1\n", "u.yml:1: x: cannot read a value into a field of Go type func()"},
		{"complex", &struct {
			X complex128 `yaml:"x"`
		}{}, "x: 1\n", "u.yml:1: x: cannot read a value into a field of Go type complex128"},
		{"array", &struct {
			X [2]int `yaml:"x"`
		}{}, "x: [1, 2]\n", "u.yml:1: x: cannot read a value into a field of Go type [2]int"},
		{"map with integer keys", &struct {
			X map[int]string `yaml:"x"`
		}{}, "x: {1: a}\n", "u.yml:1: x: cannot read a value into a field of Go type map[int]string"},
		{"in a list, through a pointer", &struct {
			X []*chan int `yaml:"x"`
		}{}, "\nx: [1]\n", "u.yml:2: x[0]: cannot read a value into a field of Go type chan int"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("decode panicked: %v", r)
				}
			}()
			root, err := parseYAML("u.yml", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			_, err = decode("u.yml", root, tt.v)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("decode = %v, want an error starting %q", err, tt.want)
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Line == 0 || ce.Field == "" {
				t.Errorf("errors.As(*Error) = %+v, want one with a line and a field", ce)
			}
		})
	}
}

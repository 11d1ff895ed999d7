// Package seeds holds the seed articles: stories the reader of the curated
// feed is known to have already, shipped inside the binary.
//
// Seeds play two roles. They are known coverage: an incoming item that is a
// near-copy of a seed is a duplicate, recorded but never published. And they
// define the topic: together with the keyword rules in the configuration,
// their text says what counts as on topic. More seeds can be loaded from a
// directory with LoadDir.
//
// A seed file is plain UTF-8 text. Its title is its first line of at least
// three words, which skips the navigation debris ("Notification", "Iklan")
// that copies of web pages often start with.
package seeds

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed *.txt
var embedded embed.FS

// ErrEmpty is returned (wrapped) for a seed file with no text in it.
var ErrEmpty = errors.New("empty")

// ErrInvalidUTF8 is returned (wrapped) for a seed file that is not UTF-8 text.
var ErrInvalidUTF8 = errors.New("not valid UTF-8")

// minTitleWords is how many words a line needs to be taken as the title.
const minTitleWords = 3

// Article is one seed article.
type Article struct {
	Name  string // file name, e.g. "000_c4fe606cd232d100.txt"
	Title string // first line with at least three words
	Text  string // the whole file, title line included, with "\r\n" turned into "\n"
}

var embeddedArticles = sync.OnceValue(func() []Article {
	entries, _ := fs.ReadDir(embedded, ".") // cannot fail on an embed.FS root
	var out []Article
	for _, e := range entries {
		data, err := embedded.ReadFile(e.Name())
		if err != nil {
			continue
		}
		a, err := Parse(e.Name(), data)
		if err != nil {
			// The shipped seeds are checked by the package tests; a broken
			// one is left out rather than taking the program down.
			continue
		}
		out = append(out, a)
	}
	sortByName(out)
	return out
})

// Embedded returns the seed articles compiled into the binary, sorted by
// name. The caller may modify the returned slice.
func Embedded() []Article {
	return append([]Article(nil), embeddedArticles()...)
}

// LoadDir reads every *.txt file in dir and returns the articles sorted by
// name. Subdirectories and other files are ignored. An error names the file
// that caused it.
func LoadDir(dir string) ([]Article, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("seeds: read dir %s: %w", dir, err)
	}
	out := []Article{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("seeds: read %s: %w", path, withoutPath(err))
		}
		a, err := parse(e.Name(), path, data)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	sortByName(out)
	return out, nil
}

// Parse makes an Article from the content of the seed file called name.
// It fails when data is not UTF-8 or holds nothing but white space.
func Parse(name string, data []byte) (Article, error) {
	return parse(name, name, data)
}

// parse is Parse with the path to name in errors.
func parse(name, path string, data []byte) (Article, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return Article{}, fmt.Errorf("seeds: %s: %w", path, ErrInvalidUTF8)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if strings.TrimSpace(text) == "" {
		return Article{}, fmt.Errorf("seeds: %s: %w", path, ErrEmpty)
	}
	return Article{Name: name, Title: title(text), Text: text}, nil
}

// title returns the first line of text with at least minTitleWords words,
// or the first non-blank line when no line is that long.
func title(text string) string {
	first := ""
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if first == "" {
			first = line
		}
		if len(strings.Fields(line)) >= minTitleWords {
			return line
		}
	}
	return first
}

// withoutPath strips the *fs.PathError wrapper, whose message repeats the
// path that our own message already names.
func withoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func sortByName(as []Article) {
	slices.SortFunc(as, func(a, b Article) int { return strings.Compare(a.Name, b.Name) })
}

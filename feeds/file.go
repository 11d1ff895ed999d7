package feeds

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile renders f in the given format into the file at path, atomically:
// it writes a temporary file in the same directory, syncs it to disk and
// renames it over path, so readers see either the old file or the complete
// new one. On any failure the old file is left intact and the temporary file
// is removed. The file gets mode 0644.
func WriteFile(path string, format Format, f Feed) error {
	if !format.valid() {
		return fmt.Errorf("write feed file %s: %w: %q", path, ErrUnknownFormat, string(format))
	}
	return writeFileAtomic(path, func(w io.Writer) error { return Write(w, format, f) })
}

// writeFileAtomic replaces the file at path with what render writes.
func writeFileAtomic(path string, render func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write feed file %s: create temporary file: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()           // already failed; the first error matters
			_ = os.Remove(tmp.Name()) // gone already if the rename succeeded
		}
	}()
	bw := bufio.NewWriter(tmp)
	if err = render(bw); err != nil {
		return fmt.Errorf("write feed file %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write feed file %s: write: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write feed file %s: chmod: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write feed file %s: sync: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write feed file %s: close: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write feed file %s: rename: %w", path, err)
	}
	if err = syncDir(dir); err != nil {
		return fmt.Errorf("write feed file %s: sync directory: %w", path, err)
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		_ = d.Close()
		return err
	}
	return d.Close()
}

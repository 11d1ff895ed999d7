package fetch

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// readBody reads resp's body, decompressing gzip (declared, or sniffed from
// the magic bytes) and deflate, and fails with a *BodyTooLargeError as soon as
// more than limit decompressed bytes arrive, so a gzip bomb costs at most
// limit bytes of memory. The bytes read so far are returned with any error.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if (enc == "" || enc == "identity") && resp.ContentLength > limit {
		return nil, &BodyTooLargeError{Limit: limit}
	}
	br := bufio.NewReader(resp.Body)
	var r io.Reader = br
	switch enc {
	case "", "identity", "gzip", "x-gzip":
		// Some servers gzip without saying so, or say so without doing it:
		// trust the magic bytes either way.
		if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			zr, err := gzip.NewReader(br)
			if err != nil {
				return nil, encodingError("gunzip", err)
			}
			defer zr.Close()
			r = zr
		}
	case "deflate":
		zr, err := zlib.NewReader(br)
		if err != nil {
			return nil, encodingError("inflate", err)
		}
		defer zr.Close()
		r = zr
	default:
		return nil, fmt.Errorf("%w: unsupported content encoding %q", ErrEncoding, enc)
	}
	b, err := readLimited(r, limit)
	if r != io.Reader(br) { // decompressing
		err = encodingError("decompress", err)
	}
	return b, err
}

// encodingError marks err as ErrEncoding when the compressed stream itself
// is corrupt; a stream cut short (the connection failed) stays a transport
// error for the caller to classify.
func encodingError(what string, err error) error {
	var corrupt flate.CorruptInputError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum), errors.Is(err, zlib.ErrHeader),
		errors.Is(err, zlib.ErrChecksum), errors.Is(err, zlib.ErrDictionary), errors.As(err, &corrupt):
		return fmt.Errorf("%w: %s: %w", ErrEncoding, what, err)
	default:
		return err
	}
}

// readLimited reads r to the end, failing once more than limit bytes arrive.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if n > limit {
		return buf.Bytes()[:limit], &BodyTooLargeError{Limit: limit}
	}
	if err != nil {
		return buf.Bytes(), err
	}
	return buf.Bytes(), nil
}

package feeds

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/google/uuid"
)

// checkID reports whether id can serve as an Atom id (RFC 4287 section
// 4.2.6): an absolute IRI (RFC 3987) with nothing an IRI forbids (spaces,
// controls, <>"{}|\^`, a stray "%"), and, for a URN, one of valid syntax
// (RFC 8141), a urn:uuid holding a UUID (RFC 9562).
func checkID(id string) error {
	if strings.TrimSpace(id) == "" {
		return errors.New("empty")
	}
	if i := strings.IndexFunc(id, notInIRI); i >= 0 {
		return fmt.Errorf("%q is not an IRI: %q not allowed", id, id[i:i+1])
	}
	u, err := url.Parse(id)
	if err != nil {
		return fmt.Errorf("parse %q: %w", id, err)
	}
	if !u.IsAbs() {
		return fmt.Errorf("%q is not an absolute IRI", id)
	}
	if strings.EqualFold(u.Scheme, "urn") {
		return checkURN(id, u.Opaque)
	}
	return nil
}

// notInIRI reports the characters that may not appear literally in an IRI:
// ASCII controls, space and the delimiters RFC 3987 excludes, and Unicode
// controls, non-characters and unassigned code points.
func notInIRI(r rune) bool {
	if r < 0x80 {
		return r <= 0x20 || r == 0x7f || strings.ContainsRune("<>\"{}|\\^`", r)
	}
	return unicode.IsControl(r) || !unicode.IsPrint(r) && !unicode.Is(unicode.Co, r)
}

// urnNID is the namespace identifier of a URN (RFC 8141 section 2).
var urnNID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]$`)

// checkURN checks the part of a URN after "urn:".
func checkURN(id, rest string) error {
	nid, nss, ok := strings.Cut(rest, ":")
	if !ok || !urnNID.MatchString(nid) || nss == "" {
		return fmt.Errorf("%q is not a URN (urn:NID:NSS)", id)
	}
	if strings.EqualFold(nid, "uuid") && (len(nss) != 36 || uuid.Validate(nss) != nil) {
		return fmt.Errorf("%q is not a urn:uuid: %q is not a UUID", id, nss)
	}
	return nil
}

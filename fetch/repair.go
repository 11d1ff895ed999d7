package fetch

import (
	"bytes"
	"encoding/xml"
	"io"
)

// repairXML salvages a malformed or truncated XML feed: it keeps the text up
// to the last token the XML decoder could read and closes the elements still
// open there, so the entries before the damage survive. It returns nil when
// the document reads cleanly to the end (nothing to repair) or no element
// was opened.
func repairXML(text []byte) []byte {
	d := xml.NewDecoder(bytes.NewReader(text))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // already UTF-8
	var stack []xml.Name
	good := int64(0) // offset just after the last token read without error
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			if len(stack) == 0 {
				return nil
			}
			break
		}
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name)
		case xml.EndElement:
			// Pop to the matching element if it is open; ignore strays.
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == t.Name {
					stack = stack[:i]
					break
				}
			}
		}
		good = d.InputOffset()
	}
	if len(stack) == 0 {
		return nil
	}
	out := make([]byte, 0, int(good)+64*len(stack))
	out = append(out, text[:good]...)
	for i := len(stack) - 1; i >= 0; i-- {
		out = append(out, "</"...)
		if stack[i].Space != "" {
			out = append(out, stack[i].Space...)
			out = append(out, ':')
		}
		out = append(out, stack[i].Local...)
		out = append(out, '>')
	}
	return out
}

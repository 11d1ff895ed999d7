package feeds

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

func TestAtomStylesheet(t *testing.T) {
	plain := sampleFeed()
	var without bytes.Buffer
	if err := Write(&without, FormatAtom, plain); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(without.Bytes(), []byte("xml-stylesheet")) {
		t.Fatal("a feed without Stylesheet names a stylesheet")
	}

	styled := sampleFeed()
	styled.Stylesheet = `/feed.css?v="1"&x`
	var with bytes.Buffer
	if err := Write(&with, FormatAtom, styled); err != nil {
		t.Fatal(err)
	}

	// The processing instruction comes right after the XML declaration, and
	// the document itself is the same as without it.
	d := xml.NewDecoder(bytes.NewReader(with.Bytes()))
	var pis []xml.ProcInst
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("styled feed is not well-formed: %v", err)
		}
		if pi, ok := tok.(xml.ProcInst); ok {
			pis = append(pis, pi.Copy())
		}
		if _, ok := tok.(xml.StartElement); ok {
			break
		}
	}
	if len(pis) != 2 || pis[1].Target != "xml-stylesheet" {
		t.Fatalf("processing instructions before the root: %+v", pis)
	}
	if got, want := string(pis[1].Inst), `type="text/css" href="/feed.css?v=&#34;1&#34;&amp;x"`; got != want {
		t.Errorf("xml-stylesheet %q, want %q", got, want)
	}
	_, rootWith, _ := strings.Cut(with.String(), "<feed ")
	_, rootWithout, _ := strings.Cut(without.String(), "<feed ")
	if rootWith != rootWithout {
		t.Error("the styled document differs from the plain one beyond the processing instruction")
	}

	// RSS and JSON ignore it.
	for _, f := range []Format{FormatRSS, FormatJSON} {
		var a, b bytes.Buffer
		if err := Write(&a, f, plain); err != nil {
			t.Fatal(err)
		}
		if err := Write(&b, f, styled); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s output changes with Stylesheet", f)
		}
	}
}

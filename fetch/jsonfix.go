package fetch

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
)

// coerceJSONFeed repairs common type slips in a JSON Feed that make strict
// decoding fail — "tags" as one string, "authors" as one object, "author" as
// a bare name — and returns the re-encoded feed, or nil if it cannot help.
func coerceJSONFeed(text []byte) []byte {
	var doc map[string]any
	if err := json.Unmarshal(text, &doc); err != nil {
		return nil
	}
	fixPerson := func(m map[string]any) {
		if s, ok := m["author"].(string); ok {
			m["author"] = map[string]any{"name": s}
		}
		if a, ok := m["authors"].(map[string]any); ok {
			m["authors"] = []any{a}
		}
	}
	fixPerson(doc)
	items, _ := doc["items"].([]any)
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		fixPerson(m)
		switch v := m["tags"].(type) {
		case string:
			m["tags"] = []any{v}
		case []any, nil:
		default:
			delete(m, "tags")
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return nil
	}
	return out
}

// rssJSONToXML converts "RSS in JSON" (Dave Winer's rss.js form:
// {"rss":{"channel":{…,"item":[…]}}}) into RSS 2.0 XML, or returns nil when
// text is not that. Only the elements this package reads are carried over.
func rssJSONToXML(text []byte) []byte {
	var doc struct {
		RSS struct {
			Channel map[string]any `json:"channel"`
		} `json:"rss"`
	}
	if err := json.Unmarshal(text, &doc); err != nil || doc.RSS.Channel == nil {
		return nil
	}
	ch := doc.RSS.Channel
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>`)
	for _, k := range []string{"title", "link", "description", "language", "pubDate", "lastBuildDate"} {
		writeJSONElement(&b, k, ch[k])
	}
	items, ok := ch["item"].([]any)
	if !ok && ch["item"] != nil {
		items = []any{ch["item"]}
	}
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		b.WriteString("<item>")
		for _, k := range []string{"title", "link", "description", "pubDate", "guid", "author", "category", "comments"} {
			writeJSONElement(&b, k, m[k])
		}
		b.WriteString("</item>")
	}
	b.WriteString("</channel></rss>")
	return b.Bytes()
}

// writeJSONElement writes v as <name>v</name>: strings and numbers as text,
// arrays as repeated elements, objects by their "#value"/"value"/"text" field.
func writeJSONElement(b *bytes.Buffer, name string, v any) {
	var s string
	switch t := v.(type) {
	case nil:
		return
	case string:
		s = t
	case float64, bool:
		s = fmt.Sprint(t)
	case []any:
		for _, x := range t {
			writeJSONElement(b, name, x)
		}
		return
	case map[string]any:
		for _, k := range []string{"#value", "value", "text", "name"} {
			if x, ok := t[k].(string); ok {
				s = x
				break
			}
		}
	}
	if strings.TrimSpace(s) == "" {
		return
	}
	b.WriteString("<" + name + ">")
	_ = xml.EscapeText(b, []byte(s))
	b.WriteString("</" + name + ">")
}

package fetch

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParse parses an RSS 2.0 feed of 100 HTML-rich items.
func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>bench</title>`)
	for i := range 100 {
		fmt.Fprintf(&sb, `<item><title>Story %d about Pyongyang and Moscow</title><link>/s/%d?utm_source=rss</link>
<guid>g%d</guid><pubDate>Tue, 16 Jan 2024 10:00:00 +0900</pubDate><description><![CDATA[%s]]></description></item>`,
			i, i, i, strings.Repeat("<p>The delegation arrived &amp; talks began.</p>", 20))
	}
	sb.WriteString(`</channel></rss>`)
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(body, "application/rss+xml", "https://bench.example/feed"); err != nil {
			b.Fatal(err)
		}
	}
}

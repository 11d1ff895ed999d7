package feeds_test

import (
	"fmt"
	"os"
	"time"

	"aggregator/feeds"
)

func ExampleWrite() {
	const feedURL = "https://news.example.org/feed.atom"
	published := time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)
	f := feeds.Feed{
		ID:           feedURL,
		Title:        "North Korea–Russia relations",
		SelfURL:      feedURL,
		AlternateURL: "https://news.example.org/",
		Author:       "aggregator",
		Entries: []feeds.Entry{{
			ID:          feeds.TagURI(feedURL, published, "story/42"),
			Title:       "Lavrov visits Pyongyang",
			Link:        "https://wire.example.com/lavrov",
			Updated:     published,
			Author:      "Example Wire",
			SummaryHTML: `<p onclick="x()">Talks <b>begin</b>.</p><script>alert(1)</script>`,
			Related:     []feeds.Link{{Href: "https://daily.example.net/lavrov", Title: "Example Daily"}},
		}},
	}
	if err := feeds.Write(os.Stdout, feeds.FormatAtom, f); err != nil {
		fmt.Println(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">
	//   <title type="text">North Korea–Russia relations</title>
	//   <id>https://news.example.org/feed.atom</id>
	//   <updated>2026-11-21T09:30:00Z</updated>
	//   <author>
	//     <name>aggregator</name>
	//   </author>
	//   <link href="https://news.example.org/feed.atom" rel="self" type="application/atom+xml"></link>
	//   <link href="https://news.example.org/" rel="alternate" type="text/html"></link>
	//   <entry>
	//     <title type="text">Lavrov visits Pyongyang</title>
	//     <updated>2026-11-21T09:30:00Z</updated>
	//     <id>tag:news.example.org,2026-11-21:story/42</id>
	//     <summary type="html">&lt;p&gt;Talks &lt;b&gt;begin&lt;/b&gt;.&lt;/p&gt;</summary>
	//     <author>
	//       <name>Example Wire</name>
	//     </author>
	//     <link href="https://wire.example.com/lavrov" rel="alternate" type="text/html"></link>
	//     <link href="https://daily.example.net/lavrov" rel="related" type="text/html" title="Example Daily"></link>
	//   </entry>
	// </feed>
}

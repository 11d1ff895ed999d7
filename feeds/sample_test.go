package feeds

import "time"

// sampleFeed is the fixed feed behind the golden files and the validator
// tests: one story reported by three outlets (two related links and an
// atom:source; one related link in Korean, and the event's category), one
// with hostile HTML and a "<script>" title, one minimal.
func sampleFeed() Feed {
	const feedURL = "https://news.example.org/feed.atom"
	t1 := time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)
	t2 := time.Date(2026, 11, 20, 18, 5, 0, 0, time.FixedZone("KST", 9*3600))
	t3 := time.Date(2026, 11, 19, 7, 0, 0, 0, time.UTC)
	return Feed{
		ID:           feedURL,
		Title:        "North Korea–Russia relations",
		Subtitle:     "Curated, deduplicated stories",
		SelfURL:      feedURL,
		AlternateURL: "https://news.example.org/",
		Author:       "aggregator",
		Updated:      t1,
		Generator:    Generator{Name: "aggregator", Version: "0.1.0", URI: "https://news.example.org/about"},
		Entries: []Entry{
			{
				ID:          TagURI(feedURL, t1, "story/42"),
				Title:       "Lavrov visits Pyongyang & meets Choe Son Hui",
				Link:        "https://wire.example.com/world/lavrov-pyongyang?utm_source=rss&id=7",
				Published:   t1.Add(-2 * time.Hour),
				Updated:     t1,
				Author:      "Example Wire",
				SummaryHTML: `<p>Russian Foreign Minister <b>Sergei Lavrov</b> arrived in <a href="https://en.wikipedia.org/wiki/Pyongyang">Pyongyang</a> on Friday.</p>`,
				Categories:  []string{"diplomacy", "Russia", "North Korea"},
				SchemeCategories: []Category{
					{Term: "event:story:42", Scheme: "https://news.example.org/events.atom", Label: "Event: Lavrov visits Pyongyang"},
				},
				Related: []Link{
					{Href: "https://daily.example.net/2026/11/21/lavrov", Title: "Example Daily"},
					{Href: "https://herald.example.co.kr/view/1234", Title: "Example Herald", Lang: "ko"},
				},
				Source: &Source{
					ID:      "https://wire.example.com/rss/world",
					Title:   "Example Wire — World",
					Link:    "https://wire.example.com/world",
					FeedURL: "https://wire.example.com/rss/world",
					Updated: t1.Add(-time.Hour),
				},
			},
			{
				ID:        TagURI(feedURL, t2, "story/41"),
				Title:     `Seoul says North Korea fired missile <script>alert("t")</script>`,
				Link:      "https://hostile.example/a?x=1&y=2",
				Published: t2,
				Updated:   t2,
				Author:    "Hostile <Outlet>",
				SummaryHTML: `<p onclick="steal()" style="color:red">Launch <em>confirmed</em>.</p>` +
					`<script>alert(document.cookie)</script><style>p{display:none}</style>` +
					`<iframe src="https://evil.example/"></iframe>` +
					`<a href="javascript:alert(1)">click</a> <a href="vbscript:x">vb</a> ` +
					`<img src="data:image/png;base64,AAAA" alt="pixel"><img src="https://img.example/m.jpg" alt="missile" onerror="x()">` +
					`<form action="https://evil.example/"><input name="q"></form>` +
					`<object data="x.swf"></object><embed src="y.swf">` +
					`<p>Tom &amp; Jerry &lt;3 &#34;quotes&#34;</p>`,
				Categories: []string{"missiles"},
			},
			{
				ID:          TagURI(feedURL, t3, "story/40"),
				Title:       "Россия и КНДР подписали соглашение",
				Link:        "https://ru.example/news/40",
				Updated:     t3,
				Author:      "Пример",
				SummaryHTML: "Plain text summary without markup.",
			},
		},
	}
}

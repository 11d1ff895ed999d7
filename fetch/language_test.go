package fetch

import "testing"

func TestPrimaryLanguage(t *testing.T) {
	cases := map[string]string{
		"en": "en", "en-US": "en", "EN-gb": "en", "en_us": "en", " ko-KR ": "ko",
		"zh-Hant-TW": "zh", "iw": "he", "in": "id", "ja": "ja",
		"": "", "english": "", "jp": "", "x-klingon": "", "fr-": "", "und": "",
	}
	for in, want := range cases {
		if got := PrimaryLanguage(in); got != want {
			t.Errorf("PrimaryLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestParseLanguage checks the declared language of entries in each
// format: the item's own where the format and gofeed give one, else the
// feed's, normalised to the primary subtag.
func TestParseLanguage(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"rss language and item dc:language", `<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><language>en-US</language>
<item><title>a</title><guid>a</guid></item>
<item><title>b</title><guid>b</guid><dc:language>ru</dc:language></item>
<item><title>c</title><guid>c</guid><dc:language>klingon language</dc:language></item>
</channel></rss>`, []string{"en", "ru", "en"}},
		{"rss channel dc:language", `<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><dc:language>id-ID</dc:language>
<item><title>a</title><guid>a</guid></item></channel></rss>`, []string{"id"}},
		{"rss without language", `<?xml version="1.0"?>
<rss version="2.0"><channel><title>t</title><item><title>a</title><guid>a</guid></item></channel></rss>`, []string{""}},
		{"atom xml:lang", atomFixture, []string{"ko", "ko"}},
		{"json feed and item language", `{"version":"https://jsonfeed.org/version/1.1","title":"t","language":"ja-JP",
"items":[{"id":"1","title":"a"},{"id":"2","title":"b","language":"en-GB"}]}`, []string{"ja", "en"}},
	}
	for _, c := range cases {
		f, err := Parse([]byte(c.body), "", "https://example.org/feed")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(f.Entries) != len(c.want) {
			t.Fatalf("%s: %d entries, want %d", c.name, len(f.Entries), len(c.want))
		}
		for i, e := range f.Entries {
			if e.Language != c.want[i] {
				t.Errorf("%s: entry %d language %q, want %q", c.name, i, e.Language, c.want[i])
			}
		}
	}
}

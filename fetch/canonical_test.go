package fetch

import "testing"

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"utm params removed", "https://nk.example/a?utm_source=rss&utm_medium=feed&utm_campaign=x", "https://nk.example/a"},
		{"fbclid and gclid removed, others kept", "https://nk.example/a?id=5&fbclid=abc&gclid=def", "https://nk.example/a?id=5"},
		{"more trackers", "https://nk.example/a?mc_cid=1&mc_eid=2&msclkid=3&yclid=4&igshid=5&_ga=6&ref_src=7&dclid=8&at_medium=RSS&page=2", "https://nk.example/a?page=2"},
		{"tracking keys case-insensitive", "https://nk.example/a?UTM_Source=x&q=1", "https://nk.example/a?q=1"},
		{"fragment removed", "https://nk.example/a#comments", "https://nk.example/a"},
		{"host and scheme lower-cased", "HTTPS://NK.Example/Path/Case", "https://nk.example/Path/Case"},
		{"default http port dropped", "http://nk.example:80/a", "http://nk.example/a"},
		{"default https port dropped", "https://nk.example:443/a", "https://nk.example/a"},
		{"other port kept", "https://nk.example:8443/a", "https://nk.example:8443/a"},
		{"http port 443 kept", "http://nk.example:443/a", "http://nk.example:443/a"},
		{"params sorted", "https://nk.example/a?b=2&a=1&c=3", "https://nk.example/a?a=1&b=2&c=3"},
		{"same key keeps both, sorted", "https://nk.example/a?t=2&t=1", "https://nk.example/a?t=1&t=2"},
		{"encoding kept", "https://nk.example/a?q=%EA%B9%80+%EC%A0%95%EC%9D%80&z=a%2Fb", "https://nk.example/a?q=%EA%B9%80+%EC%A0%95%EC%9D%80&z=a%2Fb"},
		{"empty path becomes slash", "https://nk.example", "https://nk.example/"},
		{"empty query dropped", "https://nk.example/a?", "https://nk.example/a"},
		{"empty pairs dropped", "https://nk.example/a?&x=1&&", "https://nk.example/a?x=1"},
		{"path kept as is", "https://nk.example/A/./b/%7Ec/", "https://nk.example/A/./b/%7Ec/"},
		{"whitespace trimmed", "  https://nk.example/a \n", "https://nk.example/a"},
		{"unparsable returned trimmed", " http://[::1 ", "http://[::1"},
		{"relative returned as is", "/just/a/path", "/just/a/path"},
		{"ipv6 default port", "http://[::1]:80/x", "http://[::1]/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanonicalURL(tt.in); got != tt.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCanonicalURLIdempotent(t *testing.T) {
	for _, in := range []string{"HTTPS://A.example:443?b=1&a=2#x", "http://a.example/p?utm_x=1", "mailto:Someone@Example.com"} {
		once := CanonicalURL(in)
		if twice := CanonicalURL(once); twice != once {
			t.Errorf("CanonicalURL not idempotent on %q: %q then %q", in, once, twice)
		}
	}
}

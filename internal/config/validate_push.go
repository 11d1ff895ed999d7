package config

import (
	"fmt"
	"strings"
)

// minSecret is the shortest webhook secret accepted: a shorter one is
// guessed too easily to sign anything.
const (
	minSecret = 16
	maxSecret = 1024
)

// push checks the WebSub hubs (feed.hubs) and the webhooks (notify).
func (v *validator) push() {
	hubs := map[string]int{}
	for i, h := range v.c.Feed.Hubs {
		field := fmt.Sprintf("feed.hubs[%d]", i)
		if u := v.httpURL(field, h); u != "" {
			if j, dup := hubs[u]; dup {
				v.fail(field, "%q is already feed.hubs[%d]", h, j)
			} else {
				hubs[u] = i
			}
		}
	}
	urls := map[string]int{}
	for i, n := range v.c.Notify {
		field := fmt.Sprintf("notify[%d]", i)
		if u := v.httpURL(field+".url", n.URL); u != "" {
			if j, dup := urls[u]; dup {
				v.fail(field+".url", "%q is already the URL of notify[%d]", n.URL, j)
			} else {
				urls[u] = i
			}
		}
		switch s := n.Secret; {
		case s == "" && !v.c.set(field+".secret"):
		case strings.TrimSpace(s) == "":
			v.fail(field+".secret", "must not be empty when given (leave the key out for unsigned requests)")
		case hasControl(s):
			v.fail(field+".secret", "contains control characters")
		case len(s) < minSecret:
			v.fail(field+".secret", "is %d bytes; a secret needs at least %d", len(s), minSecret)
		case len(s) > maxSecret:
			v.fail(field+".secret", "is %d bytes; at most %d", len(s), maxSecret)
		}
	}
}

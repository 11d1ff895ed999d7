package fetch

import (
	"bytes"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// wallMark is one well-known mark of a page that hides its article: the
// error it stands for, what to call it in the error, and the pattern that
// finds it in the markup (matched case-insensitively).
type wallMark struct {
	kind     error
	evidence string
	re       *regexp.Regexp
}

// attrMark matches a class or id attribute one of whose values starts with
// one of names (a regexp alternation).
func attrMark(names string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(?:class|id)\s*=\s*["']?[^"'>]*?\b(?:` + names + `)`)
}

// wallMarks, most specific first: a challenge page shows nothing else; a
// paywall page often carries a consent manager too; a consent wall or a
// JavaScript shell is what is left. They are read only when the page gave
// too little text, so that an article that mentions cookies or has a
// cookie banner is never taken for a wall.
var wallMarks = []wallMark{
	{ErrCaptcha, "reCAPTCHA widget", attrMark(`g-recaptcha`)},
	{ErrCaptcha, "hCaptcha widget", attrMark(`h-captcha`)},
	{ErrCaptcha, "Cloudflare challenge", regexp.MustCompile(`(?i)challenges\.cloudflare\.com|\b(?:class|id)\s*=\s*["']?(?:cf-turnstile|cf-challenge|cf-browser-verification|challenge-form)|<title>\s*just a moment`)},
	{ErrCaptcha, "bot challenge", regexp.MustCompile(`(?i)captcha-delivery\.com|\b(?:class|id)\s*=\s*["']?px-captcha|<title>[^<]*(?:captcha|are you a robot|verify you are human)`)},
	{ErrPaywall, "schema.org isAccessibleForFree false", regexp.MustCompile(`(?i)"isAccessibleForFree"\s*:\s*"?false|itemprop\s*=\s*["']?isAccessibleForFree["']?\s+content\s*=\s*["']?false`)},
	{ErrPaywall, "paywall element", attrMark(`paywall|pay-wall|regwall|piano-offer|tp-modal|meteredContent|subscriber-only|subscription-required|premium-wall`)},
	{ErrConsent, "consent manager", attrMark(`onetrust-consent-sdk|onetrust-banner|CybotCookiebot|didomi-host|didomi-popup|qc-cmp2|sp_message_container|usercentrics-root|truste_overlay|trustarc-banner|cmpbox|consent-wall|consent-page|cookie-wall|fc-consent-root`)},
	{ErrConsent, "consent page", regexp.MustCompile(`(?i)<form[^>]+action\s*=\s*["'][^"']*(?:consent\.|/consent)|https?://consent\.(?:yahoo|google)\.com`)},
}

// javaScriptAsk matches the text of a <noscript> that asks for JavaScript.
var javaScriptAsk = regexp.MustCompile(`(?i)(?:enable|turn on|activate|allow|switch on)\s+javascript|javascript\s+(?:is\s+)?(?:required|disabled|needed|must be enabled|needs to be enabled|is not enabled)|requires\s+javascript|need(?:s)?\s+javascript`)

// wallEvidence returns the wall that body (an HTML page) shows: its mark,
// whose kind is nil when there is none.
func wallEvidence(body []byte) wallMark {
	for _, m := range wallMarks {
		if m.re.Match(body) {
			return m
		}
	}
	if noscriptAsksForJavaScript(body) {
		return wallMark{kind: ErrJavaScript, evidence: "a <noscript> asking to enable JavaScript"}
	}
	return wallMark{}
}

// noscriptAsksForJavaScript reports whether a <noscript> element of body
// asks the reader to enable JavaScript. The tokenizer gives a noscript's
// content as one text, markup included.
func noscriptAsksForJavaScript(body []byte) bool {
	z := html.NewTokenizer(bytes.NewReader(body))
	depth := 0
	var text strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Noscript {
				depth++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Noscript && depth > 0 {
				depth--
				if depth == 0 && javaScriptAsk.MatchString(text.String()) {
					return true
				}
				text.Reset()
			}
		case html.TextToken:
			if depth > 0 && text.Len() < 4096 {
				text.Write(z.Text())
			}
		}
	}
}

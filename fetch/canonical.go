package fetch

import (
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query parameters that identify a campaign or a click,
// never the resource; CanonicalURL drops them (compared case-insensitively).
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "mc_cid": true, "mc_eid": true, "yclid": true, "igshid": true,
	"_ga": true, "_gl": true, "ref_src": true, "ref_url": true, "twclid": true, "ttclid": true,
	"li_fat_id": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true, "oly_anon_id": true,
	"oly_enc_id": true, "vero_id": true, "vero_conv": true, "wickedid": true, "srsltid": true,
	"at_medium": true, "at_campaign": true, "ito": true, "cmpid": true, "ncid": true,
	"sr_share": true, "spm": true,
}

// trackingPrefixes are prefixes of whole families of tracking parameters.
var trackingPrefixes = []string{"utm_", "pk_", "at_custom", "itm_"}

// CanonicalURL returns raw in a canonical form for comparing links: scheme
// and host lower-cased, the default port dropped, the fragment dropped,
// tracking parameters (utm_*, fbclid, gclid, …) removed and the remaining
// query parameters sorted; the path is kept as it is, except that an empty
// path becomes "/". When raw cannot be parsed as an absolute URL it is
// returned trimmed.
func CanonicalURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Fragment, u.RawFragment = "", ""
	if u.Opaque != "" || u.Host == "" {
		return strings.TrimSpace(u.String())
	}
	host := strings.ToLower(u.Host)
	switch port := u.Port(); {
	case port == "":
		host = strings.TrimRight(host, ":") // "example.com:" has an empty port
	case (port == "80" && u.Scheme == "http") || (port == "443" && u.Scheme == "https"):
		host = strings.TrimSuffix(host, ":"+port)
	}
	u.Host = host
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	u.RawQuery = canonicalQuery(u.RawQuery)
	u.ForceQuery = false
	return strings.TrimSpace(u.String()) // dropping the fragment can expose trailing spaces
}

// canonicalQuery drops tracking and empty parameters from a raw query (split on "&" only) and
// sorts the rest by decoded key, then by their raw text; each parameter keeps
// its original encoding.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type param struct{ key, raw string }
	var params []param
	for _, p := range strings.Split(raw, "&") {
		p = strings.TrimSpace(p)
		k, _, _ := strings.Cut(p, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if k == "" || isTrackingParam(k) {
			continue
		}
		params = append(params, param{k, p})
	}
	sort.SliceStable(params, func(i, j int) bool {
		if params[i].key != params[j].key {
			return params[i].key < params[j].key
		}
		return params[i].raw < params[j].raw
	})
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = p.raw
	}
	return strings.Join(parts, "&")
}

func isTrackingParam(key string) bool {
	key = strings.ToLower(key)
	if trackingParams[key] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

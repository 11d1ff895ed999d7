package aggregator

import (
	"fmt"
	"strconv"
	"strings"

	"aggregator/dedupe"
)

// MatchKind says what a MatchKey names.
type MatchKind uint8

// Match kinds.
const (
	MatchNone    MatchKind = iota // no match
	MatchSeed                     // a seed article, by file name
	MatchStory                    // a story, by id
	MatchItem                     // an item outside any story (off topic), by id
	MatchUnknown                  // a stored text this version does not read, kept as it is
)

// MatchKey names what an item was matched with: a seed, a story or an
// off-topic item. It is the key the near-duplicate index files entries
// under, the match stored with a decision, and the last part of a feed
// entry's id, in its text form ("seed:NAME", "story:ID", "item:ID"); String
// and ParseMatchKey are the only places that form is written and read.
type MatchKey struct {
	Kind MatchKind
	Seed string // the seed's name, for MatchSeed
	ID   int64  // the story's or item's id, for MatchStory and MatchItem
	Raw  string // the stored text, for MatchUnknown
}

// SeedKey is the key of the seed article with this name.
func SeedKey(name string) MatchKey { return MatchKey{Kind: MatchSeed, Seed: name} }

// StoryKey is the key of a story.
func StoryKey(id int64) MatchKey { return MatchKey{Kind: MatchStory, ID: id} }

// ItemKey is the key of an off-topic item, which belongs to no story.
func ItemKey(id int64) MatchKey { return MatchKey{Kind: MatchItem, ID: id} }

const (
	storyPrefix = "story:"
	itemPrefix  = "item:"
)

// String returns the key's text form, "" for no match.
func (k MatchKey) String() string {
	switch k.Kind {
	case MatchSeed:
		return dedupe.SeedKeyPrefix + k.Seed
	case MatchStory:
		return storyPrefix + strconv.FormatInt(k.ID, 10)
	case MatchItem:
		return itemPrefix + strconv.FormatInt(k.ID, 10)
	case MatchUnknown:
		return k.Raw
	default:
		return ""
	}
}

// ParseMatchKey reads a key's text form; "" is no match.
func ParseMatchKey(s string) (MatchKey, error) {
	if s == "" {
		return MatchKey{}, nil
	}
	if name, ok := strings.CutPrefix(s, dedupe.SeedKeyPrefix); ok && name != "" {
		return SeedKey(name), nil
	}
	for _, p := range []struct {
		prefix string
		kind   MatchKind
	}{{storyPrefix, MatchStory}, {itemPrefix, MatchItem}} {
		rest, ok := strings.CutPrefix(s, p.prefix)
		if !ok {
			continue
		}
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || id <= 0 {
			return MatchKey{}, fmt.Errorf("match key %q: %q is not a positive id", s, rest)
		}
		return MatchKey{Kind: p.kind, ID: id}, nil
	}
	return MatchKey{}, fmt.Errorf("match key %q: not seed:NAME, story:ID or item:ID", s)
}

// StoredMatchKey reads a key as a store kept it: a text ParseMatchKey does
// not accept (written by hand, or by another version) is kept as it is,
// MatchUnknown, so that reading an item never fails on it and its text is
// shown as it was stored.
func StoredMatchKey(s string) MatchKey {
	k, err := ParseMatchKey(s)
	if err != nil {
		return MatchKey{Kind: MatchUnknown, Raw: s}
	}
	return k
}

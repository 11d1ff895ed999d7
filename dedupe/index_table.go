package dedupe

import (
	"math/bits"
	"slices"
)

// table is a chained hash table of 32-bit keys whose nodes live in one
// slice: a bucket holds the number of its first node, each node the number
// of the next one. Nodes are only ever appended; the index drops whole
// tables when it compacts.
type table struct {
	nodes   []node
	ents    []uint32 // entry of each node (owned tables)
	head    []uint32 // bucket → first node + 1, 0 when empty
	count   []uint16 // bucket → nodes in its chain, saturating (counted tables)
	counted bool
	owned   bool
	linked  int
	// dense, when set, sizes the buckets for two to four nodes each
	// instead of one to two: half the bucket memory for chains twice as
	// long.
	dense bool
}

// node is one key filed in a table; next is the number of the next node of
// its bucket plus one, 0 at the end of the chain, or one of the marks below.
type node struct{ key, next uint32 }

const (
	unlinked    = ^uint32(0)     // grown, no key filed yet
	unusedSlot  = ^uint32(0) - 1 // a band slot that holds no key
	pendingLink = ^uint32(0) - 2 // filed, to be linked by the next rehash
)

// linkable reports whether a rehash links a node whose next is next.
func linkable(next uint32) bool { return next != unlinked && next != unusedSlot }

const minBuckets = 1 << 10

// reserve makes room for n nodes.
func (t *table) reserve(n int) {
	t.nodes = make([]node, 0, n)
	if t.owned {
		t.ents = make([]uint32, 0, n)
	}
}

// grow appends n unlinked nodes and returns the number of the first.
func (t *table) grow(n int) int {
	base := len(t.nodes)
	t.nodes = slices.Grow(t.nodes, n)[:base+n]
	for i := base; i < len(t.nodes); i++ {
		t.nodes[i] = node{next: unlinked}
	}
	if t.owned {
		t.ents = slices.Grow(t.ents, n)[:base+n]
	}
	return base
}

// put files key at node i, owned by entry e, without linking it: a rehash
// links it.
func (t *table) put(i int, key, e uint32) {
	t.nodes[i] = node{key: key, next: pendingLink}
	if t.owned {
		t.ents[i] = e
	}
}

// set files key at node i, owned by entry e, and links it.
func (t *table) set(i int, key, e uint32) {
	t.nodes[i].key = key
	if t.owned {
		t.ents[i] = e
	}
	if t.linked+1 > t.perBucket()*2*len(t.head) {
		t.rehash(t.linked + 1)
	}
	t.link(i)
}

// unused marks node i as a slot that holds no key.
func (t *table) unused(i int) { t.nodes[i].next = unusedSlot }

func (t *table) link(i int) {
	b := t.nodes[i].key & uint32(len(t.head)-1)
	t.nodes[i].next = t.head[b]
	t.head[b] = uint32(i + 1)
	if t.counted && t.count[b] < ^uint16(0) {
		t.count[b]++
	}
	t.linked++
}

// perBucket is the least number of nodes per bucket on average that a
// rehash makes room for.
func (t *table) perBucket() int {
	if t.dense {
		return 2
	}
	return 1
}

// rehash sizes the buckets for n linked nodes (perBucket to twice as many
// per bucket) and links every node anew.
func (t *table) rehash(n int) {
	size := max(minBuckets, 1<<bits.Len(uint(n/(2*t.perBucket()))))
	t.head = make([]uint32, size)
	if t.counted {
		t.count = make([]uint16, size)
	}
	t.linked = 0
	for i := range t.nodes {
		if linkable(t.nodes[i].next) {
			t.link(i)
		}
	}
}

// chainLen returns the length of the chain key's bucket holds.
func (t *table) chainLen(key uint32) int {
	if len(t.count) == 0 {
		return 0
	}
	return int(t.count[key&uint32(len(t.count)-1)])
}

// find appends to out the nodes filed under each of keys. It walks all the
// chains a level at a time, so that the memory loads of different chains,
// which do not depend on each other, overlap instead of queueing behind one
// another; cur is scratch space.
func (t *table) find(keys []uint32, cur, out []uint32) ([]uint32, []uint32) {
	if len(t.head) == 0 {
		return cur, out
	}
	mask := uint32(len(t.head) - 1)
	cur = cur[:0]
	for _, k := range keys {
		cur = append(cur, t.head[k&mask])
	}
	for active := true; active; {
		active = false
		for i, id := range cur {
			if id == 0 {
				continue
			}
			nd := t.nodes[id-1]
			if nd.key == keys[i] {
				out = append(out, id-1)
			}
			cur[i] = nd.next
			active = active || nd.next != 0
		}
	}
	return cur, out
}

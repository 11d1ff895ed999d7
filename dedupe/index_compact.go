package dedupe

import "time"

// minCompactDead is the least number of tombstones worth a compaction.
const minCompactDead = 1024

// maybeCompact rebuilds the index without its tombstones once they are at
// least a quarter of the entries; the caller holds mu.
func (ix *Index) maybeCompact() {
	if ix.dead < minCompactDead || 4*ix.dead < ix.live+ix.dead {
		return
	}
	ix.compact()
}

// compact refiles every live entry, in order, into fresh tables, and renumbers
// the entries; the caller holds mu.
func (ix *Index) compact() {
	ix.settle()
	cfg := Config{Bands: ix.bands, Rows: ix.rows, MinResemblance: ix.minRes, MinContainment: ix.minCont}
	fresh := NewIndexWith(cfg, IndexOptions{
		Shingles: ix.load, Recent: ix.recent, Capacity: ix.live,
	})
	renum := make(map[uint32]uint32, len(ix.mem)+len(ix.ring))
	for e := range ix.keys {
		if ix.flags[e]&flagDead != 0 {
			continue
		}
		old := uint32(e)
		k := entryKeys{samples: make([]uint32, 0, ix.sampleCount(old))}
		for _, nd := range ix.bandTab.nodes[e*ix.stride : (e+1)*ix.stride] {
			if nd.next != unusedSlot {
				k.bands = append(k.bands, nd.key)
			}
		}
		start, end := ix.sampleRange(old)
		for _, nd := range ix.samples.nodes[start:end] {
			k.samples = append(k.samples, nd.key)
		}
		if ix.load != nil {
			k.size, k.sketch = int(ix.size[e]), ix.sketchOf(old)
		}
		var at time.Time
		if ix.flags[e]&flagPermanent == 0 {
			at = time.Unix(0, ix.at[e])
		}
		ne := fresh.file(ix.keys[e], k, at)
		if s, ok := ix.mem[old]; ok {
			fresh.mem[ne] = s
			renum[old] = ne
		}
	}
	// The ring keeps its order: the oldest remembered entry is forgotten first.
	for i := range len(ix.ring) {
		old := ix.ring[(ix.next+i)%len(ix.ring)]
		if ne, ok := renum[old]; ok && ix.flags[old]&flagDead == 0 {
			fresh.ring = append(fresh.ring, ne)
		}
	}
	ix.byKey, ix.keys, ix.at, ix.flags, ix.sampStart = fresh.byKey, fresh.keys, fresh.at, fresh.flags, fresh.sampStart
	ix.size, ix.sketchStart, ix.sketch = fresh.size, fresh.sketchStart, fresh.sketch
	ix.bandTab, ix.samples, ix.prefix = fresh.bandTab, fresh.samples, fresh.prefix
	ix.mem, ix.ring, ix.next = fresh.mem, fresh.ring, 0
	ix.live, ix.dead = fresh.live, 0
	ix.scratch = scratch{}
	ix.stats.Compactions++
}

// firstReprefix is the number of entries at which the prefix table is first
// chosen again; it is chosen again each time the entries double.
const firstReprefix = 1024

// reprefix files every live entry's prefix anew, chosen by how long the
// sample chains are now. While the index is young, chain lengths say little
// about which shingles are stock phrases; choosing again as it doubles keeps
// the prefixes rare at amortised constant cost per entry. The caller holds
// mu.
func (ix *Index) reprefix() {
	ix.reprefixAt = max(firstReprefix, 2*len(ix.keys))
	ix.prefix = table{owned: true, dense: true}
	ix.prefix.reserve(len(ix.samples.nodes)/2 + len(ix.keys))
	var ks []uint32
	for e := range ix.keys {
		if ix.flags[e]&flagDead != 0 {
			continue
		}
		start, end := ix.sampleRange(uint32(e))
		ks = ks[:0]
		for _, nd := range ix.samples.nodes[start:end] {
			ks = append(ks, nd.key)
		}
		pre := ix.rarest(ks, prefixLen(len(ks)))
		base := ix.prefix.grow(len(pre))
		for i, s := range pre {
			ix.prefix.put(base+i, s, uint32(e))
		}
	}
	ix.prefix.rehash(len(ix.prefix.nodes))
}

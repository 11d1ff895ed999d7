package dedupe

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// entryKeys is what the index files of one doc: its distinct 32-bit band
// keys (signature and lead) and the 32-bit keys of its sampled shingles.
type entryKeys struct {
	bands   []uint32
	samples []uint32
	size    int      // shingles
	sketch  []uint64 // nil unless asked for
}

// entryKeys computes the keys of doc, with its sketch when withSketch; a
// doc without shingles has none.
func (ix *Index) entryKeys(doc Doc, withSketch bool) entryKeys {
	if len(doc.Shingles) == 0 {
		return entryKeys{}
	}
	bands := make([]uint32, 0, ix.stride)
	bands = ix.appendBands(bands, doc.Signature)
	bands = ix.appendBands(bands, doc.Lead)
	bands = sortedSet32(bands)
	n := 0
	for _, h := range doc.Shingles {
		if sampled(h) {
			n++
		}
	}
	samples := make([]uint32, 0, n)
	for _, h := range doc.Shingles {
		if sampled(h) {
			samples = append(samples, sampleKey(h))
		}
	}
	k := entryKeys{bands: bands, samples: samples, size: len(doc.Shingles)}
	if withSketch {
		k.sketch = newSketch(doc.Shingles)
	}
	return k
}

// keysWithSketch is keysOf with the sketch filled in; the caller holds mu.
func (ix *Index) keysWithSketch(doc Doc) entryKeys {
	k := ix.keysOf(doc)
	if k.sketch == nil && len(doc.Shingles) > 0 {
		k.sketch = newSketch(doc.Shingles)
		ix.last.keys.sketch = k.sketch
	}
	return k
}

// keysOf returns the keys of doc, computed once for a doc that Best and then
// Add are given in turn; the caller holds mu. Docs are compared by their
// shingle slice, which Analyze makes anew for each text.
func (ix *Index) keysOf(doc Doc) entryKeys {
	if len(doc.Shingles) == 0 {
		return entryKeys{}
	}
	id := docID{&doc.Shingles[0], len(doc.Shingles), first(doc.Signature), first(doc.Lead)}
	if ix.last.id == id {
		return ix.last.keys
	}
	k := ix.entryKeys(doc, false)
	ix.last.id, ix.last.keys = id, k
	return k
}

// docID tells docs apart by the memory of their slices.
type docID struct {
	shingles  *uint64
	n         int
	sig, lead *uint32
}

func first(v []uint32) *uint32 {
	if len(v) == 0 {
		return nil
	}
	return &v[0]
}

// appendBands appends the band keys of sig. Signature and lead go into one
// table, so that a summary's signature meets an article's lead signature and
// the other way round.
func (ix *Index) appendBands(keys []uint32, sig []uint32) []uint32 {
	if len(sig) != ix.bands*ix.rows {
		return keys
	}
	for b := 0; b < ix.bands; b++ {
		h := mix64(uint64(b) + 0x9e3779b97f4a7c15)
		for _, v := range sig[b*ix.rows : (b+1)*ix.rows] {
			h = mix64(h ^ uint64(v))
		}
		keys = append(keys, uint32(h>>32))
	}
	return keys
}

func sortedSet32(v []uint32) []uint32 {
	slices.Sort(v)
	return slices.Compact(v)
}

// ErrStaleKeys is returned by AddEncoded for keys encoded by an index with
// other bands or rows: the caller files the entry from its doc instead.
var ErrStaleKeys = errors.New("dedupe: index keys were encoded for other bands or rows")

const keysVersion = 2

// EncodeKeys returns the compact form of what the index files of doc (its
// keys and its sketch, about 6 bits per shingle and 4 bytes per key), for
// the caller to store with it and give to AddEncoded when it rebuilds the
// index, instead of reading the whole shingle set. A doc without shingles
// gives nil.
func (ix *Index) EncodeKeys(doc Doc) []byte {
	ix.mu.Lock()
	k := ix.keysWithSketch(doc)
	ix.mu.Unlock()
	if len(k.bands) == 0 {
		return nil
	}
	b := make([]byte, 0, 1+6*binary.MaxVarintLen32+4*(len(k.bands)+len(k.samples))+8*len(k.sketch))
	b = append(b, keysVersion)
	for _, v := range []int{ix.bands, ix.rows, len(k.bands), len(k.samples), k.size, len(k.sketch)} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	for _, v := range k.bands {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	for _, v := range k.samples {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	for _, v := range k.sketch {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b
}

func (ix *Index) decodeKeys(b []byte) (entryKeys, error) {
	if len(b) == 0 || b[0] != keysVersion {
		return entryKeys{}, ErrStaleKeys
	}
	b = b[1:]
	var hdr [6]uint64
	for i := range hdr {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return entryKeys{}, fmt.Errorf("dedupe: decode index keys: bad header")
		}
		hdr[i], b = v, b[n:]
	}
	if hdr[0] != uint64(ix.bands) || hdr[1] != uint64(ix.rows) {
		return entryKeys{}, ErrStaleKeys
	}
	nb, ns, size, nw := hdr[2], hdr[3], hdr[4], hdr[5]
	if nb > uint64(ix.stride) || nw != uint64(sketchWords(int(min(size, 1<<31)))) || uint64(len(b)) != 4*(nb+ns)+8*nw {
		return entryKeys{}, fmt.Errorf("dedupe: decode index keys: %d bytes for %d band keys, %d samples and a sketch of %d words for %d shingles", len(b), nb, ns, nw, size)
	}
	k := entryKeys{bands: make([]uint32, nb), samples: make([]uint32, ns), size: int(size), sketch: make([]uint64, nw)}
	for i := range k.bands {
		k.bands[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	b = b[4*nb:]
	for i := range k.samples {
		k.samples[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	b = b[4*ns:]
	for i := range k.sketch {
		k.sketch[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return k, nil
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"aggregator/internal/benchgen"

	"github.com/mmcdole/gofeed"
)

// gofeedBatch is how many bodies are generated again (untimed) before
// gofeed parses them (timed).
const gofeedBatch = 250

// gofeedAlone parses the bodies the upstream served with gofeed's universal
// parser alone, with workers goroutines, generating them again in batches
// outside the timed part and checking each against the ETag the cycle
// stored. It returns the cost of the parsing and the body sizes.
func (b *cycleBench) gofeedAlone(ctx context.Context, origin string, workers int, etags map[string]string) (cost, []int, error) {
	gen, err := benchgen.NewCycleFeeds(b.corpus, b.seed, b.base)
	if err != nil {
		return cost{}, nil, err
	}
	var total cost
	sizes := make([]int, 0, b.sources)
	parsers := make([]*gofeed.Parser, workers)
	for i := range parsers {
		parsers[i] = gofeed.NewParser()
	}
	for first := 0; first < b.sources; first += gofeedBatch {
		if err := ctx.Err(); err != nil {
			return cost{}, nil, err
		}
		bodies, err := b.bodiesAgain(gen, origin, first, etags)
		if err != nil {
			return cost{}, nil, err
		}
		for _, body := range bodies {
			sizes = append(sizes, len(body))
		}
		c, err := parseAll(parsers, bodies, first)
		if err != nil {
			return cost{}, nil, err
		}
		total = total.add(c)
	}
	return total, sizes, nil
}

// bodiesAgain generates the bodies of the batch of sources from first
// again, and checks each against the ETag stored for it.
func (b *cycleBench) bodiesAgain(gen *benchgen.CycleFeeds, origin string, first int, etags map[string]string) ([][]byte, error) {
	bodies := make([][]byte, 0, gofeedBatch)
	for s := first; s < min(first+gofeedBatch, b.sources); s++ {
		f := gen.Feed(origin, s, b.sources)
		if want := etags[sourceName(s)]; f.ETag != want {
			return nil, fmt.Errorf("feed %d generated again differs from the one served (ETag %s, stored %s)", s, f.ETag, want)
		}
		bodies = append(bodies, f.Body)
	}
	return bodies, nil
}

// parseAll parses bodies (those of the sources from first) with one
// goroutine for each parser, and returns what it cost and the first error:
// a body that does not parse, or lacks items.
func parseAll(parsers []*gofeed.Parser, bodies [][]byte, first int) (cost, error) {
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	c, _ := measure(func() error {
		var wg sync.WaitGroup
		for w := range parsers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					if i >= len(bodies) {
						return
					}
					feed, err := parsers[w].Parse(bytes.NewReader(bodies[i]))
					if err == nil && len(feed.Items) != benchgen.CycleItems {
						err = fmt.Errorf("%d items, want %d", len(feed.Items), benchgen.CycleItems)
					}
					if err != nil {
						once.Do(func() { firstErr = fmt.Errorf("gofeed: feed %d: %w", first+i, err) })
					}
				}
			}()
		}
		wg.Wait()
		return nil
	})
	return c, firstErr
}

package aggregator

import "aggregator/dedupe"

// IndexStats exposes the pipeline's index counters to the external tests.
func IndexStats(p *Pipeline) dedupe.IndexStats { return p.index.Stats() }

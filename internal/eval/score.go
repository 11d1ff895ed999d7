package eval

import (
	"sort"
	"strings"
)

// Counts is a confusion matrix of binary decisions against labels.
type Counts struct {
	TP, FP, FN, TN int
}

func (c *Counts) add(pred, truth bool) {
	switch {
	case pred && truth:
		c.TP++
	case pred:
		c.FP++
	case truth:
		c.FN++
	default:
		c.TN++
	}
}

// Precision is TP/(TP+FP); 1 when nothing was predicted positive and
// nothing should have been, 0 when nothing was predicted but something
// should have been.
func (c Counts) Precision() float64 {
	if c.TP+c.FP == 0 {
		if c.FN == 0 {
			return 1
		}
		return 0
	}
	return float64(c.TP) / float64(c.TP+c.FP)
}

// Recall is TP/(TP+FN); 1 when there was nothing to find.
func (c Counts) Recall() float64 {
	if c.TP+c.FN == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FN)
}

// F1 is the harmonic mean of precision and recall.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Split holds a metric for all items and for real and written items apart
// (the corpus README's first bias: origin is confounded with the label).
type Split struct {
	All, Real, Written Counts
}

func (s *Split) add(written, pred, truth bool) {
	s.All.add(pred, truth)
	if written {
		s.Written.add(pred, truth)
	} else {
		s.Real.add(pred, truth)
	}
}

// Scores are the metrics of one system on one corpus.
type Scores struct {
	System string
	// Topic: on_topic against the label, per item.
	Topic Split
	// Pairs: every labelled pair of pairs.csv (seed–seed pairs aside),
	// predicted near-duplicate when the two ended up as copies of one
	// another; truth is is_near_duplicate.
	Pairs Split
	// PairsByRelation counts, per relation, the pairs and how many were
	// predicted near-duplicates.
	PairsByRelation map[string][2]int
	// DupOf: per item, whether it was found to be a copy of the right
	// group (the labelled dup_of's group, or the right seed).
	DupOf Split
	// Clusters: every pair of items (and item–seed pair), merged by us when
	// they ended up in one cluster, truth when they are in one labelled
	// near-duplicate group.
	Clusters Counts
	// FalseMerges are merged pairs that are not copies, and of them the
	// ones of the same labelled story (independent reports of one event).
	FalseMerges, SameEventMerges int
	// SameEventExamples lists up to five falsely merged same-event pairs.
	SameEventExamples []string
	// ApartCopies are labelled copies left in different clusters.
	ApartCopies int
	// CopyPairs is the labelled pairs with relation "copy": recall of
	// near-copies in the narrow sense.
	CopyPairs Counts
}

// Score compares predictions with the labels of c.
func Score(system string, c *Corpus, preds map[string]Prediction) Scores {
	s := Scores{System: system, PairsByRelation: make(map[string][2]int)}
	for _, it := range c.Items {
		pr := preds[it.ID]
		s.Topic.add(it.Written, pr.OnTopic, it.OnTopic)
	}
	sc := scoring{c: c, preds: preds}
	sc.pairs(&s)
	sc.dupOf(&s)
	sc.clusters(&s)
	return s
}

// scoring is one comparison of predictions with a corpus's labels.
type scoring struct {
	c     *Corpus
	preds map[string]Prediction
}

// predRoot is the head of the predicted copy chain of id.
func (sc scoring) predRoot(id string) string {
	return root(id, func(x string) string { return sc.preds[x].DupOf })
}

// truthRoot is the head of the labelled copy chain of id.
func (sc scoring) truthRoot(id string) string {
	return root(id, func(x string) string {
		it, _ := sc.c.Item(x)
		return normSeed(it.DupOf)
	})
}

// pairs scores the labelled pairs: linked by the predictions or not.
func (sc scoring) pairs(s *Scores) {
	for _, p := range sc.c.Pairs {
		if p.unresolved || (p.seedA && p.seedB) {
			continue
		}
		a, b := endKey(p.A, p.seedA), endKey(p.B, p.seedB)
		linked := sc.predRoot(a) == sc.predRoot(b)
		written := isWritten(sc.c, p.A) || isWritten(sc.c, p.B)
		s.Pairs.add(written, linked, p.NearDup)
		n := s.PairsByRelation[p.Relation]
		n[0]++
		if linked {
			n[1]++
		}
		s.PairsByRelation[p.Relation] = n
		if p.Relation == "copy" {
			s.CopyPairs.add(linked, p.NearDup)
		}
	}
}

// dupOf scores dup_of per item.
func (sc scoring) dupOf(s *Scores) {
	for _, it := range sc.c.Items {
		pr := sc.preds[it.ID]
		truth := it.DupOf != ""
		pred := pr.DupOf != ""
		right := pred && truth && sc.truthRoot(pr.DupOf) == sc.truthRoot(it.ID)
		switch {
		case right:
			s.DupOf.add(it.Written, true, true)
		case pred && truth: // a copy, but of the wrong group: both a false alarm and a miss
			s.DupOf.add(it.Written, true, false)
			s.DupOf.add(it.Written, false, true)
		default:
			s.DupOf.add(it.Written, pred, truth)
		}
	}
}

// clusters scores every pair among items and the seeds they were linked to.
func (sc scoring) clusters(s *Scores) {
	seedStory := seedStories(sc.c)
	for _, p := range sc.preds {
		if name, ok := strings.CutPrefix(p.DupOf, "seed:"); ok {
			if _, known := seedStory[name]; !known {
				seedStory[name] = ""
			}
		}
	}
	nodes := make([]string, 0, len(sc.c.Items)+len(seedStory))
	for _, it := range sc.c.Items {
		nodes = append(nodes, it.ID)
	}
	for name := range seedStory {
		nodes = append(nodes, "seed:"+name)
	}
	sort.Strings(nodes[len(sc.c.Items):])
	story := func(id string) string {
		if name, ok := strings.CutPrefix(id, "seed:"); ok {
			return seedStory[name]
		}
		it, _ := sc.c.Item(id)
		return it.Story
	}
	pr := make([]string, len(nodes))
	tr := make([]string, len(nodes))
	for i, n := range nodes {
		pr[i], tr[i] = sc.predRoot(n), sc.truthRoot(n)
	}
	for i := range nodes {
		for j := i + 1; j < len(nodes); j++ {
			merged, same := pr[i] == pr[j], tr[i] == tr[j]
			s.Clusters.add(merged, same)
			switch {
			case merged && !same:
				s.FalseMerges++
				if st := story(nodes[i]); st != "" && st == story(nodes[j]) {
					s.SameEventMerges++
					if len(s.SameEventExamples) < 5 {
						s.SameEventExamples = append(s.SameEventExamples, nodes[i]+"+"+nodes[j])
					}
				}
			case same && !merged:
				s.ApartCopies++
			}
		}
	}
}

// root follows next from id until an id with no successor or a seed; a
// cycle (which a consistent system never produces) stops where it closes.
func root(id string, next func(string) string) string {
	seen := map[string]bool{}
	for !strings.HasPrefix(id, "seed:") && !seen[id] {
		seen[id] = true
		n := next(id)
		if n == "" {
			break
		}
		id = n
	}
	return id
}

// normSeed writes a labelled seed reference as "seed:NAME".
func normSeed(ref string) string {
	if ref == "" || strings.HasPrefix(ref, "seed:") || !strings.HasSuffix(ref, ".txt") {
		return ref
	}
	return "seed:" + ref
}

func endKey(id string, seed bool) string {
	if seed {
		return "seed:" + id
	}
	return id
}

func isWritten(c *Corpus, id string) bool {
	it, ok := c.Item(id)
	return ok && it.Written
}

// seedStories returns the labelled story of every seed named in pairs.csv
// (the story of an item it is paired with, "" when none is on topic).
func seedStories(c *Corpus) map[string]string {
	out := make(map[string]string)
	note := func(seed, other string) {
		if _, ok := out[seed]; !ok {
			out[seed] = ""
		}
		if it, ok := c.Item(other); ok && it.Story != "" {
			out[seed] = it.Story
		}
	}
	for _, p := range c.Pairs {
		if p.unresolved {
			continue
		}
		if p.seedA {
			note(p.A, p.B)
		}
		if p.seedB {
			note(p.B, p.A)
		}
	}
	return out
}

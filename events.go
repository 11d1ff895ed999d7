package aggregator

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"aggregator/dedupe"
	"aggregator/event"
	"aggregator/fetch"
)

// The event step: every new story is compared with the events of the
// window (event/) and joins the best one or starts its own. The event
// index lives in memory; it is rebuilt from the stored stories at start-up
// and after a failed transaction, together with the near-duplicate index,
// and added to in the order stories are decided.

// EventDecision is the stored evidence of a story's event decision
// (Story.EventEvidence).
type EventDecision = event.Decision

// ParseEventDecision reads a story's stored event evidence; ok is false
// when none was stored.
func ParseEventDecision(s Story) (d EventDecision, ok bool, err error) {
	if len(s.EventEvidence) == 0 {
		return EventDecision{}, false, nil
	}
	if err := json.Unmarshal(s.EventEvidence, &d); err != nil {
		return EventDecision{}, false, fmt.Errorf("story %d: event evidence: %w", s.ID, err)
	}
	return d, true, nil
}

// newEventIndex returns an event index holding the seeds' events.
func (p *Pipeline) newEventIndex() *event.Index {
	opts := event.DefaultOptions()
	opts.ContentWord = dedupe.IsContentWord
	ix := event.NewIndex(opts)
	for _, s := range p.opts.Seeds {
		key := SeedKey(s.Name).String()
		f := ix.Extract(event.Doc{Title: s.Title, Text: fetch.NormalizeText(s.Text)})
		ix.Add(key, key, f, time.Time{})
	}
	return ix
}

// loadEvents rebuilds the event index from the seeds and the stories
// stored within the window, in the order they were created.
func (p *Pipeline) loadEvents(ctx context.Context) error {
	ix := p.newEventIndex()
	err := p.store.EventStories(ctx, p.now().Add(-p.opts.Window), func(v StoryView) error {
		f := ix.Extract(eventDoc(v.Head.Item))
		ix.Add(v.Event, StoryKey(v.ID).String(), f, v.Updated)
		return nil
	})
	if err != nil {
		return fmt.Errorf("aggregator: load events: %w", err)
	}
	p.events = ix
	return nil
}

func eventDoc(it Item) event.Doc {
	return event.Doc{Title: it.Title, Text: it.Body, Published: it.Published}
}

// decideEvent decides the event of the new story it heads, stores the
// decision in tx and files the story in the event index.
func (p *Pipeline) decideEvent(ctx context.Context, tx CycleTx, it Item, now time.Time) error {
	f := p.events.Extract(eventDoc(it))
	d := p.events.Decide(f)
	key := StoryKey(it.StoryID).String()
	ev := d.Event
	if ev == "" {
		ev = key
	}
	evidence, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("aggregator: event of story %d: %w", it.StoryID, err)
	}
	if err := tx.SetStoryEvent(ctx, it.StoryID, ev, evidence); err != nil {
		return err
	}
	p.events.Add(ev, key, f, now)
	return nil
}

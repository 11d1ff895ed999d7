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

// eventDoc is what the event step reads of a story's head item: its text,
// its language ("" when unknown: the event step identifies it) and date.
func eventDoc(it Item) event.Doc {
	return event.Doc{Title: it.Title, Text: it.Body, Lang: it.Language, Published: it.Published}
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

// EventExplanation is the event decision of an item's story, for
// "aggregator explain".
type EventExplanation struct {
	Story Story
	// Decision is the stored evidence; Stored is false for a story stored
	// before events (or without evidence).
	Decision EventDecision
	Stored   bool
	// Event says in words which event the story belongs to ("its own",
	// or the story or seed that started it), and With which story the
	// evidence compares it with; "" when there is none.
	Event, With string
}

// explainEvent returns the event decision of story storyID.
func (p *Pipeline) explainEvent(ctx context.Context, storyID int64) (*EventExplanation, error) {
	st, err := p.store.StoryByID(ctx, storyID)
	if err != nil {
		return nil, err
	}
	ex := &EventExplanation{Story: st}
	if ex.Decision, ex.Stored, err = ParseEventDecision(st); err != nil {
		return nil, err
	}
	if key, ok := st.EventKey(); ok {
		if key == StoryKey(st.ID) {
			ex.Event = "its own: the story started it"
		} else if ex.Event, _, err = p.describeMatch(ctx, key); err != nil {
			return nil, err
		}
	}
	if ex.Stored && ex.Decision.Best != nil {
		if ex.With, _, err = p.describeMatch(ctx, StoredMatchKey(ex.Decision.Best.With)); err != nil {
			return nil, err
		}
	}
	return ex, nil
}

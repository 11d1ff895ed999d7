package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"aggregator"
)

// testOutbox: notifications queued in a cycle's transaction are pending
// until marked delivered, keep their body and failures, and are queued
// once per story and endpoint.
func testOutbox(t *testing.T, s Store) {
	ctx := context.Background()
	a := ensure(t, s, "a", "http://a.example/feed")
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)
	const hookA, hookB = "https://a.example/hook", "https://b.example/hook"

	one, two := sampleItem(a.ID, "n1", t0), sampleItem(a.ID, "n2", t0.Add(time.Minute))
	commit(t, s, func(tx aggregator.CycleTx) error {
		for _, it := range []*aggregator.Item{&one, &two} {
			if err := tx.NewStory(ctx, it); err != nil {
				return err
			}
			for _, ep := range []string{hookA, hookB, hookA} { // the second hookA changes nothing
				if err := tx.QueueNotification(ctx, it.StoryID, ep, it.FirstSeen); err != nil {
					return err
				}
			}
		}
		return nil
	})
	// A rolled-back transaction queues nothing.
	three := sampleItem(a.ID, "n3", t0)
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.NewStory(ctx, &three); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueueNotification(ctx, three.StoryID, hookA, t0); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()

	pending, err := s.PendingNotifications(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		story    int64
		endpoint string
	}
	want := []row{{one.StoryID, hookA}, {one.StoryID, hookB}, {two.StoryID, hookA}, {two.StoryID, hookB}}
	if len(pending) != len(want) {
		t.Fatalf("pending = %+v, want %d rows", pending, len(want))
	}
	for i, n := range pending {
		if (row{n.StoryID, n.Endpoint}) != want[i] || n.Body != nil || n.Attempts != 0 || !n.Delivered.IsZero() || !n.NextAttempt.IsZero() {
			t.Errorf("pending[%d] = %+v, want %+v, fresh", i, n, want[i])
		}
	}
	if !pending[0].Queued.Equal(t0) {
		t.Errorf("queued at %v, want %v", pending[0].Queued, t0)
	}
	if got, err := s.PendingNotifications(ctx, 2); err != nil || len(got) != 2 || got[0].ID != pending[0].ID {
		t.Errorf("PendingNotifications(2) = %+v, %v", got, err)
	}
	testOutboxAttempts(t, s, pending, t0)
	testStoryViewByID(t, s, one, t0)
}

// testOutboxAttempts: a failed attempt keeps its body, count, error and
// next time; a delivered notification is pending no more.
func testOutboxAttempts(t *testing.T, s Store, pending []aggregator.Notification, t0 time.Time) {
	ctx := context.Background()
	body := []byte(`{"id":"tag:x"}`)
	next := t0.Add(30 * time.Second)
	if err := s.SetNotificationBody(ctx, pending[0].ID, body); err != nil {
		t.Fatal(err)
	}
	if err := s.NotificationFailed(ctx, pending[0].ID, 1, "503 Service Unavailable", next); err != nil {
		t.Fatal(err)
	}
	if err := s.NotificationDelivered(ctx, pending[1].ID, t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	after, err := s.PendingNotifications(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != 3 || after[0].ID != pending[0].ID || after[1].ID != pending[2].ID {
		t.Fatalf("after one delivered: %+v", after)
	}
	f := after[0]
	if string(f.Body) != string(body) || f.Attempts != 1 || f.LastError != "503 Service Unavailable" || !f.NextAttempt.Equal(next) {
		t.Errorf("failed notification = %+v", f)
	}
	if err := s.NotificationDelivered(ctx, 1<<40, t0); !errors.Is(err, aggregator.ErrNotFound) {
		t.Errorf("NotificationDelivered of a missing row: %v, want ErrNotFound", err)
	}
}

func testStoryViewByID(t *testing.T, s Store, one aggregator.Item, t0 time.Time) {
	ctx := context.Background()
	v, err := s.StoryViewByID(ctx, one.StoryID)
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != one.StoryID || v.Head.ID != one.ID || v.Head.SourceName != "a" || !v.Created.Equal(t0) || len(v.Copies) != 0 {
		t.Errorf("StoryViewByID = %+v", v)
	}
	if _, err := s.StoryViewByID(ctx, 1<<40); !errors.Is(err, aggregator.ErrNotFound) {
		t.Errorf("StoryViewByID of a missing story: %v, want ErrNotFound", err)
	}
}

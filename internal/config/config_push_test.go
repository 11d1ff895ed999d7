package config

import (
	"reflect"
	"testing"
)

func TestPushGood(t *testing.T) {
	c, err := Load("testdata/push.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	wantHubs := []string{"https://hub.example.net/", "http://127.0.0.1:9999/hub"}
	if !reflect.DeepEqual(c.Feed.Hubs, wantHubs) {
		t.Errorf("feed.hubs = %q, want %q", c.Feed.Hubs, wantHubs)
	}
	wantNotify := []Webhook{
		{URL: "https://desk.example.com/hooks/aggregator", Secret: "0123456789abcdef0123"},
		{URL: "http://127.0.0.1:9000/unsigned"},
	}
	if !reflect.DeepEqual(c.Notify, wantNotify) {
		t.Errorf("notify = %+v, want %+v", c.Notify, wantNotify)
	}
}

package s3state

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestStateLockJSON(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	l, err := newStateLock("lakesync apply -c prod.hcl", now, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"id", "who", "when", "what", "lease_until"} {
		if _, ok := fields[name]; !ok {
			t.Errorf("lock JSON %s has no field %q", b, name)
		}
	}
	if len(fields) != 5 {
		t.Errorf("lock JSON %s: %d fields, want 5", b, len(fields))
	}
	if fields["lease_until"] != "2026-03-01T12:05:00Z" || fields["when"] != "2026-03-01T12:00:00Z" {
		t.Errorf("lock JSON %s: want when 12:00 and lease_until 12:05 UTC", b)
	}
	if !strings.Contains(l.Who, "@") || !strings.Contains(l.Who, "pid ") {
		t.Errorf("who = %q, want user@host (pid N)", l.Who)
	}
	back, err := parseStateLock(b)
	if err != nil || back != l {
		t.Errorf("parse(marshal(lock)) = %+v, %v; want %+v", back, err, l)
	}
	other, _ := newStateLock("x", now, time.Minute)
	if other.ID == l.ID {
		t.Errorf("two locks got the same id %s", l.ID)
	}
	if _, err := parseStateLock([]byte(`{"who":"x"}`)); err == nil {
		t.Error("a lock without id was accepted")
	}
}

func TestStateLockLease(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	l := StateLock{ID: "abc", Who: "ci@runner-7 (pid 42)", When: now, What: "lakesync apply", LeaseUntil: now.Add(5 * time.Minute)}
	tests := []struct {
		at      time.Duration
		expired bool
		says    string
	}{
		{0, false, "wait for it to finish"},
		{5*time.Minute - time.Nanosecond, false, "wait for it to finish"},
		{5 * time.Minute, true, "lakesync state unlock abc"},
		{time.Hour, true, "lakesync state unlock abc"},
	}
	for _, tt := range tests {
		at := now.Add(tt.at)
		if got := l.Expired(at); got != tt.expired {
			t.Errorf("Expired at +%s = %v, want %v", tt.at, got, tt.expired)
		}
		msg := (&StateLockedError{Loc: "s3://b/k.lock", Holder: l, Now: at}).Error()
		for _, want := range []string{"ci@runner-7 (pid 42)", "2026-03-01T12:00:00Z", `"lakesync apply"`, "s3://b/k.lock", tt.says} {
			if !strings.Contains(msg, want) {
				t.Errorf("at +%s: %q does not say %q", tt.at, msg, want)
			}
		}
	}
}

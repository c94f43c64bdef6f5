package webhooks

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestEventFor(t *testing.T) {
	cases := []struct {
		name     string
		old, new LeadState
		want     string
	}{
		{"offered", LeadState{Status: "ready"}, LeadState{Status: "offered", Partner: "p1", OfferedAt: "t1"}, "lead.offered"},
		{"reoffered to another partner", LeadState{Status: "offered", Partner: "p1", OfferedAt: "t1"}, LeadState{Status: "offered", Partner: "p2", OfferedAt: "t2"}, EventReoffered},
		{"reoffered, same partner new offer", LeadState{Status: "offered", Partner: "p1", OfferedAt: "t1"}, LeadState{Status: "offered", Partner: "p1", OfferedAt: "t2"}, EventReoffered},
		{"offered, other field changed", LeadState{Status: "offered", Partner: "p1", OfferedAt: "t1"}, LeadState{Status: "offered", Partner: "p1", OfferedAt: "t1", MeetingAt: "x"}, ""},
		{"offered again after the pool", LeadState{Status: "ready"}, LeadState{Status: "offered", Offers: 2}, EventReoffered},
		{"first offer", LeadState{Status: "ready"}, LeadState{Status: "offered", Offers: 1}, "lead.offered"},
		{"accepted", LeadState{Status: "offered"}, LeadState{Status: "accepted"}, "lead.accepted"},
		{"won", LeadState{Status: "meeting"}, LeadState{Status: "won", WonAmount: 9}, "lead.won"},
		{"back to the pool", LeadState{Status: "offered"}, LeadState{Status: "ready"}, "lead.ready"},
		{"no change", LeadState{Status: "contacted"}, LeadState{Status: "contacted"}, ""},
		{"empty", LeadState{Status: "new"}, LeadState{}, ""},
	}
	for _, c := range cases {
		if got := EventFor(c.old, c.new); got != c.want {
			t.Errorf("%s: EventFor = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestMergesInto(t *testing.T) {
	cases := []struct {
		prev, from, next string
		want             bool
	}{
		{"lead.ready", "offered", EventReoffered, true},
		{"lead.ready", "offered", "lead.offered", true},
		{"lead.recycled", "offered", EventReoffered, true},
		{"lead.ready", "qualifying", "lead.offered", false}, // a first offer after qualification
		{"lead.ready", "offered", "lead.qualifying", false},
		{"lead.accepted", "offered", "lead.contacted", false},
		{"lead.offered", "ready", EventReoffered, false},
	}
	for _, c := range cases {
		if got := MergesInto(c.prev, c.from, c.next); got != c.want {
			t.Errorf("MergesInto(%s, %s, %s) = %v, want %v", c.prev, c.from, c.next, got, c.want)
		}
	}
}

// The body carries the outcome of the status it reports, and never a
// partner.
func TestBody(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		new     LeadState
		has     string
		hasNots []string
	}{
		{LeadState{Status: "won", WonAmount: 12500, Partner: "partnerid1"}, `"won_amount":12500`, []string{"lost_reason", "meeting_at"}},
		{LeadState{Status: "lost", LostReason: "prix", Partner: "partnerid1"}, `"lost_reason":"prix"`, []string{"won_amount", "meeting_at"}},
		{LeadState{Status: "meeting", MeetingAt: "2026-05-02", Partner: "partnerid1"}, `"meeting_at":"2026-05-02"`, []string{"won_amount", "lost_reason"}},
		{LeadState{Status: "accepted", Partner: "partnerid1"}, `"status":"accepted"`, []string{"won_amount", "lost_reason", "meeting_at"}},
	}
	for _, c := range cases {
		b, err := json.Marshal(Body("ev1", "lead."+c.new.Status, "lead1", LeadState{Status: "offered"}, c.new, at))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if !strings.Contains(s, c.has) || !strings.Contains(s, `"previous_status":"offered"`) || !strings.Contains(s, `"id":"ev1"`) {
			t.Errorf("%s: body %s", c.new.Status, s)
		}
		for _, no := range append(c.hasNots, "partner") {
			if strings.Contains(s, no) {
				t.Errorf("%s: body %s holds %q", c.new.Status, s, no)
			}
		}
	}
}

func TestSignVerify(t *testing.T) {
	body := []byte(`{"id":"e1"}`)
	sig := Sign("s3cret", body)
	// the reference value of HMAC-SHA256("s3cret", body), computed apart
	// (Python's hmac module)
	if sig != "sha256=88267f36f7e6cafeb097afd76335e0a3a74ea79e2bc2e62989462bf0c75cfd0f" {
		t.Fatalf("signature %q", sig)
	}
	if !Verify("s3cret", body, sig) {
		t.Fatal("own signature refused")
	}
	for _, bad := range []struct {
		secret, sig string
		body        []byte
	}{
		{"other", sig, body},
		{"s3cret", sig, []byte(`{"id":"e2"}`)},
		{"s3cret", strings.TrimPrefix(sig, "sha256="), body},
		{"s3cret", "sha256=zz", body},
	} {
		if Verify(bad.secret, bad.body, bad.sig) {
			t.Errorf("accepted %+v", bad)
		}
	}
}

func TestBackoff(t *testing.T) {
	cases := []struct {
		n    int
		want time.Duration
	}{
		{0, 0}, {1, 2 * time.Second}, {2, 4 * time.Second}, {5, 32 * time.Second},
		{11, 2048 * time.Second}, {12, time.Hour}, {40, time.Hour},
	}
	for _, c := range cases {
		if got := Backoff(c.n); got != c.want {
			t.Errorf("Backoff(%d) = %v, want %v", c.n, got, c.want)
		}
	}
}

package auditchain

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chain returns n entries sealed in order, each with distinct content.
func chain(t testing.TB, n int) []Entry {
	t.Helper()
	out := make([]Entry, 0, n)
	prev := Genesis
	for i := range n {
		e := Entry{
			ID:           fmt.Sprintf("aud%012d", i),
			At:           baseTime.Add(time.Duration(i) * 1500 * time.Microsecond),
			Actor:        fmt.Sprintf("usr_%d", i%7),
			ActorRole:    []string{"admin", "channel_manager", "partner_admin"}[i%3],
			ActorPartner: []string{"", "ptn_1", "ptn_2"}[i%3],
			Action:       []string{"login.ok", "lead.assign", "offer.accept", "export"}[i%4],
			Resource:     "leads",
			Record:       fmt.Sprintf("lead_%d", i),
			Changes:      json.RawMessage(fmt.Sprintf(`{"status":{"to":"offered","from":"ready"},"n":%d}`, i)),
			IP:           "198.51.100.7",
			RequestID:    fmt.Sprintf("req-%d", i),
		}
		if i%5 == 0 {
			e.Changes = nil
		}
		s, err := Seal(prev, e)
		require.NoError(t, err)
		out = append(out, s)
		prev = s.Hash
	}
	return out
}

// without returns a copy of es with the entry at i removed.
func without(es []Entry, i int) []Entry {
	out := append([]Entry(nil), es[:i]...)
	return append(out, es[i+1:]...)
}

// with returns a copy of es with e inserted at i.
func with(es []Entry, i int, e Entry) []Entry {
	out := append([]Entry(nil), es[:i]...)
	out = append(out, e)
	return append(out, es[i:]...)
}

func TestVerifyIntact(t *testing.T) {
	es := chain(t, 50)
	assert.Nil(t, Verify(es))
	assert.Nil(t, Verify(nil), "empty chain")
	assert.Nil(t, Verify(es[:1]), "single entry")
	assert.Equal(t, Genesis, es[0].PrevHash)
	for i := 1; i < len(es); i++ {
		require.Equal(t, es[i-1].Hash, es[i].PrevHash)
	}

	v := NewVerifier()
	assert.Equal(t, Genesis, v.Last())
	for i, e := range es {
		require.Nil(t, v.Next(e), "entry %d", i)
	}
	assert.Equal(t, 50, v.Count())
	assert.Equal(t, es[49].Hash, v.Last())
}

func TestVerifyDetectsFieldEdits(t *testing.T) {
	// Edit one field of entry 17 (of 50): the break is at 17, except for a
	// prev_hash edit, which is a link error at the same place.
	const at = 17
	edits := []struct {
		field  string
		edit   func(*Entry)
		reason string
	}{
		{"ID", func(e *Entry) { e.ID += "x" }, ReasonHash},
		{"At", func(e *Entry) { e.At = e.At.Add(time.Millisecond) }, ReasonHash},
		{"Actor", func(e *Entry) { e.Actor = "usr_mallory" }, ReasonHash},
		{"ActorRole", func(e *Entry) { e.ActorRole = "admin_x" }, ReasonHash},
		{"ActorPartner", func(e *Entry) { e.ActorPartner += "9" }, ReasonHash},
		{"Action", func(e *Entry) { e.Action = "lead.delete" }, ReasonHash},
		{"Resource", func(e *Entry) { e.Resource = "deal_terms" }, ReasonHash},
		{"Record", func(e *Entry) { e.Record = "lead_999" }, ReasonHash},
		{"Changes", func(e *Entry) { e.Changes = json.RawMessage(`{"status":{"to":"won","from":"ready"},"n":17}`) }, ReasonHash},
		{"IP", func(e *Entry) { e.IP = "203.0.113.1" }, ReasonHash},
		{"RequestID", func(e *Entry) { e.RequestID = "" }, ReasonHash},
		{"PrevHash", func(e *Entry) { e.PrevHash = Genesis }, ReasonPrevHash},
		{"Hash", func(e *Entry) { e.Hash = Genesis }, ReasonHash},
	}

	// Every field of Entry is covered: a new field must be added here.
	typ := reflect.TypeFor[Entry]()
	covered := map[string]bool{}
	for _, ed := range edits {
		covered[ed.field] = true
	}
	for f := range typ.Fields() {
		assert.True(t, covered[f.Name], "field %s has no tamper test", f.Name)
	}
	assert.Len(t, edits, typ.NumField())

	base := chain(t, 50)
	for _, ed := range edits {
		t.Run(ed.field, func(t *testing.T) {
			es := append([]Entry(nil), base...)
			ed.edit(&es[at])
			require.NotEqual(t, base[at], es[at], "the edit changed something")
			b := Verify(es)
			require.NotNil(t, b)
			assert.Equal(t, at, b.Index)
			assert.Equal(t, es[at].ID, b.ID)
			assert.Equal(t, ed.reason, b.Reason)
		})
	}
}

func TestVerifyDetectsEditOfEveryPosition(t *testing.T) {
	base := chain(t, 50)
	for i := range base {
		es := append([]Entry(nil), base...)
		es[i].Actor = "usr_mallory"
		b := Verify(es)
		require.NotNil(t, b, "edit at %d", i)
		require.Equal(t, i, b.Index)
		require.Equal(t, ReasonHash, b.Reason)
	}
}

func TestVerifyDetectsStructuralTampering(t *testing.T) {
	base := chain(t, 50)

	forgedAfter := func(prev string, id string) Entry {
		f, err := Seal(prev, Entry{ID: id, At: baseTime, Actor: "usr_mallory", Action: "grant.create", Resource: "grants"})
		require.NoError(t, err)
		return f
	}
	// An edited entry whose own hash is recomputed correctly.
	resealed := func(i int) Entry {
		e := base[i]
		e.Action = "nothing.happened"
		s, err := Seal(e.PrevHash, e)
		require.NoError(t, err)
		return s
	}
	swapped := func(i, j int) []Entry {
		es := append([]Entry(nil), base...)
		es[i], es[j] = es[j], es[i]
		return es
	}
	replaced := func(i int, e Entry) []Entry {
		es := append([]Entry(nil), base...)
		es[i] = e
		return es
	}

	tests := []struct {
		name      string
		entries   []Entry
		wantIndex int
		wantID    string
		reason    string
	}{
		{"delete the first entry", without(base, 0), 0, base[1].ID, ReasonPrevHash},
		{"delete a middle entry", without(base, 20), 20, base[21].ID, ReasonPrevHash},
		{"delete the second to last entry", without(base, 48), 48, base[49].ID, ReasonPrevHash},
		{"insert a forged entry with a correct own hash", with(base, 20, forgedAfter(base[19].Hash, "forged")), 21, base[20].ID, ReasonPrevHash},
		{"insert a forged genesis entry", with(base, 0, forgedAfter(Genesis, "forged")), 1, base[0].ID, ReasonPrevHash},
		{"insert an unsealed entry", with(base, 10, Entry{ID: "raw", At: baseTime}), 10, "raw", ReasonPrevHash},
		{"insert a copy of an entry", with(base, 31, base[30]), 31, base[30].ID, ReasonPrevHash},
		{"edit and reseal an entry", replaced(25, resealed(25)), 26, base[26].ID, ReasonPrevHash},
		{"edit and reseal the first entry", replaced(0, resealed(0)), 1, base[1].ID, ReasonPrevHash},
		{"swap two distant entries", swapped(10, 30), 10, base[30].ID, ReasonPrevHash},
		{"swap two neighbours", swapped(10, 11), 10, base[11].ID, ReasonPrevHash},
		{"swap first and last", swapped(0, 49), 0, base[49].ID, ReasonPrevHash},
		{"reverse the chain", reversed(base), 0, base[49].ID, ReasonPrevHash},
		{"invalid changes JSON", replaced(5, func() Entry { e := base[5]; e.Changes = json.RawMessage(`{`); return e }()), 5, base[5].ID, ReasonInvalid},
		{"zero time", replaced(6, func() Entry { e := base[6]; e.At = time.Time{}; return e }()), 6, base[6].ID, ReasonInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Verify(tt.entries)
			require.NotNil(t, b)
			assert.Equal(t, tt.wantIndex, b.Index)
			assert.Equal(t, tt.wantID, b.ID)
			assert.Equal(t, tt.reason, b.Reason)
			assert.Contains(t, b.Error(), tt.reason)
		})
	}
}

// reversed returns es in reverse order.
func reversed(es []Entry) []Entry {
	out := make([]Entry, len(es))
	for i, e := range es {
		out[len(es)-1-i] = e
	}
	return out
}

func TestVerifyTailLimits(t *testing.T) {
	// Documented limits: the chain alone cannot see a cut tail, nor a tail
	// rewritten by someone who can recompute hashes. The head, anchored
	// outside the database, does.
	base := chain(t, 50)
	anchoredHead, anchoredCount := base[49].Hash, 50

	t.Run("cut tail", func(t *testing.T) {
		cut := base[:45]
		assert.Nil(t, Verify(cut))
		v := NewVerifier()
		for _, e := range cut {
			require.Nil(t, v.Next(e))
		}
		assert.NotEqual(t, anchoredHead, v.Last())
		assert.Less(t, v.Count(), anchoredCount)
	})

	t.Run("rewritten tail", func(t *testing.T) {
		es := append([]Entry(nil), base[:40]...)
		prev := es[39].Hash
		for i := 40; i < 50; i++ {
			e := base[i]
			e.Actor = "usr_mallory"
			s, err := Seal(prev, e)
			require.NoError(t, err)
			es = append(es, s)
			prev = s.Hash
		}
		assert.Nil(t, Verify(es))
		v := NewVerifier()
		for _, e := range es {
			require.Nil(t, v.Next(e))
		}
		assert.Equal(t, anchoredCount, v.Count())
		assert.NotEqual(t, anchoredHead, v.Last())
	})
}

func TestVerifyIgnoresEquivalentRepresentations(t *testing.T) {
	// What the database may do to a stored entry must not break the chain:
	// reorder JSON keys, reformat JSON, drop sub-millisecond digits, return
	// time in another zone, return null for absent changes.
	es := chain(t, 10)
	es[3].Changes = json.RawMessage(`{ "n": 3, "status": { "from": "ready", "to": "offered" } }`)
	es[4].At = es[4].At.In(time.FixedZone("CET", 3600))
	es[5].Changes = json.RawMessage(`null`)
	es[6].At = es[6].At.Add(999 * time.Microsecond)
	assert.Nil(t, Verify(es))
}

func TestVerifierStopsAtFirstBreak(t *testing.T) {
	es := chain(t, 10)
	es[3].Record = "tampered"
	es[7].Record = "tampered too"

	v := NewVerifier()
	for i := range 3 {
		require.Nil(t, v.Next(es[i]))
	}
	first := v.Next(es[3])
	require.NotNil(t, first)
	assert.Equal(t, 3, first.Index)
	assert.Equal(t, ReasonHash, first.Reason)
	assert.Equal(t, es[3].Hash, first.Got)
	assert.NotEqual(t, first.Got, first.Want)

	for _, e := range es[4:] {
		assert.Same(t, first, v.Next(e), "break is sticky")
	}
	assert.Equal(t, 3, v.Count())
	assert.Equal(t, es[2].Hash, v.Last())
	assert.Equal(t, first, Verify(es))
}

func TestBreakError(t *testing.T) {
	b := &Break{Index: 4, ID: "aud4", Reason: ReasonPrevHash, Want: "aa", Got: "bb"}
	assert.Equal(t, `audit chain broken at entry 4 (id "aud4"): prev_hash mismatch: want aa, got bb`, b.Error())
	inv := &Break{Index: 0, ID: "x", Reason: ReasonInvalid, Want: "auditchain: entry time is zero"}
	assert.Equal(t, `audit chain broken at entry 0 (id "x"): invalid entry: auditchain: entry time is zero`, inv.Error())
	var err error = b
	assert.Error(t, err)
}

func BenchmarkVerify(b *testing.B) {
	es := chain(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if br := Verify(es); br != nil {
			b.Fatal(br)
		}
	}
}

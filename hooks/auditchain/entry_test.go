package auditchain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// baseTime is a fixed instant with sub-millisecond digits.
var baseTime = time.Date(2025, 3, 14, 9, 26, 53, 589_793_238, time.UTC)

// sample returns a fully populated entry, not sealed.
func sample() Entry {
	return Entry{
		ID:           "aud0000000000001",
		At:           baseTime,
		Actor:        "usr_claire",
		ActorRole:    "channel_manager",
		ActorPartner: "",
		Action:       "lead.assign",
		Resource:     "leads",
		Record:       "lead_42",
		Changes:      json.RawMessage(`{"partner":{"from":"","to":"ptn_7"},"status":{"from":"ready","to":"offered"}}`),
		IP:           "192.0.2.10",
		RequestID:    "req-1",
	}
}

func TestCanonicalGolden(t *testing.T) {
	// The encoding is a stored format: changing it invalidates every chain
	// already written. This test pins it.
	e := sample()
	e.PrevHash = Genesis
	c, err := Canonical(e)
	require.NoError(t, err)
	want := "v 20:relais-auditchain-v1\n" +
		"id 16:aud0000000000001\n" +
		"prev_hash 64:" + Genesis + "\n" +
		"at 24:2025-03-14T09:26:53.589Z\n" +
		"actor 10:usr_claire\n" +
		"actor_role 15:channel_manager\n" +
		"actor_partner 0:\n" +
		"action 11:lead.assign\n" +
		"resource 5:leads\n" +
		"record 7:lead_42\n" +
		`changes 77:{"partner":{"from":"","to":"ptn_7"},"status":{"from":"ready","to":"offered"}}` + "\n" +
		"ip 10:192.0.2.10\n" +
		"request_id 5:req-1\n"
	assert.Equal(t, want, string(c))

	h, err := Compute(e)
	require.NoError(t, err)
	assert.Regexp(t, `^[0-9a-f]{64}$`, h)
	assert.Equal(t, "653cfe37ee7daa7fc98e2d1ea2ac401953c9c97b4407a32dbc7dc152404d3ec3", h)
}

func TestCanonicalIgnoresHash(t *testing.T) {
	a := sample()
	b := sample()
	b.Hash = "anything"
	ca, err := Canonical(a)
	require.NoError(t, err)
	cb, err := Canonical(b)
	require.NoError(t, err)
	assert.Equal(t, ca, cb)
}

func TestCanonicalErrors(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Entry)
		wantErr string
	}{
		{"zero time", func(e *Entry) { e.At = time.Time{} }, "time is zero"},
		{"invalid changes", func(e *Entry) { e.Changes = json.RawMessage(`{"a":`) }, "changes"},
		{"duplicate key", func(e *Entry) { e.Changes = json.RawMessage(`{"a":1,"a":2}`) }, "duplicate object key"},
		{"trailing data", func(e *Entry) { e.Changes = json.RawMessage(`{} {}`) }, "trailing data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sample()
			tt.edit(&e)
			_, err := Canonical(e)
			require.ErrorContains(t, err, tt.wantErr)
			_, err = Compute(e)
			require.Error(t, err)
			_, err = Seal(Genesis, e)
			require.Error(t, err)
		})
	}
	e := sample()
	e.At = time.Time{}
	_, err := Canonical(e)
	assert.ErrorIs(t, err, ErrZeroTime)
}

func TestCanonicalUnambiguous(t *testing.T) {
	// Values that would collide under naive concatenation or a separator.
	pairs := []struct {
		name string
		a, b func(*Entry)
	}{
		{"pipe moves between actor and action",
			func(e *Entry) { e.Actor, e.Action = "a|b", "c" },
			func(e *Entry) { e.Actor, e.Action = "a", "b|c" }},
		{"plain shift between actor and actor_role",
			func(e *Entry) { e.Actor, e.ActorRole = "ab", "c" },
			func(e *Entry) { e.Actor, e.ActorRole = "a", "bc" }},
		{"fake field framing inside a value",
			func(e *Entry) { e.Resource, e.Record = "leads\nrecord 1:x", "" },
			func(e *Entry) { e.Resource, e.Record = "leads", "x" }},
		{"length digits inside a value",
			func(e *Entry) { e.IP, e.RequestID = "1:", "" },
			func(e *Entry) { e.IP, e.RequestID = "", "1:" }},
		{"framing that would collide without the lengths",
			func(e *Entry) { e.Actor, e.ActorRole = "a\nactor_role :b", "" },
			func(e *Entry) { e.Actor, e.ActorRole = "a", "b\nactor_role :" }},
		{"empty vs moved to next field",
			func(e *Entry) { e.ID, e.Actor = "", "x" },
			func(e *Entry) { e.ID, e.Actor = "x", "" }},
	}
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			a, b := sample(), sample()
			p.a(&a)
			p.b(&b)
			ha, err := Compute(a)
			require.NoError(t, err)
			hb, err := Compute(b)
			require.NoError(t, err)
			assert.NotEqual(t, ha, hb)
		})
	}
}

// stringFields returns pointers to every free-text field of e, in encoding
// order.
func stringFields(e *Entry) []*string {
	return []*string{&e.ID, &e.PrevHash, &e.Actor, &e.ActorRole, &e.ActorPartner,
		&e.Action, &e.Resource, &e.Record, &e.IP, &e.RequestID}
}

// decodeCanonical parses the "name len:value\n" framing back into values, so
// the tests can check that the encoding loses nothing.
func decodeCanonical(t *testing.T, c []byte) (names []string, values []string) {
	t.Helper()
	for len(c) > 0 {
		sp := bytes.IndexByte(c, ' ')
		require.Positive(t, sp, "field name")
		colon := bytes.IndexByte(c[sp:], ':')
		require.Positive(t, colon, "length")
		n, err := strconv.Atoi(string(c[sp+1 : sp+colon]))
		require.NoError(t, err)
		start := sp + colon + 1
		require.LessOrEqual(t, start+n+1, len(c))
		require.Equal(t, byte('\n'), c[start+n])
		names = append(names, string(c[:sp]))
		values = append(values, string(c[start:start+n]))
		c = c[start+n+1:]
	}
	return names, values
}

func TestCanonicalRoundTripsRandomFields(t *testing.T) {
	// Property: the encoding decodes back to exactly the input fields, so two
	// entries with different fields can never share canonical bytes; and any
	// two different splits of the same text across fields differ.
	const alphabet = "ab|:\n 0123456789é\x00"
	r := rand.New(rand.NewPCG(1, 2))
	randString := func() string {
		runes := []rune(alphabet)
		n := r.IntN(8)
		s := make([]rune, n)
		for i := range s {
			s[i] = runes[r.IntN(len(runes))]
		}
		return string(s)
	}
	wantNames := []string{"v", "id", "prev_hash", "at", "actor", "actor_role", "actor_partner",
		"action", "resource", "record", "changes", "ip", "request_id"}
	for range 2000 {
		e := sample()
		ptrs := stringFields(&e)
		for _, p := range ptrs {
			*p = randString()
		}
		c, err := Canonical(e)
		require.NoError(t, err)
		names, values := decodeCanonical(t, c)
		require.Equal(t, wantNames, names)
		got := []string{values[1], values[2], values[4], values[5], values[6],
			values[7], values[8], values[9], values[11], values[12]}
		want := make([]string, len(ptrs))
		for i, p := range ptrs {
			want[i] = *p
		}
		require.Equal(t, want, got)

		// Move one boundary between two neighbouring fields: bytes differ.
		i := r.IntN(len(ptrs) - 1)
		a, b := ptrs[i], ptrs[i+1]
		if *b == "" {
			continue
		}
		moved := e
		mp := stringFields(&moved)
		*mp[i] = *a + (*b)[:1]
		*mp[i+1] = (*b)[1:]
		c2, err := Canonical(moved)
		require.NoError(t, err)
		require.NotEqual(t, c, c2)
	}
}

func TestTimePrecision(t *testing.T) {
	base, err := Compute(sample())
	require.NoError(t, err)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	tests := []struct {
		name string
		at   time.Time
		same bool
	}{
		{"sub-millisecond later, same ms", baseTime.Add(200 * time.Microsecond), true},
		{"truncated to the ms", baseTime.Truncate(time.Millisecond), true},
		{"one nanosecond before the ms ends", baseTime.Truncate(time.Millisecond).Add(time.Millisecond - 1), true},
		{"same instant in another zone", baseTime.In(paris), true},
		{"same instant, fixed offset", baseTime.In(time.FixedZone("X", -7*3600)), true},
		{"with monotonic reading stripped", baseTime.Round(0), true},
		{"next millisecond", baseTime.Truncate(time.Millisecond).Add(time.Millisecond), false},
		{"one ns before the ms starts", baseTime.Truncate(time.Millisecond).Add(-1), false},
		{"one second later", baseTime.Add(time.Second), false},
		{"same wall clock, other zone", time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, paris), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sample()
			e.At = tt.at
			h, err := Compute(e)
			require.NoError(t, err)
			if tt.same {
				assert.Equal(t, base, h)
			} else {
				assert.NotEqual(t, base, h)
			}
		})
	}
}

func TestChangesKeyOrderIndependence(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"top-level key order", `{"a":1,"b":2}`, `{"b":2,"a":1}`, true},
		{"nested key order", `{"x":{"a":1,"b":[{"d":1,"c":2}]}}`, `{"x":{"b":[{"c":2,"d":1}],"a":1}}`, true},
		{"white space", `{"a":1,"b":2}`, " {\n\t\"a\" : 1 ,\r\n \"b\":2 }\n", true},
		{"escaped vs literal unicode", `{"name":"é"}`, `{"name":"\u00e9"}`, true},
		{"escaped slash", `{"url":"a/b"}`, `{"url":"a\/b"}`, true},
		{"nil vs empty object", ``, `{}`, true},
		{"null vs empty object", `null`, `{}`, true},
		{"blank vs empty object", "  \n", `{}`, true},
		{"array order matters", `{"a":[1,2]}`, `{"a":[2,1]}`, false},
		{"different value", `{"a":1}`, `{"a":2}`, false},
		{"number text kept", `{"a":1}`, `{"a":1.0}`, false},
		{"string vs number", `{"a":"1"}`, `{"a":1}`, false},
		{"key case", `{"a":1}`, `{"A":1}`, false},
		{"empty array vs empty object", `[]`, `{}`, false},
		{"null member vs absent member", `{"a":null}`, `{}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ea, eb := sample(), sample()
			ea.Changes = json.RawMessage(tt.a)
			eb.Changes = json.RawMessage(tt.b)
			if tt.a == "" {
				ea.Changes = nil
			}
			ha, err := Compute(ea)
			require.NoError(t, err)
			hb, err := Compute(eb)
			require.NoError(t, err)
			if tt.same {
				assert.Equal(t, ha, hb)
			} else {
				assert.NotEqual(t, ha, hb)
			}
		})
	}
}

func TestCanonicalJSON(t *testing.T) {
	deep := func(n int) string {
		return string(bytes.Repeat([]byte("["), n)) + string(bytes.Repeat([]byte("]"), n))
	}
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr string
	}{
		{"sorted and compact", `{ "b": [true, false, null], "a": {"z": 1, "y": "s"} }`, `{"a":{"y":"s","z":1},"b":[true,false,null]}`, ""},
		{"big number kept exactly", `{"n":12345678901234567890123}`, `{"n":12345678901234567890123}`, ""},
		{"exponent kept", `{"n":-1.5e+10}`, `{"n":-1.5e+10}`, ""},
		{"keys sorted by bytes", `{"b":1,"B":2,"é":3,"a":4}`, `{"B":2,"a":4,"b":1,"é":3}`, ""},
		{"top-level array", `[{"b":1,"a":2}]`, `[{"a":2,"b":1}]`, ""},
		{"top-level string", `"x"`, `"x"`, ""},
		{"nesting at the limit", deep(maxDepth), deep(maxDepth), ""},
		{"nil", ``, `{}`, ""},
		{"truncated", `{"a":1`, ``, "EOF|unexpected end"},
		{"not JSON", `nope`, ``, "invalid"},
		{"trailing object", `{}{}`, ``, "trailing data"},
		{"trailing garbage", `{"a":1} x`, ``, "trailing data"},
		{"trailing comma in array", `[1,]`, ``, "invalid"},
		{"trailing comma in object", `{"a":1,}`, ``, "invalid"},
		{"missing colon", `{"a" 1}`, ``, "invalid"},
		{"duplicate key", `{"a":1,"b":2,"a":1}`, ``, "duplicate object key"},
		{"nested duplicate key", `{"x":[{"k":1,"k":2}]}`, ``, "duplicate object key"},
		{"too deep", deep(maxDepth + 1), ``, "too deeply|exceeded max depth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := canonicalJSON(json.RawMessage(tt.in))
			if tt.wantErr != "" {
				// the wording is encoding/json's (Go 1.27 rewrote it on json/v2)
				require.Error(t, err)
				require.Regexp(t, tt.wantErr, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			again, err := canonicalJSON(got)
			require.NoError(t, err)
			assert.Equal(t, got, again, "canonical form is a fixed point")
		})
	}
}

func TestSeal(t *testing.T) {
	in := sample()
	in.At = baseTime.In(time.FixedZone("X", 2*3600))
	out, err := Seal(Genesis, in)
	require.NoError(t, err)

	assert.Equal(t, Genesis, out.PrevHash)
	assert.Equal(t, time.UTC, out.At.Location())
	assert.Equal(t, baseTime.Truncate(time.Millisecond), out.At)
	want, err := Compute(out)
	require.NoError(t, err)
	assert.Equal(t, want, out.Hash)

	assert.Empty(t, in.PrevHash, "input not modified")
	assert.Empty(t, in.Hash, "input not modified")
	assert.Equal(t, baseTime.In(time.FixedZone("X", 2*3600)), in.At)

	again, err := Seal(Genesis, out)
	require.NoError(t, err)
	assert.Equal(t, out, again, "sealing is deterministic and idempotent")

	next, err := Seal(out.Hash, sample())
	require.NoError(t, err)
	assert.Equal(t, out.Hash, next.PrevHash)
	assert.NotEqual(t, out.Hash, next.Hash)
}

func TestSealRejectsBadPrevHash(t *testing.T) {
	for _, prev := range []string{
		"",
		"0",
		Genesis[:63],
		Genesis + "0",
		"ABCDEF0000000000000000000000000000000000000000000000000000000000",
		"g000000000000000000000000000000000000000000000000000000000000000",
		" 000000000000000000000000000000000000000000000000000000000000000",
	} {
		t.Run(fmt.Sprintf("%q", prev), func(t *testing.T) {
			_, err := Seal(prev, sample())
			require.ErrorIs(t, err, ErrBadHash)
		})
	}
	assert.Len(t, Genesis, 64)
	assert.True(t, isHash(Genesis))
}

func BenchmarkSeal(b *testing.B) {
	e := sample()
	prev := Genesis
	b.ReportAllocs()
	for b.Loop() {
		s, err := Seal(prev, e)
		if err != nil {
			b.Fatal(err)
		}
		prev = s.Hash
	}
}

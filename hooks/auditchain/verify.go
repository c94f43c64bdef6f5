package auditchain

import "fmt"

// Reasons a [Break] reports.
const (
	// ReasonPrevHash: the entry does not link to the entry before it (or, for
	// the first entry, to [Genesis]): an entry was deleted, inserted or moved
	// just before it, or its prev_hash was edited.
	ReasonPrevHash = "prev_hash mismatch"
	// ReasonHash: the entry's stored hash is not the hash of its fields: the
	// entry, or its hash, was edited.
	ReasonHash = "hash mismatch"
	// ReasonInvalid: the entry cannot be encoded (zero time, invalid or
	// ambiguous changes JSON), so its hash cannot be checked.
	ReasonInvalid = "invalid entry"
)

// Break is the first place where a chain does not hold.
type Break struct {
	// Index is the zero-based position of the entry in the order verified.
	Index int
	// ID is the entry's ID.
	ID string
	// Reason is one of ReasonPrevHash, ReasonHash or ReasonInvalid.
	Reason string
	// Want is the expected value (the previous hash, or the computed hash);
	// for ReasonInvalid it holds the encoding error.
	Want string
	// Got is the value stored in the entry.
	Got string
}

// Error describes the break, so that a Break can be returned as an error.
func (b *Break) Error() string {
	if b.Reason == ReasonInvalid {
		return fmt.Sprintf("audit chain broken at entry %d (id %q): %s: %s", b.Index, b.ID, b.Reason, b.Want)
	}
	return fmt.Sprintf("audit chain broken at entry %d (id %q): %s: want %s, got %s", b.Index, b.ID, b.Reason, b.Want, b.Got)
}

// Verify walks entries in chain order (oldest first) and returns the first
// break, or nil when the chain is intact. An empty chain is intact. Verify
// cannot see entries deleted after the last one: see the package doc.
func Verify(entries []Entry) *Break {
	v := NewVerifier()
	for _, e := range entries {
		if b := v.Next(e); b != nil {
			return b
		}
	}
	return nil
}

// Verifier checks a chain one entry at a time, for logs too large to load at
// once. The zero value is not ready for use; call [NewVerifier].
type Verifier struct {
	prev  string
	count int
	brk   *Break
}

// NewVerifier returns a Verifier expecting the first entry of a chain, which
// links to [Genesis].
func NewVerifier() *Verifier {
	return &Verifier{prev: Genesis}
}

// Next checks e, the entry following those already passed, and returns nil
// if it extends the chain. Once a break is found, Next returns that same
// break for every later call and checks nothing more.
func (v *Verifier) Next(e Entry) *Break {
	if v.brk != nil {
		return v.brk
	}
	if e.PrevHash != v.prev {
		return v.fail(e, ReasonPrevHash, v.prev, e.PrevHash)
	}
	h, err := Compute(e)
	if err != nil {
		return v.fail(e, ReasonInvalid, err.Error(), "")
	}
	if h != e.Hash {
		return v.fail(e, ReasonHash, h, e.Hash)
	}
	v.prev = e.Hash
	v.count++
	return nil
}

// Count returns the number of entries verified intact so far.
func (v *Verifier) Count() int {
	return v.count
}

// Last returns the hash of the last intact entry ([Genesis] if none): the
// head to compare with an externally anchored one to detect a cut tail.
func (v *Verifier) Last() string {
	return v.prev
}

// fail records and returns the break at the current position.
func (v *Verifier) fail(e Entry, reason, want, got string) *Break {
	v.brk = &Break{Index: v.count, ID: e.ID, Reason: reason, Want: want, Got: got}
	return v.brk
}

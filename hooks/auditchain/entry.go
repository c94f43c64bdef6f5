package auditchain

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Genesis is the PrevHash of the first entry of a chain: 64 zeros, the
// length of a hex SHA-256.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// TimeLayout is the layout [Canonical] uses for [Entry.At], in UTC, with the
// millisecond precision the database stores.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// version tags the canonical encoding, so that a future format can never
// produce the same bytes as this one.
const version = "relais-auditchain-v1"

// ErrZeroTime is returned for an entry whose At is the zero time: every audit
// entry records when it happened.
var ErrZeroTime = errors.New("auditchain: entry time is zero")

// ErrBadHash is returned by [Seal] when the previous hash is not 64 lowercase
// hex characters.
var ErrBadHash = errors.New("auditchain: previous hash is not a lowercase hex SHA-256")

// Entry is one audit_log record (SPEC §2). At is stored in UTC with
// millisecond precision; Changes is the JSON diff of the action and may be
// nil or empty, which hashes as {}. Hash is not part of what it hashes.
type Entry struct {
	ID           string
	At           time.Time
	Actor        string
	ActorRole    string
	ActorPartner string
	Action       string
	Resource     string
	Record       string
	Changes      json.RawMessage
	IP           string
	RequestID    string
	PrevHash     string
	Hash         string
}

// Canonical returns the bytes that [Compute] hashes: a version tag, then
// every field of e except Hash, in a fixed order, each written as
// "name len:value\n" where len is the byte length of value. At is written
// with [TimeLayout] in UTC, truncated to the millisecond; Changes is
// re-encoded with sorted keys and no white space (see the package doc).
// It fails on a zero At and on Changes that are not a single valid JSON value
// or that repeat an object key.
func Canonical(e Entry) ([]byte, error) {
	if e.At.IsZero() {
		return nil, ErrZeroTime
	}
	changes, err := canonicalJSON(e.Changes)
	if err != nil {
		return nil, fmt.Errorf("auditchain: changes: %w", err)
	}
	fields := [...]struct {
		name  string
		value []byte
	}{
		{"v", []byte(version)},
		{"id", []byte(e.ID)},
		{"prev_hash", []byte(e.PrevHash)},
		{"at", []byte(e.At.UTC().Truncate(time.Millisecond).Format(TimeLayout))},
		{"actor", []byte(e.Actor)},
		{"actor_role", []byte(e.ActorRole)},
		{"actor_partner", []byte(e.ActorPartner)},
		{"action", []byte(e.Action)},
		{"resource", []byte(e.Resource)},
		{"record", []byte(e.Record)},
		{"changes", changes},
		{"ip", []byte(e.IP)},
		{"request_id", []byte(e.RequestID)},
	}
	size := 0
	for _, f := range fields {
		size += len(f.name) + len(f.value) + 24
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	for _, f := range fields {
		buf.WriteString(f.name)
		buf.WriteByte(' ')
		buf.WriteString(strconv.Itoa(len(f.value)))
		buf.WriteByte(':')
		buf.Write(f.value)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// Compute returns the lowercase hex SHA-256 of [Canonical](e): the value
// e.Hash must hold.
func Compute(e Entry) (string, error) {
	c, err := Canonical(e)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(c)
	return hex.EncodeToString(sum[:]), nil
}

// Seal returns e linked after the entry whose hash is prevHash (use [Genesis]
// for the first entry): PrevHash and Hash are set, and At is converted to UTC
// and truncated to the millisecond so that the returned entry is exactly what
// the database will store and read back. e itself is not modified.
func Seal(prevHash string, e Entry) (Entry, error) {
	if !isHash(prevHash) {
		return Entry{}, ErrBadHash
	}
	e.At = e.At.UTC().Truncate(time.Millisecond)
	e.PrevHash = prevHash
	h, err := Compute(e)
	if err != nil {
		return Entry{}, err
	}
	e.Hash = h
	return e, nil
}

// isHash reports whether s is 64 lowercase hex characters, the form
// [Compute] produces.
func isHash(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

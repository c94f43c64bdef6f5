// Package domain holds what every domain package of Relais returns when it
// refuses: typed errors that say what went wrong (a stable code, a message
// safe to show, the offending field) and of which kind, never how a
// transport answers it. The api package maps the kinds to HTTP statuses;
// the UI renders the same errors as pages; the commands print them.
package domain

import (
	"database/sql"
	"errors"
	"fmt"
)

// Kind says why an action is refused.
type Kind int

// The kinds of refusal.
const (
	// KindInvalid: the input is malformed or breaks a rule of the data.
	KindInvalid Kind = iota + 1
	// KindForbidden: the caller may not do this.
	KindForbidden
	// KindConflict: the data, as it stands now, refuses it (already
	// decided, no longer open, taken by someone else).
	KindConflict
)

// Error is a refusal of the domain: a stable code, its kind, a message
// safe to show to the caller (it never contains contact details), and
// optionally the offending field.
type Error struct {
	Code    string
	Kind    Kind
	Message string
	Field   string
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// Invalid is a KindInvalid error on field (may be "").
func Invalid(code, field, msg string) *Error {
	return &Error{Code: code, Kind: KindInvalid, Message: msg, Field: field}
}

// Conflict is a KindConflict error.
func Conflict(code, msg string) *Error {
	return &Error{Code: code, Kind: KindConflict, Message: msg}
}

// Forbidden is a KindForbidden error.
func Forbidden(code, msg string) *Error {
	return &Error{Code: code, Kind: KindForbidden, Message: msg}
}

// Errorf is an error of any kind with a formatted message.
func Errorf(kind Kind, code, field, format string, args ...any) *Error {
	return &Error{Code: code, Kind: kind, Message: fmt.Sprintf(format, args...), Field: field}
}

// ErrNotVisible is returned when a record does not exist or the user may
// not see it (the two are indistinguishable on purpose).
var ErrNotVisible = errors.New("not found")

// ErrForbidden is returned when a collection or an action is closed to the
// user.
var ErrForbidden = errors.New("forbidden")

// MissingAsNotVisible maps a missing record (sql.ErrNoRows) to
// ErrNotVisible and passes any other error on: a database error must stay
// an error (logged, 500), not pass for a missing record.
func MissingAsNotVisible(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotVisible
	}
	return err
}

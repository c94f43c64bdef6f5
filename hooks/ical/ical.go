// Package ical writes iCalendar files (RFC 5545) of single events: the
// .ics download of a partner's meeting. Pure: no I/O.
package ical

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one VEVENT.
type Event struct {
	// UID identifies the event across downloads (a calendar updates the
	// event it already holds instead of adding a second one).
	UID string
	// Start and End are written in UTC (the "Z" form): no time zone
	// definition is needed.
	Start, End time.Time
	// Stamp is the DTSTAMP: when the event's data last changed.
	Stamp time.Time
	// Sequence grows with each revision of the event.
	Sequence                       int
	Summary, Location, Description string
}

// stampLayout is the UTC DATE-TIME form of RFC 5545 §3.3.5.
const stampLayout = "20060102T150405Z"

// maxLine is the longest content line in octets, CRLF excluded (§3.1).
const maxLine = 75

// Calendar renders a VCALENDAR holding the events (CRLF line ends, long
// lines folded, texts escaped).
func Calendar(prodID string, events ...Event) []byte {
	var b strings.Builder
	line := func(s string) {
		b.WriteString(Fold(s))
		b.WriteString("\r\n")
	}
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:" + Escape(prodID))
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	for _, e := range events {
		line("BEGIN:VEVENT")
		line("UID:" + Escape(e.UID))
		line("DTSTAMP:" + e.Stamp.UTC().Format(stampLayout))
		line("DTSTART:" + e.Start.UTC().Format(stampLayout))
		line("DTEND:" + e.End.UTC().Format(stampLayout))
		line("SEQUENCE:" + itoa(e.Sequence))
		line("SUMMARY:" + Escape(e.Summary))
		if e.Location != "" {
			line("LOCATION:" + Escape(e.Location))
		}
		if e.Description != "" {
			line("DESCRIPTION:" + Escape(e.Description))
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return []byte(b.String())
}

// Escape escapes a TEXT value (§3.3.11): backslash, semicolon and comma
// get a backslash, a line break becomes "\n"; other control characters
// (not allowed in a TEXT value) are dropped.
func Escape(s string) string {
	var b strings.Builder
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteRune('\\')
			b.WriteRune(r)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r < 0x20 && r != '\t', r == 0x7f:
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Fold splits a content line into lines of at most 75 octets, each
// continuation starting with a space (§3.1), never inside a UTF-8
// sequence.
func Fold(s string) string {
	if len(s) <= maxLine {
		return s
	}
	var b strings.Builder
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLine - 1 // the leading space counts
	}
	b.WriteString(s)
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

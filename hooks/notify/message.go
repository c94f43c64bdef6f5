package notify

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Message is a notification's text before it is written in a language: a
// catalogue id (its "<id>.title" and "<id>.body" templates, catalogue.go)
// and the values they show. It is stored with the notification so that
// the in-app list and the e-mail are rendered in their reader's language
// (Render), whoever reads it and whenever.
type Message struct {
	ID   string         `json:"msg"`
	Args map[string]Arg `json:"args,omitempty"`
	// CopyPartner is the partner whose notify_email gets a copy of the
	// e-mail (the offers: one copy per offer, sent with the assignee's).
	CopyPartner string `json:"copy_partner,omitempty"`
}

// Arg is one value of a message, with how it is written per language.
type Arg struct {
	Kind string `json:"k,omitempty"` // "" text, "time", "date", "money", "label:<group>", "private"
	V    string `json:"v"`
}

// Msg builds a message from name/value pairs: strings, ints, and the Arg
// values of Time, Day, Money, Label and Private.
func Msg(id string, kv ...any) Message {
	m := Message{ID: id, Args: map[string]Arg{}}
	for i := 0; i+1 < len(kv); i += 2 {
		name, _ := kv[i].(string)
		switch v := kv[i+1].(type) {
		case Arg:
			m.Args[name] = v
		case string:
			m.Args[name] = Arg{V: v}
		case int:
			m.Args[name] = Arg{V: strconv.Itoa(v)}
		default:
			m.Args[name] = Arg{V: fmt.Sprint(v)}
		}
	}
	return m
}

// Time is a date and time, written in Europe/Paris per language.
func Time(t time.Time) Arg { return Arg{Kind: "time", V: t.UTC().Format(time.RFC3339)} }

// Day is a date without time, written per language (in Europe/Paris).
func Day(t time.Time) Arg { return Arg{Kind: "date", V: t.UTC().Format(time.RFC3339)} }

// Money is an amount in euros, written per language.
func Money(v float64) Arg { return Arg{Kind: "money", V: strconv.FormatFloat(v, 'f', -1, 64)} }

// Label is a stored value of a select field (group: "segment",
// "request_kind", "conflict"), written as its label in the language.
func Label(group, value string) Arg { return Arg{Kind: "label:" + group, V: value} }

// Private is the neutral name of a private customer, in the language.
func Private() Arg { return Arg{Kind: "private"} }

// encode is the JSON stored in the notification's `message` field.
func (m Message) encode() (string, error) {
	b, err := json.Marshal(m)
	return string(b), err
}

// decodeMessage reads a stored message; ok is false for a notification
// stored without one (its title and body are then the text).
func decodeMessage(raw string) (Message, bool) {
	var m Message
	if raw == "" || raw == "null" || json.Unmarshal([]byte(raw), &m) != nil || m.ID == "" {
		return Message{}, false
	}
	return m, true
}

// MessageID is the catalogue id of notification n's stored message ("" when
// it has none): what the notification is about, for its link.
func MessageID(n *core.Record) string {
	m, _ := decodeMessage(n.GetString("message"))
	return m.ID
}

// MessageArg is the stored value of arg name of notification n's message
// ("" when it has none).
func MessageArg(n *core.Record, name string) string {
	m, _ := decodeMessage(n.GetString("message"))
	return m.Args[name].V
}

package notify

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/template"
	"time"

	// Europe/Paris without relying on the host's zoneinfo (single binary).
	_ "time/tzdata"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/relais/relais/hooks/money"
	"github.com/relais/relais/hooks/privacy"
)

// paris is the time zone every date of a notification is written in.
var paris = mustParis()

func mustParis() *time.Location {
	tz, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // embedded by time/tzdata: cannot fail
	}
	return tz
}

// Lang is a user's language for notifications: "en" when they chose
// English, else French.
func Lang(locale string) string {
	if locale == "en" {
		return "en"
	}
	return "fr"
}

// Render writes a message in a language: its title and its body (lines
// separated by "\n").
func Render(lang string, m Message) (title, body string, err error) {
	lang = Lang(lang)
	vals := map[string]string{}
	for name, a := range m.Args {
		v, err := formatArg(lang, a)
		if err != nil {
			return "", "", fmt.Errorf("notify: %s.%s: %w", m.ID, name, err)
		}
		vals[name] = v
	}
	if title, err = execute(lang, m.ID+".title", vals); err != nil {
		return "", "", err
	}
	body, err = execute(lang, m.ID+".body", vals)
	return title, body, err
}

// execute runs one catalogue template.
func execute(lang, id string, vals map[string]string) (string, error) {
	src, ok := catalogue[lang][id]
	if !ok {
		return "", fmt.Errorf("notify: no text %q in %s", id, lang)
	}
	t, err := template.New(id).Option("missingkey=zero").Parse(src)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, vals); err != nil {
		return "", err
	}
	return b.String(), nil
}

// formatArg writes one value in a language.
func formatArg(lang string, a Arg) (string, error) {
	switch {
	case a.Kind == "":
		return a.V, nil
	case a.Kind == "time" || a.Kind == "date":
		t, err := time.Parse(time.RFC3339, a.V)
		if err != nil {
			return "", err
		}
		if a.Kind == "date" {
			return FormatDate(lang, t), nil
		}
		return FormatTime(lang, t), nil
	case a.Kind == "money":
		v, err := strconv.ParseFloat(a.V, 64)
		if err != nil {
			return "", err
		}
		return FormatMoney(lang, v), nil
	case a.Kind == "private":
		return privacy.Noun(lang), nil
	case strings.HasPrefix(a.Kind, "label:"):
		if s, ok := catalogue[lang]["label."+strings.TrimPrefix(a.Kind, "label:")+"."+a.V]; ok {
			return s, nil
		}
		return a.V, nil // a value without a label (added by an admin) shows as stored
	case strings.HasPrefix(a.Kind, "list:"):
		return formatList(lang, strings.TrimPrefix(a.Kind, "list:"), a.V)
	}
	return "", fmt.Errorf("unknown kind %q", a.Kind)
}

// List is a list of items, each written with the catalogue's item
// template, one per line.
func List(item string, items []map[string]Arg) Arg {
	b, err := json.Marshal(items)
	if err != nil {
		b = []byte("[]") // maps of strings always marshal
	}
	return Arg{Kind: "list:" + item, V: string(b)}
}

func formatList(lang, item, raw string) (string, error) {
	var items []map[string]Arg
	if err := json.Unmarshal([]byte(raw), &items); err != nil {
		return "", err
	}
	lines := make([]string, 0, len(items))
	for _, it := range items {
		vals := map[string]string{}
		for name, a := range it {
			v, err := formatArg(lang, a)
			if err != nil {
				return "", err
			}
			vals[name] = v
		}
		line, err := execute(lang, item, vals)
		if err != nil {
			return "", err
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"), nil
}

// FormatDate writes a day in Europe/Paris: "4 déc. 2026", "Dec 4, 2026".
func FormatDate(lang string, t time.Time) string {
	t = t.In(paris)
	m := months[Lang(lang)][t.Month()-1]
	if Lang(lang) == "en" {
		return fmt.Sprintf("%s %d, %d", m, t.Day(), t.Year())
	}
	return fmt.Sprintf("%d %s %d", t.Day(), m, t.Year())
}

// FormatTime writes a date and time in Europe/Paris: "4 déc. 2026 à
// 19:05", "Dec 4, 2026, 7:05 PM".
func FormatTime(lang string, t time.Time) string {
	if Lang(lang) == "en" {
		return FormatDate(lang, t) + ", " + t.In(paris).Format("3:04 PM")
	}
	return FormatDate(lang, t) + " à " + t.In(paris).Format("15:04")
}

// FormatMoney writes euros with the language's grouping, with the cents
// when there are some: "12 480,50 €", "€12,480.50".
func FormatMoney(lang string, v float64) string {
	tag := language.French
	if Lang(lang) == "en" {
		tag = language.English
	}
	p := message.NewPrinter(tag)
	n := p.Sprintf("%d", int64(math.Round(v)))
	if money.HasCents(v) {
		n = p.Sprintf("%.2f", money.Round(v))
	}
	if Lang(lang) == "en" {
		return "€" + n
	}
	return n + "\u00a0€"
}

package ui

import (
	"embed"
	"fmt"
	"io/fs"
	"math"
	"net/http"
	"strings"
	"time"

	// Europe/Paris without relying on the host's zoneinfo (single binary).
	_ "time/tzdata"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/relais/relais/hooks/money"
)

//go:embed locales/*.json
var localeFS embed.FS

// Languages the UI speaks; the first is the fallback.
var uiLanguages = []language.Tag{language.French, language.English}

// langCookie keeps a guest's language choice (the login page).
const langCookie = "relais_lang"

// translator holds the message catalogues (go-i18n bundles of
// ui/locales/*.json, embedded) and picks a request's language.
type translator struct {
	bundle  *i18n.Bundle
	matcher language.Matcher
	tz      *time.Location
	ids     map[string]map[string]bool // lang → message ids (for tests)
}

func newTranslator() (*translator, error) {
	b := i18n.NewBundle(uiLanguages[0])
	t := &translator{bundle: b, matcher: language.NewMatcher(uiLanguages), ids: map[string]map[string]bool{}}
	files, err := fs.Glob(localeFS, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		raw, err := fs.ReadFile(localeFS, f)
		if err != nil {
			return nil, err
		}
		mf, err := b.ParseMessageFileBytes(raw, f)
		if err != nil {
			return nil, fmt.Errorf("ui: locale %s: %w", f, err)
		}
		base, _ := mf.Tag.Base()
		ids := t.ids[base.String()]
		if ids == nil {
			ids = map[string]bool{}
			t.ids[base.String()] = ids
		}
		for _, m := range mf.Messages {
			// a message lives in one catalogue file per language
			if ids[m.ID] {
				return nil, fmt.Errorf("ui: locale %s: %q is also in another file", f, m.ID)
			}
			ids[m.ID] = true
		}
	}
	for _, l := range uiLanguages {
		base, _ := l.Base()
		if len(t.ids[base.String()]) == 0 {
			return nil, fmt.Errorf("ui: no messages for %s", base)
		}
	}
	tz, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return nil, err
	}
	t.tz = tz
	return t, nil
}

// langFor picks the language: the user's `locale`, else the guest cookie,
// else Accept-Language, else French.
func (t *translator) langFor(r *http.Request, user *core.Record) string {
	if user != nil {
		if l := user.GetString("locale"); l == "fr" || l == "en" {
			return l
		}
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "fr" || c.Value == "en") {
		return c.Value
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	tag, _, _ := t.matcher.Match(tags...)
	base, _ := tag.Base()
	if base.String() == "en" {
		return "en"
	}
	return "fr"
}

// locale formats text, numbers and dates for one language.
type locale struct {
	Lang string
	loc  *i18n.Localizer
	num  *message.Printer
	tz   *time.Location
}

func (t *translator) locale(lang string) *locale {
	tag := language.French
	if lang == "en" {
		tag = language.English
	}
	return &locale{Lang: lang, loc: i18n.NewLocalizer(t.bundle, lang), num: message.NewPrinter(tag), tz: t.tz}
}

// T translates a message id. args are key/value pairs for the message
// template; the key "Count" also selects the plural form.
func (l *locale) T(id string, args ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			k := fmt.Sprint(args[i])
			data[k] = args[i+1]
			if k == "Count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}
	s, err := l.loc.Localize(cfg)
	if err != nil || s == "" {
		return id
	}
	return s
}

// Num formats an integer with the locale's grouping.
func (l *locale) Num(v any) string {
	switch n := v.(type) {
	case int:
		return l.num.Sprintf("%d", n)
	case float64:
		return l.num.Sprintf("%d", int64(math.Round(n)))
	}
	return fmt.Sprint(v)
}

// Pct formats a ratio (0..1) as a percentage.
func (l *locale) Pct(ratio float64) string {
	if l.Lang == "fr" {
		return l.num.Sprintf("%d", int(math.Round(ratio*100))) + "\u00a0%"
	}
	return l.num.Sprintf("%d", int(math.Round(ratio*100))) + "%"
}

// Ratio formats part/whole as a percentage ("—" when whole is 0).
func (l *locale) Ratio(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return l.Pct(float64(part) / float64(whole))
}

// Money formats euros, with the cents when there are some ("12 480,50 €",
// "€12,480.50"; "12 480 €").
func (l *locale) Money(v float64) string {
	n := l.num.Sprintf("%d", int64(math.Round(v)))
	if money.HasCents(v) {
		n = l.num.Sprintf("%.2f", money.Round(v))
	}
	if l.Lang == "fr" {
		return n + "\u00a0€"
	}
	return "€" + n
}

func (l *locale) month(m time.Month) string {
	names := strings.Split(l.T("date.months"), ",")
	if len(names) != 12 {
		return m.String()[:3]
	}
	return names[m-1]
}

// Date formats a date ("22 nov. 2026" / "Nov 22, 2026"); "" when zero.
func (l *locale) Date(v any) string {
	t, ok := asTime(v)
	if !ok {
		return ""
	}
	t = t.In(l.tz)
	if l.Lang == "fr" {
		return fmt.Sprintf("%d %s %d", t.Day(), l.month(t.Month()), t.Year())
	}
	return fmt.Sprintf("%s %d, %d", l.month(t.Month()), t.Day(), t.Year())
}

// DateTime formats a date and time in Europe/Paris.
func (l *locale) DateTime(v any) string {
	t, ok := asTime(v)
	if !ok {
		return ""
	}
	lt := t.In(l.tz)
	if l.Lang == "fr" {
		return l.Date(t) + " " + lt.Format("15:04")
	}
	return l.Date(t) + ", " + lt.Format("3:04 PM")
}

// InputDateTime formats a time for <input type="datetime-local">.
func (l *locale) InputDateTime(v any) string {
	t, ok := asTime(v)
	if !ok {
		return ""
	}
	return t.In(l.tz).Format("2006-01-02T15:04")
}

// ISO formats a time for <time datetime>.
func ISO(v any) string {
	t, ok := asTime(v)
	if !ok {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Span formats a duration coarsely: "2 d 4 h", "3 h 20 min", "12 min".
func (l *locale) Span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	mins := int(d.Round(time.Minute) / time.Minute)
	days, hours, m := mins/(24*60), (mins/60)%24, mins%60
	switch {
	case days > 0 && hours == 0:
		return fmt.Sprintf("%d\u00a0%s", days, l.T("unit.day"))
	case days > 0:
		return fmt.Sprintf("%d\u00a0%s %d\u00a0h", days, l.T("unit.day"), hours)
	case hours > 0 && m == 0:
		return fmt.Sprintf("%d\u00a0h", hours)
	case hours > 0:
		return fmt.Sprintf("%d\u00a0h %d\u00a0min", hours, m)
	}
	return fmt.Sprintf("%d\u00a0min", m)
}

// Left tells the time left until a deadline ("in 3 h 20 min") or since it
// passed ("expired 2 h 5 min ago").
func (l *locale) Left(deadline any, now time.Time) string {
	t, ok := asTime(deadline)
	if !ok {
		return ""
	}
	if d := t.Sub(now); d > 0 {
		return l.T("time.left", "Span", l.Span(d))
	}
	return l.T("time.overdue", "Span", l.Span(now.Sub(t)))
}

// Urgent reports whether a deadline is less than 4 hours away (or past).
func Urgent(deadline any, now time.Time) bool {
	t, ok := asTime(deadline)
	return ok && t.Sub(now) < 4*time.Hour
}

func asTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, !t.IsZero()
	case types.DateTime:
		return t.Time(), !t.IsZero()
	case *types.DateTime:
		if t == nil {
			return time.Time{}, false
		}
		return t.Time(), !t.IsZero()
	}
	return time.Time{}, false
}

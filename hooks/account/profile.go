package account

import (
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/writepath"
)

// ProfileFields are the fields of the profile form: the only ones
// UpdateProfile sends. Whether the user may change them is the users
// UpdateRule's decision (the role, partner, territories, activity, expiry
// and e-mail of an account are not among them and are refused by the
// rules of every non-admin role anyway).
var ProfileFields = []string{"name", "phone", "locale", "mail_off", "digest"}

// MailKinds are the notification kinds a user may choose not to receive
// by e-mail (the values of users.mail_off).
var MailKinds = []string{"offer", "lead_back_to_pool", "offer_reminder"}

// Profile is the submitted profile form.
type Profile struct {
	Name    string
	Phone   string
	Locale  string
	MailOff []string
	Digest  bool // the daily digest e-mail
}

// MayEditProfile reports whether the users UpdateRule lets user change
// their own profile fields (a role whose matrix cell users.update is none
// may not: its profile is read-only).
func MayEditProfile(app core.App, user *core.Record) (bool, error) {
	u, err := access.ViewFor(app, user, "users", user.Id)
	if err != nil {
		return false, err
	}
	return access.CanDo(app, user, u, "update", map[string]any{"name": u.GetString("name")})
}

// UpdateProfile saves the profile of by.User through the write path
// (writepath.UpdateFor: the users UpdateRule with this body, the relation
// check, the audit entry), after checking the values.
func UpdateProfile(app core.App, by access.By, p Profile) (*core.Record, error) {
	if by.User == nil || by.User.Collection().Name != "users" {
		return nil, domain.ErrForbidden
	}
	name, phone := strings.TrimSpace(p.Name), strings.TrimSpace(p.Phone)
	switch {
	case name == "" || len(name) > 120:
		return nil, domain.Invalid("required", "name", "a name is required (120 characters at most)")
	case len(phone) > 40 || strings.ContainsFunc(phone, func(r rune) bool { return !strings.ContainsRune("0123456789+ .()-", r) }):
		return nil, domain.Invalid("phone", "phone", "a phone number has digits, spaces and + . ( ) - only")
	case p.Locale != "fr" && p.Locale != "en":
		return nil, domain.Invalid("locale", "locale", "the language is fr or en")
	}
	off := []string{}
	for _, k := range p.MailOff {
		if !slices.Contains(MailKinds, k) {
			return nil, domain.Invalid("mail_off", "mail_off", "unknown notification kind")
		}
		if !slices.Contains(off, k) {
			off = append(off, k)
		}
	}
	body := map[string]any{"name": name, "phone": phone, "locale": p.Locale, "mail_off": off, "digest": p.Digest}
	return writepath.UpdateFor(app, by, "users", by.User.Id, body)
}

package policy

import (
	"strings"

	"github.com/relais/relais/hooks/roles"
)

// CertificatesCollection holds the partners' certificates (RGE QualiPV,
// QualiPAC, Qualifelec, …): a partner, a kind, a number, a valid-until
// date and the certificate as a protected PDF.
const CertificatesCollection = "partner_certificates"

// certificateRules follow the partners cell of the matrix, as lead_offers
// follow the leads cell: a role reads the certificates of the partners it
// reads, and creates, changes and deletes those of the partners it may
// update (a partner manager its own company's; a channel manager those of
// its territories' partners). A partner kind never reaches another
// company's certificates, whatever the matrix says.
func certificateRules(m Matrix) Rules {
	scopes := map[Level]string{
		Org:       org("partner"),
		Territory: "(partner.territories:each ?= @request.auth.territories:each || partner.channel_manager = " + me + ")",
	}
	var read, write []string
	for _, role := range m.Roles {
		c := m.Cell(role.ID, "partners")
		if b := certificateBranch(role, scopes, c.Read); b != "" {
			read = append(read, b)
		}
		if b := certificateBranch(role, scopes, c.Update); b != "" {
			write = append(write, b)
		}
	}
	l, w := join(read), join(write)
	// a certificate never moves to another company: partner is sent on
	// create only
	var upd *string
	if w != nil {
		s := strings.Replace(*w, " && (\n", " &&\n  @request.body.partner:isset = false && (\n", 1)
		upd = &s
	}
	return Rules{List: l, View: l, Create: w, Update: upd, Delete: w}
}

// certificateBranch is a role's branch at level l ("" for none or a level
// without meaning here).
func certificateBranch(role Role, scopes map[Level]string, l Level) string {
	if l == None {
		return ""
	}
	parts := []string{roleIs(role.ID)}
	if l != All {
		s, ok := scopes[l]
		if !ok {
			return ""
		}
		parts = append(parts, s)
	}
	if role.Kind == roles.Partner {
		parts = append(parts, partnerActive, org("partner"))
	}
	return "(" + strings.Join(dedup(parts), " && ") + ")"
}

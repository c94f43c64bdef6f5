package certificates

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/policy"
)

// Delete removes a certificate for a user, as DELETE
// /api/collections/partner_certificates/records/{id} would: the record
// must be visible to the user and its DeleteRule must let the user
// delete it; the deletion is audited. It returns the certificate's
// partner.
func Delete(app core.App, by access.By, id string) (string, error) {
	rec, err := access.ViewFor(app, by.User, policy.CertificatesCollection, id)
	if err != nil {
		return "", err
	}
	ok, err := access.CanDo(app, by.User, rec, "delete", map[string]any{})
	if err != nil {
		return "", err
	}
	if !ok {
		return "", domain.Forbidden("not_allowed", "you may not delete this certificate")
	}
	partner := rec.GetString("partner")
	err = app.RunInTransaction(func(tx core.App) error {
		if err := tx.Delete(rec); err != nil {
			return err
		}
		return audit.Append(tx, by.Actor, policy.CertificatesCollection+".delete", policy.CertificatesCollection, rec.Id, map[string]any{
			"partner": partner, "kind": rec.GetString("kind"), "number": rec.GetString("number"),
		})
	})
	return partner, err
}

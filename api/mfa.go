package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/account"
	"github.com/relais/relais/hooks/audit"
)

// otpFirstMessage refuses a one-time code given as the first factor.
const otpFirstMessage = "A one-time code is accepted only after the password: send the mfaId of the password step. / " +
	"Un code à usage unique n'est accepté qu'après le mot de passe : envoyez le mfaId de l'étape du mot de passe."

// requestMFAId reads the mfaId of an auth request as PocketBase does
// (query parameter, else body).
func requestMFAId(e *core.RequestEvent) (string, error) {
	if id := e.Request.URL.Query().Get("mfaId"); id != "" {
		return id, nil
	}
	var body struct {
		MfaId string `form:"mfaId" json:"mfaId" xml:"mfaId"`
	}
	if err := e.BindBody(&body); err != nil {
		return "", e.BadRequestError("Failed to read MFA Id", err)
	}
	return body.MfaId, nil
}

// secondFactor runs PocketBase's MFA flow of the users' logins with the
// Relais rules (see secondFactorPriority):
//   - the password of an account that needs the second factor
//     (account.SecondFactorRequired: PocketBase's MFA rule) gets
//     PocketBase's answer, 401 {"mfaId"}, and no token, no session, no
//     "login" audit entry (an "auth.second_step" one instead);
//   - a one-time code (auth-with-otp) is checked by otpSecondStep;
//   - a password sent with an mfaId is left to PocketBase's check.
func secondFactor(e *core.RecordAuthRequestEvent) error {
	if e.AuthMethod == "" {
		return e.Next() // refresh, impersonation: no new login
	}
	mfaID, err := requestMFAId(e.RequestEvent)
	if err != nil {
		return err
	}
	if e.AuthMethod == core.MFAMethodOTP || mfaID != "" {
		// a code: checked by otpSecondStep; a password with an mfaId:
		// PocketBase's checkMFA validates and uses it up
		return e.Next()
	}
	required, err := account.SecondFactorRequired(e.App, e.Record)
	if err != nil {
		return e.BadRequestError("Failed to authenticate.", err)
	}
	if !required {
		return e.Next()
	}
	mfa := core.NewMFA(e.App)
	mfa.SetCollectionRef(e.Record.Collection().Id)
	mfa.SetRecordRef(e.Record.Id)
	mfa.SetMethod(e.AuthMethod)
	if err := e.App.Save(mfa); err != nil {
		return e.InternalServerError("Failed to create MFA record", err)
	}
	a := audit.ActorOf(e.RequestEvent)
	a.ID, a.Role, a.Partner = audit.ActorFields(e.Record)
	if err := audit.Append(e.App, a, account.ActionSecondStep, "users", e.Record.Id, map[string]any{"method": e.AuthMethod, "email": e.Record.Email(), "via": "api"}); err != nil {
		return e.InternalServerError("", errors.Join(err, e.App.Delete(mfa)))
	}
	// PocketBase's own answer (apis.recordAuthResponse): the mfaId, and
	// apis.ErrMFA so that the wrapping handlers know no login happened
	if err := e.JSON(http.StatusUnauthorized, map[string]string{"mfaId": mfa.Id}); err != nil {
		return err
	}
	return apis.ErrMFA
}

// otpSecondStep makes a one-time code (auth-with-otp, after PocketBase
// checked the code and before it uses it up) only a second factor: it
// needs the mfaId of a live password step of the same account, for every
// account (an OTP alone never logs anyone in), and uses that step up.
func otpSecondStep(e *core.RecordAuthWithOTPRequestEvent) error {
	mfaID, err := requestMFAId(e.RequestEvent)
	if err != nil {
		return err
	}
	if mfaID == "" {
		return e.ForbiddenError(otpFirstMessage, nil)
	}
	mfa, err := account.LiveMFA(e.App, e.Record, mfaID, time.Now())
	if err != nil {
		return e.InternalServerError("", err)
	}
	if mfa == nil {
		return e.BadRequestError("Invalid or expired MFA session.", nil)
	}
	if err := e.Next(); err != nil {
		return err
	}
	// PocketBase deleted it when its rule wanted the second factor; an
	// account that stopped needing it in between uses it up here
	if left, ferr := e.App.FindMFAById(mfa.Id); ferr == nil {
		if derr := e.App.Delete(left); derr != nil {
			e.App.Logger().Error("mfa: used step not deleted", "error", derr)
		}
	}
	return nil
}

// guardOTPRequest sends a code (request-otp) only to an account with a
// live password step: otherwise the answer is PocketBase's answer to an
// unknown e-mail (a random otpId, nothing sent), so that a code can be
// neither requested ahead of the password nor used to flood a mailbox,
// and the answer tells nothing about the account.
func guardOTPRequest(e *core.RecordCreateOTPRequestEvent) error {
	if e.Record != nil {
		live, err := account.HasLiveMFA(e.App, e.Record, time.Now())
		if err != nil {
			return e.InternalServerError("", err)
		}
		if live {
			return e.Next()
		}
	}
	return e.JSON(http.StatusOK, map[string]string{"otpId": core.GenerateDefaultRandomId()})
}

package account

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"
	"github.com/pocketbase/pocketbase/tools/security"

	"github.com/relais/relais/hooks/sessions"
)

// CodeTries is how many wrong codes one login step accepts: the next
// wrong one ends the step (the MFA session and its code are deleted) and
// the user must give the password again.
const CodeTries = 5

// Refusals of a code (the UI words them; none tells anything the caller
// did not know: the step exists only after the right password).
var (
	// ErrCodeWrong: not the code e-mailed for this step; tries remain.
	ErrCodeWrong = errors.New("wrong code")
	// ErrCodeGone: the step or its code expired, was used, or ran out of
	// tries: log in again.
	ErrCodeGone = errors.New("expired login step")
)

// Step is the second step of a web login: PocketBase's MFA session opened
// by the password and the one-time code (OTP) e-mailed for it.
type Step struct {
	MFA, OTP string
}

// StartCode opens the second step of u's login after the right password:
// a PocketBase MFA session (method password) and an OTP whose code is
// e-mailed (mails.SendRecordOTP: PocketBase's OTP e-mail and its mailer
// hook, worded by LocalizeOTPMail).
func StartCode(app core.App, u *core.Record) (Step, error) {
	mfa := core.NewMFA(app)
	mfa.SetCollectionRef(u.Collection().Id)
	mfa.SetRecordRef(u.Id)
	mfa.SetMethod(core.MFAMethodPassword)
	if err := app.Save(mfa); err != nil {
		return Step{}, err
	}
	otp, err := SendCode(app, u)
	if err != nil {
		return Step{}, errors.Join(err, app.Delete(mfa))
	}
	return Step{MFA: mfa.Id, OTP: otp}, nil
}

// SendCode creates an OTP of u (PocketBase's length) and e-mails its code;
// it returns the OTP id.
func SendCode(app core.App, u *core.Record) (string, error) {
	code := security.RandomStringWithAlphabet(u.Collection().OTP.Length, "1234567890")
	otp := core.NewOTP(app)
	otp.SetCollectionRef(u.Collection().Id)
	otp.SetRecordRef(u.Id)
	otp.SetSentTo(u.Email())
	otp.SetPassword(code)
	if err := app.Save(otp); err != nil {
		return "", err
	}
	if err := mails.SendRecordOTP(app, u, otp.Id, code); err != nil {
		return "", errors.Join(fmt.Errorf("sending the code: %w", err), app.Delete(otp))
	}
	return otp.Id, nil
}

// Resend e-mails a new code for a live step of a web login (the step's
// account, from the MFA session) and returns the step with the new OTP
// and the account;
// at most ResendMax times per step (ErrCodeGone beyond, or when the step
// is not live).
func Resend(app core.App, mfaID string, now time.Time) (Step, *core.Record, error) {
	mfa, err := app.FindMFAById(mfaID)
	if errors.Is(err, sql.ErrNoRows) {
		return Step{}, nil, ErrCodeGone
	}
	if err != nil {
		return Step{}, nil, err
	}
	u, err := app.FindRecordById(mfa.CollectionRef(), mfa.RecordRef())
	if err != nil {
		return Step{}, nil, errors.Join(ErrCodeGone, err)
	}
	if !liveFor(mfa, u, now) {
		return Step{}, nil, ErrCodeGone
	}
	n := 0
	app.Store().SetFunc("relais.code_resends."+mfa.Id, func(old any) any {
		prev, _ := old.(int)
		n = prev + 1
		return n
	})
	if n > ResendMax {
		return Step{}, nil, ErrCodeGone
	}
	otp, err := SendCode(app, u)
	if err != nil {
		return Step{}, nil, err
	}
	return Step{MFA: mfa.Id, OTP: otp}, u, nil
}

// ResendMax is how many new codes one login step may ask for.
const ResendMax = 3

// triesKey is the app store key of the wrong codes given to one step.
func triesKey(mfaID string) string { return "relais.code_tries." + mfaID }

// CheckCode ends the second step of a web login: the MFA session must be
// a live password step, the OTP a live code of the same account, and code
// its code. On success both are deleted and the account is returned (its
// blocks are the caller's to check, as after a password). A wrong code
// counts a try (ErrCodeWrong); the CodeTries-th ends the step
// (ErrCodeGone), as does an expired or unknown step or code. The account
// of the step is returned with a refusal too when the step was found (for
// the audit of a failed login), nil otherwise.
func CheckCode(app core.App, step Step, code string, now time.Time) (*core.Record, error) {
	mfa, err := app.FindMFAById(step.MFA)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrCodeGone
	}
	if err != nil {
		return nil, err
	}
	u, err := app.FindRecordById(mfa.CollectionRef(), mfa.RecordRef())
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errors.Join(ErrCodeGone, app.Delete(mfa))
	}
	if err != nil {
		return nil, err
	}
	if !liveFor(mfa, u, now) {
		return u, errors.Join(ErrCodeGone, app.Delete(mfa))
	}
	otp, err := app.FindOTPById(step.OTP)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrCodeGone
	}
	if err != nil {
		return nil, err
	}
	// a code of another account (or collection) is no code of this one
	if otp.RecordRef() != u.Id || otp.CollectionRef() != u.Collection().Id ||
		!now.Before(otp.Created().Time().Add(u.Collection().OTP.DurationTime())) {
		return u, ErrCodeGone
	}
	if !sessions.CheckCode(otp, code) {
		return u, wrongCode(app, mfa, otp)
	}
	app.Store().Remove(triesKey(mfa.Id))
	if err := app.Delete(otp); err != nil {
		return nil, err
	}
	if err := app.Delete(mfa); err != nil {
		return nil, err
	}
	return u, nil
}

// wrongCode counts a wrong code of a step and ends the step at CodeTries.
func wrongCode(app core.App, mfa *core.MFA, otp *core.OTP) error {
	key := triesKey(mfa.Id)
	n := 0
	app.Store().SetFunc(key, func(old any) any { // atomic: concurrent guesses count each
		prev, _ := old.(int)
		n = prev + 1
		return n
	})
	if n < CodeTries {
		return ErrCodeWrong
	}
	app.Store().Remove(key)
	return errors.Join(ErrCodeGone, app.Delete(otp), app.Delete(mfa))
}

// Package account is the self-service side of a user's account: the
// forgotten password (PocketBase's password-reset token and mail, sent in
// the user's language with a link to the Relais page that sets the new
// password), the profile (name, phone, language, e-mail preferences,
// through the write path and its rules), the change of password with the
// current one, and "log out everywhere" (token key rotation: every session
// ends). Every change is audited.
package account

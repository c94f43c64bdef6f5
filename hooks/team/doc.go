// Package team creates user accounts and invites them by e-mail, and lets
// a partner manager run its own company's salespeople.
//
// Internal users create accounts through the write path
// (writepath.CreateFor: the users CreateRule compiled from the matrix, by
// default admins only). A partner role never passes that rule (the policy
// compiler gives partner roles no users create branch), so a partner
// manager's invitations and deactivations go through this package's own
// ceiling (Ceiling): a partner-kind role that sees its company's users
// (matrix users read = org) may create and deactivate accounts of a
// partner role that does not, in its own company only, never a manager, an
// internal role or another company's account.
//
// The invitation is PocketBase's verification e-mail (mails.
// SendRecordVerification: its token, its mailer hook), worded in the
// user's language and linking to Relais' /welcome/{token} page
// (account.LocalizeInviteMail).
package team

// Package certificates holds the installers' certificates
// (partner_certificates: RGE QualiPV, QualiPAC, Qualifelec, other): their
// status per partner (Status, pure), the partners whose certificate lapsed
// (Lapsed), what a partner holds (Held) and the expiry reminders sent to
// the partner managers and the channel manager 60, 30 and 7 days before a
// certificate ends (RemindExpiring, once each). Which leads need which
// certificate, and the filter of the assignment engine, are in
// hooks/assign; the rules of the collection in hooks/policy.
package certificates

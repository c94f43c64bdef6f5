// Package dedup computes the normalised keys used to detect duplicate leads
// and channel conflicts (SPEC §2 leads.dedup_key / duplicate_of, §4.2).
//
// Every function is pure: the caller (an intake hook) gathers a lead's
// contact and company data into an [Input], derives its keys with [Keys],
// stores [Primary] in leads.dedup_key and compares the full key sets of
// candidate leads or accounts with [Overlap].
//
// A key is a string "kind:value". The kinds, strongest first, are:
//
//	siren:732829320           the 9-digit SIREN (from a SIREN or a SIRET)
//	email:jean@acme.fr        the normalised e-mail address
//	phone:+33612345678        a phone or mobile number in E.164
//	company:dupont fils|69003 the normalised company name and postal code
//	domain:acme.fr|69003      a company e-mail domain and postal code
//
// Invalid or missing data yields no key rather than an error, so one bad
// field never prevents the others from being matched.
package dedup

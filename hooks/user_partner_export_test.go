package hooks

// Internals of user_partner.go, for the external tests.
var UserPartnerProblem = userPartnerProblem

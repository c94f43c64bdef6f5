package migrations

// MovePrivateNames exposes the data step of the private customers
// migration to the tests (package migrations_test).
var MovePrivateNames = movePrivateNames

// CodeDeclineReasons exposes the data step of the decline codes migration
// to the tests.
var CodeDeclineReasons = codeDeclineReasons

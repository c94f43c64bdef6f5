// Package deals owns the opportunities, the deal registrations, the
// documents and the accounts' duplicate keys. Its pure core is the stage
// machine (stage.go: Decide); the rest applies it to the records — the
// REST API's request hooks, the stage and validation routes and the
// lead → opportunity route all go through ApplyStage, so a win above
// settings_prm.won_validation_amount waits for a validator whatever the
// channel — and checks a deal registration against the leads, accounts and
// other partners' registrations of the same customer (SPEC §4.2).
package deals

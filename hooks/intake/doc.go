// Package intake brings leads in (SPEC §4.1–4.2): the idempotent ingest
// of one lead or a batch (Intake.Ingest, IngestBatch), the public web form
// (SubmitWebForm), the CSV import (ImportCSV), the leads created through
// the collection API (PrepareLead). It derives a lead's département and
// territory, checks its duplicate keys (the dedup_keys table it owns:
// SaveKeys, DeleteKeys) against open leads, partners' accounts and
// protected registrations, and holds a conflicting lead for the channel
// manager. It keeps a private customer's name out of every lead
// (GuardPrivateLead, LabelPrivate, LeadName: SPEC §3.3.3).
package intake

// Package auditchain holds the pure logic of the hash-chained audit log
// (SPEC §2 audit_log, §5 Governance): a deterministic canonical encoding of
// an audit entry, sealing an entry onto a chain, and verifying a chain.
//
// Each entry commits to every field but its own hash, including its ID and
// the hash of the previous entry (PrevHash). The first entry of a chain links
// to [Genesis]. Editing any field, deleting, inserting or reordering entries
// anywhere before the last one breaks the chain at a position that [Verify]
// (or the streaming [Verifier]) reports.
//
// # What the chain cannot see on its own
//
// A chain proves that each entry follows the one before it. It cannot tell
// that entries are missing after the last one: a log whose tail was deleted is
// still a valid, shorter chain, and so is a log where the last entries were
// deleted and forged ones appended by someone able to recompute hashes. To
// detect that, anchor the head outside the database (print it in the backup
// report, send it to the SIEM, write it to a separate file) and compare it
// with [Verifier.Last] after verifying: a head that is no longer in the chain,
// or a shorter [Verifier.Count] than recorded, means the tail was cut.
//
// # Encoding choices
//
//   - Time is hashed as UTC with millisecond precision
//     ("2006-01-02T15:04:05.000Z", truncated, not rounded), because the
//     database stores milliseconds: an entry read back from the database must
//     hash like the entry that was sealed. Sub-millisecond differences and the
//     time zone of the [time.Time] value do not change the hash.
//   - Changes is hashed by meaning, not by bytes: object keys are sorted and
//     insignificant white space is removed, so re-serialising the JSON (as a
//     database or driver may do) keeps the chain valid. Numbers keep their
//     literal text (1.0 and 1 differ). Nil, empty and JSON null all hash as {}.
//     Duplicate object keys are rejected, as they would let two different
//     readings of one entry share a hash.
//   - Every field is written as "name len:value\n" after a version tag, so no
//     choice of field values can shift a boundary between fields.
package auditchain

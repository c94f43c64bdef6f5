package governance

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/privacy"
	"github.com/relais/relais/hooks/reports"
)

// GDPR helpers (SPEC §5): `relais gdpr export EMAIL` gathers everything
// about a data subject (an end customer identified by e-mail); `relais gdpr
// erase EMAIL` anonymises it. Both are audited (gdpr.export, gdpr.erase)
// without the subject's values: the entries list record ids and counts,
// and the audit diffs never hold contact values (sensitiveFields), so the
// chain stays intact and verifiable after an erasure.

// Audit actions of the GDPR helpers.
const (
	ActionGDPRExport = "gdpr.export"
	ActionGDPRErase  = "gdpr.erase"
)

// ErasedMark replaces erased values inside free text.
const ErasedMark = "[erased]"

// SubjectData is everything Relais holds about a data subject.
type SubjectData struct {
	Email        string           `json:"email"`
	GeneratedAt  string           `json:"generated_at"`
	LeadContacts []map[string]any `json:"lead_contacts"`
	Leads        []map[string]any `json:"leads"`
	Contacts     []map[string]any `json:"contacts"`
	Accounts     []map[string]any `json:"accounts"`
	Activities   []map[string]any `json:"activities"`
}

// subject is a data subject found in the database.
type subject struct {
	email        string
	leadContacts []*core.Record
	contacts     []*core.Record
	phones       []string // national significant numbers (digits)
	match        *subjectMatcher
}

// subjectMatcher finds the subject's e-mail, phone numbers and name in
// text.
type subjectMatcher struct {
	email  string
	phones []string
	names  []string // words that every mention of the name contains (SQL prefilter)
	re     *regexp.Regexp
}

// newMatcher builds the matcher of a subject: its e-mail, its phone
// numbers in any usual notation, and the names of its contacts as a
// private customer is mentioned ("First Last", "Last First", "Famille
// Last", "M. Last"…: privacy.MentionPattern; a first or a last name alone
// is not matched).
func newMatcher(email string, phones []string, people []privacy.Contact) *subjectMatcher {
	m := &subjectMatcher{email: email, phones: phones}
	alts := []string{regexp.QuoteMeta(email)}
	for _, p := range phones {
		digits := strings.Split(p, "")
		// optional international or trunk prefix, then the digits with
		// the usual separators in between
		alts = append(alts, `(?:(?:\+|00)\d{1,3}[\s.\-()]*)?(?:\(?0\)?[\s.\-]*)?`+strings.Join(digits, `[\s.\-()]*`))
	}
	for _, p := range people {
		pat, likes := privacy.MentionPattern(p.FirstName, p.LastName)
		if pat == "" || slices.Contains(alts, pat) {
			continue
		}
		alts = append(alts, pat)
		for _, l := range likes {
			if !slices.Contains(m.names, l) {
				m.names = append(m.names, l)
			}
		}
	}
	m.re = regexp.MustCompile(`(?i)` + strings.Join(alts, "|"))
	return m
}

// scrub replaces every occurrence of the subject in s.
func (m *subjectMatcher) scrub(s string) string { return m.re.ReplaceAllString(s, ErasedMark) }

// sqlCandidates is a SQL condition on column expression col that is true
// for every value mentioning the subject (and maybe a few more: the
// matcher confirms).
func (m *subjectMatcher) sqlCandidates(col string, params dbx.Params) string {
	params["gdpr_email"] = "%" + m.email + "%"
	conds := []string{col + " LIKE {:gdpr_email}"}
	stripped := col
	for _, sep := range []string{" ", ".", "-", "(", ")"} {
		stripped = "REPLACE(" + stripped + ", '" + sep + "', '')"
	}
	for i, p := range m.phones {
		k := "gdpr_phone" + strconv.Itoa(i)
		params[k] = "%" + p + "%"
		conds = append(conds, stripped+" LIKE {:"+k+"}")
	}
	for i, n := range m.names {
		k := "gdpr_name" + strconv.Itoa(i)
		params[k] = "%" + n + "%"
		conds = append(conds, col+" LIKE {:"+k+"}")
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

// nationalNumber returns the national significant number of a phone (the
// digits that every notation of it contains), "" when too short to match
// safely.
func nationalNumber(raw string) string {
	if e164, err := dedup.NormalizePhone(raw, dedup.DefaultRegion); err == nil {
		if n, err := phonenumbers.Parse(e164, ""); err == nil {
			return strconv.FormatUint(n.GetNationalNumber(), 10)
		}
	}
	digits := strings.TrimLeft(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, raw), "0")
	if len(digits) < 6 {
		return ""
	}
	return digits
}

// findSubject loads the contacts holding the e-mail.
func findSubject(app core.App, email string) (*subject, error) {
	e := dedup.NormalizeEmail(email)
	if e == "" {
		return nil, domain.Errorf(domain.KindInvalid, "invalid_email", "email", "not an e-mail address")
	}
	s := &subject{email: e}
	var err error
	where := dbx.NewExp("LOWER(email) = {:e}", dbx.Params{"e": e})
	if s.leadContacts, err = app.FindAllRecords("lead_contacts", where); err != nil {
		return nil, err
	}
	if s.contacts, err = app.FindAllRecords("contacts", where); err != nil {
		return nil, err
	}
	var raw []string
	for _, r := range s.leadContacts {
		raw = append(raw, r.GetString("phone"), r.GetString("mobile"))
	}
	for _, r := range s.contacts {
		raw = append(raw, r.GetString("phone"))
	}
	for _, p := range raw {
		if p == "" {
			continue
		}
		if n := nationalNumber(p); n != "" && !slices.Contains(s.phones, n) {
			s.phones = append(s.phones, n)
		}
	}
	sort.Strings(s.phones)
	var people []privacy.Contact
	for _, r := range append(slices.Clone(s.leadContacts), s.contacts...) {
		people = append(people, privacy.Contact{FirstName: r.GetString("first_name"), LastName: r.GetString("last_name")})
	}
	s.match = newMatcher(e, s.phones, people)
	return s, nil
}

// fullData returns every field of a record (hidden ones included).
func fullData(r *core.Record) map[string]any {
	r.Unhide(r.Collection().Fields.FieldNames()...)
	r.IgnoreEmailVisibility(true)
	return r.PublicExport()
}

func ids(recs []*core.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Id
	}
	return out
}

// GDPRExport gathers everything about the data subject with this e-mail:
// the lead contacts and account contacts holding it, their leads and
// accounts, and the activities of those leads or mentioning the subject's
// e-mail or phone numbers. It writes one gdpr.export entry (record ids
// only).
func GDPRExport(app core.App, by audit.Actor, email string, now time.Time) (*SubjectData, error) {
	s, err := findSubject(app, email)
	if err != nil {
		return nil, err
	}
	out := &SubjectData{Email: s.email, GeneratedAt: now.UTC().Format(types.DefaultDateLayout), LeadContacts: []map[string]any{}, Leads: []map[string]any{},
		Contacts: []map[string]any{}, Accounts: []map[string]any{}, Activities: []map[string]any{}}
	var leadIDs, accountIDs []string
	for _, r := range s.leadContacts {
		out.LeadContacts = append(out.LeadContacts, fullData(r))
		leadIDs = append(leadIDs, r.GetString("lead"))
	}
	for _, r := range s.contacts {
		out.Contacts = append(out.Contacts, fullData(r))
		accountIDs = append(accountIDs, r.GetString("account"))
	}
	leads, err := app.FindRecordsByIds("leads", leadIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range leads {
		out.Leads = append(out.Leads, fullData(r))
	}
	accounts, err := app.FindRecordsByIds("accounts", accountIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range accounts {
		out.Accounts = append(out.Accounts, fullData(r))
	}
	params := dbx.Params{}
	cond := s.match.sqlCandidates("summary", params) + " OR " + s.match.sqlCandidates("outcome", params)
	if len(leadIDs) > 0 {
		in := make([]string, len(leadIDs))
		for i, id := range leadIDs {
			k := "lead" + strconv.Itoa(i)
			params[k] = id
			in[i] = "{:" + k + "}"
		}
		cond += " OR lead IN (" + strings.Join(in, ", ") + ")"
	}
	acts, err := app.FindAllRecords("activities", dbx.NewExp(cond, params))
	if err != nil {
		return nil, err
	}
	var actIDs []string
	for _, r := range acts {
		if slices.Contains(leadIDs, r.GetString("lead")) || s.match.re.MatchString(r.GetString("summary")+"\n"+r.GetString("outcome")) {
			out.Activities = append(out.Activities, fullData(r))
			actIDs = append(actIDs, r.Id)
		}
	}
	err = audit.Append(app, by, ActionGDPRExport, "gdpr", "", map[string]any{
		"lead_contacts": ids(s.leadContacts), "contacts": ids(s.contacts), "leads": ids(leads), "accounts": ids(accounts), "activities": actIDs,
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EraseReport says what GDPRErase changed (ids and counts, never values).
type EraseReport struct {
	LeadContacts []string `json:"lead_contacts"`
	Contacts     []string `json:"contacts"`
	// Scrubbed counts the values rewritten per "table.column" (free text
	// mentioning the subject, dedup keys derived from it).
	Scrubbed map[string]int `json:"scrubbed"`
	// LogsDeleted counts the request-log lines (auxiliary database) that
	// mentioned the subject.
	LogsDeleted int `json:"logs_deleted"`
	// Residual counts the values still mentioning the subject per
	// "table.column" after the erasure, in tables Relais does not rewrite
	// (audit_log, users, PocketBase system tables). Empty in a normal run.
	Residual map[string]int `json:"residual"`
	// Recordings lists the call activities of the subject's leads whose
	// recording was deleted (the file with it).
	Recordings []string `json:"recordings"`
}

// erasedName is the last name left on an anonymised contact.
const erasedName = "(anonymised)"

// protectedTable reports the tables never rewritten by the erasure: the audit log is
// append-only (its entries never hold contact values), user accounts are
// managed by their own lifecycle, and PocketBase's system tables start
// with "_".
func protectedTable(name string) bool {
	return name == "audit_log" || name == "users" || strings.HasPrefix(name, "_") || strings.HasPrefix(name, "sqlite_")
}

// GDPRErase anonymises the data subject with this e-mail, in one
// transaction with its gdpr.erase audit entry:
//
//   - lead_contacts and contacts holding the e-mail lose every contact
//     field (names, title, e-mail, phones, a booked meeting's street and
//     person to meet); the subject's private-customer
//     leads keep an empty company;
//   - every other Relais table is scanned: text mentioning the e-mail, one
//     of the subject's phone numbers (any usual notation) or its name as a
//     private customer is written ("First Last", "Famille Last", "M.
//     Last"…) is rewritten with ErasedMark; duplicate keys derived from
//     them are cleared (rows of a dedup table are deleted);
//   - request-log lines mentioning the subject are deleted from the
//     auxiliary database.
//
// The database runs with secure_delete during the erasure and the WAL is
// checkpointed afterwards, so the old values do not linger in free pages;
// backups taken before the erasure still hold them (expire them by your
// backup retention). The leads and accounts themselves stay (they are
// business records), without the person.
func GDPRErase(app core.App, by audit.Actor, email string, now time.Time) (*EraseReport, error) {
	rep := &EraseReport{Scrubbed: map[string]int{}, Residual: map[string]int{}}
	var match *subjectMatcher // kept for the request logs: the values are gone after the commit
	err := app.RunInTransaction(func(tx core.App) error {
		if _, err := tx.DB().NewQuery("PRAGMA secure_delete = ON").Execute(); err != nil {
			return err
		}
		// harmless if it fails: the connection keeps secure_delete on
		// (slower deletes, nothing exposed)
		defer func() { _, _ = tx.DB().NewQuery("PRAGMA secure_delete = OFF").Execute() }()
		s, err := findSubject(tx, email)
		if err != nil {
			return err
		}
		match = s.match
		for _, r := range s.leadContacts {
			// the meeting's street and the person to meet are the subject's too
			for _, f := range []string{"first_name", "title", "email", "phone", "mobile", "appointment_street", "appointment_with"} {
				r.Set(f, "")
			}
			r.Set("last_name", erasedName)
			if err := tx.Save(r); err != nil {
				return err
			}
		}
		for _, r := range s.contacts {
			for _, f := range []string{"first_name", "title", "email", "phone"} {
				r.Set(f, "")
			}
			r.Set("last_name", erasedName)
			if err := tx.Save(r); err != nil {
				return err
			}
		}
		rep.LeadContacts, rep.Contacts = ids(s.leadContacts), ids(s.contacts)
		if rep.Recordings, err = eraseRecordings(tx, s.leadContacts); err != nil {
			return err
		}
		if err := blankPrivateCompanies(tx, s.leadContacts, rep.Scrubbed); err != nil {
			return err
		}
		if err := scanTables(tx.DB(), s.match, rep.Scrubbed, scrubMode); err != nil {
			return err
		}
		// the rollups are not rewritten (two reasons could become one key):
		// the decline reasons are recomputed from the rewritten offers
		if rep.Scrubbed["lead_offers.reason"] > 0 {
			if err := reports.RebuildDeclineRollups(tx.DB()); err != nil {
				return err
			}
		}
		if err := scanTables(tx.DB(), s.match, rep.Residual, countMode); err != nil {
			return err
		}
		return audit.Append(tx, by, ActionGDPRErase, "gdpr", "", map[string]any{
			"lead_contacts": rep.LeadContacts, "contacts": rep.Contacts, "scrubbed": rep.Scrubbed, "residual": rep.Residual, "recordings": rep.Recordings,
		})
	})
	if err != nil {
		return nil, err
	}
	// the request logs live in the auxiliary database (no shared transaction)
	logs := map[string]int{}
	if err := scanTables(app.AuxNonconcurrentDB(), match, logs, deleteMode); err != nil {
		return rep, fmt.Errorf("gdpr erase: request logs: %w", err)
	}
	for _, n := range logs {
		rep.LogsDeleted += n
	}
	if _, err := app.NonconcurrentDB().NewQuery("PRAGMA wal_checkpoint(TRUNCATE)").Execute(); err != nil {
		app.Logger().Warn("gdpr erase: WAL checkpoint failed", "error", err)
	}
	return rep, nil
}

// eraseRecordings deletes the call recordings of the leads of the
// subject's contacts: the field is emptied and PocketBase deletes the
// file once the transaction commits. It returns the activities changed.
func eraseRecordings(tx core.App, contacts []*core.Record) ([]string, error) {
	var out []string
	for _, c := range contacts {
		acts, err := tx.FindAllRecords("activities", dbx.HashExp{"lead": c.GetString("lead")}, dbx.NewExp("recording != ''"))
		if err != nil {
			return nil, err
		}
		for _, a := range acts {
			a.Set("recording", nil)
			if err := tx.Save(a); err != nil {
				return nil, err
			}
			out = append(out, a.Id)
		}
	}
	return out, nil
}

// blankPrivateCompanies empties the company of the subject's private
// customer leads (the lead hooks keep it empty; a value written around
// them, in SQL, goes too).
func blankPrivateCompanies(tx core.App, contacts []*core.Record, counts map[string]int) error {
	if len(contacts) == 0 {
		return nil
	}
	leads := make([]any, len(contacts))
	for i, r := range contacts {
		leads[i] = r.GetString("lead")
	}
	res, err := tx.DB().Update("leads", dbx.Params{"company": ""},
		dbx.And(dbx.HashExp{"private": true}, dbx.NewExp("company != ''"), dbx.In("id", leads...))).Execute()
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n > 0 {
		counts["leads.company"] += int(n)
	}
	return nil
}

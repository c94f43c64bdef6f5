package certificates

import (
	"sort"
	"time"

	"github.com/relais/relais/hooks/assign"
)

// Status of a partner's certificates.
const (
	// StatusNone: the partner holds no certificate.
	StatusNone = "none"
	// StatusValid: every kind it holds is valid beyond ExpiringDays.
	StatusValid = "valid"
	// StatusExpiring: a kind it holds ends within ExpiringDays.
	StatusExpiring = "expiring"
	// StatusLapsed: a kind it held has no valid certificate any more.
	StatusLapsed = "lapsed"
)

// ExpiringDays is how long before its end a certificate counts as
// expiring (the first reminder).
const ExpiringDays = 60

// ReminderDays are the reminders before a certificate's end, in days,
// widest first.
var ReminderDays = []int{60, 30, 7}

// Summary is the certificate status of one partner.
type Summary struct {
	Status string
	// Lapsed are the kinds whose latest certificate ended, sorted.
	Lapsed []string
	// Next is the end of the first valid kind to end (zero: none).
	Next time.Time
}

// Status sums up held (kind → latest valid-until date) at now.
func Status(held map[string]time.Time, now time.Time) Summary {
	s := Summary{Status: StatusNone}
	if len(held) == 0 {
		return s
	}
	s.Status = StatusValid
	for kind, until := range held {
		if !assign.CertificateValid(until, now) {
			s.Lapsed = append(s.Lapsed, kind)
			continue
		}
		if s.Next.IsZero() || until.Before(s.Next) {
			s.Next = until
		}
	}
	sort.Strings(s.Lapsed)
	switch {
	case len(s.Lapsed) > 0:
		s.Status = StatusLapsed
	case DaysLeft(s.Next, now) <= ExpiringDays:
		s.Status = StatusExpiring
	}
	return s
}

// DaysLeft is the number of whole days from now to the end of the day of
// until (UTC): 0 on its last day, negative once it ended.
func DaysLeft(until, now time.Time) int {
	y, m, d := until.UTC().Date()
	end := time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
	left := end.Sub(now)
	if left <= 0 {
		return -1 - int(-left/(24*time.Hour))
	}
	return int(left / (24 * time.Hour))
}

// DueReminder is the reminder to send for a certificate daysLeft days
// from its end, given the reminders sent already: the tightest threshold
// of ReminderDays that daysLeft is within, unless it was sent (a
// certificate added 20 days before its end gets the 30-day reminder only,
// then the 7-day one). ok is false when none is due.
func DueReminder(daysLeft int, sent []int) (days int, ok bool) {
	if daysLeft < 0 {
		return 0, false
	}
	due := 0
	for _, t := range ReminderDays {
		if daysLeft <= t {
			due = t
		}
	}
	if due == 0 {
		return 0, false
	}
	for _, s := range sent {
		if s == due {
			return 0, false
		}
	}
	return due, true
}

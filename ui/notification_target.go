package ui

import (
	"net/url"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/notify"
)

// notificationPage is the page a notification without a lead opens, from
// the catalogue id of its message and what the reader may use: the page
// where the reader acts on it; "" when none (the notifications page).
func notificationPage(messageID string, c caps) string {
	pick := func(ok bool, path string) string {
		if ok {
			return path
		}
		return ""
	}
	switch messageID {
	case "access_request": // to a decider
		return pick(c.Approvals, "/approvals")
	case "access_approved", "access_rejected": // to the requester
		return "/access-requests"
	case "registration", "registration_approved", "registration_rejected":
		return pick(c.Registrations, "/registrations")
	case "account_conflict":
		return pick(c.Accounts, "/accounts")
	case "certificate_expiry":
		if c.Certificates {
			return "/certificates"
		}
		return pick(c.Partners, "/partners")
	case "partner_left":
		return pick(c.Board, "/reassign")
	case "lead_withdrawn":
		return pick(c.Inbox, "/inbox")
	case distribution.NoCandidateGroupMsg: // the waiting leads (notificationTarget adds the territory)
		return pick(c.Board, "/board")
	}
	return ""
}

// notificationTarget is notificationPage for notification n: the grouped
// alert of the leads no partner can take opens the board's waiting leads
// of its territory.
func notificationTarget(n *core.Record, c caps) string {
	id := notify.MessageID(n)
	path := notificationPage(id, c)
	if path == "" || id != distribution.NoCandidateGroupMsg {
		return path
	}
	if t := notify.MessageArg(n, notify.GroupArg); t != "" {
		path += "?territory=" + url.QueryEscape(t)
	}
	return path + "#no-partner"
}

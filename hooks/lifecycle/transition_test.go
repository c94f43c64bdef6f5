package lifecycle

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allowed lists, per from status, the to statuses expected to be allowed.
// Same-status moves are checked separately (always nil).
type allowed map[string][]string

var (
	expectTeleoperator = allowed{
		StatusNew:        {StatusQualifying, StatusReady},
		StatusQualifying: {StatusReady},
		StatusReady:      {StatusQualifying},
		StatusRecycled:   {StatusQualifying},
	}
	expectWork = allowed{
		StatusAccepted:  {StatusContacted, StatusMeeting, StatusLost},
		StatusContacted: {StatusMeeting, StatusWon, StatusLost},
		StatusMeeting:   {StatusContacted, StatusWon, StatusLost},
	}
	expectManager = allowed{
		StatusNew:        {StatusQualifying, StatusReady, StatusContacted, StatusMeeting, StatusWon, StatusLost, StatusRecycled},
		StatusQualifying: {StatusNew, StatusReady, StatusContacted, StatusMeeting, StatusWon, StatusLost, StatusRecycled},
		StatusReady:      {StatusNew, StatusQualifying, StatusContacted, StatusMeeting, StatusWon, StatusLost, StatusRecycled},
		StatusOffered:    {StatusNew, StatusQualifying, StatusReady, StatusContacted, StatusMeeting, StatusWon, StatusLost, StatusRecycled},
		StatusAccepted:   {StatusNew, StatusQualifying, StatusReady, StatusContacted, StatusMeeting, StatusWon, StatusLost, StatusRecycled},
		StatusContacted:  {StatusNew, StatusQualifying, StatusReady, StatusMeeting, StatusWon, StatusLost, StatusRecycled},
		StatusMeeting:    {StatusNew, StatusQualifying, StatusReady, StatusContacted, StatusWon, StatusLost, StatusRecycled},
		StatusWon:        {StatusRecycled},
		StatusLost:       {StatusRecycled},
		StatusRecycled:   {StatusNew, StatusQualifying, StatusReady, StatusContacted, StatusMeeting, StatusWon, StatusLost},
	}
	expectNone = allowed{}
)

func (a allowed) has(from, to string) bool {
	for _, t := range a[from] {
		if t == to {
			return true
		}
	}
	return false
}

func TestCanTransitionMatrix(t *testing.T) {
	cases := []struct {
		role   string
		kind   Kind
		expect allowed
	}{
		{RoleTeleoperator, Internal, expectTeleoperator},
		{RolePartnerUser, Partner, expectWork},
		{RolePartnerManager, Partner, expectWork},
		{RoleSales, Internal, expectWork},
		{RoleChannelManager, Internal, expectManager},
		{RoleAdmin, Internal, expectManager},
		{RoleIntegration, Integration, expectNone},
		// Kind ceilings: a role's name never lifts it above its kind.
		{RoleAdmin, Partner, expectWork},              // manager moves ∩ partner ceiling
		{RoleTeleoperator, Partner, expectNone},       // pool moves ∩ partner ceiling
		{RoleChannelManager, Integration, expectNone}, // integration kind: nothing
		{RolePartnerUser, Integration, expectNone},
		// Roles added by an admin get their kind's default.
		{"installer_lead", Partner, expectWork},
		{"", Partner, expectWork},
		{"quality_auditor", Internal, expectNone},
		{"regional_director", Integration, expectNone},
	}

	for _, tc := range cases {
		for _, from := range Statuses() {
			for _, to := range Statuses() {
				err := CanTransition(tc.role, tc.kind, from, to)
				switch {
				case from == to:
					assert.NoError(t, err, "%s/%s %s→%s same status", tc.role, tc.kind, from, to)
				case tc.expect.has(from, to):
					assert.NoError(t, err, "%s/%s %s→%s", tc.role, tc.kind, from, to)
				default:
					var te *TransitionError
					if assert.ErrorAs(t, err, &te, "%s/%s %s→%s should be refused", tc.role, tc.kind, from, to) {
						assert.Equal(t, from, te.From)
						assert.Equal(t, to, te.To)
						assert.Equal(t, tc.role, te.Role)
						assert.NotEmpty(t, te.Reason)
						assert.Contains(t, []string{CodeNotAllowed, CodeUseOfferRoute}, te.Code())
					}
				}
			}
		}
	}
}

func TestExpectedTablesOnlyUseKnownStatuses(t *testing.T) {
	for _, table := range []allowed{expectTeleoperator, expectWork, expectManager} {
		for from, tos := range table {
			require.True(t, Valid(from), from)
			for _, to := range tos {
				require.True(t, Valid(to), to)
				require.NotEqual(t, from, to)
			}
		}
	}
}

func TestCanTransitionErrors(t *testing.T) {
	cases := []struct {
		name     string
		role     string
		kind     Kind
		from, to string
		code     string
		reason   string
	}{
		{"partner accepts by edit", RolePartnerUser, Partner, StatusOffered, StatusAccepted, CodeUseOfferRoute, "accept or decline route"},
		{"partner declines by edit", RolePartnerUser, Partner, StatusOffered, "declined", CodeUseOfferRoute, "decline route"},
		{"partner leaves offer otherwise", RolePartnerManager, Partner, StatusOffered, StatusContacted, CodeUseOfferRoute, "accept or decline route"},
		{"manager accepts by edit", RoleChannelManager, Internal, StatusOffered, StatusAccepted, CodeUseOfferRoute, "accept or decline route"},
		{"manager offers by edit", RoleChannelManager, Internal, StatusReady, StatusOffered, CodeUseOfferRoute, "assign route"},
		{"admin accepts from pool", RoleAdmin, Internal, StatusReady, StatusAccepted, CodeUseOfferRoute, "accept route"},
		{"admin reopens won", RoleAdmin, Internal, StatusWon, StatusMeeting, CodeNotAllowed, "only be recycled"},
		{"manager flips lost to won", RoleChannelManager, Internal, StatusLost, StatusWon, CodeNotAllowed, "only be recycled"},
		{"teleoperator out of pool", RoleTeleoperator, Internal, StatusReady, StatusContacted, CodeNotAllowed, "central pool"},
		{"integration", RoleIntegration, Integration, StatusNew, StatusQualifying, CodeNotAllowed, "cannot change"},
		{"partner skips to won", RolePartnerUser, Partner, StatusAccepted, StatusWon, CodeNotAllowed, "not part of the lead lifecycle"},
		{"partner reopens lost", RolePartnerUser, Partner, StatusLost, StatusMeeting, CodeNotAllowed, "not part of the lead lifecycle"},
		{"unknown from", RoleAdmin, Internal, "archived", StatusNew, CodeUnknownStatus, `unknown status "archived"`},
		{"unknown to", RoleAdmin, Internal, StatusNew, "Won", CodeUnknownStatus, `unknown status "Won"`},
		{"unknown both equal", RoleAdmin, Internal, "foo", "foo", CodeUnknownStatus, `unknown status "foo"`},
		{"empty status", RolePartnerUser, Partner, "", StatusWon, CodeUnknownStatus, `unknown status ""`},
		{"declined from elsewhere", RolePartnerUser, Partner, StatusAccepted, "declined", CodeUnknownStatus, "unknown status"},
		{"unknown kind", RoleAdmin, Kind("superuser"), StatusNew, StatusReady, CodeUnknownKind, "unknown role kind"},
		{"unknown kind same status", RoleAdmin, Kind(""), StatusNew, StatusNew, CodeUnknownKind, "unknown role kind"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CanTransition(tc.role, tc.kind, tc.from, tc.to)
			var te *TransitionError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.code, te.Code())
			assert.Contains(t, te.Reason, tc.reason)
			assert.Contains(t, err.Error(), tc.reason)
			assert.Contains(t, err.Error(), tc.role)
		})
	}
}

func TestTransitionErrorZeroCode(t *testing.T) {
	err := &TransitionError{From: StatusNew, To: StatusWon, Role: RoleSales, Reason: "no"}
	assert.Equal(t, CodeNotAllowed, err.Code())
	assert.Equal(t, `lead status "new" → "won" not allowed for role "sales": no`, err.Error())
}

func TestTargets(t *testing.T) {
	assert.Equal(t, []string{StatusQualifying, StatusReady}, Targets(RoleTeleoperator, Internal, StatusNew))
	assert.Equal(t, []string{StatusContacted, StatusWon, StatusLost}, Targets(RolePartnerUser, Partner, StatusMeeting))
	assert.Equal(t, []string{StatusRecycled}, Targets(RoleChannelManager, Internal, StatusWon))
	assert.Empty(t, Targets(RolePartnerUser, Partner, StatusOffered))
	assert.Empty(t, Targets(RoleIntegration, Integration, StatusNew))
	assert.Nil(t, Targets(RoleAdmin, Internal, "nope"))
	assert.Nil(t, Targets(RoleAdmin, Kind("x"), StatusNew))
}

func TestRequireOutcome(t *testing.T) {
	cases := []struct {
		name   string
		to     string
		amount float64
		reason string
		field  string // "" = no error
	}{
		{"won with amount", StatusWon, 12500.5, "", ""},
		{"won zero", StatusWon, 0, "signed", "amount"},
		{"won negative", StatusWon, -1, "", "amount"},
		{"won NaN", StatusWon, math.NaN(), "", "amount"},
		{"won +Inf", StatusWon, math.Inf(1), "", "amount"},
		{"lost with reason", StatusLost, 0, "went with a competitor", ""},
		{"lost empty reason", StatusLost, 100, "", "reason"},
		{"lost blank reason", StatusLost, 0, " \t\n", "reason"},
		{"meeting needs nothing", StatusMeeting, 0, "", ""},
		{"recycled needs nothing", StatusRecycled, 0, "", ""},
		{"unknown needs nothing", "whatever", 0, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := RequireOutcome(tc.to, tc.amount, tc.reason)
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			var oe *OutcomeError
			require.True(t, errors.As(err, &oe), "want *OutcomeError, got %v", err)
			assert.Equal(t, tc.field, oe.Field)
			assert.Equal(t, tc.to, oe.Status)
			assert.Equal(t, CodeOutcomeRequired, oe.Code())
			assert.True(t, strings.HasPrefix(err.Error(), `lead status "`+tc.to+`": `), err.Error())
		})
	}
}

func TestStatusGroups(t *testing.T) {
	pool := map[string]bool{StatusNew: true, StatusQualifying: true, StatusReady: true, StatusRecycled: true}
	open := map[string]bool{StatusOffered: true, StatusAccepted: true, StatusContacted: true, StatusMeeting: true}
	later := map[string]bool{StatusAccepted: true, StatusContacted: true, StatusMeeting: true, StatusWon: true, StatusLost: true}
	closed := map[string]bool{StatusWon: true, StatusLost: true}

	require.Len(t, Statuses(), 10)
	for _, s := range Statuses() {
		assert.True(t, Valid(s), s)
		assert.Equal(t, pool[s], InPool(s), "InPool(%s)", s)
		assert.Equal(t, open[s], Open(s), "Open(%s)", s)
		assert.Equal(t, later[s], AcceptedOrLater(s), "AcceptedOrLater(%s)", s)
		assert.Equal(t, closed[s], Closed(s), "Closed(%s)", s)
		// Every status is in exactly one of pool, open or closed.
		n := 0
		for _, in := range []bool{pool[s], open[s], closed[s]} {
			if in {
				n++
			}
		}
		assert.Equal(t, 1, n, s)
	}
	for _, s := range []string{"", "New", "declined", " new"} {
		assert.False(t, Valid(s), s)
		assert.False(t, InPool(s), s)
		assert.False(t, Open(s), s)
		assert.False(t, AcceptedOrLater(s), s)
	}
	assert.Len(t, PoolStatuses(), len(pool))
	assert.Len(t, OpenStatuses(), len(open))
	assert.Len(t, AcceptedOrLaterStatuses(), len(later))
}

func TestStatusListsAreFresh(t *testing.T) {
	for _, list := range []func() []string{Statuses, PoolStatuses, OpenStatuses, AcceptedOrLaterStatuses} {
		a := list()
		a[0] = "mutated"
		assert.NotEqual(t, "mutated", list()[0])
	}
	assert.True(t, Valid(StatusNew), "mutating a returned slice must not change the package")
}

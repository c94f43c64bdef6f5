package lifecycle

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/roles"
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
		kind   roles.Kind
		expect allowed
	}{
		{roles.Teleoperator, roles.Internal, expectTeleoperator},
		{roles.PartnerUser, roles.Partner, expectWork},
		{roles.PartnerManager, roles.Partner, expectWork},
		{roles.Sales, roles.Internal, expectWork},
		{roles.ChannelManager, roles.Internal, expectManager},
		{roles.Admin, roles.Internal, expectManager},
		{roles.IntegrationRole, roles.Integration, expectNone},
		// Kind ceilings: a role's name never lifts it above its kind.
		{roles.Admin, roles.Partner, expectWork},              // manager moves ∩ partner ceiling
		{roles.Teleoperator, roles.Partner, expectNone},       // pool moves ∩ partner ceiling
		{roles.ChannelManager, roles.Integration, expectNone}, // integration kind: nothing
		{roles.PartnerUser, roles.Integration, expectNone},
		// Roles added by an admin get their kind's default.
		{"installer_lead", roles.Partner, expectWork},
		{"", roles.Partner, expectWork},
		{"quality_auditor", roles.Internal, expectNone},
		{"regional_director", roles.Integration, expectNone},
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
		kind     roles.Kind
		from, to string
		code     string
		reason   string
	}{
		{"partner accepts by edit", roles.PartnerUser, roles.Partner, StatusOffered, StatusAccepted, CodeUseOfferRoute, "accept or decline route"},
		{"partner declines by edit", roles.PartnerUser, roles.Partner, StatusOffered, "declined", CodeUseOfferRoute, "decline route"},
		{"partner leaves offer otherwise", roles.PartnerManager, roles.Partner, StatusOffered, StatusContacted, CodeUseOfferRoute, "accept or decline route"},
		{"manager accepts by edit", roles.ChannelManager, roles.Internal, StatusOffered, StatusAccepted, CodeUseOfferRoute, "accept or decline route"},
		{"manager offers by edit", roles.ChannelManager, roles.Internal, StatusReady, StatusOffered, CodeUseOfferRoute, "assign route"},
		{"admin accepts from pool", roles.Admin, roles.Internal, StatusReady, StatusAccepted, CodeUseOfferRoute, "accept route"},
		{"admin reopens won", roles.Admin, roles.Internal, StatusWon, StatusMeeting, CodeNotAllowed, "only be recycled"},
		{"manager flips lost to won", roles.ChannelManager, roles.Internal, StatusLost, StatusWon, CodeNotAllowed, "only be recycled"},
		{"teleoperator out of pool", roles.Teleoperator, roles.Internal, StatusReady, StatusContacted, CodeNotAllowed, "central pool"},
		{"integration", roles.IntegrationRole, roles.Integration, StatusNew, StatusQualifying, CodeNotAllowed, "cannot change"},
		{"partner skips to won", roles.PartnerUser, roles.Partner, StatusAccepted, StatusWon, CodeNotAllowed, "not part of the lead lifecycle"},
		{"partner reopens lost", roles.PartnerUser, roles.Partner, StatusLost, StatusMeeting, CodeNotAllowed, "not part of the lead lifecycle"},
		{"unknown from", roles.Admin, roles.Internal, "archived", StatusNew, CodeUnknownStatus, `unknown status "archived"`},
		{"unknown to", roles.Admin, roles.Internal, StatusNew, "Won", CodeUnknownStatus, `unknown status "Won"`},
		{"unknown both equal", roles.Admin, roles.Internal, "foo", "foo", CodeUnknownStatus, `unknown status "foo"`},
		{"empty status", roles.PartnerUser, roles.Partner, "", StatusWon, CodeUnknownStatus, `unknown status ""`},
		{"declined from elsewhere", roles.PartnerUser, roles.Partner, StatusAccepted, "declined", CodeUnknownStatus, "unknown status"},
		{"unknown kind", roles.Admin, roles.Kind("superuser"), StatusNew, StatusReady, CodeUnknownKind, "unknown role kind"},
		{"unknown kind same status", roles.Admin, roles.Kind(""), StatusNew, StatusNew, CodeUnknownKind, "unknown role kind"},
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
	err := &TransitionError{From: StatusNew, To: StatusWon, Role: roles.Sales, Reason: "no"}
	assert.Equal(t, CodeNotAllowed, err.Code())
	assert.Equal(t, `lead status "new" → "won" not allowed for role "sales": no`, err.Error())
}

func TestTargets(t *testing.T) {
	assert.Equal(t, []string{StatusQualifying, StatusReady}, Targets(roles.Teleoperator, roles.Internal, StatusNew))
	assert.Equal(t, []string{StatusContacted, StatusWon, StatusLost}, Targets(roles.PartnerUser, roles.Partner, StatusMeeting))
	assert.Equal(t, []string{StatusRecycled}, Targets(roles.ChannelManager, roles.Internal, StatusWon))
	assert.Empty(t, Targets(roles.PartnerUser, roles.Partner, StatusOffered))
	assert.Empty(t, Targets(roles.IntegrationRole, roles.Integration, StatusNew))
	assert.Nil(t, Targets(roles.Admin, roles.Internal, "nope"))
	assert.Nil(t, Targets(roles.Admin, roles.Kind("x"), StatusNew))
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
		assert.Equal(t, open[s], Entrusted(s), "Entrusted(%s)", s)
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
		assert.False(t, Entrusted(s), s)
		assert.False(t, AcceptedOrLater(s), s)
	}
	assert.Len(t, PoolStatuses(), len(pool))
	assert.Len(t, EntrustedStatuses(), len(open))
	assert.Len(t, AcceptedOrLaterStatuses(), len(later))
}

func TestStatusListsAreFresh(t *testing.T) {
	for _, list := range []func() []string{Statuses, PoolStatuses, EntrustedStatuses, AcceptedOrLaterStatuses,
		DistributableStatuses, PipelineStatuses, WorkedStatuses, ReleasedStatuses} {
		a := list()
		a[0] = "mutated"
		assert.NotEqual(t, "mutated", list()[0])
	}
	assert.True(t, Valid(StatusNew), "mutating a returned slice must not change the package")
}

// Each named set holds exactly the statuses its question needs.
func TestNamedStatusSets(t *testing.T) {
	sets := []struct {
		name string
		list []string
		in   func(string) bool
		want []string
	}{
		{"distributable", DistributableStatuses(), Distributable, []string{StatusReady, StatusRecycled}},
		{"entrusted", EntrustedStatuses(), Entrusted, []string{StatusOffered, StatusAccepted, StatusContacted, StatusMeeting}},
		{"pipeline", PipelineStatuses(), InPipeline, []string{StatusAccepted, StatusContacted, StatusMeeting}},
		{"worked", WorkedStatuses(), Worked, []string{StatusAccepted, StatusContacted, StatusMeeting, StatusWon}},
		{"conflicting", nil, Conflicting, []string{StatusNew, StatusQualifying, StatusReady, StatusOffered, StatusAccepted, StatusContacted, StatusMeeting, StatusWon}},
	}
	for _, set := range sets {
		if set.list != nil {
			assert.Equal(t, set.want, set.list, set.name)
		}
		for _, s := range append(Statuses(), "", "declined") {
			assert.Equal(t, slices.Contains(set.want, s), set.in(s), "%s(%q)", set.name, s)
		}
	}
	assert.Equal(t, []string{StatusLost, StatusRecycled}, ReleasedStatuses())
	assert.Equal(t, "'offered','accepted','contacted','meeting'", SQLList(EntrustedStatuses()))
}

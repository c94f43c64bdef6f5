// Package api is the REST API of Relais and everything bound to
// PocketBase's HTTP handling: the /api/prm routes, the middlewares Relais
// adds to PocketBase's router, and the request hooks of PocketBase's own
// API (record, auth, realtime, file, settings and collection requests).
// Register lists them all, with their priorities, in this file.
//
// A handler parses the request, calls the domain (the packages under
// hooks/) and writes the answer; a domain error becomes its HTTP status
// here (APIError). What runs on every write whoever makes it — REST, UI,
// commands — is bound by the hooks package, not here.
package api

import (
	"io"
	"os"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/idle"
	"github.com/relais/relais/hooks/reports"
	"github.com/relais/relais/hooks/throttle"
)

// Priorities of the middlewares Relais binds to PocketBase's router (a
// lower priority runs first; PocketBase's own: rate limit -1000, load auth
// token -1020, superuser IP allow-list -1015).
const (
	// authCachePriority: right before PocketBase's loadAuthToken, which
	// keeps the auth record it loads from memory (auth_cache.go).
	authCachePriority = apis.DefaultLoadAuthTokenMiddlewarePriority - 1
	// sessionGuardPriority: right after PocketBase loads the token, so that
	// every later middleware and route sees a live session or a guest.
	sessionGuardPriority = apis.DefaultLoadAuthTokenMiddlewarePriority + 1
	// filterGuardPriority: after the session guard, before the list hint
	// is ANDed to the client's filter (the guard judges the client's text).
	filterGuardPriority = apis.DefaultLoadAuthTokenMiddlewarePriority + 2
	// listHintPriority: the hint joins the filter the guard let through.
	listHintPriority = apis.DefaultLoadAuthTokenMiddlewarePriority + 3
	// pageCapPriority: after the list hint (they change different
	// parameters).
	pageCapPriority = apis.DefaultLoadAuthTokenMiddlewarePriority + 4
	// listRulesPriority: after the guards above and the limits, last before
	// PocketBase's list handler, which it
	// hands the caller's specialized ListRule (list_rules.go).
	listRulesPriority = apis.DefaultRateLimitMiddlewarePriority + 3
	// userRateLimitPriority: right after PocketBase's limiter (which counts
	// the anonymous requests per address), once the token is loaded; the
	// UI session is loaded later, by the UI's own middleware, so the UI
	// pages are not counted here.
	userRateLimitPriority = apis.DefaultRateLimitMiddlewarePriority + 1
	// writeGatePriority: right after PocketBase's limiter and the per-user
	// one (a refused request costs no write slot), before the routes.
	writeGatePriority = apis.DefaultRateLimitMiddlewarePriority + 2
	// proxyWarningPriority: before anything can answer, so that the first
	// request through an untrusted proxy is seen whatever its route.
	proxyWarningPriority = apis.DefaultLoadAuthTokenMiddlewarePriority - 100
	// truncateGuardPriority: after PocketBase's superuser IP allow-list.
	truncateGuardPriority = apis.DefaultSuperuserIPsWhitelistMiddlewarePriority + 1
	// idleCountPriority: first of all (before CORS), so that every request
	// counts as activity for the idle watcher.
	idleCountPriority = apis.DefaultCorsMiddlewarePriority - 1
	// the read gate: after the activity logger and the panic recovery,
	// before anything that reads the database (the auth token's account)
	readGatePriority = apis.DefaultPanicRecoverMiddlewarePriority + 1
)

// Priorities of the request hooks of PocketBase's API (a lower priority
// runs first, and wraps the later ones).
const (
	// bodyCheckPriority: the raw types of the body are checked first,
	// before any hook reads the values PocketBase cast from them.
	bodyCheckPriority = -20
	// relationGuardPriority: before every other Relais record request
	// hook, so that the relation check sees exactly what the client sent
	// and nothing the hooks derive.
	relationGuardPriority = -10
	// derivePriority: the domain checks that derive fields (lead
	// lifecycle, lead and activity defaults, opportunity stages) run
	// before the audit wrapper, so that the audited diff holds what they
	// set.
	derivePriority = -1
	// auditPriority: the audit wrapper, around the save.
	auditPriority = 0
	// loginThrottlePriority: the login throttle answers an attempt that
	// must wait before anything else runs (no audit entry, no password
	// comparison: a guesser's flood costs nothing), and counts the outcome
	// of the others.
	loginThrottlePriority = -200
	// loginAuditPriority: the login audit wraps every other auth handler,
	// so that a refused login (a blocked account) is recorded too.
	loginAuditPriority = -100
	// secondFactorPriority: the password step of an account that needs a
	// second factor is answered (401 with mfaId, mfa.go) before the login
	// audit, the last login and the session start: no login happened.
	secondFactorPriority = -150
	// lastLoginPriority: a users' password login is recorded between the
	// login audit and the session start.
	lastLoginPriority = 0
	// sessionStartPriority: the session start is the innermost handler of
	// the auth requests: it records the very token PocketBase then sends.
	sessionStartPriority = 1000
	// realtimeSessionPriority, realtimeGuardPriority: a subscription is
	// tied to its session, then its filters are checked.
	realtimeSessionPriority = 0
	realtimeGuardPriority   = 1
	// hiddenFilePriority, documentAuditPriority: a Hidden file is refused
	// before a sensitive document's download is audited (documents.file
	// is not Hidden: the two never meet on one download).
	hiddenFilePriority    = -1
	documentAuditPriority = 0
	// privateLabelPriority, leadFieldsPriority: the label of a private
	// customer's lead, then the fields its reader may see.
	privateLabelPriority = 0
	leadFieldsPriority   = 1
)

// PasswordAuthPriority is the priority of the Relais handler of the users'
// auth-with-password requests (passwordAuth). It is the innermost handler
// and ends the chain: it answers with PocketBase's own auth response, so
// PocketBase's default action, which would compare the password again,
// never runs, nor does a handler bound with a higher priority. Handlers
// bound with a lower priority (the audit of failed logins) still wrap it.
const PasswordAuthPriority = 1000

// rateLimitRules are the rate limits PocketBase's limiter applies, per
// address, to anonymous requests (settings, set by the migrations; `/_/` →
// Settings → Rate limits changes them): label, audience, requests,
// seconds. Every one is "@guest": a signed-in user's requests are counted
// per account (userRateLimitRules). TestRateLimitRulesListed keeps this
// list and the stored settings equal.
var rateLimitRules = []struct {
	Label, Audience string
	Max, Duration   int
}{
	{"*:auth", "@guest", 120, 60},               // logins (guessing is slowed per account: login_throttle.go)
	{"*:requestPasswordReset", "@guest", 5, 60}, // password-reset e-mails (REST; the UI limits its form itself)
	{"POST /api/prm/webform/", "@guest", 5, 60}, // the public web form
	{"*:create", "@guest", 50, 5},               // record creations
	{"/api/batch", "@guest", 3, 1},              // PocketBase's batch API (off)
	{"/api/", "@guest", 600, 10},                // everything else under /api/
}

// userRateLimitRules are the rate limits of signed-in users, counted per
// account by limitPerUser (rate_limit.go); PocketBase's rule matching:
// "METHOD /path" exactly or as a prefix ending in "/", then "/path".
var userRateLimitRules = []core.RateLimitRule{
	{Label: "POST /api/prm/leads/ingest", MaxRequests: 6000, Duration: 10}, // an integration pushes ≥ 500 leads/s (SPEC §7)
	{Label: "/api/batch", MaxRequests: 3, Duration: 1},                     // PocketBase's batch API (off)
	{Label: "POST /api/collections/", MaxRequests: 50, Duration: 5},        // record creations, auth refreshes
	{Label: "/api/", MaxRequests: 600, Duration: 10},                       // everything else under /api/
}

// Register binds the REST API to the app: the routes and router
// middlewares (when the app serves, routes) and the request hooks of
// PocketBase's API. Call it next to hooks.Register (main, tests).
func Register(app core.App) {
	guard := governance.NewCollectionGuard()
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "relaisAPI",
		Func: func(se *core.ServeEvent) error {
			routes(se, guard)
			return se.Next()
		},
	})
	// the webhooks' delivery worker, under `serve` only (se.Server is nil
	// when tests build the router): webhooks.go
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "relaisWebhookWorker",
		Func: func(se *core.ServeEvent) error {
			if se.Server != nil {
				startWebhookWorker(se.App)
			}
			return se.Next()
		},
	})
	bindRecordRequests(app)
	bindAuthRequests(app)
	bindOtherRequests(app, guard)
}

// routes binds the router middlewares and every /api/prm route.
func routes(se *core.ServeEvent, guard *governance.CollectionGuard) {
	r := se.Router
	r.Bind(&hook.Handler[*core.RequestEvent]{Id: AuthCacheMiddlewareID, Priority: authCachePriority, Func: loadAuthFromCache})
	r.Bind(&hook.Handler[*core.RequestEvent]{Id: SessionGuardMiddlewareID, Priority: sessionGuardPriority, Func: guardSession})
	r.Bind(&hook.Handler[*core.RequestEvent]{Id: FilterGuardMiddlewareID, Priority: filterGuardPriority, Func: guardListFilter})
	r.Bind(&hook.Handler[*core.RequestEvent]{Id: ListHintMiddlewareID, Priority: listHintPriority, Func: addListHint})
	r.Bind(&hook.Handler[*core.RequestEvent]{Id: PageCapMiddlewareID, Priority: pageCapPriority, Func: capListPage})
	r.Bind(&hook.Handler[*core.RequestEvent]{Id: ListRulesMiddlewareID, Priority: listRulesPriority, Func: specializeListRule})
	r.Bind(&hook.Handler[*core.RequestEvent]{Id: UserRateLimitMiddlewareID, Priority: userRateLimitPriority, Func: limitPerUser(throttle.NewWindow())})
	r.Bind(&hook.Handler[*core.RequestEvent]{Id: WriteGateMiddlewareID, Priority: writeGatePriority, Func: gateWrites(writeLimitsOf(se.App))})
	r.Bind(&hook.Handler[*core.RequestEvent]{Id: "relaisTruncateGuard", Priority: truncateGuardPriority, Func: guardTruncate(guard)})
	r.Bind(&hook.Handler[*core.RequestEvent]{Id: IdleCountMiddlewareID, Priority: idleCountPriority, Func: countRequests(idle.RequestsOf(se.App.Store()))}) // idle.go
	r.Bind(&hook.Handler[*core.RequestEvent]{Id: ReadGateMiddlewareID, Priority: readGatePriority, Func: gateReads(ReadSlots)})                             // read_gate.go
	// the installer link a first `serve` prints holds a recorded session,
	// and the console of `serve` shows the untrusted-proxy warning (under
	// serve only: se.Server is nil when tests build the router)
	var console io.Writer
	if se.Server != nil {
		console = os.Stderr
		if se.InstallerFunc != nil {
			se.InstallerFunc = SessionInstaller(os.Stdout)
		}
	}
	r.Bind(&hook.Handler[*core.RequestEvent]{Id: ProxyWarningMiddlewareID, Priority: proxyWarningPriority, Func: warnUntrustedProxy(console)})

	users := apis.RequireAuth("users")

	// leads (SPEC §6): leads.go
	leads := r.Group("/api/prm")
	leads.POST("/leads/ingest", ingestLead).Bind(users)
	leads.POST("/leads/ingest/batch", ingestLeads).Bind(users)
	leads.POST("/webform/{formKey}", webformLead) // public: form key, honeypot, rate limit
	leads.POST("/leads/{id}/assign", assignLead).Bind(users)
	leads.POST("/leads/{id}/reassign", reassignLead).Bind(users)     // reassign.go
	leads.POST("/leads/{id}/recording", attachRecording).Bind(users) // recordings.go
	leads.POST("/leads/{id}/accept", acceptLead).Bind(users)
	leads.POST("/leads/{id}/decline", declineLead).Bind(users)
	leads.GET("/webhooks/events", listWebhookEvents).Bind(users) // webhooks.go (an integration's own events)
	// conflict arbitration of a held lead: arbitrate.go
	leads.GET("/leads/{id}/conflict", showConflict).Bind(users)
	leads.POST("/leads/{id}/conflict/assign-holder", arbitrateConflict(distribution.ArbitrateAssignHolder)).Bind(users)
	leads.POST("/leads/{id}/conflict/assign", arbitrateConflict(distribution.ArbitrateAssignOther)).Bind(users)
	leads.POST("/leads/{id}/conflict/merge", arbitrateConflict(distribution.ArbitrateMerge)).Bind(users)
	leads.POST("/leads/{id}/conflict/return", arbitrateConflict(distribution.ArbitrateReturn)).Bind(users)
	leads.POST("/leads/{id}/conflict/dismiss", arbitrateConflict(distribution.ArbitrateDismiss)).Bind(users)

	// opportunities, deal registration, documents: deals.go, documents.go
	deals := r.Group("/api/prm")
	deals.POST("/leads/{id}/opportunity", openOpportunity).Bind(users)
	deals.POST("/opportunities/{id}/stage", moveStage).Bind(users)
	deals.POST("/opportunities/{id}/validate", validateWin).Bind(users)
	deals.POST("/registrations", registerDeal).Bind(users)
	deals.POST("/registrations/{id}/approve", approveRegistration).Bind(users)
	deals.POST("/registrations/{id}/reject", rejectRegistration).Bind(users)
	deals.GET("/documents/{id}/download", downloadDocument).Bind(users)

	// accounts and teams: team.go
	accounts := r.Group("/api/prm")
	accounts.POST("/users/invite", inviteUser).Bind(users)
	accounts.POST("/users/{id}/invite", resendInvite).Bind(users)
	accounts.POST("/users/{id}/active", setUserActive).Bind(users)

	// governance (SPEC §5): any authenticated, unblocked account,
	// superusers included (guests get 401): export.go, governance.go
	gov := r.Group("/api/prm")
	gov.Bind(apis.RequireAuth())
	gov.GET("/export/{resource}", exportRecords)
	gov.GET("/access-requests/pending", listPendingRequests)
	gov.POST("/access-requests/{id}/approve", approveRequest)
	gov.POST("/access-requests/{id}/reject", rejectRequest)
	gov.POST("/grants", createGrant)
	gov.POST("/grants/{id}/revoke", revokeGrant)
	gov.GET("/access-review", accessReview)
	gov.POST("/access-reviews/items/{id}/decide", decideReviewItem)

	// reports (SPEC §4.7): reports.go
	rep := r.Group("/api/prm/reports")
	rep.Bind(users)
	rep.GET("/partners", report(func(app core.App, s reports.Scope, f reports.Filter) (any, error) {
		return reports.Scorecard(app, s, f)
	}))
	rep.GET("/funnel", report(func(app core.App, s reports.Scope, f reports.Filter) (any, error) { return reports.Funnel(app, s, f) }))
	rep.GET("/trend", report(func(app core.App, s reports.Scope, f reports.Filter) (any, error) { return reports.Trend(app, s, f) }))
	rep.GET("/departments", report(func(app core.App, s reports.Scope, f reports.Filter) (any, error) {
		return reports.Departments(app, s, f)
	}))
	rep.GET("/dashboard", report(func(app core.App, s reports.Scope, f reports.Filter) (any, error) {
		return reports.DashboardFor(app, s, time.Now())
	}))
}

// bindRecordRequests binds the request hooks of PocketBase's record API
// (fieldcheck.go, records.go, relations.go) and the enrich hooks of the records it sends
// (enrich.go).
func bindRecordRequests(app core.App) {
	app.OnRecordCreateRequest().Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisBodyCheck", Priority: bodyCheckPriority, Func: checkRecordBody})
	app.OnRecordUpdateRequest().Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisBodyCheck", Priority: bodyCheckPriority, Func: checkRecordBody})
	app.OnRecordCreateRequest().Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisRelationGuard", Priority: relationGuardPriority, Func: guardRelations})
	app.OnRecordUpdateRequest().Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisRelationGuard", Priority: relationGuardPriority, Func: guardRelations})

	app.OnRecordCreateRequest("leads").Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisLeadCreate", Priority: derivePriority, Func: prepareLead})
	app.OnRecordUpdateRequest("leads").Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisLeadLifecycle", Priority: derivePriority, Func: checkLeadUpdate})
	app.OnRecordCreateRequest("accounts").Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisAccountCreate", Priority: derivePriority, Func: prepareAccount})
	app.OnRecordUpdateRequest("accounts").Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisAccountConflict", Priority: derivePriority, Func: checkAccountUpdate})
	app.OnRecordCreateRequest("activities").Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisActivityAuthor", Priority: derivePriority, Func: prepareActivity})
	app.OnRecordCreateRequest("opportunities").Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisOpportunityCreate", Priority: derivePriority, Func: prepareOpportunity})
	app.OnRecordUpdateRequest("opportunities").Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisOpportunityStage", Priority: derivePriority, Func: applyStage})

	for _, c := range audit.Collections {
		app.OnRecordCreateRequest(c).Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisAudit_" + c, Priority: auditPriority, Func: auditRecordRequest("create")})
		app.OnRecordUpdateRequest(c).Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisAudit_" + c, Priority: auditPriority, Func: auditRecordRequest("update")})
		app.OnRecordDeleteRequest(c).Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisAudit_" + c, Priority: auditPriority, Func: auditRecordRequest("delete")})
	}
	app.OnRecordCreateRequest("audit_log").Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisAuditLogAppendOnly", Priority: auditPriority, Func: refuseAuditLogRequest})
	app.OnRecordUpdateRequest("audit_log").Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisAuditLogAppendOnly", Priority: auditPriority, Func: refuseAuditLogRequest})
	app.OnRecordDeleteRequest("audit_log").Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relaisAuditLogAppendOnly", Priority: auditPriority, Func: refuseAuditLogRequest})

	app.OnRecordEnrich("leads").Bind(&hook.Handler[*core.RecordEnrichEvent]{Id: "relaisPrivateLabel", Priority: privateLabelPriority, Func: labelPrivateLead})
	app.OnRecordEnrich("leads").Bind(&hook.Handler[*core.RecordEnrichEvent]{Id: "relaisLeadFields", Priority: leadFieldsPriority, Func: showLeadFields})
	app.OnRecordEnrich("activities").Bind(&hook.Handler[*core.RecordEnrichEvent]{Id: "relaisRecording", Func: showRecording})
	app.OnRecordEnrich("opportunities").Bind(&hook.Handler[*core.RecordEnrichEvent]{Id: "relaisOpportunityFields", Func: showOpportunityFields})
}

// bindAuthRequests binds the request hooks of logins, refreshes,
// impersonations and password resets (login_throttle.go, auth.go,
// mfa.go, sessions.go, password_reset.go).
func bindAuthRequests(app core.App) {
	app.OnRecordAuthWithPasswordRequest().Bind(&hook.Handler[*core.RecordAuthWithPasswordRequestEvent]{Id: "relaisLoginThrottle", Priority: loginThrottlePriority, Func: throttleLogin})
	app.OnRecordAuthWithPasswordRequest().Bind(&hook.Handler[*core.RecordAuthWithPasswordRequestEvent]{Id: "relaisAuditLoginFailure", Priority: loginAuditPriority, Func: auditLoginFailure})
	app.OnRecordAuthWithPasswordRequest("users").Bind(&hook.Handler[*core.RecordAuthWithPasswordRequestEvent]{Id: "relaisPasswordAuth", Priority: PasswordAuthPriority, Func: passwordAuth})
	app.OnRecordAuthRequest("users").Bind(&hook.Handler[*core.RecordAuthRequestEvent]{Id: "relaisSecondFactor", Priority: secondFactorPriority, Func: secondFactor})
	app.OnRecordAuthWithOTPRequest("users").Bind(&hook.Handler[*core.RecordAuthWithOTPRequestEvent]{Id: "relaisOTPSecondStep", Func: otpSecondStep})
	app.OnRecordRequestOTPRequest("users").Bind(&hook.Handler[*core.RecordCreateOTPRequestEvent]{Id: "relaisOTPRequest", Func: guardOTPRequest})
	app.OnRecordAuthRequest().Bind(&hook.Handler[*core.RecordAuthRequestEvent]{Id: "relaisAuditLogin", Priority: loginAuditPriority, Func: auditLogin})
	app.OnRecordAuthRequest("users").Bind(&hook.Handler[*core.RecordAuthRequestEvent]{Id: "relaisLastLogin", Priority: lastLoginPriority, Func: recordLastLogin})
	app.OnRecordAuthRequest().Bind(&hook.Handler[*core.RecordAuthRequestEvent]{Id: "relaisSessionStart", Priority: sessionStartPriority, Func: startAuthSession})
	app.OnRecordConfirmPasswordResetRequest("users").Bind(&hook.Handler[*core.RecordConfirmPasswordResetRequestEvent]{Id: "relaisPasswordResetAudit", Func: auditPasswordReset})
}

// bindOtherRequests binds the request hooks of realtime subscriptions,
// file downloads, settings and collections (filter_guard.go, sessions.go,
// files.go, documents.go, settings_audit.go, collections.go). The
// collection guard's model hooks act only inside the transactions of the
// collection requests it runs.
func bindOtherRequests(app core.App, guard *governance.CollectionGuard) {
	app.OnRealtimeSubscribeRequest().Bind(&hook.Handler[*core.RealtimeSubscribeRequestEvent]{Id: "relaisRealtimeSession", Priority: realtimeSessionPriority, Func: tieRealtimeSession})
	app.OnRealtimeSubscribeRequest().Bind(&hook.Handler[*core.RealtimeSubscribeRequestEvent]{Id: "relaisRealtimeFilterGuard", Priority: realtimeGuardPriority, Func: guardRealtimeFilters})

	app.OnFileDownloadRequest().Bind(&hook.Handler[*core.FileDownloadRequestEvent]{Id: "relaisHiddenFiles", Priority: hiddenFilePriority, Func: guardHiddenFile})
	app.OnFileDownloadRequest("documents").Bind(&hook.Handler[*core.FileDownloadRequestEvent]{Id: "relaisDocumentDownload", Priority: documentAuditPriority, Func: auditDocumentDownload})

	app.OnSettingsUpdateRequest().Bind(&hook.Handler[*core.SettingsUpdateRequestEvent]{Id: "relaisSettingsAudit", Func: auditSettingsUpdate})

	app.OnCollectionCreate().Bind(&hook.Handler[*core.CollectionEvent]{Id: "relaisCollectionGuard", Func: guard.OnCreate})
	app.OnCollectionUpdate().Bind(&hook.Handler[*core.CollectionEvent]{Id: "relaisCollectionGuard", Func: guard.OnUpdate})
	app.OnCollectionDelete().Bind(&hook.Handler[*core.CollectionEvent]{Id: "relaisCollectionGuard", Func: guard.OnDelete})
	app.OnCollectionCreateRequest().Bind(&hook.Handler[*core.CollectionRequestEvent]{Id: "relaisCollectionGuard", Func: guardCollectionRequest(guard, "create", governance.ActionCollectionCreate)})
	app.OnCollectionUpdateRequest().Bind(&hook.Handler[*core.CollectionRequestEvent]{Id: "relaisCollectionGuard", Func: guardCollectionRequest(guard, "update", governance.ActionCollectionUpdate)})
	app.OnCollectionDeleteRequest().Bind(&hook.Handler[*core.CollectionRequestEvent]{Id: "relaisCollectionGuard", Func: guardCollectionRequest(guard, "delete", governance.ActionCollectionDelete)})
	app.OnCollectionsImportRequest().Bind(&hook.Handler[*core.CollectionsImportRequestEvent]{Id: "relaisCollectionGuard", Func: guardCollectionsImport(guard)})
}

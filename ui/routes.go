package ui

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// routes binds every UI route, grouped by page. The middlewares are named
// at each group; none of them is bound on /api/* (the cookie session must
// not make the REST API CSRF-able).
func (h *handlers) routes(r *router.Router[*core.RequestEvent]) {
	// Static assets: embedded, content-hashed URLs, cached for a year.
	r.GET("/static/{file}", h.serveStatic)

	// Every page: security headers, HTML errors, the cookie session, the
	// cross-origin protection and the CSRF check of state-changing requests.
	base := []*hook.Handler[*core.RequestEvent]{h.mwSecurityHeaders(), h.mwErrors(), h.mwSession(), h.mwSameOrigin(), h.mwCSRF()}

	// Sign-in (guests; the language switch works signed in or not).
	guest := r.Group("").Bind(base...)
	guest.GET("/login", h.showLogin)
	guest.POST("/login", h.login)
	// the second step of an account with a second factor: the e-mailed code
	guest.POST("/login/code", h.loginCode)
	guest.POST("/login/code/resend", h.resendCode)
	guest.POST("/lang", h.setLang)
	// forgotten password: the reset link's e-mail and the page it opens
	guest.GET("/forgot-password", h.showForgot)
	guest.POST("/forgot-password", h.forgot)
	guest.GET("/reset-password/{token}", h.showReset)
	guest.POST("/reset-password/{token}", h.reset)
	// an invitation's link: the new account chooses its password
	guest.GET("/welcome/{token}", h.showWelcome)
	guest.POST("/welcome/{token}", h.welcome)

	// Signed-in pages.
	ui := r.Group("").Bind(base...).Bind(h.mwSignedIn())
	ui.GET("/{$}", h.home)
	ui.POST("/logout", h.logout)
	ui.GET("/help", h.help) // the role's help page and guide

	// The user's own account: profile, password, sessions (every role).
	ui.GET("/profile", h.profile)
	ui.POST("/profile", h.saveProfile)
	ui.POST("/profile/password", h.changePassword)
	ui.POST("/profile/logout-everywhere", h.logoutEverywhere)
	ui.POST("/profile/second-factor", h.setSecondFactor)

	// Leads of every role (the read path decides which).
	leads := ui.Group("").Bind(h.mwNeed("Leads", func(c caps) bool { return c.Leads }))
	leads.GET("/leads", h.listLeads)
	leads.GET("/leads/{id}", h.showLead)
	leads.POST("/leads/{id}/status", h.changeStatus)
	leads.POST("/leads/{id}/reassign", h.reassignLead)
	leads.GET("/leads/{id}/recordings/{activity}", h.playRecording)
	leads.GET("/agenda/{id}/meeting.ics", h.meetingICS) // agenda.Downloadable: accepted by the reader's partner
	leads.POST("/leads/{id}/activities", h.logActivity).Bind(h.mwNeed("LogActivity", func(c caps) bool { return c.LogActivity }))

	// Customer accounts: list, page, create and edit, contacts, and an
	// opportunity opened from the account (the rules decide each write).
	accounts := ui.Group("").Bind(h.mwNeed("Accounts", func(c caps) bool { return c.Accounts }))
	accounts.GET("/accounts", h.accounts)
	accounts.GET("/accounts/new", h.newAccount)
	accounts.POST("/accounts", h.createAccount)
	accounts.GET("/accounts/{id}", h.showAccount)
	accounts.POST("/accounts/{id}", h.saveAccount)
	accounts.POST("/accounts/{id}/contacts", h.addContact)
	accounts.POST("/accounts/{id}/opportunities", h.addOpportunity)

	// A lead from a phone call (the ingest of the REST API) and the CSV
	// import: dry run, confirmation, progress.
	newLead := ui.Group("").Bind(h.mwNeed("NewLead", func(c caps) bool { return c.NewLead }))
	newLead.GET("/leads/new", h.newLead)
	newLead.POST("/leads/new", h.createLead)
	imports := ui.Group("").Bind(h.mwNeed("Import", func(c caps) bool { return c.Import }))
	imports.GET("/leads/import", h.importForm)
	imports.POST("/leads/import", h.importDryRun)
	imports.POST("/leads/import/{job}/confirm", h.importConfirm)
	imports.GET("/leads/import/{job}", h.importProgress)
	// Deals (SPEC §4.5): registrations (a partner's own, the queue to
	// decide), the pipeline, an opportunity, its stage and win validation.
	deals := ui.Group("").Bind(h.mwNeed("Deals", func(c caps) bool { return c.Deals }))
	deals.GET("/opportunities", h.opportunities)
	deals.GET("/opportunities/{id}", h.showOpportunity)
	deals.POST("/opportunities/{id}/stage", h.moveStage)
	deals.POST("/opportunities/{id}/validate", h.validateWin).Bind(h.mwNeed("DecideDeals", func(c caps) bool { return c.DecideDeals }))
	deals.POST("/leads/{id}/opportunity", h.openOpportunity).Bind(h.mwNeed("OpenDeal", func(c caps) bool { return c.OpenDeal }))
	regs := ui.Group("").Bind(h.mwNeed("Registrations", func(c caps) bool { return c.Registrations }))
	regs.GET("/registrations", h.registrations)
	regs.POST("/registrations", h.registerDeal)
	regs.POST("/registrations/{id}/approve", h.approveRegistration).Bind(h.mwNeed("DecideDeals", func(c caps) bool { return c.DecideDeals }))
	regs.POST("/registrations/{id}/reject", h.rejectRegistration).Bind(h.mwNeed("DecideDeals", func(c caps) bool { return c.DecideDeals }))

	// Partner portal: inbox, accept / decline in place, countdown.
	portal := ui.Group("").Bind(h.mwNeed("Inbox", func(c caps) bool { return c.Inbox }))
	portal.GET("/inbox", h.inbox)
	portal.GET("/inbox/{id}/countdown", h.countdown)
	portal.POST("/leads/{id}/accept", h.acceptLead)
	portal.POST("/leads/{id}/decline", h.declineLead)
	portal.GET("/agenda", h.agendaWeek) // the partner's meetings, by week

	// A partner company's own figures (partner managers).
	figures := ui.Group("").Bind(h.mwNeed("Figures", func(c caps) bool { return c.Figures }))
	figures.GET("/figures", h.figures).Bind(h.mwReports()) // the scorecard's scope and period

	// Reports (SPEC §4.7): dashboard, partner scorecard and its CSV, funnel
	// and trend, map by département. The scope is the matrix's reports cell
	// (reports.ScopeFor), resolved by mwReports: none gets 403.
	reports := ui.Group("").Bind(h.mwReports())
	reports.GET("/dashboard", h.dashboard)
	reports.GET("/reports", h.partnersReport)
	reports.GET("/reports/partners.csv", h.partnersReportCSV)
	reports.GET("/reports/charts", h.chartsReport)
	reports.GET("/reports/map", h.mapReport)
	// ROI by source and campaign: management only (caps.ROI), 404 for the rest.
	roi := ui.Group("").Bind(h.mwNeed("ROI", func(c caps) bool { return c.ROI }), h.mwReports())
	roi.GET("/reports/roi", h.roiReport)
	roi.POST("/reports/roi.csv", h.roiReportCSV)
	// The campaigns and their budgets (admins: the campaigns create right).
	camps := ui.Group("").Bind(h.mwNeed("Campaigns", func(c caps) bool { return c.Campaigns }))
	camps.GET("/campaigns", h.campaignsList)
	camps.POST("/campaigns", h.campaignSave)
	camps.GET("/campaigns/{id}", h.campaignEdit)
	camps.POST("/campaigns/{id}", h.campaignSave)
	// Which leads need which installer certificate (the admin role).
	certRules := ui.Group("").Bind(h.mwNeed("CertRules", func(c caps) bool { return c.CertRules }))
	certRules.GET("/certificate-rules", h.certRules)
	certRules.POST("/certificate-rules", h.certRulesSave)

	// Documents library.
	docs := ui.Group("").Bind(h.mwNeed("Documents", func(c caps) bool { return c.Documents }))
	docs.GET("/documents", h.documents)
	docs.GET("/documents/{id}/file", h.downloadDocument)
	manageDocs := docs.Group("").Bind(h.mwNeed("ManageDocs", func(c caps) bool { return c.ManageDocs }))
	manageDocs.GET("/documents/new", h.newDocument)
	manageDocs.POST("/documents/new", h.createDocument)
	manageDocs.GET("/documents/{id}/edit", h.editDocument) // the documents UpdateRule decides
	manageDocs.POST("/documents/{id}/edit", h.updateDocument)
	manageDocs.POST("/documents/{id}/withdraw", h.withdrawDocument)

	// Notifications.
	notes := ui.Group("").Bind(h.mwNeed("Notifications", func(c caps) bool { return c.Notifications }))
	notes.GET("/notifications", h.notifications)
	notes.GET("/notifications/{id}/open", h.openNotification) // the link of a notification and its e-mail
	notes.POST("/notifications/{id}/read", h.readNotification)
	notes.GET(unreadPath, h.unreadBadge)
	notes.GET("/notifications/latest", h.showLatestNotifications)

	// Central pool and qualification (prospecting team).
	pool := ui.Group("").Bind(h.mwNeed("Pool", func(c caps) bool { return c.Pool }))
	pool.GET("/pool", h.pool)
	pool.POST("/leads/{id}/qualify", h.qualifyLead)

	// Distribution board and manual assignment (channel managers, admins).
	board := ui.Group("").Bind(h.mwNeed("Board", func(c caps) bool { return c.Board }))
	board.GET("/board", h.board)
	board.GET("/board/partners", h.boardPartners)
	board.POST("/leads/{id}/assign", h.assignLead)
	board.GET("/reassign", h.reassignList)               // leads of partners no longer active
	board.GET("/conflicts", h.conflicts)                 // held leads to arbitrate
	board.POST("/leads/{id}/arbitrate", h.arbitrateLead) // a decision on a held lead

	// Partners.
	partners := ui.Group("").Bind(h.mwNeed("Partners", func(c caps) bool { return c.Partners }))
	partners.GET("/partners", h.partners)
	partners.GET("/partners/{id}", h.showPartner)
	partners.POST("/partners/{id}/status", h.setPartnerStatus)
	partners.GET("/partners/new", h.newPartner).Bind(h.mwNeed("NewPartners", func(c caps) bool { return c.NewPartners }))
	partners.POST("/partners/new", h.createPartner).Bind(h.mwNeed("NewPartners", func(c caps) bool { return c.NewPartners }))
	partners.GET("/partners/{id}/edit", h.editPartner) // the partners UpdateRule decides (partnerToEdit)
	partners.POST("/partners/{id}/edit", h.updatePartner)

	// Installer certificates: a partner manager's own page; the partner
	// page's section for internal roles (the collection's rules decide
	// who reads, uploads and deletes).
	certs := ui.Group("").Bind(h.mwNeed("Certificates", func(c caps) bool { return c.Certificates || c.Partners }))
	certs.GET("/certificates", h.myCertificates).Bind(h.mwNeed("OwnCertificates", func(c caps) bool { return c.Certificates }))
	certs.POST("/partners/{id}/certificates", h.addCertificate)
	certs.POST("/partners/{id}/certificates/{cert}/delete", h.deleteCertificate)
	certs.GET("/certificates/{cert}/file", h.certificateFile)

	// Users.
	users := ui.Group("").Bind(h.mwNeed("Users", func(c caps) bool { return c.Users }))
	users.GET("/users", h.users)
	users.POST("/users/{id}/active", h.setUserActive).Bind(h.mwNeed("ManageUsers", func(c caps) bool { return c.ManageUsers }))
	users.POST("/users/{id}/invite", h.resendInvite).Bind(h.mwNeed("ManageUsers", func(c caps) bool { return c.ManageUsers }))
	users.GET("/users/new", h.newUser).Bind(h.mwNeed("InviteUsers", func(c caps) bool { return c.InviteUsers }))
	users.POST("/users/new", h.createUser).Bind(h.mwNeed("InviteUsers", func(c caps) bool { return c.InviteUsers }))

	// A partner manager's team: its salespeople, invitations.
	team := ui.Group("").Bind(h.mwNeed("Team", func(c caps) bool { return c.Team }))
	team.GET("/team", h.showTeam)
	team.POST("/team/invite", h.inviteToTeam)
	team.POST("/team/{id}/active", h.setTeamActive)
	team.POST("/team/{id}/invite", h.resendTeamInvite)

	// Permission matrix (admins).
	matrix := ui.Group("").Bind(h.mwNeed("Matrix", func(c caps) bool { return c.Matrix }))
	matrix.GET("/matrix", h.matrix)
	matrix.POST("/matrix/{id}", h.saveCell)

	// Audit log viewer and chain verification.
	audit := ui.Group("").Bind(h.mwNeed("Audit", func(c caps) bool { return c.Audit }))
	audit.GET("/audit", h.audit)
	audit.GET("/audit/verify", h.verifyAudit)

	// Access review: who sees what (admins).
	review := ui.Group("").Bind(h.mwNeed("AccessReview", func(c caps) bool { return c.AccessReview }))
	review.GET("/access-review", h.accessReview)
	review.POST("/access-review/campaign", h.openCampaign)
	review.POST("/access-review/items/{id}", h.decideReviewItem)

	// Governance (SPEC §5): one's own access requests, grants and the
	// single-use export (every person); the requests to decide (admins,
	// channel managers); time-boxed grants (admins).
	mine := ui.Group("").Bind(h.mwNeed("Requests", func(c caps) bool { return c.Requests }))
	mine.GET("/access-requests", h.accessRequests)
	mine.POST("/access-requests", h.fileAccessRequest)
	mine.POST("/exports/{resource}", h.exportRecords)
	approvals := ui.Group("").Bind(h.mwNeed("Approvals", func(c caps) bool { return c.Approvals }))
	approvals.GET("/approvals", h.approvals)
	approvals.POST("/approvals/{id}/approve", h.approveRequest)
	approvals.POST("/approvals/{id}/reject", h.rejectRequest)
	grants := ui.Group("").Bind(h.mwNeed("Grants", func(c caps) bool { return c.Grants }))
	grants.GET("/grants", h.grants)
	grants.POST("/grants", h.createGrant)
	grants.POST("/grants/{id}/revoke", h.revokeGrant)

	// Sign-in security: the second factor required of admins and
	// channel managers (admins).
	security := ui.Group("").Bind(h.mwNeed("Security", func(c caps) bool { return c.Security }))
	security.GET("/security", h.security)
	security.POST("/security/mfa-required", h.setMFARequired)

	// Integrations: API keys, webhooks, the delivery log (admins).
	integ := ui.Group("").Bind(h.mwNeed("Integrations", func(c caps) bool { return c.Integrations }))
	integ.GET("/integrations", h.integrations)
	integ.POST("/integrations/password-login", h.setIntegrationPasswordLogin)
	integ.POST("/integrations/{id}/keys", h.createAPIKey)
	integ.POST("/integrations/keys/{id}/revoke", h.revokeAPIKey)
	integ.POST("/integrations/{id}/webhook", h.saveWebhook)
	integ.GET("/integrations/deliveries", h.deliveries)
	integ.POST("/integrations/deliveries/{id}/resend", h.resendDelivery)
}

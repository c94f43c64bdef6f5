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
	guest.POST("/lang", h.setLang)
	// forgotten password: the reset link's e-mail and the page it opens
	guest.GET("/forgot-password", h.showForgot)
	guest.POST("/forgot-password", h.forgot)
	guest.GET("/reset-password/{token}", h.showReset)
	guest.POST("/reset-password/{token}", h.reset)

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

	// Leads of every role (the read path decides which).
	leads := ui.Group("").Bind(h.mwNeed("Leads", func(c caps) bool { return c.Leads }))
	leads.GET("/leads", h.listLeads)
	leads.GET("/leads/{id}", h.showLead)
	leads.POST("/leads/{id}/status", h.changeStatus)
	leads.POST("/leads/{id}/reassign", h.reassignLead)
	leads.GET("/leads/{id}/recordings/{activity}", h.playRecording)
	leads.POST("/leads/{id}/activities", h.logActivity).Bind(h.mwNeed("LogActivity", func(c caps) bool { return c.LogActivity }))

	// Partner portal: inbox, accept / decline in place, countdown.
	portal := ui.Group("").Bind(h.mwNeed("Inbox", func(c caps) bool { return c.Inbox }))
	portal.GET("/inbox", h.inbox)
	portal.GET("/inbox/{id}/countdown", h.countdown)
	portal.POST("/leads/{id}/accept", h.acceptLead)
	portal.POST("/leads/{id}/decline", h.declineLead)

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

	// Documents library.
	docs := ui.Group("").Bind(h.mwNeed("Documents", func(c caps) bool { return c.Documents }))
	docs.GET("/documents", h.documents)
	docs.GET("/documents/{id}/file", h.downloadDocument)

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

	// Users.
	users := ui.Group("").Bind(h.mwNeed("Users", func(c caps) bool { return c.Users }))
	users.GET("/users", h.users)
	users.POST("/users/{id}/active", h.setUserActive).Bind(h.mwNeed("ManageUsers", func(c caps) bool { return c.ManageUsers }))

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
}

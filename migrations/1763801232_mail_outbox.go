package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The notification e-mails' durable outbox, and the index of the
// case-insensitive look-up of a user by e-mail address.
//
//   - mail_outbox: one row per e-mail of a notification (part "user": to
//     its reader; part "copy": to the partner's notify_email), written in
//     the transaction of the notification; a sender outside the writer
//     sends it after the commit, retries with backoff and records the
//     outcome. Superuser-only (no API rules). It holds ids, never an
//     address or a text: the e-mail is written when it is sent, and its
//     rows go with their notification (cascade) and so with the user.
//   - idx_users_email_nocase: the language of a company address is the
//     locale of the user with that address, whatever its case
//     (`email = ? COLLATE NOCASE`), which PocketBase's email index
//     (binary collation) cannot serve: the look-up scanned the users.
func init() {
	m.Register(mailOutboxUp, mailOutboxDown)
}

func mailOutboxUp(app core.App) error {
	notifications, err := app.FindCollectionByNameOrId("notifications")
	if err != nil {
		return err
	}
	outbox := core.NewBaseCollection("mail_outbox", "relais_mail_outbox")
	outbox.Fields.Add(
		rel("notification", notifications.Id, required, cascade),
		selectOne("part", []string{"user", "copy"}, required),
		selectOne("status", []string{"pending", "sent", "skipped", "failed"}, required),
		count("attempts"), date("next_at"), text("last_error", 500), date("sent_at"),
	)
	outbox.Fields.Add(timestamps()...)
	outbox.AddIndex("idx_mail_outbox_due", false, "status, next_at", "")
	outbox.AddIndex("idx_mail_outbox_notification", false, "notification", "")
	if err := app.Save(outbox); err != nil {
		return err
	}
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	users.AddIndex("idx_users_email_nocase", false, "email COLLATE NOCASE", "")
	return app.Save(users)
}

func mailOutboxDown(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	users.RemoveIndex("idx_users_email_nocase")
	if err := app.Save(users); err != nil {
		return err
	}
	outbox, err := app.FindCollectionByNameOrId("mail_outbox")
	if err != nil {
		return err
	}
	return app.Delete(outbox)
}

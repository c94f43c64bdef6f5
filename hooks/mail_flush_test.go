package hooks_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/notify"
)

// flushMail sends the notification e-mails waiting in the outbox (the
// background sender runs under `serve` only).
func flushMail(t *testing.T, w *world) {
	t.Helper()
	require.NoError(t, notify.SendPending(w.app))
}

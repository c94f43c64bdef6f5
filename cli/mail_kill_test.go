package cli

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

// fakeSMTP is a mail server on loopback. While hanging it takes a
// message's DATA and never answers it (the client waits: a dead server);
// otherwise it accepts each message (250 after the data) and keeps it.
type fakeSMTP struct {
	l       net.Listener
	mu      sync.Mutex
	hang    bool
	hung    int      // messages held unanswered
	msgs    []string // the data of the messages accepted
	release chan struct{}
}

func newFakeSMTP(t *testing.T, hang bool) *fakeSMTP {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &fakeSMTP{l: l, hang: hang, release: make(chan struct{})}
	t.Cleanup(func() { close(s.release); _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go s.session(c)
		}
	}()
	return s
}

func (s *fakeSMTP) port() int { return s.l.Addr().(*net.TCPAddr).Port }

func (s *fakeSMTP) session(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = fmt.Fprint(c, line+"\r\n") }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 fake")
		case strings.HasPrefix(cmd, "DATA"):
			say("354 go on")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(l)
			}
			s.mu.Lock()
			hang := s.hang
			if hang {
				s.hung++
			} else {
				s.msgs = append(s.msgs, data.String())
			}
			s.mu.Unlock()
			if hang {
				<-s.release // never answered: the client is killed meanwhile
				return
			}
			say("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			return
		default: // MAIL, RCPT, RSET, NOOP
			say("250 ok")
		}
	}
}

func (s *fakeSMTP) state() (hung int, msgs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hung, append([]string(nil), s.msgs...)
}

// The notification e-mails survive kill -9: a real `relais serve` answers
// three ready leads' ingests at once while its mail server hangs on the
// first offer's e-mail; the process is killed with SIGKILL with the three
// e-mails unsent; a new process on the same data dir, with a mail server
// that answers, sends each offer's e-mail exactly once.
func TestMailOutboxSurvivesKill9(t *testing.T) {
	hooksSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
	defer hooksSrv.Close()
	app := testapp.NewServing(t)
	key, _, _ := killWorld(t, app, hooksSrv.URL+"/hook")
	dead := newFakeSMTP(t, true)
	s := app.Settings()
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, "127.0.0.1", dead.port()
	require.NoError(t, app.Save(s))
	dir := app.DataDir()

	addr := freeAddr(t)
	base := "http://" + addr
	out, kill := serveRelais(t, dir, addr)
	farms := []string{"Kerlann", "Morvan", "Tanguy"}
	for i, farm := range farms {
		start := time.Now()
		status, lead := call(t, http.MethodPost, base+"/api/prm/leads/ingest", key, map[string]any{
			"company": "Ferme " + farm, "segment": "business", "postal_code": "35000", "city": "Rennes", "source": "api",
			"source_ref": fmt.Sprintf("MAILKILL-%d", i), "score": 80, "consent": true,
			"contact": map[string]any{"last_name": "Neuf", "email": "neuf@" + strings.ToLower(farm) + ".test"},
		})
		require.Equal(t, http.StatusCreated, status, "%v %s", lead, out)
		assert.Equal(t, "offered", lead["status"])
		assert.Less(t, time.Since(start), 5*time.Second, "the ingest does not wait for the mail server")
	}
	waitFor(t, "the mail server to hold an e-mail", 20*time.Second, func() bool { hung, _ := dead.state(); return hung == 1 })
	pending := func(part string) int {
		var n int
		require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending' AND part LIKE '"+part+"'").Row(&n))
		return n
	}
	kill()
	require.Equal(t, len(farms), pending("user"), "the killed process left its e-mails in the outbox")

	up := newFakeSMTP(t, false)
	s.SMTP.Port = up.port()
	require.NoError(t, app.Save(s))
	_, _ = serveRelais(t, dir, addr)
	waitFor(t, "every e-mail", 30*time.Second, func() bool { _, msgs := up.state(); return len(msgs) >= len(farms) })
	waitFor(t, "the outbox to empty", 20*time.Second, func() bool { return pending("%") == 0 })
	time.Sleep(time.Second) // a second send would come now
	_, msgs := up.state()
	require.Len(t, msgs, len(farms), "one e-mail per offer")
	for _, farm := range farms {
		n := 0
		for _, m := range msgs {
			if strings.Contains(m, "Subject: Nouvelle offre : Ferme "+farm+" (Rennes)") {
				n++
			}
		}
		assert.Equal(t, 1, n, "the offer of Ferme %s is mailed once", farm)
	}
}

package hooks_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/internal/testapp"
)

// world is a small fixture: two territories (T1 west, T2 south), two
// partners (P1 in T1, P2 in T2) and one user per default role, plus the
// "other" users that own foreign records.
type world struct {
	t      testing.TB
	app    *tests.TestApp
	client *testapp.Client
	T1, T2 string
	P1, P2 string
	users  map[string]*core.Record
	tokens map[string]string
	seq    int
}

// worldUsers: key → role, partner ("P1"/"P2"/""), territories.
var worldUsers = []struct{ key, role, partner string }{
	{"admin", "admin", ""},
	{"channel_manager", "channel_manager", ""},
	{"sales", "sales", ""},
	{"sales2", "sales", ""},
	{"teleoperator", "teleoperator", ""},
	{"partner_manager", "partner_manager", "P1"},
	{"partner_user", "partner_user", "P1"},
	{"partner_user_b", "partner_user", "P1"},
	{"pm2", "partner_manager", "P2"},
	{"pu2", "partner_user", "P2"},
	{"integration", "integration", ""},
}

func newWorld(t testing.TB) *world {
	t.Helper()
	app := testapp.New(t, "")
	w := &world{t: t, app: app, users: map[string]*core.Record{}, tokens: map[string]string{}}
	w.T1 = w.mk("territories", map[string]any{"name": "Ouest", "code": "T1", "kind": "region", "departments": []string{"35", "29"}}).Id
	w.T2 = w.mk("territories", map[string]any{"name": "Sud", "code": "T2", "kind": "region", "departments": []string{"13", "83"}}).Id
	w.P1 = w.mk("partners", map[string]any{"name": "Soleil Ouest", "kind": "installer", "tier": "standard", "status": "active", "territories": []string{w.T1}}).Id
	w.P2 = w.mk("partners", map[string]any{"name": "Provence Solaire", "kind": "installer", "tier": "strategic", "status": "active", "territories": []string{w.T2}}).Id
	for _, u := range worldUsers {
		w.addUser(u.key, u.role, u.partner)
	}
	w.client = testapp.NewClient(t, app)
	return w
}

func (w *world) partnerID(p string) string {
	switch p {
	case "P1":
		return w.P1
	case "P2":
		return w.P2
	}
	return p // "" (no partner) or a partner's id
}

func (w *world) addUser(key, role, partner string) *core.Record {
	w.t.Helper()
	return w.saveUser(key, role, partner, w.app.Save)
}

// addLegacyUser adds a user whose role and partner may disagree (a partner
// role without a partner, an internal role with one): an account saved
// before partners were validated (user_partner.go), or the shapes a
// property test must cover anyway.
func (w *world) addLegacyUser(key, role, partner string) *core.Record {
	w.t.Helper()
	return w.saveUser(key, role, partner, w.app.SaveNoValidate)
}

func (w *world) saveUser(key, role, partner string, save func(core.Model) error) *core.Record {
	w.t.Helper()
	users, err := w.app.FindCollectionByNameOrId("users")
	if err != nil {
		w.t.Fatal(err)
	}
	u := core.NewRecord(users)
	u.SetEmail(key + "@world.test")
	// a precomputed low-cost hash: bcrypt at the default cost for a dozen
	// users per test would dominate the suite's time
	u.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: worldPasswordHash(w.t)})
	u.RefreshTokenKey()
	u.Set("name", key)
	u.Set("role", role)
	u.Set("partner", w.partnerID(partner))
	u.Set("active", true)
	if role == "channel_manager" {
		u.Set("territories", []string{w.T1})
	}
	if err := save(u); err != nil {
		w.t.Fatalf("user %s: %v", key, err)
	}
	w.users[key] = u
	w.tokens[key] = testapp.Token(w.t, w.app, u)
	return u
}

var (
	worldHashOnce sync.Once
	worldHash     string
)

// worldPasswordHash is the bcrypt hash of "world-password-1" at the lowest
// cost.
func worldPasswordHash(t testing.TB) string {
	worldHashOnce.Do(func() {
		h, err := bcrypt.GenerateFromPassword([]byte("world-password-1"), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		worldHash = string(h)
	})
	return worldHash
}

// mk saves a record directly (no rules), failing the test on error.
func (w *world) mk(collection string, fields map[string]any) *core.Record {
	w.t.Helper()
	c, err := w.app.FindCollectionByNameOrId(collection)
	if err != nil {
		w.t.Fatal(err)
	}
	r := core.NewRecord(c)
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := w.app.Save(r); err != nil {
		w.t.Fatalf("mk %s %v: %v", collection, fields, err)
	}
	return r
}

func (w *world) uid(key string) string { return w.users[key].Id }

// next returns a unique suffix.
func (w *world) next() string {
	w.seq++
	return fmt.Sprint(w.seq)
}

// leadShape describes a lead by its ownership fields.
type leadShape struct {
	partner, assignee, territory, status, createdBy string
}

func (w *world) lead(s leadShape) *core.Record {
	f := map[string]any{
		"company": "Client " + w.next(), "status": s.status, "country": "FR", "postal_code": "35000", "city": "Rennes",
		"territory": map[string]string{"T1": w.T1, "T2": w.T2}[s.territory], "partner": w.partnerID(s.partner), "score": 70, "interest": "Toiture 9 kWc",
	}
	if s.assignee != "" {
		f["assignee"] = w.uid(s.assignee)
	}
	if s.createdBy != "" {
		f["created_by"] = w.uid(s.createdBy)
	}
	if s.status == "accepted" {
		f["accepted_at"] = types.NowDateTime()
	}
	return w.mk("leads", f)
}

func (w *world) contactOf(lead *core.Record, email string) *core.Record {
	return w.mk("lead_contacts", map[string]any{"lead": lead.Id, "first_name": "Anne", "last_name": "Canary", "email": email, "phone": "+33699887766"})
}

func (w *world) now() types.DateTime {
	d, _ := types.ParseDateTime(time.Now().UTC())
	return d
}

// superToken returns the token of a superuser of the world, made on first
// use (the control of probes that only a superuser may send).
func (w *world) superToken() string {
	w.t.Helper()
	if tok, ok := w.tokens["superuser"]; ok {
		return tok
	}
	c, err := w.app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		w.t.Fatal(err)
	}
	su := core.NewRecord(c)
	su.SetEmail("super@world.test")
	su.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: worldPasswordHash(w.t)})
	su.RefreshTokenKey()
	if err := w.app.Save(su); err != nil {
		w.t.Fatal(err)
	}
	w.tokens["superuser"] = testapp.Token(w.t, w.app, su)
	return w.tokens["superuser"]
}

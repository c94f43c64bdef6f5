package ui

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/api"
	"github.com/relais/relais/internal/testapp"
	pbpublic "github.com/relais/relais/pb_public"
)

// With every slot of the read gate held by reads that do not finish, the
// embedded static assets and the health check still answer at once, while
// a read of the database waits for a slot and runs once one frees. The
// requests go through the real router (the gate decides on the route it
// matched).
func TestReadGateLetsStaticAndHealthPassAFullGate(t *testing.T) {
	app := testapp.New(t, "")
	Register(app)
	release := make(chan struct{})
	var held atomic.Int32
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/test-hold", func(e *core.RequestEvent) error { // a slow read
			held.Add(1)
			<-release
			return e.NoContent(http.StatusNoContent)
		})
		return se.Next()
	})
	mux := testapp.NewClient(t, app).Handler()
	get := func(path string) <-chan int {
		ch := make(chan int, 1)
		go func() {
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			ch <- w.Code
		}()
		return ch
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	defer unblock()
	for range api.ReadSlots {
		wg.Go(func() { assert.Equal(t, http.StatusNoContent, <-get("/test-hold")) })
	}
	require.Eventually(t, func() bool { return held.Load() == int32(api.ReadSlots) }, 10*time.Second, time.Millisecond, "every slot held")

	dbRead := get("/api/collections/leads/records")
	as, err := loadAssets(pbpublic.FS)
	require.NoError(t, err)
	for _, path := range []string{as.URL("relais.css"), as.URL("htmx.js"), as.URL("icon.svg"), "/api/health"} {
		select {
		case code := <-get(path):
			assert.Equal(t, http.StatusOK, code, path)
		case <-time.After(5 * time.Second):
			t.Errorf("%s waited behind the held reads", path)
		}
	}
	select {
	case code := <-dbRead:
		t.Fatalf("a database read ran with every slot held (status %d)", code)
	case <-time.After(200 * time.Millisecond):
	}
	unblock()
	select {
	case code := <-dbRead:
		assert.Equal(t, http.StatusOK, code, "the database read runs once slots free")
	case <-time.After(10 * time.Second):
		t.Fatal("the database read never ran")
	}
}

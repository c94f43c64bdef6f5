package cli

import (
	"log"
	"net/http"
	"net/http/pprof"
	"os"
)

// ProfileEnv names the environment variable that, when set to a loopback
// address such as 127.0.0.1:6060, serves Go's CPU, heap and goroutine
// profiles there (net/http/pprof) for the life of the process, and at
// /debug/relais/memory what the resident memory is made of
// (WriteMemoryReport). It is for
// measuring (BENCHMARKS.md) and is off unless set; the profiles are never on
// the appliance's own listener.
const ProfileEnv = "RELAIS_PPROF"

// ServeProfiles starts the profile listener named by [ProfileEnv], if any,
// and returns the address it listens on ("" when off).
func ServeProfiles() string {
	addr := os.Getenv(ProfileEnv)
	if addr == "" {
		return ""
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/debug/relais/memory", serveMemoryReport)
	go func() {
		if err := http.ListenAndServe(addr, mux); err != nil {
			log.Printf("relais: %s=%s: %v", ProfileEnv, addr, err)
		}
	}()
	return addr
}

// serveMemoryReport answers WriteMemoryReport as plain text.
func serveMemoryReport(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := WriteMemoryReport(w); err != nil {
		log.Printf("relais: memory report: %v", err)
	}
}

package ui

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/csvimport"
	"github.com/relais/relais/hooks/intake"
)

// The CSV imports of the UI: an uploaded file is checked at once (a dry
// run: nothing written) and kept in memory, for its uploader only, until
// they confirm it or it expires; the confirmed import runs in the
// background in short transactions, and its page polls its progress.

// Import job states.
const (
	jobChecked = "checked" // dry run done, waiting for the confirmation
	jobRunning = "running"
	jobDone    = "done"
	jobFailed  = "failed"
)

// maxImportBytes caps an uploaded file; maxImportJobs the files kept;
// importJobTTL how long a file waits for its confirmation or shows its
// report.
const (
	maxImportBytes = 30 << 20
	maxImportJobs  = 20
	importJobTTL   = time.Hour
)

// importJob is one uploaded file and its import.
type importJob struct {
	ID, UserID, FileName string
	data                 []byte
	Created              time.Time
	// the dry run's report
	Check     intake.ImportSummary
	CheckErrs []csvimport.RowError
	// the import: state, rows done (progress), report
	State   string
	Done    int
	Summary intake.ImportSummary
	RowErrs []csvimport.RowError
	Err     string
}

// importJobs are the jobs of the server (built once with the handlers).
type importJobs struct {
	mu   sync.Mutex
	jobs map[string]*importJob
}

func newImportJobs() *importJobs { return &importJobs{jobs: map[string]*importJob{}} }

// add keeps a new job, dropping the expired ones and, over the cap, the
// oldest finished or waiting one (a running import is never dropped).
func (js *importJobs) add(j *importJob, now time.Time) {
	js.mu.Lock()
	defer js.mu.Unlock()
	for id, o := range js.jobs {
		if o.State != jobRunning && now.Sub(o.Created) > importJobTTL {
			delete(js.jobs, id)
		}
	}
	for len(js.jobs) >= maxImportJobs {
		oldest := ""
		for id, o := range js.jobs {
			if o.State != jobRunning && (oldest == "" || o.Created.Before(js.jobs[oldest].Created)) {
				oldest = id
			}
		}
		if oldest == "" {
			break
		}
		delete(js.jobs, oldest)
	}
	js.jobs[j.ID] = j
}

// get returns a copy of a job of a user (false: none, or another user's).
func (js *importJobs) get(id, userID string) (importJob, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.jobs[id]
	if !ok || j.UserID != userID {
		return importJob{}, false
	}
	return *j, true
}

// start moves a checked job of a user to running and returns its file
// (false: no such job, or already started).
func (js *importJobs) start(id, userID string) ([]byte, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.jobs[id]
	if !ok || j.UserID != userID || j.State != jobChecked {
		return nil, false
	}
	j.State = jobRunning
	return j.data, true
}

// progress records the rows done of a running job.
func (js *importJobs) progress(id string, done int) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if j, ok := js.jobs[id]; ok {
		j.Done = done
	}
}

// finish records the end of a job and frees its file.
func (js *importJobs) finish(id string, sum intake.ImportSummary, errs []csvimport.RowError, err error) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.jobs[id]
	if !ok {
		return
	}
	j.State, j.Summary, j.RowErrs, j.data, j.Done = jobDone, sum, errs, nil, sum.Rows
	if err != nil {
		j.State, j.Err = jobFailed, err.Error()
	}
}

// newJobID is a random job id.
func newJobID() string { return core.GenerateDefaultRandomId() }

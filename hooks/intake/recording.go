package intake

import (
	"bytes"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/roles"
)

// Call recordings (SPEC §2 activities.recording): the lead source attaches
// the recording of a call to a lead, at ingest or later. It is stored on an
// internal call activity, in the Hidden, protected `recording` file field:
// partner roles never see the activity, the field or the file (the rules,
// the Hidden field and the file guard of package api each refuse it);
// internal roles that may view the activity, and the integration that sent
// it, play and download it.

// ActionRecording is the audit action of an attached recording.
const ActionRecording = "lead.recording"

// MaxRecordingSummary is the longest summary of a recording's activity.
const MaxRecordingSummary = 5000

// recordingExts are the extensions accepted for a recording whose content
// the sniffer does not name (MPEG audio without an ID3 header, AAC…).
var recordingExts = []string{".mp3", ".m4a", ".aac", ".wav", ".ogg", ".oga", ".opus", ".webm", ".flac"}

// CheckRecording refuses a file that is not audio (by its first bytes, or
// its extension for the formats the sniffer does not know).
func CheckRecording(f *filesystem.File) error {
	if f == nil || f.Size == 0 {
		return domain.Invalid("required", "recording", "a recording file is required")
	}
	rc, err := f.Reader.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(rc, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return err
	}
	if isAudio(head[:n], f.OriginalName) {
		return nil
	}
	return domain.Invalid("invalid_value", "recording", "the recording must be an audio file (mp3, m4a, wav, ogg, opus, webm, flac)")
}

// isAudio reports whether a file starting with head, named name, is audio:
// the signatures of the usual call-recording containers, or one of
// recordingExts for raw streams without a header (ADTS AAC, headerless
// MPEG audio are caught by the frame sync too).
func isAudio(head []byte, name string) bool {
	switch {
	case bytes.HasPrefix(head, []byte("ID3")), // MP3 with ID3 tag
		len(head) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0, // MPEG / ADTS frame sync
		len(head) >= 12 && bytes.Equal(head[:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WAVE")),
		bytes.HasPrefix(head, []byte("OggS")), // Ogg (Vorbis, Opus)
		bytes.HasPrefix(head, []byte("fLaC")),
		bytes.HasPrefix(head, []byte{0x1A, 0x45, 0xDF, 0xA3}),    // WebM / Matroska
		len(head) >= 8 && bytes.Equal(head[4:8], []byte("ftyp")): // MP4 / M4A
		return true
	}
	return slices.Contains(recordingExts, strings.ToLower(path.Ext(name))) && !looksLikeText(head)
}

// looksLikeText reports whether head is printable text (an HTML or script
// file renamed .mp3 is not a recording).
func looksLikeText(head []byte) bool {
	if len(head) == 0 {
		return true
	}
	for _, b := range head {
		if b < 0x09 || (b > 0x0D && b < 0x20) {
			return false
		}
	}
	return true
}

// mayAttach refuses who may not attach a recording to the lead: the
// integration that created it, or an internal role that may view it and
// log an activity on it; partner roles never.
func mayAttach(app core.App, user, lead *core.Record) error {
	kind, err := access.RoleKindOf(app, user)
	if err != nil {
		return err
	}
	switch kind {
	case roles.Integration:
		if lead.GetString("created_by") == user.Id {
			return nil
		}
		return domain.ErrNotVisible
	case roles.Internal:
		return nil
	}
	return domain.Forbidden("recording_not_allowed", "only the lead source and internal roles attach call recordings")
}

// AttachRecording stores a call recording on a lead the user may view
// (ViewFor), as an internal call activity authored by the user, with an
// optional summary; audited (lead.recording).
func AttachRecording(app core.App, by access.By, leadID string, f *filesystem.File, summary string) (*core.Record, error) {
	summary = strings.TrimSpace(summary)
	if len([]rune(summary)) > MaxRecordingSummary {
		return nil, domain.Invalid("too_long", "summary", "the summary is longer than 5000 characters")
	}
	lead, err := access.ViewFor(app, by.User, "leads", leadID)
	if err != nil {
		return nil, err
	}
	if err := mayAttach(app, by.User, lead); err != nil {
		return nil, err
	}
	if err := CheckRecording(f); err != nil {
		return nil, err
	}
	var out *core.Record
	err = app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindCachedCollectionByNameOrId("activities")
		if err != nil {
			return err
		}
		a := core.NewRecord(c)
		a.Set("lead", lead.Id)
		a.Set("kind", "call")
		a.Set("summary", summary)
		a.Set("at", time.Now())
		a.Set("author", by.User.Id)
		a.Set("internal", true)
		a.Set("recording", f)
		if err := tx.Save(a); err != nil {
			return err
		}
		out = a
		return audit.Append(tx, by.Actor, ActionRecording, "leads", lead.Id, map[string]any{
			"activity": a.Id, "file": a.GetString("recording"), "size": f.Size,
		})
	})
	return out, err
}

package hooks_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/csvimport"
	"github.com/relais/relais/hooks/intake"
)

const importCSV = "\ufeffSociété;Code postal;Ville;Prénom;Nom;E-mail;Téléphone;Score;Besoin\n" +
	"Garage Martin;35000;Rennes;Luc;Martin;luc@garage-martin.fr;02 99 00 00 01;70;Toiture atelier\n" +
	";29200;Brest;Anne;Sans Société;anne@x.fr;;50;\n" + // line 3: no company
	"Ferme Le Gall;2920;Brest;Yves;Le Gall;yves@ferme-legall.fr;;150;\n" + // line 4: score out of range
	"Camping des Dunes;29000;Quimper;Marie;Dune;pas-un-email;;40;\n" + // line 5: bad e-mail
	"Hôtel de la Plage;56000;Vannes;Paul;Plage;paul@hotel-plage.fr;06 11 22 33 44;65;Ombrières\n"

func TestImportCSV(t *testing.T) {
	w := newWorld(t)
	dry, errs, err := intake.ImportCSV(w.app, strings.NewReader(importCSV), intake.ImportOptions{DryRun: true, Actor: audit.SystemActor("test")})
	require.NoError(t, err)
	assert.Equal(t, 5, dry.Rows)
	assert.Equal(t, 2, dry.Created)
	assert.Equal(t, 3, dry.Rejected)
	assert.Len(t, errs, 3)
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM leads"), "a dry run writes nothing")

	sum, errs, err := intake.ImportCSV(w.app, strings.NewReader(importCSV), intake.ImportOptions{Actor: audit.SystemActor("test")})
	require.NoError(t, err)
	assert.Equal(t, intake.ImportSummary{Rows: 5, Created: 2, Rejected: 3, Warnings: sum.Warnings}, sum)
	lines := map[int]string{}
	for _, e := range errs {
		lines[e.Line] = e.Column + ": " + e.Reason
	}
	assert.Contains(t, lines, 3)
	assert.Contains(t, lines, 4)
	assert.Contains(t, lines, 5)
	assert.Contains(t, lines[5], "E-mail")
	var report bytes.Buffer
	require.NoError(t, csvimport.WriteReport(&report, errs))
	assert.Contains(t, report.String(), "line,column,reason")
	assert.Equal(t, 2, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source = 'import'"))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM lead_contacts WHERE phone = '+33611223344'"))

	// a re-run creates nothing
	again, _, err := intake.ImportCSV(w.app, strings.NewReader(importCSV), intake.ImportOptions{Actor: audit.SystemActor("test")})
	require.NoError(t, err)
	assert.Equal(t, 0, again.Created)
	assert.Equal(t, 2, again.Existing)
	assert.Equal(t, 2, countRows(t, w, "SELECT COUNT(*) FROM leads"))
	assert.Equal(t, 2, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'import.run'"))
}

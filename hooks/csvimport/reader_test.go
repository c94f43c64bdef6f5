package csvimport

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// result is one row returned by Next.
type result struct {
	row  Row
	errs []RowError
}

// readAll reads every row of input.
func readAll(t *testing.T, input string) (*Reader, []result) {
	t.Helper()
	r, err := NewReader(strings.NewReader(input))
	require.NoError(t, err)
	var out []result
	for {
		row, errs, err := r.Next()
		if errors.Is(err, io.EOF) {
			return r, out
		}
		require.NoError(t, err)
		out = append(out, result{row, errs})
	}
}

func TestReaderFormats(t *testing.T) {
	cases := []struct {
		name     string
		input    string
		delim    rune
		warnings []string
		rows     []Row
		errs     map[int][]RowError // by line; other lines have none
	}{
		{
			name: "French header, BOM, semicolons, CRLF",
			input: "\ufeffSociété;Code Postal;Ville;Prénom;Nom;E-mail;Montant estimé;Score;Téléphone\r\n" +
				"Acme SARL;69003;Lyon;Jean;Dupont;jean@acme.fr;12 500,50;085;04 72 00 00 00\r\n" +
				"Soleil & Fils;1000;Bourg-en-Bresse;;;;;;\r\n",
			delim: ';',
			rows: []Row{
				{Line: 2,
					Lead:    map[string]string{"company": "Acme SARL", "postal_code": "69003", "city": "Lyon", "estimated_value": "12500.5", "score": "85"},
					Contact: map[string]string{"first_name": "Jean", "last_name": "Dupont", "email": "jean@acme.fr", "phone": "04 72 00 00 00"}},
				{Line: 3,
					Lead:    map[string]string{"company": "Soleil & Fils", "postal_code": "01000", "city": "Bourg-en-Bresse"},
					Contact: map[string]string{}},
			},
		},
		{
			name: "English header, commas, quoted fields",
			input: "Company Name,Postcode,City,Country,First Name,Last Name,Email,Estimated Value,External ID,Interest\n" +
				`"Acme, Inc.",75008,Paris,France,Ann,Lee,ann@acme.com,"12,500.50",X-42,"Solar roof, ""urgent"""` + "\n",
			delim: ',',
			rows: []Row{
				{Line: 2,
					Lead: map[string]string{"company": "Acme, Inc.", "postal_code": "75008", "city": "Paris", "country": "France",
						"estimated_value": "12500.5", "source_ref": "X-42", "interest": `Solar roof, "urgent"`},
					Contact: map[string]string{"first_name": "Ann", "last_name": "Lee", "email": "ann@acme.com"}},
			},
		},
		{
			name: "tab-separated, foreign country without postal code",
			input: "entreprise\tpays\tcp\tsiret\tportable\n" +
				"Brussels Solar\tBE\t\t\t+32 470 12 34 56\n" +
				"\n" +
				"Nice Énergie\tFR\t06000\t732 829 320 00074\t\n",
			delim: '\t',
			rows: []Row{
				{Line: 2, Lead: map[string]string{"company": "Brussels Solar", "country": "BE"}, Contact: map[string]string{"mobile": "+32 470 12 34 56"}},
				{Line: 4, Lead: map[string]string{"company": "Nice Énergie", "country": "FR", "postal_code": "06000", "siret": "73282932000074"}, Contact: map[string]string{}},
			},
		},
		{
			name: "unknown and unnamed columns warned once, trailing empty cells tolerated",
			input: "Raison sociale;Commentaire;CP;commentaire;;\n" +
				"Acme;hello;69001;world;;\n" +
				"Beta;;69002;;\n" +
				"Gamma;;69003\n" +
				"Delta;;69004;;;;;\n",
			delim:    ';',
			warnings: []string{`unknown column "Commentaire" (column 2): ignored`, "column 5 has no header: ignored"},
			rows: []Row{
				{Line: 2, Lead: map[string]string{"company": "Acme", "postal_code": "69001"}, Contact: map[string]string{}},
				{Line: 3, Lead: map[string]string{"company": "Beta", "postal_code": "69002"}, Contact: map[string]string{}},
				{Line: 4, Lead: map[string]string{}, Contact: map[string]string{}},
				{Line: 5, Lead: map[string]string{"company": "Delta", "postal_code": "69004"}, Contact: map[string]string{}},
			},
			// Line 4 lacks the named "commentaire" column.
			errs: map[int][]RowError{4: {{Line: 4, Reason: "the line has 3 fields, the header has 4"}}},
		},
		{
			name:  "multi-line quoted field keeps line numbers; short line",
			input: "company,cp,besoin\n\"A\",69001,\"line one\nline two\"\n\n;;\nB,69002,x\n",
			delim: ',',
			rows: []Row{
				{Line: 2, Lead: map[string]string{"company": "A", "postal_code": "69001", "interest": "line one\nline two"}, Contact: map[string]string{}},
				{Line: 5, Lead: map[string]string{}, Contact: map[string]string{}},
				{Line: 6, Lead: map[string]string{"company": "B", "postal_code": "69002", "interest": "x"}, Contact: map[string]string{}},
			},
			// ";;" is one cell in a comma file.
			errs: map[int][]RowError{5: {{Line: 5, Reason: "the line has 1 fields, the header has 3"}}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, results := readAll(t, tc.input)
			assert.Equal(t, tc.delim, r.Delimiter())
			assert.Equal(t, tc.warnings, r.Warnings())
			var rows []Row
			for _, res := range results {
				assert.Equal(t, tc.errs[res.row.Line], res.errs, "line %d", res.row.Line)
				rows = append(rows, res.row)
			}
			assert.Equal(t, tc.rows, rows)
		})
	}
}

func TestReaderBadRows(t *testing.T) {
	const header = "Société;Code postal;Pays;Score;E-mail;Montant estimé;SIRET\n"
	cases := []struct {
		name string
		line string
		want []RowError // Line 2 unless set
	}{
		{"valid", "Acme;69003;;50;a@b.fr;100;", nil},
		{"missing company", " ;69003;;;;;", []RowError{{Column: "Société", Reason: "company is required"}}},
		{"score 150", "Acme;69003;;150;;;", []RowError{{Column: "Score", Reason: `score "150" must be a whole number from 0 to 100`}}},
		{"score negative", "Acme;69003;;-1;;;", []RowError{{Column: "Score", Reason: `score "-1" must be a whole number from 0 to 100`}}},
		{"score decimal", "Acme;69003;;50.5;;;", []RowError{{Column: "Score", Reason: `score "50.5" must be a whole number from 0 to 100`}}},
		{"score bounds ok", "Acme;69003;;100;;;", nil},
		{"bad email", "Acme;69003;;;jean@@acme;;", []RowError{{Column: "E-mail", Reason: `e-mail "jean@@acme" is not a valid address`}}},
		{"email without dot", "Acme;69003;;;jean@localhost;;", []RowError{{Column: "E-mail", Reason: `e-mail "jean@localhost" is not a valid address`}}},
		{"email with name", "Acme;69003;;;Jean <j@acme.fr>;;", []RowError{{Column: "E-mail", Reason: `e-mail "Jean <j@acme.fr>" is not a valid address`}}},
		{"bad postal code", "Acme;75A01;;;;;", []RowError{{Column: "Code postal", Reason: `postal code "75A01" must have 5 digits for France`}}},
		{"short postal code", "Acme;123;France;;;;", []RowError{{Column: "Code postal", Reason: `postal code "123" must have 5 digits for France`}}},
		{"missing postal code in France", "Acme;;fr;;;;", []RowError{{Column: "Code postal", Reason: "postal code is required for France"}}},
		{"foreign postal code free", "Acme;SW1A 1AA;UK;;;;", nil},
		{"bad amount", "Acme;69003;;;;douze;", []RowError{{Column: "Montant estimé", Reason: `estimated value "douze" is not a number`}}},
		{"negative amount", "Acme;69003;;;;-5;", []RowError{{Column: "Montant estimé", Reason: `estimated value "-5" must not be negative`}}},
		{"bad siret", "Acme;69003;;;;;1234", []RowError{{Column: "SIRET", Reason: `SIRET/SIREN "1234" must have 14 or 9 digits`}}},
		{"short line", "Acme;69003;FR", []RowError{{Reason: "the line has 3 fields, the header has 7"}}},
		{"long line", "Acme;69003;;;;;;extra", []RowError{{Reason: "the line has 8 fields, the header has 7"}}},
		{"stray quote", `Ac"me;69003;;;;;`, []RowError{{Reason: `malformed CSV: bare " in non-quoted-field`}}},
		{"several errors", ";ABC;;101;x;;", []RowError{
			{Column: "Société", Reason: "company is required"},
			{Column: "Score", Reason: `score "101" must be a whole number from 0 to 100`},
			{Column: "E-mail", Reason: `e-mail "x" is not a valid address`},
			{Column: "Code postal", Reason: `postal code "ABC" must have 5 digits for France`},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, results := readAll(t, header+tc.line+"\n")
			require.Len(t, results, 1)
			for i := range tc.want {
				tc.want[i].Line = 2
			}
			assert.Equal(t, 2, results[0].row.Line)
			assert.Equal(t, tc.want, results[0].errs)
		})
	}
}

func TestReaderContinuesAfterBadLines(t *testing.T) {
	input := "company;cp\n" +
		"Good;69001\n" +
		"Bad\"quote;69002\n" +
		"Short\n" +
		"Also good;69003\n"
	_, results := readAll(t, input)
	require.Len(t, results, 4)
	lines := []int{}
	for _, res := range results {
		lines = append(lines, res.row.Line)
	}
	assert.Equal(t, []int{2, 3, 4, 5}, lines)
	assert.Empty(t, results[0].errs)
	assert.Len(t, results[1].errs, 1)
	assert.Len(t, results[2].errs, 1)
	assert.Empty(t, results[3].errs)
	assert.Equal(t, "Also good", results[3].row.Lead["company"])
}

func TestReaderMissingPostalColumn(t *testing.T) {
	_, results := readAll(t, "company\nAcme\n")
	require.Len(t, results, 1)
	assert.Equal(t, []RowError{{Line: 2, Column: "postal_code", Reason: "postal code is required for France"}}, results[0].errs)
}

func TestReaderWindows1252(t *testing.T) {
	// "Société;Ville\nCafé Œuvre;Besançon\n" in Windows-1252.
	input := []byte("Soci\xe9t\xe9;Ville;CP\nCaf\xe9 \x8cuvre;Besan\xe7on;25000\n")
	r, err := NewReader(bytes.NewReader(input))
	require.NoError(t, err)
	row, errs, err := r.Next()
	require.NoError(t, err)
	assert.Empty(t, errs)
	assert.Equal(t, "Café Œuvre", row.Lead["company"])
	assert.Equal(t, "Besançon", row.Lead["city"])
	_, _, err = r.Next()
	assert.ErrorIs(t, err, io.EOF)
	assert.Equal(t, []string{"the file is not UTF-8: lines were read as Windows-1252"}, r.Warnings())
}

func TestNewReaderErrors(t *testing.T) {
	cases := []struct {
		name  string
		input string
		want  string
	}{
		{"empty", "", "file is empty"},
		{"blank first line", "\n\ncompany\n", "file is empty"},
		{"BOM only", "\ufeff", "file is empty"},
		{"UTF-16 LE", "\xff\xfec\x00o\x00", "UTF-16"},
		{"UTF-16 BE", "\xfe\xff\x00c\x00o", "UTF-16"},
		{"no company column", "nom;prénom\nDupont;Jean\n", "no company column"},
		{"duplicate mapping", "société;siret;siren\nA;1;2\n", `columns "siret" (column 2) and "siren" (column 3) both map to siret`},
		{"unterminated quoted header", "\"company\n", "read header"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tc.input))
			require.Error(t, err)
			assert.Nil(t, r)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestNewReaderReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := NewReader(io.MultiReader(strings.NewReader("company;cp\nAcme;"), errReader{boom}))
	require.NoError(t, err, "the header line is complete")

	r, err := NewReader(io.MultiReader(strings.NewReader("company;cp\nAcme;69001\n"), errReader{boom}))
	require.NoError(t, err)
	_, _, err = r.Next()
	require.NoError(t, err)
	_, _, err = r.Next()
	assert.ErrorIs(t, err, boom)

	_, err = NewReader(errReader{boom})
	assert.ErrorIs(t, err, boom)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestDetectDelimiter(t *testing.T) {
	cases := []struct {
		line string
		want rune
	}{
		{"a,b,c", ','},
		{"a;b;c", ';'},
		{"a\tb\tc", '\t'},
		{"company", ','},
		{`"Nom, prénom";société;cp`, ';'},
		{`"a;b;c",d`, ','},
		{"a;b,c", ';'},
		{"a\tb,c", '\t'},
		{"a,b,c;d", ','},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, detectDelimiter(tc.line), tc.line)
	}
}

// A private customer's row (residential) needs no company: the person is
// named in the contact columns; any other row still needs one.
func TestReaderPrivateRowWithoutCompany(t *testing.T) {
	const header = "Société;Segment;Prénom;Nom;Code postal\n"
	_, results := readAll(t, header+";residential;Anne;Roux;29200\n;business;Anne;Roux;29200\n")
	require.Len(t, results, 2)
	assert.Empty(t, results[0].errs)
	assert.Equal(t, map[string]string{"first_name": "Anne", "last_name": "Roux"}, results[0].row.Contact)
	assert.Equal(t, []RowError{{Line: 3, Column: "Société", Reason: "company is required"}}, results[1].errs)
}

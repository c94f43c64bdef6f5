package access

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestListParams(t *testing.T) {
	for _, tc := range []struct {
		name  string
		q     ListQuery
		limit int
		hint  string
		want  string
	}{
		{"defaults", ListQuery{}, MaxPerPage, "", "page=1&perPage=30&skipTotal=1"},
		{"a page of 50 under the cap", ListQuery{Page: 3, PerPage: 50}, MaxPerPage, "", "page=3&perPage=50&skipTotal=1"},
		{"the partner cap", ListQuery{PerPage: 200}, 50, "", "page=1&perPage=50&skipTotal=1"},
		{"counted", ListQuery{Count: true}, MaxPerPage, "", "page=1&perPage=30"},
		{"filter and sort", ListQuery{Filter: "status = 'won'", Sort: "-created"}, MaxPerPage, "",
			"filter=status+%3D+%27won%27&page=1&perPage=30&skipTotal=1&sort=-created"},
		{"the hint alone", ListQuery{}, MaxPerPage, "partner = 'P1'", "filter=partner+%3D+%27P1%27&page=1&perPage=30&skipTotal=1"},
		{"the hint ANDed", ListQuery{Filter: "a = 1"}, MaxPerPage, "partner = 'P1'",
			"filter=%28partner+%3D+%27P1%27%29+%26%26+%28a+%3D+1%29&page=1&perPage=30&skipTotal=1"},
		{"negative page", ListQuery{Page: -2, PerPage: -5}, MaxPerPage, "", "page=1&perPage=30&skipTotal=1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, listParams(tc.q, tc.limit, tc.hint).Encode())
		})
	}
}

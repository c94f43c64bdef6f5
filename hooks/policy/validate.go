package policy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/relais/relais/hooks/roles"
)

// CellError names the matrix cell that breaks an invariant. Code is a
// stable key of the reason and Params its values (level, read, ceiling,
// levels, kind, resource), so that a page can word it in its reader's
// language; Reason is the English wording.
type CellError struct {
	Role     string
	Resource string
	Action   string
	Code     string
	Params   map[string]string
	Reason   string
}

// Error implements error.
func (e *CellError) Error() string {
	return fmt.Sprintf("permissions: role %q, resource %q, %s: %s", e.Role, e.Resource, e.Action, e.Reason)
}

// Reason codes of CellError.
const (
	ErrUnknownKind        = "unknown_kind"
	ErrUnknownRole        = "unknown_role"
	ErrUnknownResource    = "unknown_resource"
	ErrDuplicateCell      = "duplicate_cell"
	ErrUnknownLevel       = "unknown_level"
	ErrOrgNeedsPartner    = "org_needs_partner"
	ErrReadOnly           = "read_only"
	ErrWiderThanRead      = "wider_than_read"
	ErrPartnerNever       = "partner_never"
	ErrPartnerCeiling     = "partner_ceiling"
	ErrIntegrationCeiling = "integration_ceiling"
	ErrLevelMeaningless   = "level_meaningless"
	ErrNotCreatable       = "not_creatable"
	ErrCreateNeedsLevel   = "create_needs_level"
	ErrExportNeedsRead    = "export_needs_read"
)

// reasons are the English wordings of the codes; {x} is Params["x"].
var reasons = map[string]string{
	ErrUnknownKind:        "unknown role kind {kind}",
	ErrUnknownRole:        "unknown role",
	ErrUnknownResource:    "unknown resource",
	ErrDuplicateCell:      "duplicate cell",
	ErrUnknownLevel:       "unknown level {level}",
	ErrOrgNeedsPartner:    `level "org" means the user's partner company; only partner roles have one`,
	ErrReadOnly:           "{resource} cannot be changed through the API by anyone",
	ErrWiderThanRead:      `level "{level}" is wider than the read level "{read}"`,
	ErrPartnerNever:       "partner roles may never reach {resource} (SPEC §3.3.1)",
	ErrPartnerCeiling:     `level "{level}" exceeds the partner ceiling "{ceiling}" (SPEC §3.3.1)`,
	ErrIntegrationCeiling: `level "{level}" exceeds the integration ceiling "own"`,
	ErrLevelMeaningless:   `level "{level}" has no meaning for {resource}`,
	ErrNotCreatable:       "{resource} cannot be created through the API by anyone",
	ErrCreateNeedsLevel:   `creating needs a read level among {levels} (now "{read}")`,
	ErrExportNeedsRead:    "export needs a read level",
}

// ReasonCodes lists every reason code of CellError, sorted.
func ReasonCodes() []string {
	out := make([]string, 0, len(reasons))
	for c := range reasons {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// refusal is why a cell is refused: a reason code and its parameters
// (nil: allowed).
type refusal struct {
	code   string
	params map[string]string
}

func refuse(code string, params ...string) *refusal {
	p := map[string]string{}
	for i := 0; i+1 < len(params); i += 2 {
		p[params[i]] = params[i+1]
	}
	return &refusal{code: code, params: p}
}

// cellError builds a CellError and its English reason.
func cellError(role, resource, action string, r *refusal) *CellError {
	p := map[string]string{"resource": resource}
	for k, v := range r.params {
		p[k] = v
	}
	reason := reasons[r.code]
	for k, v := range p {
		reason = strings.ReplaceAll(reason, "{"+k+"}", v)
	}
	return &CellError{Role: role, Resource: resource, Action: action, Code: r.code, Params: p, Reason: reason}
}

// Validate checks a matrix against SPEC §3.3 and returns the first offending
// cell as a *CellError (nil when the matrix is acceptable).
func Validate(m Matrix) error {
	specs := specs()
	seen := map[string]bool{}
	for _, r := range m.Roles {
		if !r.Kind.Valid() {
			return cellError(r.ID, "-", "kind", refuse(ErrUnknownKind, "kind", string(r.Kind)))
		}
	}
	for _, c := range m.Cells {
		role, ok := m.Role(c.Role)
		if !ok {
			return cellError(c.Role, c.Resource, "role", refuse(ErrUnknownRole))
		}
		s, ok := specs[c.Resource]
		if !ok {
			return cellError(role.Name, c.Resource, "resource", refuse(ErrUnknownResource))
		}
		key := c.Role + "/" + c.Resource
		if seen[key] {
			return cellError(role.Name, c.Resource, "cell", refuse(ErrDuplicateCell))
		}
		seen[key] = true
		if err := validateCell(role, c, s); err != nil {
			return err
		}
	}
	return nil
}

// validateCell checks one cell of the matrix against the invariants of
// SPEC §3.3 for its role's kind: its three levels, then create, then
// export. The error names the action.
func validateCell(role Role, c Cell, s spec) error {
	levels := []struct {
		action string
		level  Level
	}{{"read", c.Read}, {"update", c.Update}, {"delete", c.Delete}}
	for _, a := range levels {
		if r := levelRefusal(role.Kind, a.action, a.level, c, s); r != nil {
			return cellError(role.Name, c.Resource, a.action, r)
		}
	}
	if r := createRefusal(role.Kind, c, s); r != nil {
		return cellError(role.Name, c.Resource, "create", r)
	}
	if r := exportRefusal(role.Kind, c, s); r != nil {
		return cellError(role.Name, c.Resource, "export", r)
	}
	return nil
}

// levelRefusal says why level l of action (read, update, delete) is
// refused for a role of kind on cell c (nil when it is allowed).
func levelRefusal(kind roles.Kind, action string, l Level, c Cell, s spec) *refusal {
	switch {
	case !l.Valid():
		return refuse(ErrUnknownLevel, "level", string(l))
	case l == Org && kind != roles.Partner:
		return refuse(ErrOrgNeedsPartner, "level", string(l))
	case action != "read" && l != None && (s.readOnly || s.noCollection):
		return refuse(ErrReadOnly, "level", string(l))
	case action != "read" && l.rank() > c.Read.rank():
		return refuse(ErrWiderThanRead, "level", string(l), "read", string(c.Read))
	}
	if r := kindCeiling(kind, l, s); r != nil {
		return r
	}
	if !s.allows(l) {
		return refuse(ErrLevelMeaningless, "level", string(l))
	}
	return nil
}

// kindCeiling says why level l exceeds the ceiling of a role kind on the
// resource (nil when it does not): partner roles stay within the
// resource's partner ceiling, integrations at own.
func kindCeiling(kind roles.Kind, l Level, s spec) *refusal {
	switch kind {
	case roles.Partner:
		if l != None && s.partnerCeiling == "" && !s.noCollection {
			return refuse(ErrPartnerNever, "level", string(l))
		}
		if max := s.partnerMax; l != None && (max == "" || l.rank() > max.rank()) {
			return refuse(ErrPartnerCeiling, "level", string(l), "ceiling", string(max))
		}
	case roles.Integration:
		if l.rank() > Own.rank() {
			return refuse(ErrIntegrationCeiling, "level", string(l))
		}
	}
	return nil
}

// createRefusal says why the create flag of c is refused (nil when it is
// allowed or not set).
func createRefusal(kind roles.Kind, c Cell, s spec) *refusal {
	switch {
	case !c.Create:
		return nil
	case s.readOnly || s.noCollection:
		return refuse(ErrNotCreatable)
	case kind == roles.Partner && s.partnerCeiling == "":
		return refuse(ErrPartnerNever)
	}
	if _, ok := s.createScopes[c.Read]; !ok {
		return refuse(ErrCreateNeedsLevel, "levels", levelList(s.createScopes), "read", string(c.Read))
	}
	return nil
}

// exportRefusal says why the export flag of c is refused (nil when it is
// allowed or not set).
func exportRefusal(kind roles.Kind, c Cell, s spec) *refusal {
	switch {
	case !c.Export:
		return nil
	case c.Read == None:
		return refuse(ErrExportNeedsRead)
	case kind == roles.Partner && s.partnerCeiling == "" && !s.noCollection:
		return refuse(ErrPartnerNever)
	}
	return nil
}

func levelList(m map[Level]string) string {
	var out []string
	for _, l := range Levels() {
		if _, ok := m[l]; ok {
			out = append(out, string(l))
		}
	}
	return strings.Join(out, ", ")
}

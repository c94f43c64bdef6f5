package policy

import "github.com/relais/relais/hooks/roles"

// DefaultRoles are the roles of SPEC §1; their id is their name so that the
// compiled rules read well in the admin panel.
func DefaultRoles() []Role {
	return []Role{
		{ID: roles.Admin, Name: roles.Admin, Kind: roles.Internal},
		{ID: roles.ChannelManager, Name: roles.ChannelManager, Kind: roles.Internal},
		{ID: roles.Sales, Name: roles.Sales, Kind: roles.Internal},
		{ID: roles.Teleoperator, Name: roles.Teleoperator, Kind: roles.Internal},
		{ID: roles.PartnerManager, Name: roles.PartnerManager, Kind: roles.Partner},
		{ID: roles.PartnerUser, Name: roles.PartnerUser, Kind: roles.Partner},
		{ID: roles.IntegrationRole, Name: roles.IntegrationRole, Kind: roles.Integration},
	}
}

// grid is a compact way to write cells: read, update, delete levels, then
// create and export flags.
type grid struct {
	r, u, d        Level
	create, export bool
}

// DefaultMatrix encodes the reference scenario: partners see only what is
// assigned to them or their company and never campaigns, tickets, deal
// terms or the audit log, and cannot export; teleoperators work the pool;
// channel managers their territories; sales their own accounts; integrations
// what they created; admin everything.
func DefaultMatrix() Matrix {
	n := None
	all := map[string]grid{}
	for _, r := range Resources() {
		all[r] = grid{All, All, All, true, true}
	}
	all["audit_log"] = grid{All, n, n, false, true}
	all["reports"] = grid{All, n, n, false, true}

	table := map[string]map[string]grid{
		roles.Admin: all,
		roles.ChannelManager: {
			"leads":         {Territory, Territory, n, true, true},
			"lead_contacts": {Territory, Territory, n, true, false},
			"accounts":      {Territory, Territory, n, true, true},
			"contacts":      {Territory, Territory, n, true, false},
			"opportunities": {Territory, Territory, n, true, true},
			"activities":    {Territory, Own, Own, true, false},
			"documents":     {All, All, n, true, false},
			"campaigns":     {All, n, n, false, false},
			"tickets":       {Territory, Territory, n, true, false},
			"partners":      {All, Territory, n, false, true},
			"reports":       {Territory, n, n, false, true},
			"users":         {Territory, Own, n, false, false},
		},
		roles.Sales: {
			"leads":         {Own, Own, n, true, false},
			"lead_contacts": {Own, Own, n, true, false},
			"accounts":      {Own, Own, n, true, false},
			"contacts":      {Own, Own, n, true, false},
			"opportunities": {Own, Own, n, true, false},
			"activities":    {Own, Own, Own, true, false},
			"documents":     {All, n, n, false, false},
			"campaigns":     {All, n, n, false, false},
			"tickets":       {Own, Own, n, true, false},
			"partners":      {All, n, n, false, false},
			"reports":       {Own, n, n, false, false},
			"users":         {Own, Own, n, false, false},
		},
		roles.Teleoperator: {
			"leads":         {Pool, Pool, n, true, false},
			"lead_contacts": {Pool, Pool, n, true, false},
			"activities":    {Pool, Own, Own, true, false},
			"documents":     {All, n, n, false, false},
			"campaigns":     {All, n, n, false, false},
			"reports":       {Own, n, n, false, false},
			"users":         {Own, Own, n, false, false},
		},
		roles.PartnerManager: {
			"leads":         {Org, Org, n, false, false},
			"lead_contacts": {Org, Org, n, false, false},
			"accounts":      {Org, Org, n, true, false},
			"contacts":      {Org, Org, n, true, false},
			"opportunities": {Org, Org, n, true, false},
			"activities":    {Org, Own, Own, true, false},
			"documents":     {All, n, n, false, false},
			"partners":      {Org, Org, n, false, false},
			"reports":       {Org, n, n, false, false},
			"users":         {Org, Own, n, false, false},
		},
		roles.PartnerUser: {
			"leads":         {Own, Own, n, false, false},
			"lead_contacts": {Own, Own, n, false, false},
			"accounts":      {Org, n, n, true, false},
			"contacts":      {Org, n, n, true, false},
			"opportunities": {Own, Own, n, false, false},
			"activities":    {Own, Own, Own, true, false},
			"documents":     {All, n, n, false, false},
			"partners":      {Org, n, n, false, false},
			"reports":       {Own, n, n, false, false},
			"users":         {Own, Own, n, false, false},
		},
		roles.IntegrationRole: {
			"leads":         {Own, Own, n, true, false},
			"lead_contacts": {Own, Own, n, true, false},
			"activities":    {Own, Own, n, true, false},
			"users":         {Own, n, n, false, false},
		},
	}
	m := Matrix{Roles: DefaultRoles()}
	for _, role := range m.Roles {
		for _, res := range Resources() {
			g, ok := table[role.ID][res]
			if !ok {
				g = grid{n, n, n, false, false}
			}
			m.Cells = append(m.Cells, Cell{Role: role.ID, Resource: res, Read: g.r, Update: g.u, Delete: g.d, Create: g.create, Export: g.export})
		}
	}
	return m
}

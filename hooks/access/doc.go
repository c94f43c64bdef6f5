// Package access is the policy glue of Relais and its one rule-aware path
// to the data (SPEC §3):
//
//   - the permission matrix: loaded, validated on every change
//     (ValidateCellChange, ValidateRoleChange), compiled by package policy
//     and applied to the collections' rules (ApplyPolicy), drift reported
//     (DriftReport);
//   - the read path every Go handler uses for a user (ListFor, ViewFor,
//     CanDo: the collection rules, exactly as the REST API applies them),
//     the in-memory decision of the leads ViewRule (RuleView) and the rule
//     checks of the write path (LoadBody, CheckCreateRule, CheckRelations);
//   - what the REST API's guards decide: the client filters a caller may
//     send (CheckClientQuery), the list hints (ListHint), the partner page
//     cap (PageCapFor), the fields a role sees (ShowLeadFields,
//     ShowRecording, MayDownloadHidden), whether an account may be used
//     (AccountBlock);
//   - the in-memory caches of the small tables every request reads (the
//     matrix, settings_prm, partners' status, territories) and the
//     business settings (LoadSettings, DefaultSettings).
package access

package hooks

// SettingsID is the id of the single settings_prm record.
const SettingsID = "relaissettings1"

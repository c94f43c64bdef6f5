// Package sessions owns the server-side sessions of Relais (the
// relais_sessions table: every token Relais issues belongs to one, and
// ends with it) and the password check of every login (CheckPassword: one
// bcrypt comparison whatever the identity). The api package binds them to
// PocketBase's auth requests and router; the UI logs in and out through
// them.
package sessions

package sessions

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// DeviceTokenDays is how long a browser stays known after a sign-in.
const DeviceTokenDays = 90

// DeviceToken returns a token that marks the browser where user just
// signed in as one of the account's devices: "userId.nonce.mac", the MAC
// keyed with the account's token key, so that a password change or a
// deactivation (which rotate the key) forgets every device.
func DeviceToken(user *core.Record) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	nonce := base64.RawURLEncoding.EncodeToString(b)
	return user.Id + "." + nonce + "." + deviceMAC(user, nonce), nil
}

// VerifyDevice returns the device id (the nonce) of token when it is a
// device token of user, "" otherwise (nil user, another account's token,
// a forged or outdated one).
func VerifyDevice(user *core.Record, token string) string {
	if user == nil {
		return ""
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] != user.Id || parts[1] == "" {
		return ""
	}
	if !hmac.Equal([]byte(parts[2]), []byte(deviceMAC(user, parts[1]))) {
		return ""
	}
	return parts[1]
}

func deviceMAC(user *core.Record, nonce string) string {
	m := hmac.New(sha256.New, []byte(user.TokenKey()))
	m.Write([]byte("relais-device|" + user.Id + "|" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

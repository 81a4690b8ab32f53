package postgres

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
)

// scramIterations is the PBKDF2 iteration count of the verifiers we build,
// PostgreSQL's own default (scram_iterations).
const scramIterations = 4096

// scramVerifier returns the SCRAM-SHA-256 verifier PostgreSQL stores for
// password ("SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>",
// RFC 5802/7677), computed the way the server does.
//
// ALTER ROLE ... PASSWORD accepts a verifier in place of a password and
// stores it as is, so the bootstrap Job never handles a plaintext password
// and none can appear in the server's statement log. Passwords must be
// printable ASCII (SASLprep leaves those unchanged; ours are alphanumeric).
func scramVerifier(password string, salt []byte, iterations int) (string, error) {
	for i := 0; i < len(password); i++ {
		if c := password[i]; c < 0x20 || c > 0x7e {
			return "", fmt.Errorf("SCRAM verifier: the password must be printable ASCII (byte %d is 0x%02x)", i, c)
		}
	}
	if len(salt) < 8 {
		return "", fmt.Errorf("SCRAM verifier: salt must be at least 8 bytes, got %d", len(salt))
	}
	if iterations < 4096 {
		return "", fmt.Errorf("SCRAM verifier: at least 4096 iterations are required, got %d", iterations)
	}
	salted, err := pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
	if err != nil {
		return "", fmt.Errorf("SCRAM verifier: %w", err)
	}
	clientKey := hmacSHA256(salted, "Client Key")
	storedKey := sha256.Sum256(clientKey)
	serverKey := hmacSHA256(salted, "Server Key")
	enc := base64.StdEncoding.EncodeToString
	return "SCRAM-SHA-256$" + strconv.Itoa(iterations) + ":" + enc(salt) + "$" + enc(storedKey[:]) + ":" + enc(serverKey), nil
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// scramSalt derives a stable, non-secret salt for one role's password
// version, so the verifier (and the Kubernetes Secret holding it) does not
// change from one run to the next, while no two roles, instances or
// password versions share a salt.
func scramSalt(instance, role string, version int) []byte {
	sum := sha256.Sum256([]byte("platform-postgres-scram-salt\x00" + instance + "\x00" + role + "\x00" + strconv.Itoa(version)))
	return sum[:16]
}

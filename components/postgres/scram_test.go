package postgres_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/postgres"
)

type verifier struct {
	iterations                 int
	salt, storedKey, serverKey []byte
}

func parseVerifier(t *testing.T, v string) verifier {
	t.Helper()
	// The verifier as PostgreSQL stores it, read field by field:
	// SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>.
	mech, rest, ok := strings.Cut(v, "$")
	require.True(t, ok)
	require.Equal(t, "SCRAM-SHA-256", mech)
	iterSalt, keys, ok := strings.Cut(rest, "$")
	require.True(t, ok)
	iter, salt, ok := strings.Cut(iterSalt, ":")
	require.True(t, ok)
	stored, server, ok := strings.Cut(keys, ":")
	require.True(t, ok)
	n, err := strconv.Atoi(iter)
	require.NoError(t, err)
	dec := func(s string) []byte {
		b, err := base64.StdEncoding.DecodeString(s)
		require.NoError(t, err)
		return b
	}
	return verifier{n, dec(salt), dec(stored), dec(server)}
}

func mac(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// TestSCRAMVerifierRFC7677 checks the verifier against the exchange in RFC
// 7677 section 3: a server holding it accepts the client's proof and signs
// with the expected server signature.
func TestSCRAMVerifierRFC7677(t *testing.T) {
	t.Parallel()
	salt, err := base64.StdEncoding.DecodeString("W22ZaJ0SNY7soEsUEjb6gQ==")
	require.NoError(t, err)
	v, err := postgres.SCRAMVerifier("pencil", salt, 4096)
	require.NoError(t, err)
	p := parseVerifier(t, v)
	require.Equal(t, 4096, p.iterations)
	require.Equal(t, salt, p.salt)

	const authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO," +
		"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096," +
		"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
	require.Equal(t, "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", base64.StdEncoding.EncodeToString(mac(p.serverKey, authMessage)))

	proof, err := base64.StdEncoding.DecodeString("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
	require.NoError(t, err)
	sig := mac(p.storedKey, authMessage)
	clientKey := make([]byte, len(proof))
	for i := range proof {
		clientKey[i] = proof[i] ^ sig[i]
	}
	stored := sha256.Sum256(clientKey)
	require.Equal(t, p.storedKey, stored[:], "the RFC's client proof verifies")
}

func TestSCRAMVerifierInputs(t *testing.T) {
	t.Parallel()
	salt := []byte("0123456789abcdef")
	a, err := postgres.SCRAMVerifier("Secret123", salt, postgres.SCRAMIterations)
	require.NoError(t, err)
	b, err := postgres.SCRAMVerifier("Secret123", salt, postgres.SCRAMIterations)
	require.NoError(t, err)
	require.Equal(t, a, b, "deterministic for a given salt")
	c, err := postgres.SCRAMVerifier("Secret123", []byte("fedcba9876543210"), postgres.SCRAMIterations)
	require.NoError(t, err)
	require.NotEqual(t, a, c)
	require.NotContains(t, a, "Secret123")

	for name, tc := range map[string]struct {
		password string
		salt     []byte
		iter     int
		want     string
	}{
		"non-ASCII":      {"pässword", salt, 4096, "printable ASCII"},
		"control char":   {"pass\nword", salt, 4096, "printable ASCII"},
		"short salt":     {"password", []byte("salt"), 4096, "salt must be at least 8 bytes"},
		"few iterations": {"password", salt, 1000, "at least 4096 iterations"},
	} {
		_, err := postgres.SCRAMVerifier(tc.password, tc.salt, tc.iter)
		require.ErrorContains(t, err, tc.want, name)
	}
}

// TestSCRAMVerifierMatchesServer recomputes a verifier the server made (with
// its own random salt) from the same password.
func TestSCRAMVerifierMatchesServer(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	admin := f.admin("postgres")
	ctx := context.Background()
	_, err := admin.Exec(ctx, "SET password_encryption = 'scram-sha-256'")
	require.NoError(t, err)
	_, err = admin.Exec(ctx, "ALTER ROLE "+f.master+" PASSWORD 'Server-made 1'")
	require.NoError(t, err)
	var stored string
	require.NoError(t, admin.QueryRow(ctx, "SELECT rolpassword FROM pg_authid WHERE rolname = $1", f.master).Scan(&stored))
	p := parseVerifier(t, stored)
	ours, err := postgres.SCRAMVerifier("Server-made 1", p.salt, p.iterations)
	require.NoError(t, err)
	require.Equal(t, stored, ours)
}

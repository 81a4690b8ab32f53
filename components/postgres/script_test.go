package postgres_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/postgres"
)

func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI: %v", name, err)
		}
		t.Skipf("no %s on PATH: %v", name, err)
	}
	return path
}

// TestSecretFieldAWK runs the awk program the Job uses to read the master
// secret (busybox awk in the Job; whatever awk the test machine has here).
func TestSecretFieldAWK(t *testing.T) {
	t.Parallel()
	awk := requireTool(t, "awk")
	prog := filepath.Join(t.TempDir(), "secret-field.awk")
	require.NoError(t, os.WriteFile(prog, []byte(postgres.SecretFieldAWK), 0o600))

	cases := []struct {
		name, json, key, want string
		fails                 bool
	}{
		{"plain", `{"username":"platform_admin","password":"abcDEF123"}`, "password", "abcDEF123", false},
		{"username", `{"username":"platform_admin","password":"abcDEF123"}`, "username", "platform_admin", false},
		{"spaces and newlines", "{\n  \"password\" : \"p!#$%^&*()w\",\n  \"username\": \"u\"\n}\n", "password", "p!#$%^&*()w", false},
		{"escaped backslash", `{"password":"a\\b"}`, "password", `a\b`, false},
		{"unicode escapes", `{"password":"\u003cx\u003E\u0026"}`, "password", "<x>&", false},
		{"escaped slash and quote", `{"password":"a\/b\"c"}`, "password", `a/b"c`, false},
		{"key order", `{"password":"first","username":"second"}`, "username", "second", false},
		{"a value that looks like a key", `{"username":"password","password":"real"}`, "password", "real", false},
		{"missing", `{"username":"u"}`, "password", "", true},
		{"not a string", `{"password":12345}`, "password", "", true},
		{"unterminated", `{"password":"abc`, "password", "", true},
		{"control escape", `{"password":"a\nb"}`, "password", "", true},
		{"non-ASCII escape", `{"password":"\u00e9"}`, "password", "", true},
		{"empty file", ``, "password", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join(t.TempDir(), "secret.json")
			require.NoError(t, os.WriteFile(file, []byte(tc.json), 0o600))
			out, err := exec.Command(awk, "-v", "key="+tc.key, "-f", prog, file).Output()
			if tc.fails {
				require.Error(t, err, "output %q", out)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, string(out))
		})
	}
}

// TestFetchSecretScript runs the init container's script with stand-in aws
// and curl commands.
func TestFetchSecretScript(t *testing.T) {
	t.Parallel()
	sh := requireTool(t, "sh")
	bin := t.TempDir()
	fakeAWS := `#!/bin/sh
[ "$1 $2 $3 $4" = "secretsmanager get-secret-value --secret-id $MASTER_SECRET_ARN" ] || { echo "unexpected: $*" >&2; exit 9; }
printf '%s\n' '{"username":"platform_admin","password":"pw"}'
`
	// curl must be asked for HTTPS only, failing on HTTP errors, and write
	// where the script says.
	fakeCurl := `#!/bin/sh
case " $* " in *" --fail "*) ;; *) echo "no --fail" >&2; exit 9 ;; esac
case " $* " in *" --proto =https "*) ;; *) echo "not https-only" >&2; exit 9 ;; esac
out=""
while [ $# -gt 0 ]; do [ "$1" = --output ] && out=$2; shift; done
printf -- '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' >"$out"
`
	require.NoError(t, os.WriteFile(filepath.Join(bin, "aws"), []byte(fakeAWS), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(bin, "curl"), []byte(fakeCurl), 0o700))
	dir := t.TempDir()
	out, ca := filepath.Join(dir, "secret.json"), filepath.Join(dir, "rds-ca.pem")
	env := func(secret, bundle string) []string {
		return []string{"PATH=" + bin + ":/usr/bin:/bin", "MASTER_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-x",
			"MASTER_SECRET_FILE=" + secret, "CA_BUNDLE_URL=https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem", "CA_BUNDLE_FILE=" + bundle}
	}
	cmd := exec.Command(sh, "-c", postgres.FetchSecretScript)
	cmd.Env = env(out, ca)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, string(msg))
	require.Empty(t, msg, "the script prints nothing")
	content, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Equal(t, "{\"username\":\"platform_admin\",\"password\":\"pw\"}\n", string(content))
	st, err := os.Stat(out)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "readable by the Job's user only")
	bundle, err := os.ReadFile(ca)
	require.NoError(t, err)
	require.Contains(t, string(bundle), "BEGIN CERTIFICATE")

	// A download that is not a certificate bundle fails the init container.
	require.NoError(t, os.WriteFile(filepath.Join(bin, "curl"), []byte("#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = --output ] && out=$2; shift; done\necho '<html>captive portal</html>' >\"$out\"\n"), 0o700))
	cmd = exec.Command(sh, "-c", postgres.FetchSecretScript)
	cmd.Env = env(filepath.Join(t.TempDir(), "s.json"), filepath.Join(t.TempDir(), "ca.pem"))
	require.Error(t, cmd.Run())

	// A failing aws call fails the init container.
	require.NoError(t, os.WriteFile(filepath.Join(bin, "aws"), []byte("#!/bin/sh\nexit 255\n"), 0o700))
	cmd = exec.Command(sh, "-c", postgres.FetchSecretScript)
	cmd.Env = env(filepath.Join(t.TempDir(), "s.json"), filepath.Join(t.TempDir(), "ca.pem"))
	require.Error(t, cmd.Run())
}

func TestBootstrapScriptSyntax(t *testing.T) {
	t.Parallel()
	sh := requireTool(t, "sh")
	file := filepath.Join(t.TempDir(), "bootstrap.sh")
	require.NoError(t, os.WriteFile(file, []byte(postgres.BootstrapScript), 0o600))
	out, err := exec.Command(sh, "-n", file).CombinedOutput()
	require.NoError(t, err, string(out))

	// Missing inputs stop it before anything connects.
	cmd := exec.Command(sh, file)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "PGHOST=h", "PGDATABASE=d"}
	out, err = cmd.CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(out), "MIGRATOR_VERIFIER is not set")
}

package pack_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/policy/pack"
)

func TestCredentialKeys(t *testing.T) {
	t.Parallel()
	cases := []struct {
		key        string
		credential bool // by the stack-output rule (a credential word anywhere)
		assignment bool // by the env, argument and ConfigMap rules (the name's words)
	}{
		{"kubeconfig", true, true},
		{"dbPassword", true, true},
		{"PGPASSWORD", true, true},
		{"AWS_SECRET_ACCESS_KEY", true, true},
		{"api-token", true, true},
		{"connectionString", true, true},
		{"DB_CONNECTION_STRING", true, true},
		{"redisConnection", true, false},
		{"dsn", true, true},
		{"DATABASE_DSN", true, true},
		// Short forms.
		{"DB_PW", true, true},
		{"MYSQL_PWD", true, true},
		{"REDIS_PASS", true, true},
		{"passwd", true, true},
		{"API_TOK", true, true},
		{"STRIPE_KEY", true, true},
		{"apiKey", true, true},
		{"GH_CREDS", true, true},
		{"JWT", true, true},
		{"clientSecret", true, true},
		// References and settings, not credentials.
		{"masterSecretArn", false, false},
		{"SECRET_NAME", false, false},
		{"POSTGRES_PASSWORD_FILE", false, false},
		{"secretIds", false, false},
		{"password_encryption", true, false},
		{"PASSWORD_MIN_LENGTH", true, false},
		{"TOKEN_TTL", true, false},
		{"KMS_KEY", false, false},
		{"CACHE_KEY_PREFIX", false, false},
		{"SORT_KEY", false, false},
		{"PUBLIC_KEY", false, false},
		{"DB_USER", false, false},
		{"PWD", false, false},
		{"BYPASS", false, false},
		{"vpcId", false, false},
		{"consoleUrl", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.key, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.credential, pack.IsCredentialKey(tc.key), "IsCredentialKey")
			require.Equal(t, tc.assignment, pack.IsAssignmentKey(tc.key), "IsAssignmentKey")
		})
	}
}

func TestCredentialContent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text, want string
	}{
		{"url with password", "postgres://app:hunter2@db:5432/app", "a URL with a password"},
		{"url without password", "postgres://app@db:5432/app", ""},
		{"url with placeholder", "amqps://admin:${PASSWORD}@broker:5671", ""},
		{"libpq dsn", "host=db user=app password=hunter2 sslmode=require", "a value assigned to password"},
		{"yaml", "db:\n  password: hunter2\n", "a value assigned to password"},
		{"json", `{"client_secret":"abc123"}`, "a value assigned to client_secret"},
		{"env placeholder", "DB_PASSWORD=$DB_PASSWORD", ""},
		{"template placeholder", "password: {{ .Password }}", ""},
		{"psql variable", "ALTER ROLE app PASSWORD :'app_password';", ""},
		{"usage comment with an ellipsis", "--   psql -v migrator_password=... -f apply.sql", ""},
		{"ellipsis inside a message", "RAISE EXCEPTION 'pass -v migrator_password=...)';", ""},
		{"JSON shape in a comment", `# reads {"username":"...","password":"..."}`, ""},
		{"dots are not a password of their own", "password=...x", "a value assigned to password"},
		{"psql format", "SELECT format('ALTER ROLE %I PASSWORD %L', 'app', :'pw') \\gexec", ""},
		{"literal SQL password", "CREATE ROLE app LOGIN PASSWORD 'hunter2';", "a literal SQL PASSWORD"},
		{"setting that mentions passwords", "SET password_encryption = 'scram-sha-256';", ""},
		{"private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE", "a private key"},
		{"aws key", "AKIAABCDEFGHIJKLMNOP", "an AWS access key"},
		{"aws temporary key", "export AWS_ACCESS_KEY_ID=ASIAABCDEFGHIJKLMNOP", "an AWS access key"},
		{"jwt", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "a JSON Web Token"},
		{"github token", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "a GitHub token"},
		{"slack token", "xoxb-123456789012-abcdefABCDEF", "a Slack token"},
		{"openssh key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl", "a private key"},
		{"short form assignment", "DB_PW=hunter2", "a value assigned to DB_PW"},
		{"dsn with a password", "dsn: host=db user=app password=hunter2", "a value assigned to dsn"},
		{"a JWT-like file name is not one", "eyJ.config.json", ""},
		{"kubeconfig with a client key", "users:\n- user:\n    client-key-data: LS0t\n", "a client key (client-key-data)"},
		{"kubeconfig with a token", "users:\n- user:\n    token: eyJhbGciOi\n", "a value assigned to token"},
		{"plain prose", "Passwords come from the Secret named db-bootstrap.", ""},
		{"code reading it", "password = secret[\"password\"]\ntoken = os.environ.get(\"TOKEN\")\n", ""},
		{"sed extracting it", `PW=$(sed -n 's/.*"password":"\([^"]*\)".*/\1/p' /secrets/master.json)`, ""},
		{"shell substitution", `export PGPASSWORD="$(cat /secrets/pw)"`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, pack.CredentialContent(tc.text))
		})
	}
}

package pack

import (
	"regexp"
	"strings"
)

// Credential detection shared by the rules on stack outputs, ConfigMaps,
// container environments and user data. It errs towards flagging: a false
// positive costs a rename or a secretKeyRef, a false negative leaks a
// password.

// credentialWords are the fragments that make a key name a credential.
var credentialWords = []string{
	"password", "passwd", "passphrase", "secret", "token", "apikey", "credential",
	"kubeconfig", "connectionstring", "connection", "dsn", "privatekey",
}

// referenceSuffixes mark keys that name or point at a credential without
// holding it ("masterSecretArn", "SECRET_NAME", "POSTGRES_PASSWORD_FILE").
var referenceSuffixes = []string{
	"arn", "arns", "id", "ids", "name", "names", "file", "path", "ref", "version", "versions",
}

// normalizeKey lowercases a key and drops separators: "MASTER_SECRET_ARN"
// and "masterSecretArn" both become "mastersecretarn".
func normalizeKey(k string) string {
	return strings.NewReplacer("_", "", "-", "", ".", "", " ", "").Replace(strings.ToLower(k))
}

// isCredentialKey reports whether a key (an output, a ConfigMap key, an
// environment variable) names a credential rather than a reference to one.
func isCredentialKey(k string) bool {
	n := normalizeKey(k)
	for _, s := range referenceSuffixes {
		if strings.HasSuffix(n, s) {
			return false
		}
	}
	for _, w := range credentialWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// assignmentWords end a key that, assigned a literal in text, is a
// credential ("db_password=...", "client_secret: ...", "api-key = ...").
// "password_encryption = scram-sha-256" does not end with one.
var assignmentWords = []string{
	"password", "passwd", "passphrase", "secret", "token", "apikey", "secretkey",
	"privatekey", "accesskey", "credential", "credentials", "pwd",
}

var (
	// key = value, key: value, "key": "value" (a ':' must be followed by a
	// space or a double quote, so psql's :'variable' is not an assignment).
	assignmentRE = regexp.MustCompile(`(?i)["']?\b([a-z0-9_.\-]+)["']?[ \t]*(=|:[ \t"])[ \t]*("[^"\n]*"|'[^'\n]*'|[^\s,;}\]]+)`)
	// scheme://user:password@host
	urlPasswordRE = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.\-]*://[^/\s:@]+:([^@\s/]+)@`)
	// SQL: ... PASSWORD 'literal'
	sqlPasswordRE = regexp.MustCompile(`(?i)\bpassword\s+'([^']*)'`)
	privateKeyRE  = regexp.MustCompile(`-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----`)
	awsKeyRE      = regexp.MustCompile(`\bAKIA[0-9A-Z]{16}\b`)
	kubeKeyRE     = regexp.MustCompile(`(?m)^\s*client-key-data:\s*\S+`)
)

// codeExprRE matches a value that is code reading the credential from
// elsewhere (secret["password"], os.environ.get(...), creds.password).
var codeExprRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\[|\(|\.[A-Za-z_])`)

// placeholder reports values that stand for a credential supplied later:
// ${VAR}, $VAR, %s, {{ x }}, <password>, :'psql_var', a shell or sed
// expression, code that reads it, an ellipsis ("..." in a usage comment),
// and empty values.
func placeholder(v string) bool {
	v = strings.Trim(strings.TrimSpace(v), `"'`)
	if v == "" || strings.EqualFold(v, "null") || strings.EqualFold(v, "none") {
		return true
	}
	if strings.Trim(strings.TrimRight(v, `)'"`), ".…") == "" {
		return true
	}
	switch v[0] {
	case '$', '%', '<', ':', '*', '\\', '(', '[', '{':
		return true
	}
	return codeExprRE.MatchString(v)
}

// credentialContent reports why a text looks like it holds a credential, or
// "" when it does not.
func credentialContent(text string) string {
	if privateKeyRE.MatchString(text) {
		return "a private key"
	}
	if awsKeyRE.MatchString(text) {
		return "an AWS access key"
	}
	if kubeKeyRE.MatchString(text) {
		return "a client key (client-key-data)"
	}
	for _, m := range urlPasswordRE.FindAllStringSubmatch(text, -1) {
		if !placeholder(m[1]) {
			return "a URL with a password"
		}
	}
	for _, m := range sqlPasswordRE.FindAllStringSubmatch(text, -1) {
		if !placeholder(m[1]) {
			return "a literal SQL PASSWORD"
		}
	}
	for _, m := range assignmentRE.FindAllStringSubmatch(text, -1) {
		if isAssignmentKey(m[1]) && !placeholder(m[3]) {
			return "a value assigned to " + m[1]
		}
	}
	return ""
}

func isAssignmentKey(k string) bool {
	n := normalizeKey(k)
	for _, w := range assignmentWords {
		if strings.HasSuffix(n, w) {
			return true
		}
	}
	return false
}

package pack

import (
	"regexp"
	"strings"
	"unicode"
)

// Credential detection shared by the rules on stack outputs, ConfigMaps,
// container environments, arguments and user data. It errs towards
// flagging: a false positive costs a rename or a secretKeyRef, a false
// negative leaks a password.

// credentialWords are the fragments that make a stack output's key a
// credential.
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

// isCredentialKey reports whether a stack output's key names a credential
// rather than a reference to one. Outputs are judged by this broader test
// (any credential word anywhere) because an output is read by people and
// other stacks, where a stray "connection" string is worth a look.
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
	return credentialName(k)
}

// credentialTokens are name parts that say the value is a credential,
// short forms included (DB_PW, API_TOK, REDIS_PASS, GH_CREDS, DB_DSN).
var credentialTokens = map[string]bool{
	"password": true, "passwd": true, "pwd": true, "pw": true, "passphrase": true,
	"secret": true, "secrets": true, "token": true, "tokens": true, "tok": true, "jwt": true, "bearer": true,
	"creds": true, "cred": true, "credential": true, "credentials": true, "dsn": true,
	"apikey": true, "privatekey": true, "secretkey": true, "accesskey": true, "kubeconfig": true,
}

// credentialEndings end a one-word name that is a credential
// ("PGPASSWORD", "AUTHTOKEN", "CLIENTSECRET").
var credentialEndings = []string{
	"password", "passwd", "passphrase", "secret", "token", "apikey", "secretkey", "privatekey", "accesskey", "credentials",
}

// notCredentialEndings end names that describe or point at a credential
// without holding it: references (ARN, ID, name, file, path, URL, host),
// settings (length, policy, rotation, encryption, mode, TTL) and the
// account a credential belongs to (user).
var notCredentialEndings = map[string]bool{
	"arn": true, "arns": true, "id": true, "ids": true, "name": true, "names": true, "file": true, "files": true,
	"path": true, "paths": true, "dir": true, "ref": true, "refs": true, "version": true, "versions": true,
	"url": true, "uri": true, "endpoint": true, "host": true, "hostname": true, "port": true, "user": true,
	"username": true, "type": true, "length": true, "len": true, "min": true, "max": true, "policy": true,
	"rotation": true, "enabled": true, "enable": true, "required": true, "encryption": true, "mode": true,
	"format": true, "hash": true, "ttl": true, "expiry": true, "expires": true, "age": true, "header": true,
	"field": true, "env": true, "source": true, "provider": true, "store": true, "manager": true, "location": true,
}

// fileExtensions are the extensions of scripts, configuration and text
// files.
var fileExtensions = map[string]bool{
	"sql": true, "sh": true, "bash": true, "awk": true, "sed": true, "py": true, "rb": true, "js": true, "ts": true,
	"go": true, "json": true, "yaml": true, "yml": true, "conf": true, "cfg": true, "ini": true, "toml": true,
	"txt": true, "md": true, "xml": true, "properties": true, "tpl": true, "tmpl": true, "html": true, "csv": true,
}

// notSecretKeys are the words before "key" that make it an identifier, not
// a credential (a cache key, a DynamoDB sort key, a public key, a KMS key ID).
var notSecretKeys = map[string]bool{
	"public": true, "sort": true, "partition": true, "primary": true, "foreign": true, "routing": true,
	"hash": true, "range": true, "cache": true, "object": true, "lookup": true, "group": true, "shard": true,
	"dedup": true, "dedupe": true, "idempotency": true, "kms": true, "encryption": true, "license": true,
	"map": true, "label": true, "node": true, "pk": true, "sk": true, "s3": true,
}

// nameTokens splits a name into lowercase words at separators and at
// lower-to-upper case changes ("dbPassword" -> db, password).
func nameTokens(k string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	runes := []rune(k)
	for i, r := range runes {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(runes[i-1]):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// credentialName reports whether a name (an environment variable, a
// ConfigMap key, a command-line flag, an assignment in a script) holds a
// credential: by its words, short forms included, unless its last word
// says it only names or describes one.
func credentialName(k string) bool {
	toks := nameTokens(k)
	if len(toks) == 0 {
		return false
	}
	// A file name (a ConfigMap key such as "secret-field.awk") says what
	// the file is for; its content is judged on its own. Key stores and
	// key files (.key, .pem, .p12) are credentials by name.
	if i := strings.LastIndex(k, "."); i >= 0 && fileExtensions[strings.ToLower(k[i+1:])] {
		return false
	}
	// The shell's working directories, not passwords.
	if len(toks) == 1 && (toks[0] == "pwd" || toks[0] == "oldpwd") {
		return false
	}
	last := toks[len(toks)-1]
	if notCredentialEndings[last] {
		return false
	}
	if strings.Contains(strings.Join(toks, ""), "connectionstring") {
		return true
	}
	for _, t := range toks {
		if credentialTokens[t] {
			return true
		}
	}
	switch last {
	case "key":
		return len(toks) > 1 && !notSecretKeys[toks[len(toks)-2]]
	case "pass":
		return len(toks) > 1
	}
	for _, w := range credentialEndings {
		if strings.HasSuffix(last, w) {
			return true
		}
	}
	return false
}

var (
	// scheme://user:password@host
	urlPasswordRE = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.\-]*://[^/\s:@]+:([^@\s/]+)@`)
	// A password literal in SQL (... PASSWORD 'literal').
	sqlPasswordRE = regexp.MustCompile(`(?i)\bpassword\s+'([^']*)'`)
	kubeKeyRE     = regexp.MustCompile(`(?m)^\s*client-key-data:\s*\S+`)
)

// valueShapes are credentials recognizable by their form alone, whatever
// they are called. Patterns after gitleaks' rules
// (github.com/gitleaks/gitleaks, config/gitleaks.toml: private-key,
// aws-access-token, jwt, github-pat, github-fine-grained-pat, slack tokens,
// stripe, gcp-api-key) and the formats their vendors document.
var valueShapes = []struct {
	re   *regexp.Regexp
	hint func(string) bool // a literal the pattern needs, tested first
	why  string
}{
	{regexp.MustCompile(`-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----`), contains("PRIVATE KEY"), "a private key"},
	{regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b`), contains("AKIA", "ASIA", "ABIA", "ACCA"), "an AWS access key"},
	{regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`), contains("eyJ"), "a JSON Web Token"},
	{regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b`), contains("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), "a GitHub token"},
	{regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`), contains("xox"), "a Slack token"},
	{regexp.MustCompile(`\b(?:sk|rk)_live_[A-Za-z0-9]{20,}`), contains("_live_"), "a Stripe key"},
	{regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`), contains("AIza"), "a Google API key"},
}

// contains returns a test for any of the literals.
func contains(literals ...string) func(string) bool {
	return func(s string) bool {
		for _, l := range literals {
			if strings.Contains(s, l) {
				return true
			}
		}
		return false
	}
}

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
// "" when it does not. Scripts of many kilobytes go through it (the
// bootstrap Job's ConfigMap), so each pattern runs only where its literal
// part occurs.
func credentialContent(text string) string {
	for _, s := range valueShapes {
		if s.hint(text) && s.re.MatchString(text) {
			return s.why
		}
	}
	if strings.Contains(text, "client-key-data") && kubeKeyRE.MatchString(text) {
		return "a client key (client-key-data)"
	}
	if strings.Contains(text, "://") && strings.Contains(text, "@") {
		for _, m := range urlPasswordRE.FindAllStringSubmatch(text, -1) {
			if !placeholder(m[1]) {
				return "a URL with a password"
			}
		}
	}
	if containsFold(text, "password") {
		for _, m := range sqlPasswordRE.FindAllStringSubmatch(text, -1) {
			if !placeholder(m[1]) {
				return "a literal SQL PASSWORD"
			}
		}
	}
	return assignedCredential(text)
}

// containsFold reports whether s contains the lowercase ASCII word w in
// any case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i]|0x20 == w[0] && strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// assignedCredential finds `key = value`, `key: value` and `"key": "value"`
// where the key names a credential and the value is a literal (not a
// placeholder). A ':' must be followed by a space, a tab or a double quote,
// so psql's :'variable' is not an assignment.
func assignedCredential(text string) string {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '=' && c != ':' {
			continue
		}
		if c == ':' && (i+1 >= len(text) || (text[i+1] != ' ' && text[i+1] != '\t' && text[i+1] != '"')) {
			continue
		}
		key := keyBefore(text, i)
		if key == "" || !mayNameCredential(key) || !credentialName(key) {
			continue
		}
		if v := valueAfter(text, i+1); !placeholder(v) {
			return "a value assigned to " + key
		}
	}
	return ""
}

// keyBefore returns the name that ends just before position i (spaces,
// tabs and a closing quote skipped).
func keyBefore(text string, i int) string {
	j := i
	for j > 0 && (text[j-1] == ' ' || text[j-1] == '\t') {
		j--
	}
	if j > 0 && (text[j-1] == '"' || text[j-1] == '\'') {
		j--
	}
	end := j
	for j > 0 && isKeyByte(text[j-1]) {
		j--
	}
	return text[j:end]
}

func isKeyByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '.' || b == '-'
}

// valueAfter returns the value that starts at position i: a quoted string
// (to its closing quote on the same line) or a run up to whitespace or one
// of `,;}]`.
func valueAfter(text string, i int) string {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	if i < len(text) && (text[i] == '"' || text[i] == '\'') {
		q := text[i]
		end := i + 1
		for end < len(text) && text[end] != q && text[end] != '\n' {
			end++
		}
		if end < len(text) && text[end] == q {
			return text[i : end+1]
		}
	}
	end := i
	for end < len(text) && !strings.ContainsRune(" \t\r\n,;}]", rune(text[end])) {
		end++
	}
	return text[i:end]
}

// mayNameCredential is a cheap first test of a key: does it contain a
// fragment some credential name has? Most keys (HOST, PORT, mode) do not.
func mayNameCredential(key string) bool {
	for _, f := range []string{"pass", "pw", "secret", "tok", "key", "cred", "dsn", "jwt", "bearer", "kubeconfig", "connection"} {
		if containsFold(key, f) {
			return true
		}
	}
	return false
}

// isAssignmentKey reports a name whose literal value is a credential (the
// env, argument and ConfigMap rules, and assignments inside text).
func isAssignmentKey(k string) bool { return credentialName(k) }

// flagCredentials finds credentials passed on a command line: a flag named
// for one with a literal value (--db-password=x, --api-token x), or an
// argument whose content is one. It returns one reason per finding.
func flagCredentials(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if name, val, ok := strings.Cut(a, "="); ok && strings.HasPrefix(name, "-") {
			if f := strings.TrimLeft(name, "-"); len(f) > 1 && credentialName(f) && !placeholder(val) {
				out = append(out, "flag "+name+" with a literal value")
				continue
			}
		} else if strings.HasPrefix(a, "-") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			if f := strings.TrimLeft(a, "-"); len(f) > 1 && credentialName(f) && !placeholder(args[i+1]) {
				out = append(out, "flag "+a+" with a literal value")
				i++
				continue
			}
		}
		if why := credentialContent(a); why != "" {
			out = append(out, why)
		}
	}
	return out
}

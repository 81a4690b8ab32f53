package check

import (
	"net/url"
	"regexp"
	"strings"
)

// SecretPlaceholder is what a `secure:` configuration value reads as where
// it cannot be decrypted (the offline plan has no passphrase or KMS key):
// validators do not judge its shape, and whatever it reaches is registered
// as a secret all the same.
const SecretPlaceholder = "offline-placeholder-secret"

var (
	jwtRE       = regexp.MustCompile(`^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$`)
	awsKeyIDRE  = regexp.MustCompile(`\b(AKIA|ASIA)[A-Z0-9]{16}\b`)
	githubRE    = regexp.MustCompile(`\b(ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{30,}\b`)
	slackTokRE  = regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`)
	privateKeRE = regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`)
	// credentialNameRE matches names that hold credentials: parameter,
	// setting and query-parameter names ("requirepass", "api_key",
	// "X-Auth-Token").
	credentialNameRE = regexp.MustCompile(`(?i)(pass(word|wd)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|auth|signature|^sig$|^key$|^code$|dsn)`)
)

// webhookHosts carry their credential in the URL's path: whoever knows the
// URL may post to it (Slack incoming webhooks, PagerDuty integration URLs,
// Discord and Microsoft Teams webhooks).
var webhookHosts = map[string]string{
	"hooks.slack.com":         "a Slack incoming-webhook URL",
	"events.pagerduty.com":    "a PagerDuty integration URL",
	"discord.com":             "a Discord webhook URL",
	"discordapp.com":          "a Discord webhook URL",
	"outlook.office.com":      "a Microsoft Teams webhook URL",
	"api.opsgenie.com":        "an Opsgenie API URL",
	"api.eu.opsgenie.com":     "an Opsgenie API URL",
	"hooks.zapier.com":        "a Zapier webhook URL",
	"webhook.office.com":      "a Microsoft Teams webhook URL",
	"events.eu.pagerduty.com": "a PagerDuty integration URL",
}

// Credential says why value carries a credential by its shape ("a URL with a
// password", "a JSON Web Token"), or "" when it does not look like one.
func Credential(value string) string {
	v := strings.TrimSpace(value)
	if v == "" || v == SecretPlaceholder {
		return ""
	}
	if u, err := url.Parse(v); err == nil && u.Scheme != "" && u.Host != "" {
		if _, set := u.User.Password(); set {
			return "a URL with a password (user:password@)"
		}
		host := strings.ToLower(u.Hostname())
		for h, what := range webhookHosts {
			if host == h || strings.HasSuffix(host, "."+h) {
				return what + ", whose path is its credential"
			}
		}
		for name := range u.Query() {
			if credentialNameRE.MatchString(name) {
				return "a URL with a credential in its query (" + name + "=...)"
			}
		}
	}
	switch {
	case jwtRE.MatchString(v):
		return "a JSON Web Token"
	case awsKeyIDRE.MatchString(v):
		return "an AWS access key"
	case githubRE.MatchString(v):
		return "a GitHub token"
	case slackTokRE.MatchString(v):
		return "a Slack token"
	case privateKeRE.MatchString(v):
		return "a private key"
	}
	return ""
}

// CredentialName reports whether a setting's name says it holds a
// credential ("requirepass", "apiKey", "auth-token").
func CredentialName(name string) bool { return credentialNameRE.MatchString(name) }

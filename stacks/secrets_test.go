package stacks_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
	"github.com/acme/platform/stacks"
)

// Credentials a team puts in config by mistake or on purpose: a Slack
// webhook URL (the URL is the credential) and a token in an add-on's
// configuration.
const (
	webhook    = "https://hooks.slack.com/services/T0PLATFORM/B0PLATFORM/s3cr3tW3bh00kT0k3nValue"
	addonToken = "ghp_0123456789abcdefghijABCDEFGHIJ0123456789"
)

// withCredentials sets the credentials above in the dev stack, the way the
// engine hands them to the program: decrypted, with the objects that hold
// them named secret when secret is true (a `secure:` value inside).
func withCredentials(t *testing.T, secret bool) offline.StackConfig {
	t.Helper()
	base := offlinetest.StackConfig(t, "dev")
	var mon, cl map[string]any
	require.NoError(t, json.Unmarshal([]byte(base.Values["platform:monitoring"]), &mon))
	require.NoError(t, json.Unmarshal([]byte(base.Values["platform:cluster"]), &cl))
	mon["subscriptions"] = []any{map[string]any{"protocol": "https", "endpoint": webhook}}
	addons := cl["addons"].(map[string]any)
	cni := addons["vpc-cni"].(map[string]any)
	cni["configuration"] = map[string]any{"env": map[string]any{"REGISTRY_TOKEN": addonToken}}
	cfg := base.With("platform:monitoring", mon).With("platform:cluster", cl)
	if secret {
		cfg.SecretKeys = append(slices.Clone(cfg.SecretKeys), "platform:monitoring", "platform:cluster")
	}
	return cfg
}

// A credential in a `secure:` value stays a Pulumi secret all the way: the
// resources it reaches hold it as a secret, and neither the text nor the
// JSON plan shows it.
func TestSecureValuesInsideObjectsStaySecret(t *testing.T) {
	t.Parallel()
	cfg := withCredentials(t, true)
	res, err := plan.Run(plan.Options{Dir: offlinetest.RepoRoot(t), Stack: "dev", Config: &cfg})
	require.NoError(t, err)
	var text, doc bytes.Buffer
	require.NoError(t, res.WriteText(&text, nil))
	require.NoError(t, res.WriteJSON(&doc, nil))
	for _, out := range []string{text.String(), doc.String()} {
		require.NotContains(t, out, webhook)
		require.NotContains(t, out, "s3cr3tW3bh00k")
		require.NotContains(t, out, addonToken)
	}

	rec, err := offline.Run(cfg, true, stacks.Run)
	require.NoError(t, err)
	sub := offlinetest.Only(t, rec, "aws:sns/topicSubscription:TopicSubscription")
	require.True(t, offlinetest.IsSecret(t, sub, "endpoint"), "the webhook URL is registered as a secret")
	cniAddon := offlinetest.Find(t, rec, "aws:eks/addon:Addon", "eks-vpc-cni")
	require.True(t, offlinetest.IsSecret(t, cniAddon, "configurationValues"), "the add-on configuration is registered as a secret")
}

// The same credentials in plain text are refused, each naming its key, and
// nothing is registered.
func TestPlaintextCredentialsAreRefused(t *testing.T) {
	t.Parallel()
	rec, err := offline.Run(withCredentials(t, false), true, stacks.Run)
	require.Error(t, err)
	require.Empty(t, rec.Resources())
	require.ErrorContains(t, err, "platform:monitoring.subscriptions[0].endpoint: carries a credential (a Slack incoming-webhook URL, whose path is its credential) in plain text")
	require.ErrorContains(t, err, "platform:cluster.addons.vpc-cni.configuration.env.REGISTRY_TOKEN: carries a credential")
	require.NotContains(t, err.Error(), "s3cr3tW3bh00k", "the refusal does not print the credential")
	require.NotContains(t, err.Error(), addonToken)
}

// A `secure:` value read offline is a placeholder; validation accepts it and
// the offline plan runs.
func TestTheOfflinePlanAcceptsSecurePlaceholders(t *testing.T) {
	t.Parallel()
	base := offlinetest.StackConfig(t, "dev")
	var mon map[string]any
	require.NoError(t, json.Unmarshal([]byte(base.Values["platform:monitoring"]), &mon))
	mon["subscriptions"] = []any{map[string]any{"protocol": "https", "endpoint": offline.SecretPlaceholder}}
	cfg := base.With("platform:monitoring", mon)
	cfg.SecretKeys = append(slices.Clone(cfg.SecretKeys), "platform:monitoring")
	_, err := offline.Run(cfg, true, stacks.Run)
	require.NoError(t, err)
}

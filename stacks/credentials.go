package stacks

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/check"
)

// checkCredentials refuses credentials written in plain text in the stack
// file. Some settings carry one by their nature or their shape: an alert
// endpoint with a token in its URL, a cache parameter named like a
// password, a token in an add-on's configuration. They must be `secure:`
// values (`pulumi config set --secret --path 'platform:monitoring.subscriptions[0].endpoint' ...`):
// then the engine marks the whole object secret, and the components keep
// whatever they build from those settings secret in state and in plans.
func checkCredentials(ctx *pulumi.Context, p *check.Problems, cfg Config, loaded map[string]bool) {
	key := func(k string) string { return ctx.Project() + ":" + k }
	refuse := func(section, path, why string) {
		p.Addf(key(section+"."+path), "carries a credential (%s) in plain text: store it as a secret, `pulumi config set --secret --path '%s' <value>`, so it stays encrypted in the stack file, in state and in plans",
			why, key(section+"."+path))
	}
	if loaded["monitoring"] && !cfg.Secret["monitoring"] {
		for i, s := range cfg.Monitoring.Subscriptions {
			if why := check.Credential(s.Endpoint); why != "" {
				refuse("monitoring", fmt.Sprintf("subscriptions[%d].endpoint", i), why)
			}
		}
	}
	if loaded["cache"] && !cfg.Secret["cache"] {
		for _, name := range slices.Sorted(maps.Keys(cfg.Cache.Parameters)) {
			v := cfg.Cache.Parameters[name]
			switch {
			case check.CredentialName(name):
				refuse("cache", fmt.Sprintf("parameters[%q]", name), "a parameter named like a password")
			case check.Credential(v) != "":
				refuse("cache", fmt.Sprintf("parameters[%q]", name), check.Credential(v))
			}
		}
	}
	if loaded["cluster"] && !cfg.Secret["cluster"] {
		for _, a := range []struct {
			name string
			conf map[string]any
		}{
			{"vpc-cni", cfg.Cluster.Addons.VPCCNI.Configuration},
			{"kube-proxy", cfg.Cluster.Addons.KubeProxy.Configuration},
			{"eks-pod-identity-agent", cfg.Cluster.Addons.PodIdentityAgent.Configuration},
			{"coredns", cfg.Cluster.Addons.CoreDNS.Configuration},
			{"aws-ebs-csi-driver", cfg.Cluster.Addons.EBSCSIDriver.Configuration},
		} {
			walkCredentials(a.conf, "addons."+a.name+".configuration", func(path, why string) { refuse("cluster", path, why) })
		}
	}
}

// walkCredentials reports every string in a free-form value that carries a
// credential by its name or its shape.
func walkCredentials(v any, path string, report func(path, why string)) {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(t)) {
			child := path + "." + k
			if s, ok := t[k].(string); ok && s != "" && check.CredentialName(k) {
				report(child, "a setting named like a credential")
				continue
			}
			walkCredentials(t[k], child, report)
		}
	case []any:
		for i, e := range t {
			walkCredentials(e, path+"["+strconv.Itoa(i)+"]", report)
		}
	case string:
		if why := check.Credential(t); why != "" {
			report(path, why)
		}
	}
}

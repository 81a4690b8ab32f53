package parts

import (
	"context"
	"encoding/json"
	"os"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type configKeysKey struct{}

// WithConfigKeys returns a context that tells ConfigKeys which configuration
// keys a program run under mocks was given. The real engine tells it through
// the environment.
func WithConfigKeys(ctx context.Context, keys []string) context.Context {
	return context.WithValue(ctx, configKeysKey{}, slices.Clone(keys))
}

// ConfigKeys returns every configuration key the program was given
// ("aws:region", "platform:network", ...), sorted, and whether they are
// known. The SDK has no way to list them: the Go language host passes the
// configuration to the program as JSON in PULUMI_CONFIG (the SDK's
// pulumi.EnvConfig, which getEnvInfo reads), so that is where the keys come
// from; a run under mocks passes them with WithConfigKeys.
func ConfigKeys(ctx *pulumi.Context) ([]string, bool) {
	if raw := os.Getenv(pulumi.EnvConfig); raw != "" {
		var cfg map[string]string
		if json.Unmarshal([]byte(raw), &cfg) == nil {
			keys := make([]string, 0, len(cfg))
			for k := range cfg {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			return keys, true
		}
	}
	if keys, ok := ctx.Context().Value(configKeysKey{}).([]string); ok {
		out := slices.Clone(keys)
		slices.Sort(out)
		return out, true
	}
	return nil, false
}

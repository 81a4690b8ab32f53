package stacks_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/stacks"
)

// FuzzLoad replaces one key of a real stack file with an arbitrary value and
// loads the configuration. Whatever the value, Load must not panic, and it
// either succeeds or fails with problems that each name a platform: key.
//
// The seeds are every key of both stack files with its real value and every
// entry of the bad-config table; `go test` runs them, `go test -fuzz
// FuzzLoad ./stacks` explores from them.
func FuzzLoad(f *testing.F) {
	bases := map[bool]offline.StackConfig{
		false: offlinetest.StackConfig(f, "dev"),
		true:  offlinetest.StackConfig(f, "prod"),
	}
	for prod, cfg := range bases {
		keys := make([]string, 0, len(cfg.Values))
		for k := range cfg.Values {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if strings.HasPrefix(k, "platform:") {
				f.Add(prod, k, cfg.Values[k])
			}
		}
	}
	for _, bad := range badConfigs {
		raw, ok := bad.val.(rawJSON)
		value := string(raw)
		if !ok {
			if s, isString := bad.val.(string); isString {
				value = s
			} else {
				b, err := json.Marshal(bad.val)
				if err != nil {
					f.Fatal(err)
				}
				value = string(b)
			}
		}
		f.Add(false, bad.key, value)
	}
	keys := append(append([]string{}, stacks.ObjectKeys...), stacks.ScalarKeys...)

	f.Fuzz(func(t *testing.T, prod bool, key, value string) {
		// Keep the key one the program reads, so every input exercises Load.
		if !strings.HasPrefix(key, "platform:") || !contains(keys, strings.TrimPrefix(key, "platform:")) {
			key = "platform:" + keys[len(key)%len(keys)]
		}
		cfg := bases[prod].With(key, value)
		var loadErr error
		_, err := offline.Run(cfg, true, func(ctx *pulumi.Context) error {
			_, loadErr = stacks.Load(ctx)
			return nil
		})
		if err != nil {
			t.Fatalf("running Load: %v", err)
		}
		if loadErr == nil {
			return
		}
		for _, line := range strings.Split(loadErr.Error(), "\n") {
			if !strings.HasPrefix(line, "platform:") {
				t.Fatalf("%s=%q: problem does not name a platform: key: %q", key, value, line)
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

package plan_test

// The replacement gate over the real stacks, one day-2 change a team really
// makes per case: the change's plan is compared with the JSON document of
// the base plan, read back as CI reads the base branch's (ParseBaseline), and
// judged with the approvals the pull request carries.

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
	"github.com/acme/platform/stacks"
)

// gateBase caches the JSON baseline of each real stack.
var gateBase = struct {
	sync.Mutex
	docs map[string][]byte
}{docs: map[string][]byte{}}

// baselineOf returns the base plan of a stack as its JSON document holds
// it; edit, when set, changes the base configuration first.
func baselineOf(t *testing.T, stack string, edit func(offline.StackConfig) offline.StackConfig) *plan.Baseline {
	t.Helper()
	var raw []byte
	if edit == nil {
		gateBase.Lock()
		raw = gateBase.docs[stack]
		gateBase.Unlock()
	}
	if raw == nil {
		cfg := offlinetest.StackConfig(t, stack)
		if edit != nil {
			cfg = edit(cfg)
		}
		res, err := plan.Run(plan.Options{Config: &cfg})
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, res.WriteJSON(&buf, nil))
		raw = buf.Bytes()
		if edit == nil {
			gateBase.Lock()
			gateBase.docs[stack] = raw
			gateBase.Unlock()
		}
	}
	base, err := plan.ParseBaseline("base.json", raw)
	require.NoError(t, err)
	return base
}

// withFields sets fields of one platform:<key> object of a configuration.
func withFields(t *testing.T, cfg offline.StackConfig, key string, fields map[string]any) offline.StackConfig {
	t.Helper()
	obj := map[string]any{}
	if raw, ok := cfg.Values[cfg.Project+":"+key]; ok {
		require.NoError(t, json.Unmarshal([]byte(raw), &obj))
	}
	for k, v := range fields {
		obj[k] = v
	}
	return cfg.With(cfg.Project+":"+key, obj)
}

func names(cs []plan.Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Type+" "+c.Name)
	}
	slices.Sort(out)
	return out
}

func TestReplacementGateOnRealChanges(t *testing.T) {
	t.Parallel()
	const rotation = "urn:pulumi:dev::platform::platform:data:Cache$random:index/randomPassword:RandomPassword::cache-auth-token"
	zones := func(zs ...any) func(*testing.T, offline.StackConfig) offline.StackConfig {
		return func(t *testing.T, cfg offline.StackConfig) offline.StackConfig {
			return withFields(t, cfg, "network", map[string]any{"availabilityZones": zs})
		}
	}
	rotate := func(t *testing.T, cfg offline.StackConfig) offline.StackConfig {
		return withFields(t, cfg, "cache", map[string]any{"authTokenVersion": 2, "authTokenUpdateStrategy": "ROTATE"})
	}
	tests := []struct {
		name      string
		stack     string
		base      func(*testing.T, offline.StackConfig) offline.StackConfig // default: the real stack
		change    func(*testing.T, offline.StackConfig) offline.StackConfig
		approvals string
		// blocking are the changes the gate must block, by type and name,
		// and a fragment of each one's reasons; with atLeast, among others
		// (a name may then be a prefix).
		blocking   map[string]string
		atLeast    bool
		approved   []string
		superseded []string
		// also are other changes that must be reported, with a fragment.
		also map[string]string
	}{
		{
			name: "the DR region moves", stack: "prod",
			change: func(t *testing.T, cfg offline.StackConfig) offline.StackConfig {
				return withFields(t, cfg, "backup", map[string]any{"drRegion": "us-east-2"})
			},
			blocking: map[string]string{
				"aws:backup/vault:Vault backup-dr-vault":                                                                      "its provider dr is replaced (region changed",
				"aws:backup/vaultLockConfiguration:VaultLockConfiguration backup-dr-vault-lock":                               "its provider dr is replaced",
				"aws:kms/key:Key backup-dr-key":                                                                               "its provider dr is replaced",
				"aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication backup-database-replication": "its provider dr is replaced",
			},
			also: map[string]string{"pulumi:providers:aws dr": `region changed ("us-west-2" → "us-east-2")`},
		},
		{
			name: "the stack's region moves", stack: "dev", atLeast: true,
			change: func(_ *testing.T, cfg offline.StackConfig) offline.StackConfig {
				return cfg.With("aws:region", "us-west-2")
			},
			blocking: map[string]string{
				"aws:rds/instance:Instance db":                               "its provider default_6_83_4 is replaced",
				"aws:elasticache/replicationGroup:ReplicationGroup cache":    "its provider default_6_83_4 is replaced",
				"aws:mq/broker:Broker broker":                                "",
				"aws:backup/vault:Vault backup-vault":                        "its provider default_6_83_4 is replaced",
				"aws:eks/cluster:Cluster eks":                                "",
				"aws:ec2/vpc:Vpc vpc":                                        "",
				"aws:kms/key:Key db-key":                                     "",
				"aws:secretsmanager/secret:Secret db-readwrite":              "",
				"aws:cloudwatch/logGroup:LogGroup db-postgresql":             "",
				"aws:ec2/eip:Eip vpc-nat-us-east-1a":                         "",
				"aws:ec2/subnet:Subnet vpc-private-us-east-1a":               "",
				"aws:eks/nodeGroup:NodeGroup eks-general":                    "",
				"aws:rds/parameterGroup:ParameterGroup db-postgres16":        "",
				"aws:elasticache/parameterGroup:ParameterGroup cache-redis7": "",
				"kubernetes:core/v1:Namespace eks-system-ns-apps":            "",
				"kubernetes:core/v1:Namespace eks-system-platform-system":    "",
				"aws:cloudwatch/logGroup:LogGroup cache-engine-log":          "",
			},
		},
		{
			name: "a vault lock's limits change", stack: "prod",
			change: func(t *testing.T, cfg offline.StackConfig) offline.StackConfig {
				return withFields(t, cfg, "backup", map[string]any{"vaultLockMaxRetentionDays": 500})
			},
			blocking: map[string]string{
				"aws:backup/vaultLockConfiguration:VaultLockConfiguration backup-vault-lock":    "maxRetentionDays changed (400 → 500)",
				"aws:backup/vaultLockConfiguration:VaultLockConfiguration backup-dr-vault-lock": "maxRetentionDays changed (400 → 500)",
			},
		},
		{
			name: "the same zones in another order", stack: "prod",
			base:   zones("us-east-1a", "us-east-1b", "us-east-1d"),
			change: zones("us-east-1d", "us-east-1a", "us-east-1b"),
		},
		{
			name: "the documented PostgreSQL major upgrade", stack: "dev",
			change: func(t *testing.T, cfg offline.StackConfig) offline.StackConfig {
				return withFields(t, cfg, "database", map[string]any{"engineVersion": "17", "allowMajorVersionUpgrade": true})
			},
			superseded: []string{"aws:rds/parameterGroup:ParameterGroup db-postgres16"},
			also: map[string]string{
				"aws:rds/instance:Instance db":                        `engineVersion changed ("16" → "17")`,
				"aws:rds/parameterGroup:ParameterGroup db-postgres17": "new",
			},
		},
		{
			name: "the documented move from Redis to Valkey", stack: "dev",
			change: func(t *testing.T, cfg offline.StackConfig) offline.StackConfig {
				return withFields(t, cfg, "cache", map[string]any{"engine": "valkey", "engineVersion": "8.0"})
			},
			superseded: []string{"aws:elasticache/parameterGroup:ParameterGroup cache-redis7"},
			also: map[string]string{
				"aws:elasticache/replicationGroup:ReplicationGroup cache": `engine changed ("redis" → "valkey")`,
			},
		},
		{
			name: "the AUTH token rotation without approval", stack: "dev",
			change:   rotate,
			blocking: map[string]string{"random:index/randomPassword:RandomPassword cache-auth-token": `keepers.version changed ("1" → "2")`},
			also: map[string]string{
				"aws:elasticache/replicationGroup:ReplicationGroup cache": "authToken comes from random:index/randomPassword:RandomPassword cache-auth-token",
			},
		},
		{
			name: "the AUTH token rotation, approved", stack: "dev",
			change:    rotate,
			approvals: "--allow-replace " + rotation + "  rotate the cache AUTH token, step 1 of docs/operations.md\n",
			approved:  []string{"random:index/randomPassword:RandomPassword cache-auth-token"},
		},
		{
			name: "new subnets cascade to the node groups and the broker", stack: "dev",
			change: func(t *testing.T, cfg offline.StackConfig) offline.StackConfig {
				return withFields(t, cfg, "network", map[string]any{"cidr": "10.11.0.0/16"})
			},
			blocking: map[string]string{
				"aws:ec2/vpc:Vpc vpc":                          `cidrBlock changed ("10.10.0.0/16" → "10.11.0.0/16")`,
				"aws:ec2/subnet:Subnet vpc-private-us-east-1a": "cidrBlock changed",
				"aws:ec2/subnet:Subnet vpc-private-us-east-1b": "cidrBlock changed",
				"aws:ec2/subnet:Subnet vpc-public-us-east-1a":  "cidrBlock changed",
				"aws:ec2/subnet:Subnet vpc-public-us-east-1b":  "cidrBlock changed",
				"aws:ec2/subnet:Subnet vpc-data-us-east-1a":    "cidrBlock changed",
				"aws:ec2/subnet:Subnet vpc-data-us-east-1b":    "cidrBlock changed",
				"aws:eks/nodeGroup:NodeGroup eks-general":      "subnetIds comes from aws:ec2/subnet:Subnet vpc-private-us-east-1",
				"aws:mq/broker:Broker broker":                  "subnetIds comes from aws:ec2/subnet:Subnet vpc-private-us-east-1a, which is replaced",
			},
		},
		{
			name: "a bigger database instance", stack: "dev",
			change: func(t *testing.T, cfg offline.StackConfig) offline.StackConfig {
				return withFields(t, cfg, "database", map[string]any{"instanceClass": "db.t4g.small"})
			},
			also: map[string]string{"aws:rds/instance:Instance db": `instanceClass changed ("db.t4g.micro" → "db.t4g.small")`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var base *plan.Baseline
			cfg := offlinetest.StackConfig(t, tt.stack)
			if tt.base != nil {
				base = baselineOf(t, tt.stack, func(c offline.StackConfig) offline.StackConfig { return tt.base(t, c) })
				cfg = tt.base(t, cfg)
			} else {
				base = baselineOf(t, tt.stack, nil)
			}
			changed := tt.change(t, cfg)
			res, err := plan.Run(plan.Options{Config: &changed})
			require.NoError(t, err)
			var approvals []plan.Approval
			if tt.approvals != "" {
				approvals, err = plan.ParseApprovals("replacements.allow", []byte(tt.approvals))
				require.NoError(t, err)
			}
			cmp, err := res.CompareWithBaseline(base, approvals)
			require.NoError(t, err)
			v := cmp.Verdict
			all := plan.Describe(v.Changes)

			blocking := names(v.Blocking)
			want := make([]string, 0, len(tt.blocking))
			for n := range tt.blocking {
				want = append(want, n)
			}
			slices.Sort(want)
			if tt.atLeast {
				for _, n := range want {
					found := false
					for _, b := range blocking {
						if strings.HasPrefix(b, n) {
							found = true
						}
					}
					require.True(t, found, "%s is blocked:\n%s", n, plan.Describe(v.Blocking))
				}
			} else {
				require.Equal(t, want, blocking, all)
			}
			require.Equal(t, len(v.Blocking) == 0, v.Passed())
			for _, c := range v.Blocking {
				if frag := tt.blocking[c.Type+" "+c.Name]; frag != "" {
					require.Contains(t, c.String(), frag)
				}
				require.NotEmpty(t, c.Loses)
			}
			approved := []string{}
			for _, a := range v.Approved {
				approved = append(approved, a.Change.Type+" "+a.Change.Name)
				require.Contains(t, a.Approval.Reason, "rotate the cache AUTH token")
				require.Equal(t, "replacements.allow:1", a.Approval.Where)
			}
			require.Equal(t, append([]string{}, tt.approved...), approved)
			require.Equal(t, append([]string{}, tt.superseded...), names(v.Superseded), all)
			require.Empty(t, v.Unused)
			for n, frag := range tt.also {
				require.Contains(t, all, n+" would be", all)
				require.Contains(t, all, frag)
			}

			var text bytes.Buffer
			require.NoError(t, res.WriteText(&text, cmp))
			if v.Passed() {
				require.Contains(t, text.String(), "PASS:")
			} else {
				require.Contains(t, text.String(), "BLOCKED:")
				require.Contains(t, text.String(), "FAIL:")
			}
			for _, a := range v.Approved {
				require.Contains(t, text.String(), "approved at replacements.allow:1: "+a.Approval.Reason)
			}
		})
	}
}

// The same zones in another order, compared on the mock's own records
// (where subnet IDs are known values, not unknowns): the broker's and the
// node groups' subnet lists come in another order, and the gate compares
// them as the sets the provider holds.
func TestZonesInAnotherOrderReplaceNothing(t *testing.T) {
	t.Parallel()
	cfg := offlinetest.StackConfig(t, "prod")
	run := func(zs ...any) []*offline.Resource {
		c := withFields(t, cfg, "network", map[string]any{"availabilityZones": zs})
		rec, err := offline.Run(c, true, stacks.Run)
		require.NoError(t, err)
		return rec.Resources()
	}
	before, after := run("us-east-1a", "us-east-1b", "us-east-1d"), run("us-east-1d", "us-east-1a", "us-east-1b")
	subnets := func(rs []*offline.Resource) []string {
		for _, r := range rs {
			if r.Type == "aws:mq/broker:Broker" {
				return offlinetest.Strs(t, r, "subnetIds")
			}
		}
		return nil
	}
	require.NotEqual(t, subnets(before), subnets(after), "the precondition: the lists are in another order")
	require.ElementsMatch(t, subnets(before), subnets(after))
	changes := plan.Compare(before, after)
	require.Empty(t, plan.Describe(plan.Unsafe(changes)))
	for _, c := range changes {
		require.NotEqual(t, plan.Replace, c.Kind, c.String())
	}
}

// Approvals are reviewed text: every malformed line is refused with its line
// number, and one that matches nothing is reported.
func TestApprovals(t *testing.T) {
	t.Parallel()
	_, err := plan.ParseApprovals("a.allow", []byte(`# comment

--allow-replace urn:pulumi:dev::platform::random:index/randomPassword:RandomPassword::x
--allow-everything urn:pulumi:dev::platform::a:b:C::x because
--allow-delete not-a-urn because
`))
	require.Error(t, err)
	for _, want := range []string{"a.allow:3: say why after the URN", "a.allow:4: a line is `--allow-replace", "a.allow:5: --allow-delete needs the resource's URN"} {
		require.ErrorContains(t, err, want)
	}
	ok, err := plan.ParseApprovals("b.allow", []byte("--allow-delete urn:pulumi:dev::platform::aws:kms/key:Key::old   retired with the old account\n"))
	require.NoError(t, err)
	require.Equal(t, []plan.Approval{{Kind: plan.Delete, URN: "urn:pulumi:dev::platform::aws:kms/key:Key::old", Reason: "retired with the old account", Where: "b.allow:1"}}, ok)
	v := plan.Judge(nil, ok)
	require.True(t, v.Passed())
	require.Equal(t, ok, v.Unused)
}

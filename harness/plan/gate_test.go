package plan_test

// The policy gate over the real stacks: the real program (stacks.Program
// through plan.Run) with the real Pulumi.<stack>.yaml, presented to the pack
// as the engine would (Result.AnalyzerResources) and judged in process
// (pack.Evaluate). Both stacks must pass with their own policy config and
// with the pack's defaults; each deliberately broken variant must fail with
// exactly the rule that names its mistake, so a rule that stops firing, or a
// mistake that trips a second rule, shows up here.

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
	"github.com/acme/platform/policy/pack"
)

// gateStacks are the stacks the gate holds; every one has a policy config
// file of the same name.
var gateStacks = []string{"dev", "prod"}

// gatePlans caches one plan per stack (with its own policy config): the
// mutation variants only read it, so one program run serves them all.
var gatePlans = struct {
	sync.Mutex
	byStack map[string]*plan.Result
}{byStack: map[string]*plan.Result{}}

// gatePolicyConfigPath is policy/config/<stack>.json.
func gatePolicyConfigPath(t *testing.T, stack string) string {
	t.Helper()
	return filepath.Join(offlinetest.RepoRoot(t), "policy", "config", stack+".json")
}

// gatePolicyConfig loads policy/config/<stack>.json.
func gatePolicyConfig(t *testing.T, stack string) pack.Config {
	t.Helper()
	cfg, err := pack.LoadConfig(gatePolicyConfigPath(t, stack))
	require.NoError(t, err)
	return cfg
}

// gatePlan returns the plan of a real stack under its own policy config.
// Callers must not modify it.
func gatePlan(t *testing.T, stack string) *plan.Result {
	t.Helper()
	gatePlans.Lock()
	defer gatePlans.Unlock()
	if res, ok := gatePlans.byStack[stack]; ok {
		return res
	}
	res, err := plan.Run(plan.Options{
		Dir:              offlinetest.RepoRoot(t),
		Stack:            stack,
		PolicyConfigPath: gatePolicyConfigPath(t, stack),
	})
	require.NoError(t, err)
	gatePlans.byStack[stack] = res
	return res
}

// gateFindings lists violations at one level as "policy resource-name",
// sorted, so a failure shows what fired where.
func gateFindings(vs []pack.Violation, level pack.Level) []string {
	out := []string{}
	for _, v := range vs {
		if v.Level == level {
			out = append(out, v.Policy+" "+v.URN[strings.LastIndex(v.URN, "::")+2:])
		}
	}
	slices.Sort(out)
	return out
}

// gatePolicies lists the distinct policies violated at one level, sorted.
func gatePolicies(vs []pack.Violation, level pack.Level) []string {
	out := []string{}
	for _, v := range vs {
		if v.Level == level {
			out = append(out, v.Policy)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Both stacks pass with their own policy config and with the pack's defaults
// (every policy at its own level): no mandatory violation. The advisory
// findings are pinned too: they are dev's deliberate economies and nothing
// else (an ownership-tags finding on every resource, say, would mean the
// provider's defaultTags were not presented).
func TestGateRealStacksPass(t *testing.T) {
	t.Parallel()
	devEconomies := []string{
		"aws-backup-plan-cross-region-copy backup-plan",
		"aws-backup-vault-locked backup-vault",
		"aws-elasticache-replicationgroup-automatic-failover cache",
		"aws-mq-broker-multi-az broker",
		"aws-rds-instance-backups-replicated db",
		"aws-rds-instance-deletion-protection db",
		"aws-rds-instance-multi-az db",
	}
	tests := []struct {
		stack, policyConfig string
		advisory            []string
		// unprotected: dev's stateful resources are not protected (a
		// choice: dev is cheap to destroy), which the pack's defaults
		// advise against and dev.json disables.
		unprotected bool
	}{
		{stack: "dev", policyConfig: "own", advisory: devEconomies},
		{stack: "dev", policyConfig: "defaults", advisory: devEconomies, unprotected: true},
		{stack: "prod", policyConfig: "own", advisory: []string{}},
		{stack: "prod", policyConfig: "defaults", advisory: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.stack+"/"+tt.policyConfig, func(t *testing.T) {
			t.Parallel()
			opts := plan.Options{Dir: offlinetest.RepoRoot(t), Stack: tt.stack}
			if tt.policyConfig == "own" {
				opts.PolicyConfigPath = gatePolicyConfigPath(t, tt.stack)
			}
			res, err := plan.Run(opts)
			require.NoError(t, err)
			require.NotEmpty(t, res.Resources)
			require.Empty(t, gateFindings(res.Violations, pack.Mandatory), "mandatory violations in %s", tt.stack)
			advisory, unprotected := gateSplitProtected(res.Violations, pack.Advisory)
			require.Equal(t, tt.advisory, advisory)
			if tt.unprotected {
				require.Equal(t, gateStateful(t, res), unprotected, "every stateful resource, and only those")
			} else {
				require.Empty(t, unprotected)
			}
			require.Zero(t, res.ExitCode())

			// The verdict plan.Run reached is the one pack.Evaluate reaches
			// on what AnalyzerResources presents: the gate below relies on
			// re-evaluating that presentation.
			cfg := pack.Config{}
			if tt.policyConfig == "own" {
				cfg = gatePolicyConfig(t, tt.stack)
			}
			again, err := pack.Evaluate(res.AnalyzerResources(), cfg)
			require.NoError(t, err)
			require.ElementsMatch(t, res.Violations, again)
		})
	}
}

// gateSplitProtected separates the findings of aws-resources-stateful-protected
// (resource names) from the others (as gateFindings lists them).
func gateSplitProtected(vs []pack.Violation, level pack.Level) (others, unprotected []string) {
	others, unprotected = []string{}, []string{}
	for _, f := range gateFindings(vs, level) {
		if name, ok := strings.CutPrefix(f, "aws-resources-stateful-protected "); ok {
			unprotected = append(unprotected, name)
			continue
		}
		others = append(others, f)
	}
	return others, unprotected
}

// gateStateful lists, sorted, the resources of the types the pack counts as
// stateful.
func gateStateful(t *testing.T, res *plan.Result) []string {
	t.Helper()
	var types []string
	for _, p := range pack.Policies() {
		if p.Name == "aws-resources-stateful-protected" {
			types = p.Types
		}
	}
	require.NotEmpty(t, types)
	out := []string{}
	for _, r := range res.Resources {
		if slices.Contains(types, r.Type) {
			out = append(out, r.Name)
		}
	}
	slices.Sort(out)
	return out
}

// Dev is cheap on purpose; under prod's policy config it fails exactly on
// the choices that make it cheap (single-AZ, one cache node, a single
// broker, no deletion protection, short retention, no DR copies, no vault
// lock, nothing protected), and nowhere else: what makes prod prod is
// enforced by prod.json, so a prod stack file that loses a key fails.
func TestGateDevFailsProdPolicyConfigOnlyOnResilience(t *testing.T) {
	t.Parallel()
	res, err := plan.Run(plan.Options{
		Dir:              offlinetest.RepoRoot(t),
		Stack:            "dev",
		PolicyConfigPath: gatePolicyConfigPath(t, "prod"),
	})
	require.NoError(t, err)
	mandatory, unprotected := gateSplitProtected(res.Violations, pack.Mandatory)
	require.Equal(t, []string{
		"aws-backup-plan-cross-region-copy backup-plan",
		"aws-backup-plan-minimum-retention backup-plan",
		"aws-backup-vault-locked backup-vault",
		"aws-cloudwatch-loggroup-retention cache-engine-log",
		"aws-cloudwatch-loggroup-retention cache-slow-log",
		"aws-elasticache-replicationgroup-automatic-failover cache",
		"aws-elasticache-replicationgroup-snapshot-retention cache",
		"aws-mq-broker-multi-az broker",
		"aws-rds-instance-backup-retention db",
		"aws-rds-instance-backups-replicated db",
		"aws-rds-instance-deletion-protection db",
		"aws-rds-instance-multi-az db",
	}, mandatory)
	require.Equal(t, gateStateful(t, res), unprotected)
	require.Equal(t, 1, res.ExitCode())
}

// gateWithFields returns cfg with fields of an object-valued config key
// (platform:database, platform:cache, ...) replaced. Each field must be set
// in the stack file already, so a variant always changes a real choice.
func gateWithFields(t *testing.T, cfg offline.StackConfig, key string, fields map[string]any) offline.StackConfig {
	t.Helper()
	raw, ok := cfg.Values[key]
	require.Truef(t, ok, "stack %s has no %s", cfg.Stack, key)
	var obj map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &obj), key)
	for field, value := range fields {
		require.Containsf(t, obj, field, "%s.%s is not set in stack %s", key, field, cfg.Stack)
		require.NotEqualf(t, fmt.Sprint(value), fmt.Sprint(obj[field]), "%s.%s already is %v in stack %s", key, field, value, cfg.Stack)
		obj[field] = value
	}
	return cfg.With(key, obj)
}

// Mistakes the stack configuration can still express (the components accept
// them because another stack may want them) fail the gate with the rule that
// names them, under the stack's own policy config.
func TestGateConfigVariantsFailWithTheirRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		stack  string
		key    string
		fields map[string]any
		policy string
	}{
		{name: "dev cache snapshots off", stack: "dev", key: "platform:cache", fields: map[string]any{"snapshotRetentionDays": 0}, policy: "aws-stack-datastores-backups-enabled"},
		{name: "prod cache snapshots off", stack: "prod", key: "platform:cache", fields: map[string]any{"backupsRequired": false, "snapshotRetentionDays": 0}, policy: "aws-stack-datastores-backups-enabled"},
		{name: "prod database backups for a week", stack: "prod", key: "platform:database", fields: map[string]any{"backupRetentionDays": 7}, policy: "aws-rds-instance-backup-retention"},
		{name: "prod cache snapshots for a day", stack: "prod", key: "platform:cache", fields: map[string]any{"snapshotRetentionDays": 1}, policy: "aws-elasticache-replicationgroup-snapshot-retention"},
		{name: "prod cache logs for two weeks", stack: "prod", key: "platform:cache", fields: map[string]any{"logRetentionDays": 14}, policy: "aws-cloudwatch-loggroup-retention"},
		{name: "prod flow logs for two weeks", stack: "prod", key: "platform:network", fields: map[string]any{"flowLogRetentionDays": 14}, policy: "aws-cloudwatch-loggroup-retention"},
		{name: "prod database single-AZ", stack: "prod", key: "platform:database", fields: map[string]any{"multiAz": false}, policy: "aws-rds-instance-multi-az"},
		{name: "prod database deletable", stack: "prod", key: "platform:database", fields: map[string]any{"deletionProtection": false}, policy: "aws-rds-instance-deletion-protection"},
		{name: "prod database without final snapshot", stack: "prod", key: "platform:database", fields: map[string]any{"skipFinalSnapshot": true}, policy: "aws-rds-instance-final-snapshot"},
		{name: "prod cache single node", stack: "prod", key: "platform:cache", fields: map[string]any{"nodeCount": 1}, policy: "aws-elasticache-replicationgroup-automatic-failover"},
		{name: "prod broker single instance", stack: "prod", key: "platform:broker", fields: map[string]any{"deploymentMode": "SINGLE_INSTANCE"}, policy: "aws-mq-broker-multi-az"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := gateWithFields(t, offlinetest.StackConfig(t, tt.stack), tt.key, tt.fields)
			res, err := plan.Run(plan.Options{Config: &cfg, PolicyConfigPath: gatePolicyConfigPath(t, tt.stack)})
			require.NoError(t, err, "the components accept %s %v", tt.key, tt.fields)
			require.Equal(t, []string{tt.policy}, gatePolicies(res.Violations, pack.Mandatory), "%s", gateFindings(res.Violations, pack.Mandatory))
			require.Equal(t, 1, res.ExitCode())
		})
	}
}

// What makes prod prod is enforced by prod.json's mandatory policies, not
// by the stack file: a prod stack file that loses (or misspells, which
// loses) the key that sets it runs on the defaults, and the gate fails with
// the policy that names what was lost.
func TestGateProdWithoutItsKeysFails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		key    string
		fields []string // fields of an object key to drop; none drops the key
		policy string
	}{
		{name: "protect", key: "platform:protect", policy: "aws-resources-stateful-protected"},
		{name: "vault lock", key: "platform:backup", fields: []string{"vaultLock"}, policy: "aws-backup-vault-locked"},
		{name: "database Multi-AZ", key: "platform:database", fields: []string{"multiAz"}, policy: "aws-rds-instance-multi-az"},
		{name: "DR region", key: "platform:backup", fields: []string{"drRegion"}, policy: "aws-backup-plan-cross-region-copy"},
		{name: "cache failover", key: "platform:cache", fields: []string{"nodeCount"}, policy: "aws-elasticache-replicationgroup-automatic-failover"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := offlinetest.StackConfig(t, "prod")
			require.Contains(t, cfg.Values, tt.key)
			if len(tt.fields) == 0 {
				cfg = cfg.Without(tt.key)
			} else {
				var obj map[string]any
				require.NoError(t, json.Unmarshal([]byte(cfg.Values[tt.key]), &obj))
				for _, f := range tt.fields {
					require.Contains(t, obj, f)
					delete(obj, f)
				}
				cfg = cfg.With(tt.key, obj)
			}
			res, err := plan.Run(plan.Options{Config: &cfg, PolicyConfigPath: gatePolicyConfigPath(t, "prod")})
			if err != nil {
				// The stack file itself may refuse the loss, naming the key:
				// that stops the change before the gate.
				require.ErrorContains(t, err, tt.key)
				return
			}
			require.Contains(t, gatePolicies(res.Violations, pack.Mandatory), tt.policy, "%s", gateFindings(res.Violations, pack.Mandatory))
			require.Equal(t, 1, res.ExitCode())
		})
	}
}

// gateCopyValue deep-copies a property value, so a variant can change a
// nested input without touching the shared plan.
func gateCopyValue(v resource.PropertyValue) resource.PropertyValue {
	switch {
	case v.IsObject():
		return resource.NewProperty(gateCopyMap(v.ObjectValue()))
	case v.IsArray():
		arr := make([]resource.PropertyValue, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			arr[i] = gateCopyValue(e)
		}
		return resource.NewProperty(arr)
	case v.IsSecret():
		return resource.MakeSecret(gateCopyValue(v.SecretValue().Element))
	case v.IsOutput():
		o := v.OutputValue()
		o.Element = gateCopyValue(o.Element)
		return resource.NewProperty(o)
	default:
		return v // scalars, unknowns, assets and references are immutable
	}
}

func gateCopyMap(m resource.PropertyMap) resource.PropertyMap {
	out := make(resource.PropertyMap, len(m))
	for k, v := range m {
		out[k] = gateCopyValue(v)
	}
	return out
}

// gateObject returns the object at key of m, failing the test if there is
// none; changing it changes m.
func gateObject(t *testing.T, m resource.PropertyMap, key resource.PropertyKey) resource.PropertyMap {
	t.Helper()
	v, ok := m[key]
	require.Truef(t, ok && v.IsObject(), "input %q is %v, not an object", key, v)
	return v.ObjectValue()
}

// gateItem returns the i-th element of the array at key of m, which must be
// an object.
func gateItem(t *testing.T, m resource.PropertyMap, key resource.PropertyKey, i int) resource.PropertyMap {
	t.Helper()
	v, ok := m[key]
	require.Truef(t, ok && v.IsArray() && len(v.ArrayValue()) > i, "input %q is %v, not an array of more than %d", key, v, i)
	e := v.ArrayValue()[i]
	require.Truef(t, e.IsObject(), "%s[%d] is %v, not an object", key, i, e)
	return e.ObjectValue()
}

// gateBroken is a real plan with one mistake in it, and where the mistake
// sits (the URN the expected violation names).
type gateBroken struct {
	res *plan.Result
	urn string
}

// gateEdit returns a copy of res in which the resource of type typ named
// name (the first of its type when name is "") has its inputs changed by
// edit, which receives a deep copy.
func gateEdit(t *testing.T, res *plan.Result, typ, name string, edit func(t *testing.T, in resource.PropertyMap)) gateBroken {
	t.Helper()
	broken := *res
	broken.Resources = make([]*offline.Resource, 0, len(res.Resources))
	urn := ""
	for _, r := range res.Resources {
		if urn == "" && r.Type == typ && (name == "" || r.Name == name) {
			c := *r
			c.Inputs = gateCopyMap(r.Inputs)
			edit(t, c.Inputs)
			r, urn = &c, r.URN
		}
		broken.Resources = append(broken.Resources, r)
	}
	require.NotEmptyf(t, urn, "stack %s has no %s %q", res.Stack, typ, name)
	return gateBroken{res: &broken, urn: urn}
}

// gateAdd returns a copy of res with one more resource: a copy of the
// resource of type typ named like, renamed to name, its inputs changed by
// edit. The new resource keeps like's parent, provider and dependencies, as
// if the component had registered it beside like.
func gateAdd(t *testing.T, res *plan.Result, typ, like, name string, edit func(t *testing.T, in resource.PropertyMap)) gateBroken {
	t.Helper()
	var model *offline.Resource
	for _, r := range res.Resources {
		if r.Type == typ && r.Name == like {
			model = r
		}
	}
	require.NotNilf(t, model, "stack %s has no %s %q", res.Stack, typ, like)
	c := *model
	c.Name = name
	c.URN = strings.TrimSuffix(model.URN, "::"+like) + "::" + name
	c.Inputs = gateCopyMap(model.Inputs)
	edit(t, c.Inputs)
	broken := *res
	broken.Resources = append(slices.Clone(res.Resources), &c)
	return gateBroken{res: &broken, urn: c.URN}
}

// gatePlainPassword is a literal credential, as a careless change would
// write it.
const gatePlainPassword = "Tr0ub4dor-and-3-horses"

// gateVariants are mistakes the components refuse to make and the stack
// configuration cannot express: each is written straight into the recorded
// registrations of a real plan, the way a careless change to a component
// would register it, and names the one policy that must catch it.
var gateVariants = []struct {
	name   string
	policy string
	breaks func(t *testing.T, res *plan.Result) gateBroken
}{
	{
		name: "database storage unencrypted", policy: "aws-rds-instance-storage-encrypted",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:rds/instance:Instance", "db", func(_ *testing.T, in resource.PropertyMap) {
				in["storageEncrypted"] = resource.NewProperty(false)
			})
		},
	},
	{
		name: "database public", policy: "aws-rds-instance-not-publicly-accessible",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:rds/instance:Instance", "db", func(_ *testing.T, in resource.PropertyMap) {
				in["publiclyAccessible"] = resource.NewProperty(true)
			})
		},
	},
	{
		// The AWS Backup selection stays: its snapshots do not replace the
		// automated backups point-in-time recovery and DR replication need.
		name: "database backups off", policy: "aws-stack-datastores-backups-enabled",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:rds/instance:Instance", "db", func(_ *testing.T, in resource.PropertyMap) {
				in["backupRetentionPeriod"] = resource.NewProperty(0.0)
			})
		},
	},
	{
		name: "database left out of AWS Backup", policy: "aws-backup-selection-covers-datastores",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			b := gateEdit(t, res, "aws:rds/instance:Instance", "db", func(*testing.T, resource.PropertyMap) {})
			b.res.Resources = slices.DeleteFunc(b.res.Resources, func(r *offline.Resource) bool {
				return r.Type == "aws:backup/selection:Selection"
			})
			return b
		},
	},
	{
		name: "database master password in plaintext", policy: "aws-rds-instance-master-password-secret",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:rds/instance:Instance", "db", func(_ *testing.T, in resource.PropertyMap) {
				in["manageMasterUserPassword"] = resource.NewProperty(false)
				delete(in, "masterUserSecretKmsKeyId")
				in["password"] = resource.NewProperty(gatePlainPassword)
			})
		},
	},
	{
		name: "database accepts plaintext connections", policy: "aws-rds-instance-force-ssl",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			b := gateEdit(t, res, "aws:rds/parameterGroup:ParameterGroup", "", func(t *testing.T, in resource.PropertyMap) {
				found := false
				for _, p := range in["parameters"].ArrayValue() {
					if p.ObjectValue()["name"].StringValue() == "rds.force_ssl" {
						p.ObjectValue()["value"] = resource.NewProperty("0")
						found = true
					}
				}
				require.True(t, found, "the parameter group sets rds.force_ssl")
			})
			// The stack policy reports the instance that uses the group.
			for _, r := range b.res.Resources {
				if r.Type == "aws:rds/instance:Instance" {
					b.urn = r.URN
				}
			}
			return b
		},
	},
	{
		name: "world-open ingress on 5432", policy: "aws-ec2-securitygroup-disallow-public-ingress",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateAdd(t, res, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-sg-eks-nodes-5432", "db-sg-world-5432",
				func(_ *testing.T, in resource.PropertyMap) {
					delete(in, "referencedSecurityGroupId")
					in["cidrIpv4"] = resource.NewProperty("0.0.0.0/0")
					in["description"] = resource.NewProperty("PostgreSQL from anywhere")
				})
		},
	},
	{
		name: "log group unencrypted", policy: "aws-cloudwatch-loggroup-encrypted",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:cloudwatch/logGroup:LogGroup", "vpc-flowlogs", func(t *testing.T, in resource.PropertyMap) {
				require.Contains(t, in, resource.PropertyKey("kmsKeyId"))
				delete(in, "kmsKeyId")
			})
		},
	},
	{
		name: "cache AUTH token in plaintext", policy: "aws-elasticache-replicationgroup-auth-token-secret",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "cache", func(t *testing.T, in resource.PropertyMap) {
				require.True(t, in["authToken"].IsSecret(), "the real token is a secret")
				in["authToken"] = resource.NewProperty(gatePlainPassword)
			})
		},
	},
	{
		name: "cache without TLS", policy: "aws-elasticache-replicationgroup-encrypted-in-transit",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "cache", func(_ *testing.T, in resource.PropertyMap) {
				in["transitEncryptionEnabled"] = resource.NewProperty(false)
				delete(in, "transitEncryptionMode")
			})
		},
	},
	{
		name: "cache unencrypted at rest", policy: "aws-elasticache-replicationgroup-encrypted-at-rest",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "cache", func(_ *testing.T, in resource.PropertyMap) {
				in["atRestEncryptionEnabled"] = resource.NewProperty(false)
				delete(in, "kmsKeyId")
			})
		},
	},
	{
		name: "cache snapshots off", policy: "aws-stack-datastores-backups-enabled",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "cache", func(_ *testing.T, in resource.PropertyMap) {
				in["snapshotRetentionLimit"] = resource.NewProperty(0.0)
			})
		},
	},
	{
		name: "broker public", policy: "aws-mq-broker-not-publicly-accessible",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:mq/broker:Broker", "broker", func(_ *testing.T, in resource.PropertyMap) {
				in["publiclyAccessible"] = resource.NewProperty(true)
			})
		},
	},
	{
		name: "broker password in plaintext", policy: "aws-mq-broker-user-passwords-secret",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:mq/broker:Broker", "broker", func(t *testing.T, in resource.PropertyMap) {
				user := gateItem(t, in, "users", 0)
				require.True(t, user["password"].IsSecret(), "the real password is a secret")
				user["password"] = resource.NewProperty(gatePlainPassword)
			})
		},
	},
	{
		name: "cluster API open to the internet", policy: "aws-eks-cluster-endpoint-restricted",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:eks/cluster:Cluster", "eks", func(t *testing.T, in resource.PropertyMap) {
				vpc := gateObject(t, in, "vpcConfig")
				vpc["endpointPublicAccess"] = resource.NewProperty(true)
				vpc["publicAccessCidrs"] = resource.NewProperty([]resource.PropertyValue{resource.NewProperty("0.0.0.0/0")})
			})
		},
	},
	{
		name: "cluster secrets not envelope-encrypted", policy: "aws-eks-cluster-secrets-encrypted",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:eks/cluster:Cluster", "eks", func(t *testing.T, in resource.PropertyMap) {
				require.Contains(t, in, resource.PropertyKey("encryptionConfig"))
				delete(in, "encryptionConfig")
			})
		},
	},
	{
		name: "nodes allow IMDSv1", policy: "aws-ec2-launchtemplate-imdsv2-required",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:ec2/launchTemplate:LaunchTemplate", "", func(t *testing.T, in resource.PropertyMap) {
				gateObject(t, in, "metadataOptions")["httpTokens"] = resource.NewProperty("optional")
			})
		},
	},
	{
		// The v6 SDK types launch-template EBS flags as strings.
		name: "node volumes unencrypted", policy: "aws-ec2-launchtemplate-volumes-encrypted",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:ec2/launchTemplate:LaunchTemplate", "", func(t *testing.T, in resource.PropertyMap) {
				ebs := gateObject(t, gateItem(t, in, "blockDeviceMappings", 0), "ebs")
				ebs["encrypted"] = resource.NewProperty("false")
				delete(ebs, "kmsKeyId")
			})
		},
	},
	{
		name: "KMS key without rotation", policy: "aws-kms-key-rotation-enabled",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:kms/key:Key", "db-key", func(_ *testing.T, in resource.PropertyMap) {
				in["enableKeyRotation"] = resource.NewProperty(false)
			})
		},
	},
	{
		name: "secret under the AWS-managed key", policy: "aws-secretsmanager-secret-customer-managed-key",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:secretsmanager/secret:Secret", "db-migrator", func(t *testing.T, in resource.PropertyMap) {
				require.Contains(t, in, resource.PropertyKey("kmsKeyId"))
				delete(in, "kmsKeyId")
			})
		},
	},
	{
		name: "secret value in plaintext", policy: "aws-secretsmanager-secretversion-value-secret",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:secretsmanager/secretVersion:SecretVersion", "db-migrator", func(t *testing.T, in resource.PropertyMap) {
				require.True(t, in["secretString"].IsSecret(), "the real value is a secret")
				in["secretString"] = resource.NewProperty(`{"username":"app_migrator","password":"` + gatePlainPassword + `"}`)
			})
		},
	},
	{
		name: "Kubernetes Secret data in plaintext", policy: "kubernetes-core-secret-data-secret",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "kubernetes:core/v1:Secret", "db-bootstrap", func(t *testing.T, in resource.PropertyMap) {
				require.True(t, in["stringData"].IsSecret(), "the real data is a secret")
				in["stringData"] = resource.NewProperty(resource.PropertyMap{"MIGRATOR_PASSWORD": resource.NewProperty(gatePlainPassword)})
			})
		},
	},
	{
		name: "ConfigMap with a literal password", policy: "kubernetes-core-configmap-no-credentials",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "kubernetes:core/v1:ConfigMap", "db-bootstrap", func(t *testing.T, in resource.PropertyMap) {
				gateObject(t, in, "data")["PGPASSWORD"] = resource.NewProperty(gatePlainPassword)
			})
		},
	},
	{
		name: "Job with a literal password in its environment", policy: "kubernetes-workload-env-no-plain-credentials",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "kubernetes:batch/v1:Job", "db-bootstrap", func(t *testing.T, in resource.PropertyMap) {
				podSpec := gateObject(t, gateObject(t, gateObject(t, in, "spec"), "template"), "spec")
				container := gateItem(t, podSpec, "containers", 0)
				env := container["env"].ArrayValue()
				container["env"] = resource.NewProperty(append(slices.Clone(env), resource.NewProperty(resource.PropertyMap{
					"name": resource.NewProperty("PGPASSWORD"), "value": resource.NewProperty(gatePlainPassword),
				})))
			})
		},
	},
	{
		name: "role with AdministratorAccess", policy: "aws-iam-role-no-administrator-access",
		breaks: func(t *testing.T, res *plan.Result) gateBroken {
			return gateEdit(t, res, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "db-monitoring", func(_ *testing.T, in resource.PropertyMap) {
				in["policyArn"] = resource.NewProperty("arn:aws:iam::aws:policy/AdministratorAccess")
			})
		},
	},
	{
		name: "database password as a plain stack output", policy: "pulumi-stack-outputs-credentials-secret",
		breaks: func(_ *testing.T, res *plan.Result) gateBroken {
			broken := *res
			broken.Outputs = make(map[string]plan.Output, len(res.Outputs)+1)
			for k, v := range res.Outputs {
				broken.Outputs[k] = v
			}
			broken.Outputs["dbPassword"] = plan.Output{Value: gatePlainPassword, Known: true}
			return gateBroken{res: &broken, urn: res.StackURN()}
		},
	},
}

// Each broken variant of each real stack fails, under the stack's own
// policy config, with exactly the expected mandatory policy, on the
// resource that carries the mistake.
func TestGateBrokenVariantsFailWithTheirRuleOnly(t *testing.T) {
	t.Parallel()
	require.GreaterOrEqual(t, len(gateVariants), 12)
	for _, stack := range gateStacks {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := gatePlan(t, stack)
			cfg := gatePolicyConfig(t, stack)
			// The control: unbroken, the same path reports nothing mandatory.
			clean, err := pack.Evaluate(res.AnalyzerResources(), cfg)
			require.NoError(t, err)
			require.Empty(t, gateFindings(clean, pack.Mandatory))
			for _, v := range gateVariants {
				t.Run(v.name, func(t *testing.T) {
					t.Parallel()
					broken := v.breaks(t, res)
					got, err := pack.Evaluate(broken.res.AnalyzerResources(), cfg)
					require.NoError(t, err)
					require.Equal(t, []string{v.policy}, gatePolicies(got, pack.Mandatory), "%s", gateFindings(got, pack.Mandatory))
					for _, f := range got {
						if f.Level == pack.Mandatory {
							require.Equal(t, broken.urn, f.URN, "%s: %s", f.Policy, f.Message)
						}
					}
				})
			}
		})
	}
}

// The ownership tags come from the default AWS provider's defaultTags, which
// the engine hands the pack with every resource: with them the stacks carry
// Owner and Environment everywhere; without aws:defaultTags, the rule (raised
// to mandatory here) catches it and nothing else does.
func TestGateOwnershipTagsComeFromTheProvider(t *testing.T) {
	t.Parallel()
	cfg, err := pack.ParseConfig([]byte(`{"aws-resources-ownership-tags": "mandatory"}`))
	require.NoError(t, err)
	for _, stack := range gateStacks {
		for _, withDefaultTags := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/defaultTags=%t", stack, withDefaultTags), func(t *testing.T) {
				t.Parallel()
				stackCfg := offlinetest.StackConfig(t, stack)
				require.Contains(t, stackCfg.Values, "aws:defaultTags")
				if !withDefaultTags {
					stackCfg = stackCfg.Without("aws:defaultTags")
				}
				res, err := plan.Run(plan.Options{Config: &stackCfg})
				require.NoError(t, err)
				got, err := pack.Evaluate(res.AnalyzerResources(), cfg)
				require.NoError(t, err)
				want := []string{}
				if !withDefaultTags {
					want = []string{"aws-resources-ownership-tags"}
				}
				require.Equal(t, want, gatePolicies(got, pack.Mandatory))
			})
		}
	}
}

package plan_test

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/plan"
	"github.com/acme/platform/harness/plan/catalog"
)

const rcStack = "urn:pulumi:test::platform::pulumi:pulumi:Stack::platform-test"

// rcRes builds a registration as the recorder keeps it: inputs as property
// values, the URN from parent, type and name.
func rcRes(typ, name string, inputs map[string]any, opts ...func(*offline.Resource)) *offline.Resource {
	r := &offline.Resource{
		Type:   typ,
		Name:   name,
		Parent: rcStack,
		Custom: !strings.HasPrefix(typ, "platform:"),
		Inputs: resource.NewPropertyMapFromMap(inputs),
	}
	for _, o := range opts {
		o(r)
	}
	parentType := tokens.Type("")
	if p := resource.URN(r.Parent); p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	r.URN = string(resource.NewURN("test", "platform", parentType, tokens.Type(typ), name))
	return r
}

func rcUnder(parent *offline.Resource) func(*offline.Resource) {
	return func(r *offline.Resource) { r.Parent = parent.URN }
}

// rcPlan numbers registrations in order, as the recorder does.
func rcPlan(rs ...*offline.Resource) []*offline.Resource {
	for i, r := range rs {
		r.Seq = i
	}
	return rs
}

// rcDB is a database instance with the inputs the tests vary.
func rcDB(with map[string]any, opts ...func(*offline.Resource)) *offline.Resource {
	in := map[string]any{
		"dbName":           "app",
		"username":         "platform_admin",
		"instanceClass":    "db.t4g.micro",
		"storageEncrypted": true,
		"tags":             map[string]any{"Name": "db", "kubernetes.io/role": "x"},
	}
	for k, v := range with {
		in[k] = v
	}
	return rcRes("aws:rds/instance:Instance", "db", in, opts...)
}

func rcDescribe(cs []plan.Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

func TestCompareClassifiesInputChanges(t *testing.T) {
	t.Parallel()
	cluster := func(with map[string]any) *offline.Resource {
		in := map[string]any{
			"name":                    "platform-test-eks",
			"vpcConfig":               map[string]any{"endpointPublicAccess": false, "subnetIds": []any{"a", "b"}},
			"kubernetesNetworkConfig": map[string]any{"serviceIpv4Cidr": "172.20.0.0/16"},
		}
		for k, v := range with {
			in[k] = v
		}
		return rcRes("aws:eks/cluster:Cluster", "eks", in)
	}
	nodes := func(types []any, desired float64) *offline.Resource {
		return rcRes("aws:eks/nodeGroup:NodeGroup", "eks-general", map[string]any{
			"instanceTypes": types,
			"scalingConfig": map[string]any{"minSize": 1.0, "maxSize": 3.0, "desiredSize": desired},
		}, func(r *offline.Resource) { r.IgnoreChanges = []string{"scalingConfig.desiredSize"} })
	}
	cache := func(engine, version string) *offline.Resource {
		return rcRes("aws:elasticache/replicationGroup:ReplicationGroup", "cache", map[string]any{
			"engine": engine, "engineVersion": version, "transitEncryptionEnabled": true,
		})
	}
	tests := []struct {
		name          string
		before, after *offline.Resource
		want          []string
		unsafe        int
	}{
		{
			name:   "no change",
			before: rcDB(nil), after: rcDB(nil),
			want: []string{},
		},
		{
			name:   "instance class changes in place",
			before: rcDB(nil), after: rcDB(map[string]any{"instanceClass": "db.r6g.large"}),
			want: []string{`aws:rds/instance:Instance db would be UPDATED: instanceClass changed ("db.t4g.micro" → "db.r6g.large")`},
		},
		{
			name:   "the database name replaces the instance",
			before: rcDB(nil), after: rcDB(map[string]any{"dbName": "shop", "instanceClass": "db.r6g.large"}),
			want:   []string{`aws:rds/instance:Instance db would be REPLACED: dbName changed ("app" → "shop")`},
			unsafe: 1,
		},
		{
			name:   "a forcing input that appears replaces too",
			before: rcDB(nil), after: rcDB(map[string]any{"kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k"}),
			want:   []string{`aws:rds/instance:Instance db would be REPLACED: kmsKeyId changed ((none) → "arn:aws:kms:us-east-1:123456789012:key/k")`},
			unsafe: 1,
		},
		{
			name:   "a nested forcing input replaces",
			before: cluster(nil), after: cluster(map[string]any{"kubernetesNetworkConfig": map[string]any{"serviceIpv4Cidr": "10.100.0.0/16"}}),
			want:   []string{`aws:eks/cluster:Cluster eks would be REPLACED: kubernetesNetworkConfig.serviceIpv4Cidr changed ("172.20.0.0/16" → "10.100.0.0/16")`},
			unsafe: 1,
		},
		{
			name:   "a nested input beside it does not",
			before: cluster(nil), after: cluster(map[string]any{"vpcConfig": map[string]any{"endpointPublicAccess": true, "subnetIds": []any{"a", "b", "c"}}}),
			want: []string{`aws:eks/cluster:Cluster eks would be UPDATED: vpcConfig.endpointPublicAccess changed (false → true); vpcConfig.subnetIds changed (added "c")`},
		},
		{
			name:   "an array element of a forcing input replaces",
			before: nodes([]any{"m6i.large"}, 1), after: nodes([]any{"m7i.large"}, 1),
			want:   []string{`aws:eks/nodeGroup:NodeGroup eks-general would be REPLACED: instanceTypes changed (added "m7i.large", removed "m6i.large")`},
			unsafe: 1,
		},
		{
			name:   "a shorter forcing list replaces and says what it lost",
			before: nodes([]any{"m6i.large", "m6a.large"}, 1), after: nodes([]any{"m6i.large"}, 1),
			want:   []string{`aws:eks/nodeGroup:NodeGroup eks-general would be REPLACED: instanceTypes changed (removed "m6a.large")`},
			unsafe: 1,
		},
		{
			name:   "ignoreChanges paths are left out",
			before: nodes([]any{"m6i.large"}, 1), after: nodes([]any{"m6i.large"}, 3),
			want: []string{},
		},
		{
			name:   "a cache engine upgrade is in place",
			before: cache("redis", "7.0"), after: cache("redis", "7.1"),
			want: []string{`aws:elasticache/replicationGroup:ReplicationGroup cache would be UPDATED: engineVersion changed ("7.0" → "7.1")`},
		},
		{
			name:   "a cache engine downgrade replaces",
			before: cache("redis", "7.1"), after: cache("redis", "6.2"),
			want:   []string{`aws:elasticache/replicationGroup:ReplicationGroup cache would be REPLACED: engineVersion changed ("7.1" → "6.2")`},
			unsafe: 1,
		},
		{
			name:   "redis to valkey is in place",
			before: cache("redis", "7.1"), after: cache("valkey", "8.0"),
			want: []string{`aws:elasticache/replicationGroup:ReplicationGroup cache would be UPDATED: engine changed ("redis" → "valkey"); engineVersion changed ("7.1" → "8.0")`},
		},
		{
			name:   "a replaceOnChanges option replaces",
			before: rcDB(nil, func(r *offline.Resource) { r.ReplaceOnChanges = []string{"tags"} }),
			after: rcDB(map[string]any{"tags": map[string]any{"Name": "db2", "kubernetes.io/role": "x"}},
				func(r *offline.Resource) { r.ReplaceOnChanges = []string{"tags"} }),
			want:   []string{`aws:rds/instance:Instance db would be REPLACED: tags.Name changed ("db" → "db2")`},
			unsafe: 1,
		},
		{
			name:   "keys with dots are quoted",
			before: rcDB(nil), after: rcDB(map[string]any{"tags": map[string]any{"Name": "db", "kubernetes.io/role": "y"}}),
			want: []string{`aws:rds/instance:Instance db would be UPDATED: tags["kubernetes.io/role"] changed ("x" → "y")`},
		},
		{
			name:   "a protected resource says so",
			before: rcDB(nil, func(r *offline.Resource) { r.Protect = true }), after: rcDB(map[string]any{"username": "owner"}),
			want:   []string{`aws:rds/instance:Instance db would be REPLACED: username changed ("platform_admin" → "owner") (protected: ` + "`pulumi up`" + ` would stop here)`},
			unsafe: 1,
		},
		{
			name:   "a replaced security group is not stateful",
			before: rcRes("aws:ec2/securityGroup:SecurityGroup", "db-sg", map[string]any{"description": "PostgreSQL: port 5432"}),
			after:  rcRes("aws:ec2/securityGroup:SecurityGroup", "db-sg", map[string]any{"description": "PostgreSQL: port 5433"}),
			want:   []string{`aws:ec2/securityGroup:SecurityGroup db-sg would be REPLACED: description changed ("PostgreSQL: port 5432" → "PostgreSQL: port 5433")`},
		},
		{
			name:   "values unknown in both plans are not judged",
			before: rcDB(map[string]any{"kmsKeyId": resource.MakeComputed(resource.NewProperty(""))}),
			after:  rcDB(map[string]any{"kmsKeyId": resource.MakeComputed(resource.NewProperty(""))}),
			want:   []string{},
		},
		{
			name:   "a value that becomes unknown may change",
			before: rcDB(map[string]any{"kmsKeyId": "k1"}),
			after:  rcDB(map[string]any{"kmsKeyId": resource.MakeComputed(resource.NewProperty(""))}),
			want:   []string{`aws:rds/instance:Instance db would be REPLACED: kmsKeyId may change (unknown until apply)`},
			unsafe: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			changes := plan.Compare(rcPlan(tt.before), rcPlan(tt.after))
			require.Equal(t, tt.want, rcDescribe(changes))
			require.Len(t, plan.Unsafe(changes), tt.unsafe)
		})
	}
}

func TestCompareMatchesByURNAndAliases(t *testing.T) {
	t.Parallel()
	oldParent := rcRes("platform:data:Postgres", "db", nil)
	newParent := rcRes("platform:data:Database", "db", nil)
	tests := []struct {
		name   string
		before []*offline.Resource
		after  []*offline.Resource
		want   []string
		unsafe []string
	}{
		{
			name:   "moved without an alias: deleted and created",
			before: rcPlan(oldParent, rcDB(nil, rcUnder(oldParent))),
			after:  rcPlan(newParent, rcDB(nil, rcUnder(newParent))),
			want: []string{
				"aws:rds/instance:Instance db would be CREATED: new",
				"aws:rds/instance:Instance db would be DELETED: URN changed to " + rcDB(nil, rcUnder(newParent)).URN + " without an alias",
				"platform:data:Database db would be CREATED: new",
				"platform:data:Postgres db would be DELETED: URN changed to " + newParent.URN + " without an alias",
			},
			unsafe: []string{"aws:rds/instance:Instance db would be DELETED: URN changed to " + rcDB(nil, rcUnder(newParent)).URN + " without an alias"},
		},
		{
			name:   "removed",
			before: rcPlan(rcDB(nil)),
			after:  rcPlan(),
			want:   []string{"aws:rds/instance:Instance db would be DELETED: removed"},
			unsafe: []string{"aws:rds/instance:Instance db would be DELETED: removed"},
		},
		{
			name:   "moved with an alias URN",
			before: rcPlan(rcDB(nil)),
			after: rcPlan(newParent, rcDB(nil, rcUnder(newParent), func(r *offline.Resource) {
				r.AliasURNs = []string{rcDB(nil).URN}
			})),
			want: []string{"platform:data:Database db would be CREATED: new"},
		},
		{
			name:   "moved with an alias spec (it had no parent)",
			before: rcPlan(rcDB(nil)),
			after: rcPlan(newParent, rcDB(map[string]any{"instanceClass": "db.r6g.large"}, rcUnder(newParent), func(r *offline.Resource) {
				r.AliasSpecs = []offline.AliasSpec{{NoParent: true}}
			})),
			want: []string{
				`aws:rds/instance:Instance db would be UPDATED: instanceClass changed ("db.t4g.micro" → "db.r6g.large")`,
				"platform:data:Database db would be CREATED: new",
			},
		},
		{
			name:   "renamed with an alias spec",
			before: rcPlan(rcDB(nil)),
			after: rcPlan(rcRes("aws:rds/instance:Instance", "postgres", rcDB(nil).Inputs.Mappable(), func(r *offline.Resource) {
				r.AliasSpecs = []offline.AliasSpec{{Name: "db"}}
			})),
			want: []string{},
		},
		{
			name:   "the parent's type alias carries its children",
			before: rcPlan(oldParent, rcDB(nil, rcUnder(oldParent))),
			after: rcPlan(rcRes("platform:data:Database", "db", nil, func(r *offline.Resource) {
				r.AliasSpecs = []offline.AliasSpec{{Type: "platform:data:Postgres"}}
			}), rcDB(nil, rcUnder(newParent))),
			want: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			changes := plan.Compare(tt.before, tt.after)
			require.Equal(t, tt.want, rcDescribe(changes))
			unsafe := rcDescribe(plan.Unsafe(changes))
			if tt.unsafe == nil {
				tt.unsafe = []string{}
			}
			require.Equal(t, tt.unsafe, unsafe)
		})
	}
}

func TestCompareNeverShowsSecrets(t *testing.T) {
	t.Parallel()
	const oldValue, newValue = `{"password":"Old-S3cret-value"}`, `{"password":"New-S3cret-value"}`
	version := func(doc string) *offline.Resource {
		return rcRes("aws:secretsmanager/secretVersion:SecretVersion", "db-readwrite", map[string]any{
			"secretId":     "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-readwrite",
			"secretString": resource.MakeSecret(resource.NewProperty(doc)),
		})
	}
	broker := func(pw string) *offline.Resource {
		return rcRes("aws:mq/broker:Broker", "broker", map[string]any{
			"users": []any{map[string]any{"username": "admin", "password": resource.MakeSecret(resource.NewProperty(pw))}},
		})
	}
	tests := []struct {
		name          string
		before, after *offline.Resource
		want          []string
	}{
		{
			name:   "same secret, no change",
			before: version(oldValue), after: version(oldValue),
			want: []string{},
		},
		{
			name:   "a new secret value replaces the version without showing it",
			before: version(oldValue), after: version(newValue),
			want: []string{"aws:secretsmanager/secretVersion:SecretVersion db-readwrite would be REPLACED: secretString (secret) changed"},
		},
		{
			name:   "a secret inside an array is not shown either",
			before: broker("Old-S3cret-value"), after: broker("New-S3cret-value"),
			want: []string{"aws:mq/broker:Broker broker would be UPDATED: users[0].password (secret) changed"},
		},
		{
			name:   "a value that becomes secret is not shown",
			before: rcDB(map[string]any{"dbName": "Old-S3cret-value"}),
			after:  rcDB(map[string]any{"dbName": resource.MakeSecret(resource.NewProperty("New-S3cret-value"))}),
			want:   []string{"aws:rds/instance:Instance db would be REPLACED: dbName (secret) changed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := rcDescribe(plan.Compare(rcPlan(tt.before), rcPlan(tt.after)))
			require.Equal(t, tt.want, got)
			require.NotContains(t, strings.Join(got, "\n"), "S3cret")
		})
	}
}

func TestCompareCascadesFromReplacedResources(t *testing.T) {
	t.Parallel()
	key := func(usage string) *offline.Resource {
		return rcRes("aws:kms/key:Key", "db-key", map[string]any{"keyUsage": usage, "description": "PostgreSQL"})
	}
	dependent := func(k *offline.Resource) *offline.Resource {
		return rcDB(map[string]any{"kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/db-key-id"}, func(r *offline.Resource) {
			r.PropertyDependencies = map[string][]string{"kmsKeyId": {k.URN}}
			r.Dependencies = []string{k.URN}
		})
	}
	tests := []struct {
		name   string
		usage  string
		want   []string
		unsafe int
	}{
		{
			name:  "a key updated in place leaves the database alone",
			usage: "ENCRYPT_DECRYPT",
			want:  []string{},
		},
		{
			// The mocks give the new key the old one's ARN; in the cloud it
			// is a new key, and the database's kmsKeyId forces replacement.
			name:  "a replaced key replaces the database it encrypts",
			usage: "SIGN_VERIFY",
			want: []string{
				`aws:kms/key:Key db-key would be REPLACED: keyUsage changed ("ENCRYPT_DECRYPT" → "SIGN_VERIFY")`,
				"aws:rds/instance:Instance db would be REPLACED: kmsKeyId comes from aws:kms/key:Key db-key, which is replaced (new ID and outputs)",
			},
			unsafe: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			oldKey, newKey := key("ENCRYPT_DECRYPT"), key(tt.usage)
			changes := plan.Compare(rcPlan(oldKey, dependent(oldKey)), rcPlan(newKey, dependent(newKey)))
			require.Equal(t, tt.want, rcDescribe(changes))
			require.Len(t, plan.Unsafe(changes), tt.unsafe)
		})
	}
}

func TestCompareOrderIsStable(t *testing.T) {
	t.Parallel()
	build := func(class, subnetCIDR string) []*offline.Resource {
		return []*offline.Resource{
			rcRes("aws:ec2/vpc:Vpc", "vpc", map[string]any{"cidrBlock": "10.0.0.0/16"}),
			rcRes("aws:ec2/subnet:Subnet", "vpc-private-us-east-1a", map[string]any{"cidrBlock": subnetCIDR}),
			rcRes("aws:ec2/subnet:Subnet", "vpc-data-us-east-1a", map[string]any{"cidrBlock": subnetCIDR}),
			rcDB(map[string]any{"instanceClass": class}),
			rcRes("aws:mq/broker:Broker", "broker", map[string]any{"hostInstanceType": class}),
		}
	}
	want := []string{
		`aws:ec2/subnet:Subnet vpc-data-us-east-1a would be REPLACED: cidrBlock changed ("10.0.1.0/24" → "10.0.2.0/24")`,
		`aws:ec2/subnet:Subnet vpc-private-us-east-1a would be REPLACED: cidrBlock changed ("10.0.1.0/24" → "10.0.2.0/24")`,
		`aws:mq/broker:Broker broker would be UPDATED: hostInstanceType changed ("small" → "large")`,
		`aws:rds/instance:Instance db would be UPDATED: instanceClass changed ("small" → "large")`,
	}
	rng := rand.New(rand.NewSource(1))
	for i := range 20 {
		before, after := build("small", "10.0.1.0/24"), build("large", "10.0.2.0/24")
		rng.Shuffle(len(before), func(a, b int) { before[a], before[b] = before[b], before[a] })
		rng.Shuffle(len(after), func(a, b int) { after[a], after[b] = after[b], after[a] })
		require.Equal(t, want, rcDescribe(plan.Compare(rcPlan(before...), rcPlan(after...))), "shuffle %d", i)
	}
	unsafe := plan.Unsafe(plan.Compare(rcPlan(build("small", "10.0.1.0/24")...), rcPlan(build("large", "10.0.2.0/24")...)))
	require.Equal(t, want[:2], rcDescribe(unsafe))
	require.Equal(t, want[0]+"\n"+want[1], plan.Describe(unsafe))
}

// Every type that loses something when replaced says when it is replaced:
// a stateful type without replacement rules would never be reported.
func TestStatefulTypesSayWhenTheyAreReplaced(t *testing.T) {
	t.Parallel()
	stateful := 0
	for _, token := range catalog.Tokens() {
		typ, _ := catalog.Lookup(token)
		if !typ.Stateful() {
			continue
		}
		stateful++
		require.True(t, len(typ.Replace) > 0 || typ.NoUpdate, "%s loses %q but has no replacement rules", token, typ.Loses)
		require.True(t, plan.IsStateful(token))
	}
	require.Greater(t, stateful, 15)
	require.False(t, plan.IsStateful("aws:ec2/securityGroup:SecurityGroup"))
}

// The gate's rules, one resource at a time: unordered sets compare as sets,
// types without an update replace on any change, conditions decide, and
// values a preview cannot know are judged by where they come from.
func TestCompareAppliesTheTypeRecords(t *testing.T) {
	t.Parallel()
	nodes := func(subnets ...any) *offline.Resource {
		return rcRes("aws:eks/nodeGroup:NodeGroup", "eks-general", map[string]any{"subnetIds": subnets, "instanceTypes": []any{"m6i.large"}})
	}
	lock := func(maxDays float64, tags map[string]any) *offline.Resource {
		return rcRes("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "backup-vault-lock", map[string]any{
			"backupVaultName": "platform-prod-backup", "minRetentionDays": 7.0, "maxRetentionDays": maxDays,
		})
	}
	flowLog := func(tags map[string]any, traffic string) *offline.Resource {
		return rcRes("aws:ec2/flowLog:FlowLog", "vpc", map[string]any{"trafficType": traffic, "tags": tags})
	}
	cluster := func(keyArn any) *offline.Resource {
		in := map[string]any{"name": "platform-prod-eks"}
		if keyArn != nil {
			in["encryptionConfig"] = map[string]any{"resources": []any{"secrets"}, "provider": map[string]any{"keyArn": keyArn}}
		}
		return rcRes("aws:eks/cluster:Cluster", "eks", in)
	}
	tests := []struct {
		name          string
		before, after *offline.Resource
		want          []string
	}{
		{
			name:   "subnets in another order are the same set",
			before: nodes("subnet-a", "subnet-b", "subnet-c"), after: nodes("subnet-c", "subnet-a", "subnet-b"),
			want: []string{},
		},
		{
			name:   "another subnet in the set replaces the group",
			before: nodes("subnet-a", "subnet-b"), after: nodes("subnet-b", "subnet-c"),
			want: []string{`aws:eks/nodeGroup:NodeGroup eks-general would be REPLACED: subnetIds changed (added "subnet-c", removed "subnet-a")`},
		},
		{
			name:   "a type without update replaces on any change",
			before: lock(400, nil), after: lock(500, nil),
			want: []string{`aws:backup/vaultLockConfiguration:VaultLockConfiguration backup-vault-lock would be REPLACED: maxRetentionDays changed (400 → 500)`},
		},
		{
			name:   "its tags still change in place",
			before: flowLog(map[string]any{"Name": "a"}, "ALL"), after: flowLog(map[string]any{"Name": "b"}, "ALL"),
			want: []string{`aws:ec2/flowLog:FlowLog vpc would be UPDATED: tags.Name changed ("a" → "b")`},
		},
		{
			name:   "and everything else replaces",
			before: flowLog(map[string]any{"Name": "a"}, "ALL"), after: flowLog(map[string]any{"Name": "a"}, "REJECT"),
			want: []string{`aws:ec2/flowLog:FlowLog vpc would be REPLACED: trafficType changed ("ALL" → "REJECT")`},
		},
		{
			name:   "envelope encryption added to a cluster is in place",
			before: cluster(nil), after: cluster("k1"),
			want: []string{`aws:eks/cluster:Cluster eks would be UPDATED: encryptionConfig changed ((none) → {"provider":{"keyArn":"k1"},"resources":["secrets"]})`},
		},
		{
			name:   "a new key for an encrypted cluster replaces it",
			before: cluster("k1"), after: cluster("k2"),
			want: []string{`aws:eks/cluster:Cluster eks would be REPLACED: encryptionConfig.provider.keyArn changed ("k1" → "k2")`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, rcDescribe(plan.Compare(rcPlan(tt.before), rcPlan(tt.after))))
		})
	}
}

// A provider that is replaced takes every resource it manages with it; one
// updated in place takes none.
func TestCompareReplacesWhatAReplacedProviderManages(t *testing.T) {
	t.Parallel()
	provider := func(region string) *offline.Resource {
		return rcRes("pulumi:providers:aws", "dr", map[string]any{"region": region, "defaultTags": map[string]any{"tags": map[string]any{"Env": "prod"}}})
	}
	vault := func(p *offline.Resource) *offline.Resource {
		return rcRes("aws:backup/vault:Vault", "backup-dr-vault", map[string]any{"name": "platform-prod-backup-dr"},
			func(r *offline.Resource) { r.Provider = p.URN + "::dr-id" })
	}
	tests := []struct {
		name   string
		region string
		tags   map[string]any
		want   []string
	}{
		{
			name: "another region", region: "us-east-2",
			want: []string{
				`aws:backup/vault:Vault backup-dr-vault would be REPLACED: its provider dr is replaced (region changed ("us-west-2" → "us-east-2"))`,
				`pulumi:providers:aws dr would be REPLACED: region changed ("us-west-2" → "us-east-2")`,
			},
		},
		{
			name: "other default tags", region: "us-west-2",
			want: []string{`pulumi:providers:aws dr would be UPDATED: defaultTags.tags.Env changed ("prod" → "production")`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			oldP, newP := provider("us-west-2"), provider(tt.region)
			if tt.region == "us-west-2" {
				newP.Inputs["defaultTags"] = resource.NewProperty(resource.NewPropertyMapFromMap(map[string]any{"tags": map[string]any{"Env": "production"}}))
			}
			changes := plan.Compare(rcPlan(oldP, vault(oldP)), rcPlan(newP, vault(newP)))
			require.Equal(t, tt.want, rcDescribe(changes))
		})
	}
}

// A parameter group of the previous engine family that nothing uses any
// more is superseded, not lost; one still in use is a deletion AWS refuses.
func TestCompareSeesSupersededResources(t *testing.T) {
	t.Parallel()
	parent := rcRes("platform:data:Postgres", "db", nil)
	group := func(family string) *offline.Resource {
		return rcRes("aws:rds/parameterGroup:ParameterGroup", "db-"+family, map[string]any{"family": family}, rcUnder(parent))
	}
	db := func(g *offline.Resource, version string) *offline.Resource {
		return rcDB(map[string]any{"engineVersion": version, "parameterGroupName": g.Name}, rcUnder(parent), func(r *offline.Resource) {
			r.Dependencies = []string{g.URN}
			r.PropertyDependencies = map[string][]string{"parameterGroupName": {g.URN}}
		})
	}
	pg16, pg17 := group("postgres16"), group("postgres17")
	before := rcPlan(parent, pg16, db(pg16, "16"))

	upgraded := plan.Compare(before, rcPlan(parent, pg17, db(pg17, "17")))
	require.Empty(t, plan.Unsafe(upgraded), plan.Describe(upgraded))
	var deleted plan.Change
	for _, c := range upgraded {
		if c.Kind == plan.Delete {
			deleted = c
		}
	}
	require.Equal(t, "db-postgres17", deleted.SupersededBy)
	require.Contains(t, deleted.String(), "(superseded by db-postgres17)")

	// The new group exists, but the instance still uses the old one: RDS
	// would refuse to delete it, and `pulumi up` would stop halfway.
	stuck := plan.Compare(before, rcPlan(parent, pg17, db(pg16, "17")))
	unsafe := plan.Unsafe(stuck)
	require.Len(t, unsafe, 1, plan.Describe(stuck))
	require.Equal(t, plan.Delete, unsafe[0].Kind)
	require.Empty(t, unsafe[0].SupersededBy)
	require.Contains(t, unsafe[0].Loses, "refuses to delete a group in use")
}

// Values a preview cannot know (unknown in both plans) are judged by the
// resources they come from: a forcing input that now comes from other
// resources replaces.
func TestCompareJudgesUnknownsByWhereTheyComeFrom(t *testing.T) {
	t.Parallel()
	unknown := resource.MakeComputed(resource.NewProperty(""))
	subnet := func(name string) *offline.Resource {
		return rcRes("aws:ec2/subnet:Subnet", name, map[string]any{"cidrBlock": "10.0.0.0/24"})
	}
	a, b, c := subnet("private-a"), subnet("private-b"), subnet("private-c")
	broker := func(from ...*offline.Resource) *offline.Resource {
		r := rcRes("aws:mq/broker:Broker", "broker", map[string]any{"subnetIds": []any{}})
		ids := make([]resource.PropertyValue, 0, len(from))
		for _, s := range from {
			ids = append(ids, unknown)
			r.PropertyDependencies = map[string][]string{"subnetIds": append(r.PropertyDependencies["subnetIds"], s.URN)}
			r.Dependencies = append(r.Dependencies, s.URN)
		}
		r.Inputs["subnetIds"] = resource.NewProperty(ids)
		return r
	}
	same := plan.Compare(rcPlan(a, b, broker(a, b)), rcPlan(a, b, broker(b, a)))
	require.Empty(t, rcDescribe(same), "the same subnets in another order")

	moved := plan.Compare(rcPlan(a, b, c, broker(a, b)), rcPlan(a, b, c, broker(b, c)))
	require.Equal(t, []string{"aws:mq/broker:Broker broker would be REPLACED: subnetIds changed (now also from " +
		"aws:ec2/subnet:Subnet private-c, no longer from aws:ec2/subnet:Subnet private-a; values known after apply)"}, rcDescribe(moved))
}

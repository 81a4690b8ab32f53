package plan_test

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/internal/offline"
	"github.com/acme/platform/internal/plan"
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
			want:   []string{`aws:eks/nodeGroup:NodeGroup eks-general would be REPLACED: instanceTypes[0] changed ("m6i.large" → "m7i.large")`},
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
				"aws:rds/instance:Instance db would be REPLACED: kmsKeyId comes from aws:kms/key:Key db-key, which is replaced (new ID)",
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

// TestReplaceTableCoversTheStatefulTypes keeps the two tables in step: a
// stateful type without replacement rules would never be reported replaced.
func TestReplaceTableCoversTheStatefulTypes(t *testing.T) {
	t.Parallel()
	for typ := range plan.StatefulTypes {
		require.NotEmpty(t, plan.ReplaceOnChange[typ], "%s is stateful but has no replacement rules", typ)
		require.True(t, plan.IsStateful(typ))
	}
	require.False(t, plan.IsStateful("aws:ec2/securityGroup:SecurityGroup"))
}

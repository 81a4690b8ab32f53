package redis_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/redis"
	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/internal/parts"
)

const (
	tRG            = "aws:elasticache/replicationGroup:ReplicationGroup"
	tSubnetGroup   = "aws:elasticache/subnetGroup:SubnetGroup"
	tParamGroup    = "aws:elasticache/parameterGroup:ParameterGroup"
	tKey           = "aws:kms/key:Key"
	tAlias         = "aws:kms/alias:Alias"
	tSG            = "aws:ec2/securityGroup:SecurityGroup"
	tIngress       = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tLogGroup      = "aws:cloudwatch/logGroup:LogGroup"
	tSecret        = "aws:secretsmanager/secret:Secret"
	tSecretVersion = "aws:secretsmanager/secretVersion:SecretVersion"
	tPassword      = "random:index/randomPassword:RandomPassword"
	tRandomID      = "random:index/randomId:RandomId"
)

func baseArgs(cfg redis.Config) *redis.CacheArgs {
	return &redis.CacheArgs{
		Config:    cfg,
		Account:   offlinetest.Account,
		VPCID:     pulumi.String("vpc-1"),
		SubnetIDs: pulumi.StringArray{pulumi.String("subnet-data-a"), pulumi.String("subnet-data-b")},
	}
}

// config is how a Go caller builds a Config: the defaults, with edit applied.
func config(edit func(*redis.Config)) redis.Config {
	c := redis.DefaultConfig()
	edit(&c)
	return c
}

// deploy runs NewCache with cfg and returns what was registered and the component.
func deploy(t *testing.T, cfg redis.Config, mutate ...func(*redis.CacheArgs)) (*offline.Recorder, *redis.Cache) {
	t.Helper()
	args := baseArgs(cfg)
	for _, m := range mutate {
		m(args)
	}
	var cache *redis.Cache
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		var err error
		cache, err = redis.NewCache(ctx, "cache", args)
		return err
	})
	return rec, cache
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, redis.DefaultConfig())

	counts := rec.CountByType()
	require.Equal(t, 1, counts[redis.TypeToken])
	require.Equal(t, 1, counts[tRG])
	require.Equal(t, 1, counts[tKey], "one customer-managed key for data, logs and secret")
	require.Equal(t, 1, counts[tAlias])
	require.Equal(t, 1, counts[tSG])
	require.Zero(t, counts[tIngress], "no sources named, no ingress")
	require.Equal(t, 1, counts[tSubnetGroup])
	require.Equal(t, 1, counts[tParamGroup])
	require.Equal(t, 2, counts[tLogGroup], "slow log and engine log")
	require.Equal(t, 1, counts[tPassword])
	require.Equal(t, 1, counts[tRandomID])
	require.Equal(t, 1, counts[tSecret])
	require.Equal(t, 1, counts[tSecretVersion])

	rg := rec.Find(tRG, "cache")
	require.Equal(t, "redis", offlinetest.Str(t, rg, "engine"))
	require.Equal(t, "7.1", offlinetest.Str(t, rg, "engineVersion"))
	require.Equal(t, "cache.t4g.small", offlinetest.Str(t, rg, "nodeType"))
	require.Equal(t, 1.0, offlinetest.Num(t, rg, "numCacheClusters"))
	require.Equal(t, 6379.0, offlinetest.Num(t, rg, "port"))
	require.Equal(t, 1.0, offlinetest.Num(t, rg, "snapshotRetentionLimit"))
	require.Equal(t, "03:00-04:00", offlinetest.Str(t, rg, "snapshotWindow"))
	require.Equal(t, "sun:05:00-sun:06:00", offlinetest.Str(t, rg, "maintenanceWindow"))
	require.True(t, offlinetest.Bool(t, rg, "autoMinorVersionUpgrade"))
	require.False(t, offlinetest.Bool(t, rg, "applyImmediately"))
	require.Equal(t, "SET", offlinetest.Str(t, rg, "authTokenUpdateStrategy"))
	require.False(t, offlinetest.Has(rg, "replicationGroupId"), "auto-named, so a replacement can be created before the old group goes")
	require.False(t, offlinetest.Has(rg, "userGroupIds"), "AUTH token, not RBAC")
	require.False(t, rg.Protect, "not protected unless asked")
}

func TestEncryption(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, redis.DefaultConfig())
	rg := rec.Find(tRG, "cache")
	key := offlinetest.Only(t, rec, tKey)

	require.True(t, offlinetest.Bool(t, rg, "atRestEncryptionEnabled"))
	require.Equal(t, offlinetest.OutputString(t, key, "arn"), offlinetest.Str(t, rg, "kmsKeyId"), "at rest under our key")
	require.True(t, offlinetest.Bool(t, key, "enableKeyRotation"))
	require.True(t, offlinetest.Bool(t, rg, "transitEncryptionEnabled"))
	require.Equal(t, "required", offlinetest.Str(t, rg, "transitEncryptionMode"), "TLS only, no plaintext fallback")
}

func TestFailoverExactlyWithTwoOrMoreNodes(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 2, 3, 6} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			rec, _ := deploy(t, config(func(c *redis.Config) { c.NodeCount = n }))
			rg := rec.Find(tRG, "cache")
			require.Equal(t, float64(n), offlinetest.Num(t, rg, "numCacheClusters"))
			require.Equal(t, n >= 2, offlinetest.Bool(t, rg, "automaticFailoverEnabled"))
			require.Equal(t, n >= 2, offlinetest.Bool(t, rg, "multiAzEnabled"))
		})
	}
}

// ElastiCache accepts 16 to 128 printable characters without @, " or /.
var acceptedToken = regexp.MustCompile(`^[!-~]{16,128}$`)

func TestAuthToken(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, redis.DefaultConfig())
	pw := offlinetest.Only(t, rec, tPassword)
	length := offlinetest.Num(t, pw, "length")
	require.GreaterOrEqual(t, length, 16.0)
	require.LessOrEqual(t, length, 128.0)
	require.False(t, offlinetest.Bool(t, pw, "special"), "letters and digits only")
	require.Equal(t, "1", offlinetest.Str(t, pw, "keepers.version"))

	token, secret, ok := offline.Get(pw.Outputs, "result")
	require.True(t, ok)
	require.True(t, secret)
	require.Regexp(t, acceptedToken, token.StringValue())
	require.False(t, strings.ContainsAny(token.StringValue(), `@"/ `))

	rg := rec.Find(tRG, "cache")
	require.True(t, offlinetest.IsSecret(t, rg, "authToken"), "the token reaches the engine only as a secret")
	require.Equal(t, token.StringValue(), offlinetest.Str(t, rg, "authToken"))
}

func TestAuthTokenRotation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      redis.Config
		version  string
		strategy string
	}{
		{"steady state", redis.DefaultConfig(), "1", "SET"},
		{"rotation: new token, old one still valid", config(func(c *redis.Config) { c.AuthTokenVersion, c.AuthTokenUpdateStrategy = 2, redis.StrategyRotate }), "2", "ROTATE"},
		{"rotation done: only the new token", config(func(c *redis.Config) { c.AuthTokenVersion, c.AuthTokenUpdateStrategy = 2, redis.StrategySet }), "2", "SET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, _ := deploy(t, tt.cfg)
			require.Equal(t, tt.version, offlinetest.Str(t, offlinetest.Only(t, rec, tPassword), "keepers.version"), "a new version redraws the token")
			require.Equal(t, tt.strategy, offlinetest.Str(t, rec.Find(tRG, "cache"), "authTokenUpdateStrategy"))
		})
	}
}

func TestConnectionSecret(t *testing.T) {
	t.Parallel()
	rec, cache := deploy(t, redis.DefaultConfig(), func(a *redis.CacheArgs) { a.Protect = true })
	key := offlinetest.Only(t, rec, tKey)
	s := offlinetest.Only(t, rec, tSecret)
	require.Equal(t, offlinetest.OutputString(t, key, "arn"), offlinetest.Str(t, s, "kmsKeyId"), "secret under our key")
	require.True(t, s.Protect)

	v := offlinetest.Only(t, rec, tSecretVersion)
	require.True(t, offlinetest.IsSecret(t, v, "secretString"))
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(offlinetest.Str(t, v, "secretString")), &doc))
	require.ElementsMatch(t, []string{"host", "port", "tls", "token"}, slices.Collect(maps.Keys(doc)))
	require.Equal(t, offlinetest.Await(t, cache.PrimaryEndpoint).Value, doc["host"])
	require.Equal(t, 6379.0, doc["port"])
	require.Equal(t, true, doc["tls"])
	token, _ := offline.GetString(offlinetest.Only(t, rec, tPassword).Outputs, "result")
	require.Equal(t, token, doc["token"])

	// No output of the component carries the token.
	for _, o := range []pulumi.StringOutput{cache.PrimaryEndpoint, cache.ReaderEndpoint, cache.SecretARN, cache.SecurityGroupID, cache.ReplicationGroupID, cache.KMSKeyARN} {
		out := offlinetest.Await(t, o)
		require.NotContains(t, out.Value, token)
		require.False(t, out.Secret)
	}
}

func TestBackups(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, config(func(c *redis.Config) {
		c.SnapshotRetentionDays, c.BackupsRequired, c.SnapshotWindow, c.MaintenanceWindow = 7, true, "01:00-02:00", "wed:03:00-wed:04:00"
	}))
	rg := rec.Find(tRG, "cache")
	require.Equal(t, 7.0, offlinetest.Num(t, rg, "snapshotRetentionLimit"))
	require.Equal(t, "01:00-02:00", offlinetest.Str(t, rg, "snapshotWindow"))
	require.Equal(t, "wed:03:00-wed:04:00", offlinetest.Str(t, rg, "maintenanceWindow"))

	suffix := offlinetest.Only(t, rec, tRandomID)
	hex := offlinetest.OutputString(t, suffix, "hex")
	require.Equal(t, "platform-test-cache-final-"+hex, offlinetest.Str(t, rg, "finalSnapshotIdentifier"))
	// The suffix is redrawn exactly when the group would be replaced.
	require.Equal(t, offlinetest.OutputString(t, offlinetest.Only(t, rec, tKey), "arn"), offlinetest.Str(t, suffix, "keepers.kmsKeyId"))
	require.Equal(t, "redis", offlinetest.Str(t, suffix, "keepers.engine"))
	require.Equal(t, "7.1", offlinetest.Str(t, suffix, "keepers.engineVersion"))

	// Zero turns snapshots off but still keeps a final snapshot.
	rec, _ = deploy(t, config(func(c *redis.Config) { c.SnapshotRetentionDays = 0 }))
	rg = rec.Find(tRG, "cache")
	require.Equal(t, 0.0, offlinetest.Num(t, rg, "snapshotRetentionLimit"))
	require.NotEmpty(t, offlinetest.Str(t, rg, "finalSnapshotIdentifier"))
}

func TestLogDelivery(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, config(func(c *redis.Config) { c.LogRetentionDays = 90 }))
	key := offlinetest.Only(t, rec, tKey)
	logsUse := offlinetest.Statement(t, offlinetest.Policy(t, key, "policy"), "CloudWatchLogsUsesKey")
	require.Equal(t, &parts.Principal{Service: parts.One("logs.us-east-1.amazonaws.com")}, logsUse.Principal, "CloudWatch Logs may use the key")

	groups := map[string]*offline.Resource{}
	for _, lg := range rec.ByType(tLogGroup) {
		require.Equal(t, 90.0, offlinetest.Num(t, lg, "retentionInDays"), lg.Name)
		require.Equal(t, offlinetest.OutputString(t, key, "arn"), offlinetest.Str(t, lg, "kmsKeyId"), lg.Name)
		groups[offlinetest.OutputString(t, lg, "name")] = lg
	}

	rg := rec.Find(tRG, "cache")
	seen := map[string]string{}
	for i := range 2 {
		path := fmt.Sprintf("logDeliveryConfigurations[%d]", i)
		require.Equal(t, "cloudwatch-logs", offlinetest.Str(t, rg, path+".destinationType"))
		require.Equal(t, "json", offlinetest.Str(t, rg, path+".logFormat"))
		dest := offlinetest.Str(t, rg, path+".destination")
		lg, ok := groups[dest]
		require.Truef(t, ok, "%s goes to one of our log groups, not %q", path, dest)
		seen[offlinetest.Str(t, rg, path+".logType")] = lg.Name
	}
	require.Equal(t, map[string]string{"slow-log": "cache-slow-log", "engine-log": "cache-engine-log"}, seen)
	require.False(t, offlinetest.Has(rg, "logDeliveryConfigurations[2]"))
	// Named under /aws/vendedlogs/, which keeps them out of the account's
	// size-capped log-delivery resource policy; the key serves exactly them.
	var groupARNs []string
	for _, lt := range []string{"slow-log", "engine-log"} {
		name := "/aws/vendedlogs/elasticache/platform-test-cache/" + lt
		require.Contains(t, groups, name)
		groupARNs = append(groupARNs, "arn:aws:logs:us-east-1:123456789012:log-group:"+name)
	}
	require.ElementsMatch(t, groupARNs, logsUse.Condition["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"].Strings())
	for _, st := range offlinetest.Policy(t, key, "policy").Statement {
		for _, r := range st.Resource.Strings() {
			require.NotContains(t, r, "log-group:*")
		}
	}
}

func TestSecurityGroupIngress(t *testing.T) {
	t.Parallel()
	rec, cache := deploy(t, redis.DefaultConfig(), func(a *redis.CacheArgs) {
		a.IngressFrom = map[string]pulumi.StringInput{"eks-nodes": pulumi.String("sg-nodes"), "bastion": pulumi.String("sg-bastion")}
	})
	sg := offlinetest.Only(t, rec, tSG)
	require.Equal(t, "vpc-1", offlinetest.Str(t, sg, "vpcId"))
	require.False(t, offlinetest.Has(sg, "ingress[0]"), "no inline rules")
	require.False(t, offlinetest.Has(sg, "egress[0]"), "no egress")

	rules := rec.ByType(tIngress)
	require.Len(t, rules, 2, "one rule per source")
	from := map[string]string{}
	for _, r := range rules {
		require.Equal(t, "cache-sg-id", offlinetest.Str(t, r, "securityGroupId"), r.Name)
		require.Equal(t, 6379.0, offlinetest.Num(t, r, "fromPort"))
		require.Equal(t, 6379.0, offlinetest.Num(t, r, "toPort"))
		require.Equal(t, "tcp", offlinetest.Str(t, r, "ipProtocol"))
		require.False(t, offlinetest.Has(r, "cidrIpv4"), "never a CIDR")
		from[r.Name] = offlinetest.Str(t, r, "referencedSecurityGroupId")
	}
	require.Equal(t, map[string]string{"cache-bastion-6379": "sg-bastion", "cache-eks-nodes-6379": "sg-nodes"}, from)

	rg := rec.Find(tRG, "cache")
	require.Equal(t, []string{"cache-sg-id"}, offlinetest.Strs(t, rg, "securityGroupIds"))
	require.Equal(t, "cache-sg-id", offlinetest.Await(t, cache.SecurityGroupID).Value)

	// The cache does not wait for the rules (nor for their sources).
	for _, r := range rules {
		require.NotContains(t, rg.Dependencies, r.URN)
	}
}

func TestSubnetAndParameterGroups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		cfg        redis.Config
		family     string
		parameters []string
	}{
		{"redis 7", redis.DefaultConfig(), "redis7", nil},
		{"valkey 8 with parameters", config(func(c *redis.Config) {
			c.Engine, c.EngineVersion = "valkey", "8.0"
			c.Parameters = map[string]string{"maxmemory-policy": "allkeys-lru", "activedefrag": "yes"}
		}), "valkey8", []string{"activedefrag=yes", "maxmemory-policy=allkeys-lru"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, _ := deploy(t, tt.cfg)
			rg := rec.Find(tRG, "cache")

			sn := offlinetest.Only(t, rec, tSubnetGroup)
			require.Equal(t, []string{"subnet-data-a", "subnet-data-b"}, offlinetest.Strs(t, sn, "subnetIds"))
			require.Equal(t, offlinetest.OutputString(t, sn, "name"), offlinetest.Str(t, rg, "subnetGroupName"), "never the default subnet group")

			pg := rec.Find(tParamGroup, "cache-"+tt.family)
			require.NotNil(t, pg, "the family is in the parameter group's name")
			require.True(t, pg.RetainOnDelete, "a superseded group stays until the cache has left it (major upgrades)")
			require.Equal(t, tt.family, offlinetest.Str(t, pg, "family"))
			require.Equal(t, offlinetest.OutputString(t, pg, "name"), offlinetest.Str(t, rg, "parameterGroupName"))
			var got []string
			for i := 0; offlinetest.Has(pg, fmt.Sprintf("parameters[%d]", i)); i++ {
				p := fmt.Sprintf("parameters[%d]", i)
				got = append(got, offlinetest.Str(t, pg, p+".name")+"="+offlinetest.Str(t, pg, p+".value"))
			}
			require.Equal(t, tt.parameters, got)
		})
	}
}

func TestProtect(t *testing.T) {
	t.Parallel()
	for _, protect := range []bool{false, true} {
		t.Run(fmt.Sprint(protect), func(t *testing.T) {
			t.Parallel()
			rec, _ := deploy(t, redis.DefaultConfig(), func(a *redis.CacheArgs) { a.Protect = protect })
			for _, typ := range []string{tRG, tKey, tSecret} {
				require.Equal(t, protect, offlinetest.Only(t, rec, typ).Protect, typ)
			}
			require.False(t, offlinetest.Only(t, rec, tParamGroup).Protect, "replaceable on a major upgrade")
		})
	}
}

func TestEveryChildIsParentedAndTagged(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, redis.DefaultConfig(), func(a *redis.CacheArgs) {
		a.Tags = map[string]string{"Team": "platform"}
		a.IngressFrom = map[string]pulumi.StringInput{"eks-nodes": pulumi.String("sg-nodes")}
	})
	offlinetest.RequireParentedAndTagged(t, rec, redis.TypeToken, "cache", map[string]string{"Team": "platform"}, []string{tIngress})
}

func TestOutputs(t *testing.T) {
	t.Parallel()
	rec, cache := deploy(t, config(func(c *redis.Config) { c.NodeCount = 2 }))
	rg := rec.Find(tRG, "cache")
	require.Equal(t, offlinetest.OutputString(t, rg, "primaryEndpointAddress"), offlinetest.Await(t, cache.PrimaryEndpoint).Value)
	require.True(t, strings.HasPrefix(offlinetest.Await(t, cache.PrimaryEndpoint).Value.(string), "master."))
	require.Equal(t, offlinetest.OutputString(t, rg, "readerEndpointAddress"), offlinetest.Await(t, cache.ReaderEndpoint).Value)
	require.Equal(t, 6379, offlinetest.Await(t, cache.Port).Value)
	require.Equal(t, offlinetest.OutputString(t, offlinetest.Only(t, rec, tSecret), "arn"), offlinetest.Await(t, cache.SecretARN).Value)
	require.Equal(t, offlinetest.OutputString(t, rg, "replicationGroupId"), offlinetest.Await(t, cache.ReplicationGroupID).Value)
	require.Equal(t, offlinetest.OutputString(t, offlinetest.Only(t, rec, tKey), "arn"), offlinetest.Await(t, cache.KMSKeyARN).Value)
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	t.Parallel()
	valid := func() *redis.CacheArgs { return baseArgs(redis.DefaultConfig()) }
	tests := []struct {
		name    string
		cname   string
		args    func() *redis.CacheArgs
		wantErr []string
	}{
		{name: "nil args", args: func() *redis.CacheArgs { return nil }, wantErr: []string{`redis "cache": args are required`}},
		{name: "no account", args: func() *redis.CacheArgs { a := valid(); a.Account = parts.Account{}; return a }, wantErr: []string{"account: ID, Region and Partition are required"}},
		{name: "no network", args: func() *redis.CacheArgs { a := valid(); a.VPCID, a.SubnetIDs = nil, nil; return a }, wantErr: []string{
			"vpcId: is required", "subnetIds: is required",
		}},
		{name: "bad source", args: func() *redis.CacheArgs {
			a := valid()
			a.IngressFrom = map[string]pulumi.StringInput{"EKS Nodes": pulumi.String("sg-1"), "ok": nil}
			return a
		}, wantErr: []string{
			`ingressFrom["EKS Nodes"]: source names must be lower-case`, `ingressFrom["ok"]: needs a security group ID`,
		}},
		{name: "bad name", cname: "My_Cache", args: valid, wantErr: []string{`name: must be 1 to 32 lower-case letters`}},
		{name: "several problems at once", cname: "My_Cache", args: func() *redis.CacheArgs {
			a := valid()
			a.VPCID, a.IngressFrom = nil, map[string]pulumi.StringInput{"ok": nil}
			return a
		}, wantErr: []string{
			"name: must be 1 to 32 lower-case letters", "vpcId: is required", `ingressFrom["ok"]: needs a security group ID`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			name := tt.cname
			if name == "" {
				name = "cache"
			}
			rec, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
				_, err := redis.NewCache(ctx, name, tt.args())
				return err
			})
			for _, want := range tt.wantErr {
				require.ErrorContains(t, err, want)
			}
			require.Empty(t, rec.Resources(), "nothing may be registered on bad input")
		})
	}
}

package postgres_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/postgres"
	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/internal/parts"
)

const (
	instanceType  = "aws:rds/instance:Instance"
	identifier    = "platform-test-db" // <project>-<stack>-<name> under offlinetest
	k8sProvider   = "pulumi:providers:kubernetes"
	jobType       = "kubernetes:batch/v1:Job"
	secretType    = "kubernetes:core/v1:Secret"
	configMapType = "kubernetes:core/v1:ConfigMap"
	saType        = "kubernetes:core/v1:ServiceAccount"
)

// stage is what a test program built besides the database: stand-ins for
// the cluster's outputs, so tests can check what the database waits for.
type stage struct {
	db      *postgres.Database
	cluster *random.RandomId // stands in for the EKS cluster (its security groups)
	nodes   *random.RandomId // stands in for the node groups
}

type options struct {
	bootstrap bool
	mutate    func(*postgres.DatabaseArgs)
}

// program builds the database the way the stack does: ingress from the
// cluster's security groups, and with bootstrap the Kubernetes provider in
// the component's options.
func program(o options, out *stage) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		cluster, err := random.NewRandomId(ctx, "cluster", &random.RandomIdArgs{ByteLength: pulumi.Int(4)})
		if err != nil {
			return err
		}
		args := &postgres.DatabaseArgs{
			Config:    postgres.DefaultConfig(),
			Account:   offlinetest.Account,
			VPCID:     pulumi.String("vpc-0123"),
			SubnetIDs: pulumi.StringArray{pulumi.String("subnet-data-a"), pulumi.String("subnet-data-b")},
			IngressFrom: map[string]pulumi.StringInput{
				"eks-nodes":   pulumi.Sprintf("sg-nodes-%s", cluster.Hex),
				"eks-cluster": pulumi.Sprintf("sg-cluster-%s", cluster.Hex),
			},
			Tags: map[string]string{"team": "platform"},
		}
		var opts []pulumi.ResourceOption
		var nodes *random.RandomId
		if o.bootstrap {
			nodes, err = random.NewRandomId(ctx, "nodes", &random.RandomIdArgs{ByteLength: pulumi.Int(4)})
			if err != nil {
				return err
			}
			prov, err := kubernetes.NewProvider(ctx, "k8s", &kubernetes.ProviderArgs{})
			if err != nil {
				return err
			}
			opts = append(opts, pulumi.Providers(prov))
			args.Bootstrap = &postgres.BootstrapArgs{
				Namespace:       pulumi.String("platform-system"),
				OIDCProviderARN: pulumi.Sprintf("arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/%s", cluster.Hex),
				OIDCIssuerURL:   pulumi.Sprintf("https://oidc.eks.us-east-1.amazonaws.com/id/%s", cluster.Hex),
				DependsOn:       []pulumi.Resource{nodes},
			}
		}
		if o.mutate != nil {
			o.mutate(args)
		}
		db, err := postgres.NewDatabase(ctx, "db", args, opts...)
		if err != nil {
			return err
		}
		if out != nil {
			*out = stage{db: db, cluster: cluster, nodes: nodes}
		}
		return nil
	}
}

func run(t *testing.T, o options) (*offline.Recorder, stage) {
	t.Helper()
	var s stage
	rec := offlinetest.Run(t, program(o, &s))
	return rec, s
}

// runUpdate runs as `pulumi up` would: values the providers compute and the
// mocks do not know (random results) resolve to zero values instead of
// staying unknown, so documents built from them can be read.
func runUpdate(t *testing.T, o options) (*offline.Recorder, stage) {
	t.Helper()
	var s stage
	cfg := offline.StackConfig{Project: offlinetest.Project, Stack: offlinetest.Stack, Values: map[string]string{"aws:region": "us-east-1"}}
	rec, err := offline.Run(cfg, false, program(o, &s))
	require.NoError(t, err)
	return rec, s
}

func component(t *testing.T, rec *offline.Recorder) *offline.Resource {
	t.Helper()
	c := rec.Find(postgres.TypeToken, "db")
	require.NotNil(t, c, "component not registered")
	return c
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	rec, _ := run(t, options{})
	inst := offlinetest.Find(t, rec, instanceType, "db")
	key := offlinetest.Find(t, rec, "aws:kms/key:Key", "db-key")
	keyARN, _ := offline.GetString(key.Outputs, "arn")
	require.NotEmpty(t, keyARN)

	for path, want := range map[string]any{
		"identifier":                         identifier,
		"engine":                             "postgres",
		"engineVersion":                      "16",
		"engineLifecycleSupport":             "open-source-rds-extended-support-disabled",
		"instanceClass":                      "db.t4g.micro",
		"storageType":                        "gp3",
		"allocatedStorage":                   20.0,
		"maxAllocatedStorage":                100.0,
		"storageEncrypted":                   true,
		"kmsKeyId":                           keyARN,
		"dbName":                             "app",
		"username":                           "platform_admin",
		"manageMasterUserPassword":           true,
		"masterUserSecretKmsKeyId":           keyARN,
		"port":                               5432.0,
		"publiclyAccessible":                 false,
		"multiAz":                            false,
		"backupRetentionPeriod":              7.0,
		"backupWindow":                       "03:00-04:00",
		"maintenanceWindow":                  "sun:05:00-sun:06:00",
		"copyTagsToSnapshot":                 true,
		"deleteAutomatedBackups":             false,
		"deletionProtection":                 true,
		"skipFinalSnapshot":                  false,
		"performanceInsightsEnabled":         true,
		"performanceInsightsKmsKeyId":        keyARN,
		"performanceInsightsRetentionPeriod": 7.0,
		"databaseInsightsMode":               "standard",
		"monitoringInterval":                 60.0,
		"iamDatabaseAuthenticationEnabled":   true,
		"caCertIdentifier":                   "rds-ca-rsa2048-g1",
		"autoMinorVersionUpgrade":            true,
		"allowMajorVersionUpgrade":           false,
		"applyImmediately":                   false,
		"tags.team":                          "platform",
	} {
		got := offlinetest.Prop(t, inst, path)
		require.Equal(t, want, got.V, "instance input %s", path)
	}
	require.Equal(t, []string{"postgresql", "upgrade", "iam-db-auth-error"}, offlinetest.Strs(t, inst, "enabledCloudwatchLogsExports"))
	require.False(t, offlinetest.Has(inst, "password"), "no master password may be sent: RDS manages it")
	require.False(t, inst.Protect)

	sg := offlinetest.Find(t, rec, "aws:ec2/securityGroup:SecurityGroup", "db-sg")
	require.Equal(t, []string{"db-sg-id"}, offlinetest.Strs(t, inst, "vpcSecurityGroupIds"))
	require.Equal(t, "vpc-0123", offlinetest.Str(t, sg, "vpcId"))
	subnets := offlinetest.Find(t, rec, "aws:rds/subnetGroup:SubnetGroup", "db-subnets")
	require.Equal(t, []string{"subnet-data-a", "subnet-data-b"}, offlinetest.Strs(t, subnets, "subnetIds"))
	sgName, _ := offline.GetString(subnets.Outputs, "name")
	require.Equal(t, sgName, offlinetest.Str(t, inst, "dbSubnetGroupName"))
	pg := offlinetest.Find(t, rec, "aws:rds/parameterGroup:ParameterGroup", "db-postgres16")
	pgName, _ := offline.GetString(pg.Outputs, "name")
	require.Equal(t, pgName, offlinetest.Str(t, inst, "parameterGroupName"))
	role := offlinetest.Find(t, rec, "aws:iam/role:Role", "db-monitoring")
	roleARN, _ := offline.GetString(role.Outputs, "arn")
	require.Equal(t, roleARN, offlinetest.Str(t, inst, "monitoringRoleArn"))

	// A final snapshot named after the instance with a random suffix.
	suffix := offlinetest.Find(t, rec, "random:index/randomId:RandomId", "db-final-snapshot")
	require.Equal(t, identifier, offlinetest.Str(t, suffix, "keepers.identifier"))
	require.Contains(t, inst.PropertyDependencies["finalSnapshotIdentifier"], suffix.URN)

	// Without Bootstrap: no Kubernetes resources, no Job role.
	for _, typ := range []string{jobType, secretType, configMapType, saType} {
		require.Empty(t, rec.ByType(typ), typ)
	}
	require.Nil(t, rec.Find("aws:iam/role:Role", "db-bootstrap"))
}

func TestKeyAndLogGroups(t *testing.T) {
	t.Parallel()
	rec, _ := run(t, options{})
	key := offlinetest.Find(t, rec, "aws:kms/key:Key", "db-key")
	require.True(t, offlinetest.Bool(t, key, "enableKeyRotation"))
	logsUse := offlinetest.Statement(t, offlinetest.Policy(t, key, "policy"), "CloudWatchLogsUsesKey")
	require.Equal(t, &parts.Principal{Service: parts.One("logs.us-east-1.amazonaws.com")}, logsUse.Principal, "CloudWatch Logs must be able to use the key")
	keyARN, _ := offline.GetString(key.Outputs, "arn")
	inst := offlinetest.Find(t, rec, instanceType, "db")
	logs := postgres.DefaultConfig().LogExports()
	require.Equal(t, []string{"postgresql", "upgrade", "iam-db-auth-error"}, logs, "IAM authentication is on by default: its failures are exported too")
	require.Equal(t, logs, offlinetest.Strs(t, inst, "enabledCloudwatchLogsExports"))
	var groupARNs []string
	for _, l := range logs {
		groupARNs = append(groupARNs, "arn:aws:logs:us-east-1:123456789012:log-group:/aws/rds/instance/"+identifier+"/"+l)
	}
	// The key serves exactly these log groups.
	require.ElementsMatch(t, groupARNs, logsUse.Condition["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"].Strings())
	for _, l := range logs {
		lg := offlinetest.Find(t, rec, "aws:cloudwatch/logGroup:LogGroup", "db-"+l)
		require.Equal(t, "/aws/rds/instance/"+identifier+"/"+l, offlinetest.Str(t, lg, "name"))
		require.Equal(t, 30.0, offlinetest.Num(t, lg, "retentionInDays"))
		require.Equal(t, keyARN, offlinetest.Str(t, lg, "kmsKeyId"))
		require.Contains(t, inst.Dependencies, lg.URN, "the log group must exist before RDS exports to it")
	}
}

func TestParameterGroup(t *testing.T) {
	t.Parallel()
	cases := []struct {
		version, name, family string
		slowMs                int
	}{
		{"16", "db-postgres16", "postgres16", 0},
		{"16.4", "db-postgres16", "postgres16", 250},
		{"17.2", "db-postgres17", "postgres17", 1000},
	}
	for _, tc := range cases {
		t.Run(tc.version, func(t *testing.T) {
			t.Parallel()
			rec, _ := run(t, options{mutate: func(a *postgres.DatabaseArgs) {
				a.EngineVersion = tc.version
				if tc.slowMs != 0 {
					a.SlowQueryMs = tc.slowMs
				}
			}})
			pgs := rec.ByType("aws:rds/parameterGroup:ParameterGroup")
			require.Len(t, pgs, 1)
			pg := pgs[0]
			require.Equal(t, tc.name, pg.Name, "the resource name carries the family, so a major upgrade adds a group")
			require.True(t, pg.RetainOnDelete, "the superseded group is left behind, not deleted while the instance still uses it")
			require.Equal(t, tc.family, offlinetest.Str(t, pg, "family"))
			require.Equal(t, tc.version, offlinetest.Str(t, offlinetest.Find(t, rec, instanceType, "db"), "engineVersion"))
			params := map[string]string{}
			methods := map[string]string{}
			for i := range len(offlinetest.Prop(t, pg, "parameters").ArrayValue()) {
				n := offlinetest.Str(t, pg, "parameters["+itoa(i)+"].name")
				params[n] = offlinetest.Str(t, pg, "parameters["+itoa(i)+"].value")
				methods[n] = offlinetest.Str(t, pg, "parameters["+itoa(i)+"].applyMethod")
			}
			slow := "500"
			if tc.slowMs != 0 {
				slow = itoa(tc.slowMs)
			}
			require.Equal(t, map[string]string{
				"rds.force_ssl":              "1",
				"password_encryption":        "scram-sha-256",
				"log_min_duration_statement": slow,
				"log_connections":            "1",
				"log_disconnections":         "1",
				"log_lock_waits":             "1",
				"log_statement":              "ddl",
				"shared_preload_libraries":   "pg_stat_statements",
			}, params)
			require.Equal(t, "pending-reboot", methods["shared_preload_libraries"], "a static parameter")
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestSecurityGroupAndCriticalPath(t *testing.T) {
	t.Parallel()
	rec, s := run(t, options{bootstrap: true})
	sg := offlinetest.Find(t, rec, "aws:ec2/securityGroup:SecurityGroup", "db-sg")
	require.False(t, offlinetest.Has(sg, "ingress"), "the group has no inline rules")
	require.False(t, offlinetest.Has(sg, "egress"))

	rules := rec.ByType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
	require.Len(t, rules, 2)
	for _, src := range []string{"eks-cluster", "eks-nodes"} {
		r := offlinetest.Find(t, rec, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-sg-"+src+"-5432")
		require.Equal(t, "db-sg-id", offlinetest.Str(t, r, "securityGroupId"))
		require.Equal(t, 5432.0, offlinetest.Num(t, r, "fromPort"))
		require.Equal(t, 5432.0, offlinetest.Num(t, r, "toPort"))
		require.Equal(t, "tcp", offlinetest.Str(t, r, "ipProtocol"))
		require.False(t, offlinetest.Has(r, "cidrIpv4"), "never a CIDR")
		require.Contains(t, r.Dependencies, urn(t, s.cluster), "the rule waits for the cluster, the database does not")
	}

	// The instance (and everything it waits for) must not wait for the
	// cluster, its nodes, the Kubernetes provider or anything of the Job.
	inst := offlinetest.Find(t, rec, instanceType, "db")
	forbidden := map[string]bool{urn(t, s.cluster): true, urn(t, s.nodes): true, offlinetest.Find(t, rec, k8sProvider, "k8s").URN: true}
	for _, r := range rules {
		forbidden[r.URN] = true
	}
	for _, typ := range []string{jobType, secretType, configMapType, saType} {
		for _, r := range rec.ByType(typ) {
			forbidden[r.URN] = true
		}
	}
	seen := map[string]bool{}
	var walk func(r *offline.Resource)
	walk = func(r *offline.Resource) {
		for _, d := range r.Dependencies {
			require.False(t, forbidden[d], "the RDS instance transitively waits for %s", d)
			if !seen[d] {
				seen[d] = true
				if dep := rec.ByURN(d); dep != nil {
					walk(dep)
				}
			}
		}
	}
	walk(inst)
}

func urn(t *testing.T, r pulumi.Resource) string {
	t.Helper()
	return fmt.Sprint(offlinetest.Await(t, r.URN()).Value)
}

func TestMonitoringAndRotation(t *testing.T) {
	t.Parallel()
	rec, _ := run(t, options{mutate: func(a *postgres.DatabaseArgs) {
		a.MonitoringIntervalSeconds = 15
		a.MasterPasswordRotationDays = 30
	}})
	inst := offlinetest.Find(t, rec, instanceType, "db")
	require.Equal(t, 15.0, offlinetest.Num(t, inst, "monitoringInterval"))
	role := offlinetest.Find(t, rec, "aws:iam/role:Role", "db-monitoring")
	stmt := offlinetest.Policy(t, role, "assumeRolePolicy").Statement[0]
	require.Equal(t, &parts.Principal{Service: parts.One("monitoring.rds.amazonaws.com")}, stmt.Principal)
	att := offlinetest.Find(t, rec, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "db-monitoring")
	require.Equal(t, "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", offlinetest.Str(t, att, "policyArn"))
	require.Contains(t, inst.Dependencies, att.URN)

	rot := offlinetest.Find(t, rec, "aws:secretsmanager/secretRotation:SecretRotation", "db-master-rotation")
	masterARN, _ := offline.GetString(inst.Outputs, "masterUserSecrets[0].secretArn")
	require.NotEmpty(t, masterARN)
	require.Equal(t, masterARN, offlinetest.Str(t, rot, "secretId"))
	require.Equal(t, 30.0, offlinetest.Num(t, rot, "rotationRules.automaticallyAfterDays"))
	require.False(t, offlinetest.Has(rot, "rotationLambdaArn"), "RDS-managed secrets rotate without a Lambda")
	require.False(t, offlinetest.Bool(t, rot, "rotateImmediately"))
}

func TestRoleSecrets(t *testing.T) {
	t.Parallel()
	rec, s := runUpdate(t, options{})
	key := offlinetest.Find(t, rec, "aws:kms/key:Key", "db-key")
	keyARN, _ := offline.GetString(key.Outputs, "arn")
	inst := offlinetest.Find(t, rec, instanceType, "db")
	address, _ := offline.GetString(inst.Outputs, "address")
	masterARN, _ := offline.GetString(inst.Outputs, "masterUserSecrets[0].secretArn")

	outputs := map[string]pulumi.StringOutput{
		"migrator":  s.db.MigratorSecretARN,
		"readwrite": s.db.ReadWriteSecretARN,
		"readonly":  s.db.ReadOnlySecretARN,
	}
	for kind, user := range map[string]string{"migrator": "app_migrator", "readwrite": "app_rw", "readonly": "app_ro"} {
		pw := offlinetest.Find(t, rec, "random:index/randomPassword:RandomPassword", "db-"+kind)
		require.Equal(t, 40.0, offlinetest.Num(t, pw, "length"))
		require.False(t, offlinetest.Bool(t, pw, "special"), "letters and digits only")
		require.Equal(t, "1", offlinetest.Str(t, pw, "keepers.version"))
		require.Equal(t, user, offlinetest.Str(t, pw, "keepers.role"))

		sec := offlinetest.Find(t, rec, "aws:secretsmanager/secret:Secret", "db-"+kind)
		require.Equal(t, keyARN, offlinetest.Str(t, sec, "kmsKeyId"))
		require.Contains(t, offlinetest.Str(t, sec, "description"), user)
		ver := offlinetest.Find(t, rec, "aws:secretsmanager/secretVersion:SecretVersion", "db-"+kind)
		require.True(t, offlinetest.IsSecret(t, ver, "secretString"), "the credentials document must be a Pulumi secret")
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(offlinetest.Str(t, ver, "secretString")), &doc))
		require.ElementsMatch(t, []string{"engine", "host", "port", "dbname", "username", "password", "masterarn", "dbInstanceIdentifier"}, slices.Collect(maps.Keys(doc)))
		require.Equal(t, "postgres", doc["engine"])
		require.Equal(t, address, doc["host"])
		require.Equal(t, 5432.0, doc["port"])
		require.Equal(t, "app", doc["dbname"])
		require.Equal(t, user, doc["username"])
		require.Equal(t, masterARN, doc["masterarn"])
		result, _ := offline.GetString(pw.Outputs, "result")
		require.NotEmpty(t, result)
		require.Equal(t, result, doc["password"], "the secret holds the generated password")

		arn, _ := offline.GetString(sec.Outputs, "arn")
		got := offlinetest.Await(t, outputs[kind])
		require.Equal(t, arn, got.Value)
	}
}

func TestSwitches(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mutate func(*postgres.DatabaseArgs)
		check  func(t *testing.T, rec *offline.Recorder)
	}{
		{"skipFinalSnapshot removes the snapshot suffix", func(a *postgres.DatabaseArgs) { a.SkipFinalSnapshot = true }, func(t *testing.T, rec *offline.Recorder) {
			inst := offlinetest.Find(t, rec, instanceType, "db")
			require.True(t, offlinetest.Bool(t, inst, "skipFinalSnapshot"))
			require.False(t, offlinetest.Has(inst, "finalSnapshotIdentifier"))
			require.Nil(t, rec.Find("random:index/randomId:RandomId", "db-final-snapshot"))
		}},
		{"multiAz", func(a *postgres.DatabaseArgs) { a.MultiAZ = true }, func(t *testing.T, rec *offline.Recorder) {
			require.True(t, offlinetest.Bool(t, offlinetest.Find(t, rec, instanceType, "db"), "multiAz"))
		}},
		{"deletionProtection off", func(a *postgres.DatabaseArgs) { a.DeletionProtection = false }, func(t *testing.T, rec *offline.Recorder) {
			require.False(t, offlinetest.Bool(t, offlinetest.Find(t, rec, instanceType, "db"), "deletionProtection"))
		}},
		{"iamAuth off", func(a *postgres.DatabaseArgs) { a.IAMAuth = false }, func(t *testing.T, rec *offline.Recorder) {
			require.False(t, offlinetest.Bool(t, offlinetest.Find(t, rec, instanceType, "db"), "iamDatabaseAuthenticationEnabled"))
		}},
		{"extendedSupport", func(a *postgres.DatabaseArgs) { a.ExtendedSupport = true }, func(t *testing.T, rec *offline.Recorder) {
			require.Equal(t, "open-source-rds-extended-support", offlinetest.Str(t, offlinetest.Find(t, rec, instanceType, "db"), "engineLifecycleSupport"))
		}},
		{"protect", func(a *postgres.DatabaseArgs) { a.Protect = true }, func(t *testing.T, rec *offline.Recorder) {
			require.True(t, offlinetest.Find(t, rec, instanceType, "db").Protect)
			require.True(t, offlinetest.Find(t, rec, "aws:kms/key:Key", "db-key").Protect)
			for _, kind := range []string{"migrator", "readwrite", "readonly"} {
				require.True(t, offlinetest.Find(t, rec, "aws:secretsmanager/secret:Secret", "db-"+kind).Protect)
			}
			require.False(t, offlinetest.Find(t, rec, "aws:rds/parameterGroup:ParameterGroup", "db-postgres16").Protect,
				"a protected parameter group would block major upgrades")
		}},
		{"prod-like sizes", func(a *postgres.DatabaseArgs) {
			a.InstanceClass = "db.r6g.large"
			a.AllocatedStorageGiB = 100
			a.MaxAllocatedStorageGiB = 1000
			a.BackupRetentionDays = 30
			a.Port = 6432
		}, func(t *testing.T, rec *offline.Recorder) {
			inst := offlinetest.Find(t, rec, instanceType, "db")
			require.Equal(t, "db.r6g.large", offlinetest.Str(t, inst, "instanceClass"))
			require.Equal(t, 100.0, offlinetest.Num(t, inst, "allocatedStorage"))
			require.Equal(t, 1000.0, offlinetest.Num(t, inst, "maxAllocatedStorage"))
			require.Equal(t, 30.0, offlinetest.Num(t, inst, "backupRetentionPeriod"))
			require.Equal(t, 6432.0, offlinetest.Num(t, inst, "port"))
			require.NotNil(t, rec.Find("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-sg-eks-nodes-6432"))
		}},
		{"no ingress sources", func(a *postgres.DatabaseArgs) { a.IngressFrom = nil }, func(t *testing.T, rec *offline.Recorder) {
			require.Empty(t, rec.ByType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec, _ := run(t, options{mutate: tc.mutate})
			tc.check(t, rec)
		})
	}
}

func TestParenting(t *testing.T) {
	t.Parallel()
	rec, _ := run(t, options{bootstrap: true})
	c := component(t, rec)
	ours := map[string]bool{}
	for _, r := range rec.Descendants(c.URN) {
		ours[r.URN] = true
	}
	testOwn := map[string]bool{"cluster": true, "nodes": true, "k8s": true, "db": true}
	for _, r := range rec.Resources() {
		if r.Type == postgres.TypeToken || (testOwn[r.Name] && r.Type != instanceType) {
			continue
		}
		require.True(t, ours[r.URN], "%s %s is not under the component", r.Type, r.Name)
		require.True(t, strings.HasPrefix(r.Name, "db-") || r.Name == "db", "%s %s: child names start with the component's", r.Type, r.Name)
	}
	require.Greater(t, len(ours), 25)
}

func TestOutputs(t *testing.T) {
	t.Parallel()
	rec, s := run(t, options{bootstrap: true})
	inst := offlinetest.Find(t, rec, instanceType, "db")
	address, _ := offline.GetString(inst.Outputs, "address")
	require.Regexp(t, `^platform-test-db\..*\.us-east-1\.rds\.amazonaws\.com$`, address)
	masterARN, _ := offline.GetString(inst.Outputs, "masterUserSecrets[0].secretArn")
	resourceID, _ := offline.GetString(inst.Outputs, "resourceId")
	key := offlinetest.Find(t, rec, "aws:kms/key:Key", "db-key")
	keyARN, _ := offline.GetString(key.Outputs, "arn")

	for name, tc := range map[string]struct {
		out  pulumi.Output
		want any
	}{
		"identifier":      {s.db.Identifier, identifier},
		"endpoint":        {s.db.Endpoint, address + ":5432"},
		"address":         {s.db.Address, address},
		"port":            {s.db.Port, 5432},
		"databaseName":    {s.db.DatabaseName, "app"},
		"resourceId":      {s.db.ResourceID, resourceID},
		"instanceArn":     {s.db.InstanceARN, "arn:aws:rds:us-east-1:123456789012:db:" + identifier},
		"masterSecretArn": {s.db.MasterSecretARN, masterARN},
		"securityGroupId": {s.db.SecurityGroupID, "db-sg-id"},
		"kmsKeyArn":       {s.db.KMSKeyARN, keyARN},
	} {
		got := offlinetest.Await(t, tc.out)
		require.True(t, got.Known, name)
		require.False(t, got.Secret, "%s is not a credential", name)
		require.Equal(t, tc.want, got.Value, name)
	}
	job := offlinetest.Await(t, s.db.BootstrapJobName)
	require.Regexp(t, `^db-bootstrap-[0-9a-f]{10}$`, job.Value)
	require.Equal(t, "app_rw", s.db.Roles.ReadWrite.Name)

}

func TestNoBootstrapJobName(t *testing.T) {
	t.Parallel()
	_, s := run(t, options{})
	require.Equal(t, "", offlinetest.Await(t, s.db.BootstrapJobName).Value)
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mutate func(*postgres.DatabaseArgs)
		want   []string
	}{
		{"missing VPC", func(a *postgres.DatabaseArgs) { a.VPCID = nil }, []string{`vpcId: is required`}},
		{"missing subnets", func(a *postgres.DatabaseArgs) { a.SubnetIDs = nil }, []string{`subnetIds: is required`}},
		{"bad ingress key", func(a *postgres.DatabaseArgs) {
			a.IngressFrom = map[string]pulumi.StringInput{"EKS nodes": pulumi.String("sg-1")}
		}, []string{`ingressFrom["EKS nodes"]: source names must be lower-case`}},
		{"missing account", func(a *postgres.DatabaseArgs) { a.Account = parts.Account{} }, []string{`account: ID, Region and Partition are required`}},
		{"bootstrap without OIDC", func(a *postgres.DatabaseArgs) {
			a.Bootstrap = &postgres.BootstrapArgs{Namespace: pulumi.String("platform-system")}
		}, []string{`bootstrap.oidcProviderArn: is required`, `bootstrap.oidcIssuerUrl: is required`}},
		{"every problem at once", func(a *postgres.DatabaseArgs) {
			a.VPCID, a.SubnetIDs = nil, nil
			a.Bootstrap = &postgres.BootstrapArgs{}
		}, []string{"vpcId", "subnetIds", "bootstrap.namespace", "bootstrap.oidcProviderArn", "bootstrap.oidcIssuerUrl"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var db *postgres.Database
			rec, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
				args := &postgres.DatabaseArgs{
					Config:    postgres.DefaultConfig(),
					Account:   offlinetest.Account,
					VPCID:     pulumi.String("vpc-0123"),
					SubnetIDs: pulumi.StringArray{pulumi.String("subnet-a"), pulumi.String("subnet-b")},
				}
				tc.mutate(args)
				var err error
				db, err = postgres.NewDatabase(ctx, "db", args)
				return err
			})
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			require.Contains(t, err.Error(), `postgres "db"`)
			require.Nil(t, db)
			require.Empty(t, rec.Resources(), "nothing may be registered when the input is bad")
		})
	}
}

func TestNilArgs(t *testing.T) {
	t.Parallel()
	_, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
		_, err := postgres.NewDatabase(ctx, "db", nil)
		return err
	})
	require.ErrorContains(t, err, `postgres "db": args are required`)
}

func TestBootstrapNameLength(t *testing.T) {
	t.Parallel()
	_, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
		_, err := postgres.NewDatabase(ctx, strings.Repeat("d", 43), &postgres.DatabaseArgs{
			Config: postgres.DefaultConfig(), Account: offlinetest.Account, VPCID: pulumi.String("vpc"), SubnetIDs: pulumi.StringArray{},
			Bootstrap: &postgres.BootstrapArgs{Namespace: pulumi.String("platform-system"), OIDCProviderARN: pulumi.String("arn"), OIDCIssuerURL: pulumi.String("https://x")},
		})
		return err
	})
	require.ErrorContains(t, err, "with bootstrap")
	require.ErrorContains(t, err, "at most 42 characters")
}

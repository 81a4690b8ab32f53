package stacks_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/stacks"
)

// load runs stacks.Load under the given configuration.
func load(t *testing.T, cfg offline.StackConfig) (stacks.Config, error) {
	t.Helper()
	var got stacks.Config
	var loadErr error
	_, err := offline.Run(cfg, true, func(ctx *pulumi.Context) error {
		got, loadErr = stacks.Load(ctx)
		return nil
	})
	require.NoError(t, err)
	return got, loadErr
}

// adminRole is the one value a stack must set: who administers the cluster.
const adminRole = "arn:aws:iam::111122223333:role/admin"

// emptyStack is a stack whose file sets nothing but the region and the
// values that have no default: who administers the cluster and which add-on
// versions it runs.
func emptyStack() offline.StackConfig {
	return offline.StackConfig{Project: "platform", Stack: "empty", Values: map[string]string{
		"aws:region": "us-east-1",
	}}.With("platform:cluster", map[string]any{
		"adminRoleArns": []string{adminRole},
		"addons":        cluster.DefaultAddons(),
		"apiAccess":     map[string]any{"publicCidrs": []string{deployerEgress}},
	})
}

// deployerEgress is the deploy runners' egress the test stacks open the
// public endpoint to.
const deployerEgress = "203.0.113.10/32"

// defaults is what emptyStack loads to.
func defaults() stacks.Config {
	d := stacks.Defaults()
	d.Cluster.AdminRoleARNs = []string{adminRole}
	d.Cluster.Addons = cluster.DefaultAddons()
	d.Cluster.APIAccess.PublicCIDRs = []string{deployerEgress}
	d.Region = "us-east-1"
	d.Secret = map[string]bool{}
	for _, k := range stacks.ObjectKeys {
		d.Secret[k] = false
	}
	return d
}

func TestMissingKeysKeepTheirDefaults(t *testing.T) {
	t.Parallel()
	got, err := load(t, emptyStack())
	require.NoError(t, err)
	require.Equal(t, defaults(), got)
}

func TestTheClusterAdminsAreRequired(t *testing.T) {
	t.Parallel()
	_, err := load(t, emptyStack().Without("platform:cluster"))
	require.ErrorContains(t, err, "platform:cluster.adminRoleArns: at least one IAM role ARN is required")
}

func TestPresentFieldsReplaceDefaultsAndAbsentOnesStay(t *testing.T) {
	t.Parallel()
	got, err := load(t, emptyStack().With("platform:network", map[string]any{"azCount": 4}))
	require.NoError(t, err)
	want := defaults().Network
	want.AZCount = 4
	require.Equal(t, want, got.Network)
}

func TestRealStackFilesLoad(t *testing.T) {
	t.Parallel()
	dev, err := load(t, offlinetest.StackConfig(t, "dev"))
	require.NoError(t, err)
	prod, err := load(t, offlinetest.StackConfig(t, "prod"))
	require.NoError(t, err)

	require.False(t, dev.Protect)
	require.True(t, prod.Protect)
	require.Equal(t, "single", dev.Network.NATMode)
	require.Equal(t, "perAz", prod.Network.NATMode)
	require.Equal(t, 2, dev.Network.AZCount)
	require.Equal(t, 3, prod.Network.AZCount)
}

// Every platform: key in the stack files is one Load reads, so a misspelled
// top-level key cannot be silently ignored.
func TestStackFilesHoldOnlyKnownKeys(t *testing.T) {
	t.Parallel()
	known := map[string]bool{}
	for _, k := range append(append([]string{}, stacks.ObjectKeys...), stacks.ScalarKeys...) {
		known["platform:"+k] = true
	}
	for _, stack := range []string{"dev", "prod"} {
		cfg := offlinetest.StackConfig(t, stack)
		for k := range cfg.Values {
			if strings.HasPrefix(k, "platform:") {
				require.True(t, known[k], "%s: unknown key %s", stack, k)
			}
		}
	}
}

// badConfigs are stack configurations that must be rejected, each with the
// message that names its key. The fuzz target seeds from this table too.
var badConfigs = []struct {
	name string
	key  string
	val  any
	want string
	only string // the one stack the case applies to; default both
}{
	{"azCount out of range", "platform:network", map[string]any{"azCount": 9}, "platform:network.azCount: must be between 2 and 6, got 9", ""},
	{"azCount too low", "platform:network", map[string]any{"azCount": 1}, "platform:network.azCount: must be between 2 and 6, got 1", ""},
	{"azCount wrong type", "platform:network", map[string]any{"azCount": "three"}, "platform:network.azCount: must be a whole number, got string", ""},
	{"azCount fractional", "platform:network", map[string]any{"azCount": 2.5}, "platform:network.azCount: must be a whole number, got number 2.5", ""},
	{"unknown NAT mode", "platform:network", map[string]any{"natMode": "double"}, `platform:network.natMode: must be one of "none", "single", "perAz", got "double"`, ""},
	{"cidr malformed", "platform:network", map[string]any{"cidr": "10.0.0.0/33"}, `platform:network.cidr: must be an IPv4 CIDR block such as "10.0.0.0/16", got "10.0.0.0/33"`, ""},
	{"cidr host bits", "platform:network", map[string]any{"cidr": "10.1.2.3/16"}, `platform:network.cidr: must not have host bits set`, ""},
	{"cidr public", "platform:network", map[string]any{"cidr": "52.0.0.0/16"}, "platform:network.cidr: must be inside the RFC 1918 ranges", ""},
	{"cidr too large", "platform:network", map[string]any{"cidr": "10.0.0.0/12"}, "platform:network.cidr: must have a prefix length between /16 and /24", ""},
	{"flow log retention not accepted by CloudWatch", "platform:network", map[string]any{"flowLogRetentionDays": 45}, "platform:network.flowLogRetentionDays: must be one of the retention periods CloudWatch Logs accepts", ""},
	{"flow log aggregation", "platform:network", map[string]any{"flowLogAggregationSeconds": 120}, "platform:network.flowLogAggregationSeconds: must be one of 60, 600, got 120", ""},
	{"misspelled key", "platform:network", map[string]any{"azcount": 3}, `platform:network.azcount: unknown key (did you mean "azCount"?); known keys are availabilityZones, azCount, cidr`, ""},
	{"not an object", "platform:network", "10.0.0.0/16", `platform:network: must be an object (a YAML mapping), got "10.0.0.0/16"`, ""},
	{"malformed JSON", "platform:network", rawJSON(`{"azCount": 2,`), "platform:network: malformed value", ""},
	{"two objects", "platform:network", rawJSON(`{"azCount": 2} {"azCount": 3}`), "platform:network: must be a single object", ""},
	{"zones and count disagree", "platform:network", map[string]any{"azCount": 3, "availabilityZones": []string{"us-east-1a", "us-east-1b"}}, "platform:network.availabilityZones: lists 2 zones but azCount is 3", ""},
	{"zone name", "platform:network", map[string]any{"azCount": 2, "availabilityZones": []string{"us-east-1a", "1b"}}, `platform:network.availabilityZones[1]: must be an availability zone name`, ""},
	{"interface endpoint", "platform:network", map[string]any{"interfaceEndpoints": []string{"ecr api"}}, `platform:network.interfaceEndpoints[0]: must be an AWS service name`, ""},
	{"gateway endpoint", "platform:network", map[string]any{"gatewayEndpoints": []string{"sqs"}}, `platform:network.gatewayEndpoints[0]: must be one of "s3", "dynamodb", got "sqs"`, ""},
	{"prefix length", "platform:network", map[string]any{"dataPrefixLength": 30}, "platform:network.dataPrefixLength: must be between 16 and 28, got 30", ""},
	{"unknown tier", "platform:network", map[string]any{"subnetCidrs": map[string]any{"dmz": map[string]any{"us-east-1a": "10.0.0.0/24"}}}, `platform:network.subnetCidrs: unknown tier "dmz"`, ""},
	{"pinned subnet outside the VPC", "platform:network", map[string]any{"subnetCidrs": map[string]any{"data": map[string]any{"us-east-1a": "10.99.0.0/24"}}}, "platform:network.subnetCidrs: data subnet in us-east-1a: 10.99.0.0/24 is outside the VPC CIDR", ""},
	{"list where a number belongs", "platform:network", map[string]any{"publicPrefixLength": []int{24}}, "platform:network.publicPrefixLength: must be a whole number, got array", ""},
	{"protect not a boolean", "platform:protect", "yes please", `platform:protect: must be true or false, got "yes please"`, ""},
	{"default tags not an object", "aws:defaultTags", "Owner=me", "aws:defaultTags: must be an object with a tags map", ""},
	{"DR region is the primary region", "platform:backup", map[string]any{"drRegion": "us-east-1"}, "platform:backup.drRegion: must be another region than aws:region (us-east-1)", ""},
	{"DR region malformed", "platform:backup", map[string]any{"drRegion": "mars-1"}, `platform:backup.drRegion: must be "" (no DR copies) or an AWS region such as "us-west-2", got "mars-1"`, ""},
	{"backup weekly shorter than daily", "platform:backup", map[string]any{"dailyRetentionDays": 35, "weeklyRetentionDays": 14}, "platform:backup.weeklyRetentionDays", ""},
	{"alarm threshold above 100%", "platform:monitoring", map[string]any{"database": map[string]any{"cpuPercent": 120}}, "platform:monitoring.database.cpuPercent: must be between 1 and 100, got 120", ""},
	{"unknown subscription protocol", "platform:monitoring", map[string]any{"subscriptions": []any{map[string]any{"protocol": "pager", "endpoint": "x"}}}, "platform:monitoring.subscriptions[0].protocol", ""},

	{"node group min above max", "platform:cluster", map[string]any{"nodeGroups": []any{nodeGroup(map[string]any{"minSize": 4, "desiredSize": 4})}}, "platform:cluster.nodeGroups[0].maxSize: must be at least minSize (4), got 3", ""},
	{"node group desired outside", "platform:cluster", map[string]any{"nodeGroups": []any{nodeGroup(map[string]any{"desiredSize": 5})}}, "platform:cluster.nodeGroups[0].desiredSize: must be between minSize (1) and maxSize (3), got 5", ""},
	{"node group without instance types", "platform:cluster", map[string]any{"nodeGroups": []any{nodeGroup(map[string]any{"instanceTypes": []string{}})}}, "platform:cluster.nodeGroups[0].instanceTypes: at least one instance type is required", ""},
	{"unknown capacity type", "platform:cluster", map[string]any{"nodeGroups": []any{nodeGroup(map[string]any{"capacityType": "RESERVED"})}}, `platform:cluster.nodeGroups[0].capacityType: must be one of "ON_DEMAND", "SPOT", got "RESERVED"`, ""},
	{"duplicate node group names", "platform:cluster", map[string]any{"nodeGroups": []any{nodeGroup(nil), nodeGroup(nil)}}, `platform:cluster.nodeGroups[1].name: "general" is already the name of nodeGroups[0]`, ""},
	{"misspelled node group key", "platform:cluster", map[string]any{"nodeGroups": []any{nodeGroup(map[string]any{"maxsize": 3})}}, "platform:cluster.nodeGroups[0].maxsize: unknown key", ""},
	{"kubernetes version form", "platform:cluster", map[string]any{"version": "1.35.1"}, `platform:cluster.version: must be a Kubernetes minor version of the form "1.NN" such as "1.35", got "1.35.1"`, ""},
	{"kubernetes version past standard support", "platform:cluster", map[string]any{"version": "1.33"}, `platform:cluster.version: Kubernetes 1.33 left EKS standard support on 2026-07-29`, ""},
	{"no path to the Kubernetes API", "platform:cluster", map[string]any{"apiAccess": map[string]any{}}, "platform:cluster.apiAccess: gives whoever runs `pulumi up` no way to the Kubernetes API", ""},
	{"public endpoint open to the world", "platform:cluster", map[string]any{"apiAccess": map[string]any{"publicCidrs": []string{"0.0.0.0/0"}}}, "platform:cluster.apiAccess.publicCidrs[0]: 0.0.0.0/0 covers reserved addresses", ""},
	{"public endpoint open to a split /8", "platform:cluster", map[string]any{"apiAccess": map[string]any{"publicCidrs": []string{"52.0.0.0/9", "52.128.0.0/9"}}}, "platform:cluster.apiAccess.publicCidrs: together cover 16777216 addresses", ""},
	{"old endpoint keys", "platform:cluster", map[string]any{"endpointPublicAccess": true}, "platform:cluster.endpointPublicAccess: unknown key", ""},
	{"private source that is public", "platform:cluster", map[string]any{"apiAccess": map[string]any{"privateSources": []any{map[string]any{"cidr": "52.1.0.0/24", "description": "runners"}}}}, "platform:cluster.apiAccess.privateSources[0].cidr: must be inside 10.0.0.0/8", ""},
	{"viewer also admin", "platform:cluster", map[string]any{"viewerRoleArns": []string{"arn:aws:iam::111122223333:role/platform-operators"}}, "platform:cluster.viewerRoleArns[0]", ""},
	{"add-on without a version", "platform:cluster", map[string]any{"addons": map[string]any{
		"vpc-cni": map[string]any{"version": "v1.19.5-eksbuild.1"}, "kube-proxy": map[string]any{"version": "v1.33.0-eksbuild.2"},
		"eks-pod-identity-agent": map[string]any{"version": "v1.3.8-eksbuild.2"}, "coredns": map[string]any{"enabled": true},
		"aws-ebs-csi-driver": map[string]any{"version": "v1.48.0-eksbuild.1"},
	}}, "platform:cluster.addons.coredns.version: is required while the add-on is enabled", ""},
	{"no cluster admins", "platform:cluster", map[string]any{"adminRoleArns": []string{}}, "platform:cluster.adminRoleArns: at least one IAM role ARN is required", ""},

	{"database retention 0", "platform:database", map[string]any{"backupRetentionDays": 0}, "platform:database.backupRetentionDays: must be between 1 and 35, got 0", ""},
	{"database retention 36", "platform:database", map[string]any{"backupRetentionDays": 36}, "platform:database.backupRetentionDays: must be between 1 and 35, got 36", ""},
	{"database backup window malformed", "platform:database", map[string]any{"backupWindow": "3am"}, `platform:database.backupWindow: must be of the form hh24:mi-hh24:mi in UTC`, ""},
	{"database windows overlap", "platform:database", map[string]any{"backupWindow": "04:00-05:00", "maintenanceWindow": "sun:04:30-sun:05:30"}, "platform:database.maintenanceWindow: must not overlap backupWindow", ""},
	{"database storage below 20 GiB", "platform:database", map[string]any{"allocatedStorageGiB": 10}, "platform:database.allocatedStorageGiB: must be between 20 and 65536, got 10", ""},
	{"database storage above the maximum", "platform:database", map[string]any{"allocatedStorageGiB": 70000}, "platform:database.allocatedStorageGiB: must be between 20 and 65536, got 70000", ""},
	{"database max below allocated", "platform:database", map[string]any{"allocatedStorageGiB": 100, "maxAllocatedStorageGiB": 50}, "platform:database.maxAllocatedStorageGiB: must be at least 10% above allocatedStorageGiB (100)", ""},
	{"database engine not PostgreSQL", "platform:database", map[string]any{"engineVersion": "8.0.35"}, `platform:database.engineVersion: must be a PostgreSQL version, major 14 or later`, ""},
	{"database instance class", "platform:database", map[string]any{"instanceClass": "r6g.large"}, `platform:database.instanceClass: must be an RDS instance class such as "db.t4g.micro"`, ""},
	{"database master user postgres", "platform:database", map[string]any{"masterUsername": "postgres"}, `platform:database.masterUsername: must not be a default or reserved name`, ""},
	{"database master user admin", "platform:database", map[string]any{"masterUsername": "admin"}, `platform:database.masterUsername: must not be a default or reserved name`, ""},
	{"database role name", "platform:database", map[string]any{"roles": map[string]any{"readOnly": map[string]any{"name": "Read-Only"}}}, `platform:database.roles.readOnly.name: must be 1 to 63 lower-case letters`, ""},

	{"cache retention above 35", "platform:cache", map[string]any{"snapshotRetentionDays": 36}, "platform:cache.snapshotRetentionDays: must be between 0 and 35, got 36", ""},
	{"cache retention 0 where backups are required", "platform:cache", map[string]any{"snapshotRetentionDays": 0, "backupsRequired": true}, "platform:cache.snapshotRetentionDays: must be at least 1 because backupsRequired is true", ""},
	{"cache node count", "platform:cache", map[string]any{"nodeCount": 7}, "platform:cache.nodeCount: must be between 1 and 6, got 7", ""},
	{"cache windows overlap", "platform:cache", map[string]any{"snapshotWindow": "05:00-06:00", "maintenanceWindow": "sun:05:30-sun:06:30"}, "platform:cache.maintenanceWindow: must not overlap snapshotWindow", ""},
	{"cache node type", "platform:cache", map[string]any{"nodeType": "m5.large"}, `platform:cache.nodeType: must be an ElastiCache node type such as "cache.t4g.small"`, ""},
	{"cache version unquoted", "platform:cache", map[string]any{"engineVersion": 7.1}, "platform:cache.engineVersion: must be a string, got number", ""},
	{"broker deployment mode", "platform:broker", map[string]any{"deploymentMode": "ACTIVE_STANDBY_MULTI_AZ"}, "platform:broker.deploymentMode: ACTIVE_STANDBY_MULTI_AZ is for ActiveMQ", ""},
	{"broker micro in a cluster", "platform:broker", map[string]any{"deploymentMode": "CLUSTER_MULTI_AZ", "hostInstanceType": "mq.t3.micro"}, "platform:broker.hostInstanceType: mq.t3.micro runs only as SINGLE_INSTANCE", ""},
	{"broker version below 3.13", "platform:broker", map[string]any{"engineVersion": "3.12"}, `platform:broker.engineVersion: must be 3.13 or later, got "3.12"`, ""},
	{"no NAT with the in-cluster layer", "platform:network", map[string]any{"natMode": "none"}, `platform:network.natMode: none leaves the cluster no way to the internet`, ""},
	// The whole file is judged: every top-level key is one something reads.
	{"misspelled section", "platform:netwrok", map[string]any{"azCount": 3}, "platform:netwrok: unknown key (did you mean platform:network?)", ""},
	{"misspelled AWS key", "aws:regoin", "us-east-1", "aws:regoin: unknown key (did you mean aws:region?)", ""},
	{"misspelled namespace", "platfrom:network", map[string]any{"azCount": 3}, `platfrom:network: nothing reads the "platfrom" namespace (did you mean platform:network?)`, ""},
	{"misspelled Kubernetes key", "kubernetes:kubeconfg", "~/.kube/config", "kubernetes:kubeconfg: unknown key (did you mean kubernetes:kubeconfig?)", ""},
	{"flat key of a misspelled field", "platform:cluster.viewerRoleArn", []string{"arn:aws:iam::111122223333:role/x"}, `platform:cluster.viewerRoleArn: unknown key (did you mean "viewerRoleArns"?)`, ""},

	// Present means meant: an empty or null value is an error, not a default.
	{"empty string", "platform:network", map[string]any{"natMode": ""}, "platform:network.natMode: is present but empty", ""},
	{"null value", "platform:network", map[string]any{"azCount": nil}, "platform:network.azCount: is present but empty", ""},
	{"empty DR region", "platform:backup", map[string]any{"drRegion": ""}, "platform:backup.drRegion: is present but empty", ""},
	{"empty scalar", "platform:protect", "", "platform:protect: is present but empty", ""},
	{"empty region", "aws:region", "", "aws:region: is present but empty", ""},
	{"empty node group name", "platform:cluster", map[string]any{"nodeGroups": []any{nodeGroup(map[string]any{"name": ""})}}, "platform:cluster.nodeGroups[0].name: is present but empty", ""},
	{"null object", "platform:database", map[string]any{"roles": nil}, "platform:database.roles: is present but empty", ""},
	{"empty tag value", "aws:defaultTags", map[string]any{"tags": map[string]any{"Owner": nil}}, `aws:defaultTags.tags["Owner"]: is present but empty`, ""},

	// Values against AWS's catalogs (offline; the preflight asks AWS too).
	{"region that does not exist", "aws:region", "us-east-7", `aws:region: "us-east-7" is not a region the AWS provider accepts (did you mean "us-east-1"?)`, ""},
	{"instance type that does not exist", "platform:cluster", map[string]any{"nodeGroups": []any{nodeGroup(map[string]any{"instanceTypes": []string{"m5.medium"}})}}, `platform:cluster.nodeGroups[0].instanceTypes[0]: "m5.medium" is not an instance type of the families node groups use`, ""},
	{"x86 type with an ARM AMI", "platform:cluster", map[string]any{"nodeGroups": []any{nodeGroup(map[string]any{"amiType": "AL2023_ARM_64_STANDARD"})}}, `platform:cluster.nodeGroups[0].instanceTypes[0]: "t3.large" is x86_64, but amiType AL2023_ARM_64_STANDARD boots arm64 instances only`, ""},
	{"GPU AMI on a type without a GPU", "platform:cluster", map[string]any{"nodeGroups": []any{nodeGroup(map[string]any{"amiType": "AL2023_x86_64_NVIDIA"})}}, `"t3.large" has no nvidia accelerator`, ""},
	{"DB instance class that does not exist", "platform:database", map[string]any{"instanceClass": "db.t4g.huge"}, `platform:database.instanceClass: "db.t4g.huge" is not a DB instance class RDS for PostgreSQL offers`, ""},
	{"PostgreSQL major RDS does not offer", "platform:database", map[string]any{"engineVersion": "19"}, "platform:database.engineVersion: PostgreSQL 19 is not a major version RDS offers", ""},
	{"cache node type that does not exist", "platform:cache", map[string]any{"nodeType": "cache.t4g.large"}, `platform:cache.nodeType: "cache.t4g.large" is not a current-generation ElastiCache node type`, ""},
	{"cache version ElastiCache does not offer", "platform:cache", map[string]any{"engine": "redis", "engineVersion": "7.3"}, "platform:cache.engineVersion: redis 7.3 is not a version ElastiCache offers", ""},
	{"broker instance type that does not exist", "platform:broker", map[string]any{"hostInstanceType": "mq.m6g.large"}, `platform:broker.hostInstanceType: "mq.m6g.large" is not a RabbitMQ broker instance type Amazon MQ offers`, ""},

	// Schedules, limits and arithmetic.
	{"cron hour out of range", "platform:backup", map[string]any{"dailySchedule": "cron(0 25 * * ? *)"}, `platform:backup.dailySchedule: has an invalid hour field "25"`, ""},
	{"cron day that never comes", "platform:backup", map[string]any{"dailySchedule": "cron(0 23 30 2 ? *)"}, "platform:backup.dailySchedule: never runs", ""},
	{"backup job in the database's backup window", "platform:backup", map[string]any{"dailySchedule": "cron(30 2 * * ? *)"}, "platform:backup.dailySchedule: cron(30 2 * * ? *) with a 60-minute start window meets platform:database.backupWindow", ""},
	{"backup job in the database's maintenance window", "platform:backup", map[string]any{"dailySchedule": "cron(30 4 * * ? *)"}, "platform:backup.dailySchedule: cron(30 4 * * ? *) with a 60-minute start window meets platform:database.maintenanceWindow", ""},
	{"reserved tag prefix", "aws:defaultTags", map[string]any{"tags": map[string]any{"aws:owner": "me"}}, `aws:defaultTags.tags["aws:owner"]: a tag key must not start with "aws:"`, ""},
	{"tag value too long", "aws:defaultTags", map[string]any{"tags": map[string]any{"Owner": strings.Repeat("x", 257)}}, `aws:defaultTags.tags["Owner"]: a tag value is at most 256 characters, got 257`, ""},
	{"default tags without their tags map", "aws:defaultTags", map[string]any{"Owner": "me"}, "aws:defaultTags: must be an object with a tags map", ""},
	{"integer that would wrap", "platform:network", map[string]any{"azCount": 4294967298}, "platform:network.azCount: must be a whole number between -2147483648 and 2147483647, got 4294967298", ""},
	{"alarm that can never fire", "platform:monitoring", map[string]any{"database": map[string]any{"connections": 100000}}, "platform:monitoring.database.connections: is 100000, but platform:database.instanceClass", ""},
	{"alarm that always fires", "platform:monitoring", map[string]any{"database": map[string]any{"freeStorageGiB": 5000}}, "platform:monitoring.database.freeStorageGiB: is 5000, but platform:database.allocatedStorageGiB", ""},
	{"split CIDR set covering the internet", "platform:cluster", map[string]any{"apiAccess": map[string]any{"publicCidrs": []string{"0.0.0.0/1", "128.0.0.0/1"}}}, "platform:cluster.apiAccess.publicCidrs[0]: 0.0.0.0/1 covers reserved addresses", ""},

	// Credentials in config must be secrets.
	{"credential inside an alert URL", "platform:monitoring", map[string]any{"subscriptions": []any{map[string]any{"protocol": "https", "endpoint": "https://ops:hunter2@alerts.acme.test/hook"}}}, "platform:monitoring.subscriptions[0].endpoint: carries a credential (a URL with a password (user:password@)) in plain text", ""},
	{"password in the cache's parameters", "platform:cache", map[string]any{"parameters": map[string]any{"requirepass": "hunter2hunter2"}}, `platform:cache.parameters["requirepass"]: carries a credential (a parameter named like a password) in plain text`, ""},
	{"plaintext AWS secret key", "aws:secretKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws:secretKey: holds a credential in plain text in the stack file", ""},

	{"broker cluster in two zones", "platform:broker", map[string]any{"deploymentMode": "CLUSTER_MULTI_AZ", "hostInstanceType": "mq.m5.large"}, "platform:broker.deploymentMode: CLUSTER_MULTI_AZ needs private subnets in 3 availability zones, but platform:network.azCount is 2", "dev"},
}

type rawJSON string

// nodeGroup is a valid node-group entry with some fields replaced.
func nodeGroup(with map[string]any) map[string]any {
	g := map[string]any{"name": "general", "instanceTypes": []string{"t3.large"}, "minSize": 1, "maxSize": 3, "desiredSize": 1}
	for k, v := range with {
		g[k] = v
	}
	return g
}

func configWith(base offline.StackConfig, key string, val any) offline.StackConfig {
	if raw, ok := val.(rawJSON); ok {
		return base.With(key, string(raw))
	}
	return base.With(key, val)
}

func TestBadConfigIsRejectedWithItsKeyAndRegistersNothing(t *testing.T) {
	t.Parallel()
	for _, stack := range []string{"dev", "prod"} {
		base := offlinetest.StackConfig(t, stack)
		for _, tt := range badConfigs {
			if tt.only != "" && tt.only != stack {
				continue
			}
			t.Run(stack+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				cfg := configWith(base, tt.key, mergeInto(t, base, tt.key, tt.val))
				rec, err := offline.Run(cfg, true, stacks.Run)
				require.Error(t, err)
				require.Contains(t, err.Error(), tt.want)
				require.Empty(t, rec.Resources(), "nothing may be registered when the configuration is invalid")
				_, problems, found := strings.Cut(err.Error(), "invalid stack configuration:\n")
				require.True(t, found, "%v", err)
				for _, line := range strings.Split(strings.TrimSpace(problems), "\n") {
					require.Regexp(t, `^[a-z]+:[A-Za-z]`, line, "every problem names its config key")
				}
				require.NotContains(t, err.Error(), "hunter2", "a refusal never prints the credential")
			})
		}
	}
}

// mergeInto overlays an object value on the stack's own object for key, so
// that each bad value is tested against a real stack file, not a bare one.
func mergeInto(t *testing.T, base offline.StackConfig, key string, val any) any {
	t.Helper()
	obj, ok := val.(map[string]any)
	raw, present := base.Values[key]
	if !ok || !present {
		return val
	}
	var merged map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &merged))
	for k, v := range obj {
		merged[k] = v
	}
	return merged
}

func TestAllProblemsAreReportedAtOnce(t *testing.T) {
	t.Parallel()
	cfg := emptyStack().
		With("platform:network", map[string]any{"azCount": 9, "natMode": "double", "flowLogRetentionDays": 45}).
		With("platform:protect", "maybe")
	_, err := load(t, cfg)
	require.Error(t, err)
	problems := check.Flatten(err)
	require.Len(t, problems, 4, "%v", err)
	for _, want := range []string{"platform:network.azCount", "platform:network.natMode", "platform:network.flowLogRetentionDays", "platform:protect"} {
		require.Contains(t, err.Error(), want)
	}

	// Across the file: a shape error in one field does not hide another
	// field's, other sections' problems, unknown top-level keys, the AWS
	// keys, or a cross-check between two sections that loaded cleanly.
	cfg = emptyStack().
		With("platform:network", map[string]any{"azCount": "three", "natMode": "double"}).
		With("platform:database", map[string]any{"instanceClass": "db.t4g.huge", "backupRetentionDays": 0}).
		With("platform:backup", map[string]any{"dailySchedule": "cron(30 3 * * ? *)"}).
		With("platform:netwrok", map[string]any{}).
		With("aws:region", "us-east-7")
	_, err = load(t, cfg)
	require.Error(t, err)
	for _, want := range []string{
		"platform:network.azCount: must be a whole number, got string \"three\"",
		"platform:network.natMode: must be one of",
		"platform:database.instanceClass:",
		"platform:database.backupRetentionDays:",
		"platform:netwrok: unknown key (did you mean platform:network?)",
		`aws:region: "us-east-7" is not a region`,
	} {
		require.Contains(t, err.Error(), want)
	}
	// The backup window cross-check needs a database that loaded; with one
	// that did, it is reported alongside the other sections' problems.
	_, err = load(t, emptyStack().
		With("platform:network", map[string]any{"azCount": "three"}).
		With("platform:backup", map[string]any{"dailySchedule": "cron(30 3 * * ? *)"}))
	require.ErrorContains(t, err, "platform:network.azCount: must be a whole number")
	require.ErrorContains(t, err, "platform:backup.dailySchedule: cron(30 3 * * ? *) with a 60-minute start window meets platform:database.backupWindow")
}

// `pulumi new` writes a template's answers as flat keys
// ("platform:cluster.viewerRoleArns"); they land inside their object, are
// validated there, and may not contradict it.
func TestFlatKeysFromTemplateAnswers(t *testing.T) {
	t.Parallel()
	viewer := "arn:aws:iam::111122223333:role/platform-preview-dev"
	got, err := load(t, emptyStack().With("platform:cluster.viewerRoleArns", []string{viewer}).
		With("platform:monitoring.subscriptions", []map[string]string{{"protocol": "email", "endpoint": "oncall@acme.test"}}))
	require.NoError(t, err)
	require.Equal(t, []string{viewer}, got.Cluster.ViewerRoleARNs)
	require.Equal(t, []string{adminRole}, got.Cluster.AdminRoleARNs, "the object's own keys stay")
	require.Len(t, got.Monitoring.Subscriptions, 1)

	_, err = load(t, emptyStack().With("platform:cluster.adminRoleArns", []string{viewer}))
	require.ErrorContains(t, err, "platform:cluster.adminRoleArns: is set both as platform:cluster.adminRoleArns and inside platform:cluster: keep one")

	_, err = load(t, emptyStack().With("platform:cluster.viewerRoleArn", []string{viewer}))
	require.ErrorContains(t, err, `platform:cluster.viewerRoleArn: unknown key (did you mean "viewerRoleArns"?)`)

	_, err = load(t, emptyStack().With("platform:netwrok.azCount", 3))
	require.ErrorContains(t, err, `platform:netwrok.azCount: unknown key (did you mean platform:network.azCount?)`)
}

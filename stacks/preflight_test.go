package stacks_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/stacks"
)

// realAccountDev is dev's stack file deployed for real: run by a deploy
// role of an account that is not the documentation's, whose operators'
// role, runner address and on-call address are still the placeholders.
func realAccountDev(t *testing.T) offline.StackConfig {
	t.Helper()
	cfg := offlinetest.StackConfig(t, "dev")
	cluster := mergeInto(t, cfg, "platform:cluster", map[string]any{
		"adminRoleArns": []string{"arn:aws:iam::210987654321:role/platform-deploy-dev", "arn:aws:iam::111122223333:role/platform-operators"},
	})
	return cfg.With("platform:cluster", cluster).
		With("platform:monitoring", map[string]any{"subscriptions": []any{map[string]any{"protocol": "email", "endpoint": "platform-oncall@example.com"}}})
}

// Deploying for real refuses every documentation placeholder, each by its
// key, before anything is registered.
func TestPlaceholdersAreRefusedWhenDeployingForReal(t *testing.T) {
	t.Parallel()
	rec, err := offline.Run(realAccountDev(t), false, stacks.Run)
	require.Error(t, err)
	for _, want := range []string{
		`platform:cluster.adminRoleArns[1]: "arn:aws:iam::111122223333:role/platform-operators" is in 111122223333, the AWS documentation's example account`,
		`platform:cluster.viewerRoleArns[0]: "arn:aws:iam::111122223333:role/platform-preview-dev" is in 111122223333`,
		"platform:cluster.apiAccess.publicCidrs[0]: 203.0.113.10/32 is a documentation block (RFC 5737), a placeholder",
		`platform:monitoring.subscriptions[0].endpoint: "platform-oncall@example.com" is a placeholder`,
	} {
		require.ErrorContains(t, err, want)
	}
	require.Empty(t, rec.Resources(), "nothing is registered")

	// Offline, acting in the example account, they are what the plan shows.
	_, err = offline.Run(offlinetest.StackConfig(t, "dev"), false, stacks.Run)
	require.NoError(t, err)

	// Prod's example private source is a real private range: its
	// description marks it, and a real deploy refuses it.
	prod := offlinetest.StackConfig(t, "prod")
	cluster := mergeInto(t, prod, "platform:cluster", map[string]any{
		"adminRoleArns":  []string{"arn:aws:iam::210987654321:role/platform-deploy-prod"},
		"viewerRoleArns": []string{"arn:aws:iam::210987654321:role/platform-preview-prod"},
	})
	rec, err = offline.Run(prod.With("platform:cluster", cluster), false, stacks.Run)
	require.ErrorContains(t, err, `platform:cluster.apiAccess.privateSources[0]: is the stack file's example ("example: self-hosted deploy runners")`)
	require.Empty(t, rec.Resources())
}

// `pulumi up` must run as one of the cluster's admins: the cluster grants
// its creator nothing, so any other caller would create a cluster it then
// cannot deploy into.
func TestTheCallerMustBeAnAdmin(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		caller  string
		preview bool
		want    string
	}{
		{"a stranger updates", "arn:aws:iam::111122223333:role/someone", false, "platform:cluster.adminRoleArns: the caller arn:aws:iam::111122223333:role/someone is not one of the cluster's admins"},
		{"a viewer updates", "arn:aws:iam::111122223333:role/platform-preview-dev", false, "is not one of the cluster's admins"},
		{"a stranger previews", "arn:aws:iam::111122223333:role/someone", true, "platform:cluster.adminRoleArns: the caller arn:aws:iam::111122223333:role/someone is neither an admin nor a viewer"},
		{"a viewer previews", "arn:aws:iam::111122223333:role/platform-preview-dev", true, ""},
		{"an admin with a path updates", "arn:aws:iam::111122223333:role/ci/platform-deploy-dev", false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := offlinetest.StackConfig(t, "dev")
			cfg.Caller = tt.caller
			rec, err := offline.Run(cfg, tt.preview, stacks.Run)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.want)
			require.Empty(t, rec.Resources())
		})
	}
}

// The preflight chooses zones by ID: us-east-1c is use1-az3 in the
// recorder's account, which EKS refuses, so prod's three zones skip it.
func TestPreflightChoosesZonesEKSAccepts(t *testing.T) {
	t.Parallel()
	rec := runStack(t, "prod")
	var zones []string
	for _, s := range rec.ByType("aws:ec2/subnet:Subnet") {
		if z := offlinetest.Str(t, s, "availabilityZone"); !slices.Contains(zones, z) {
			zones = append(zones, z)
		}
	}
	require.ElementsMatch(t, []string{"us-east-1a", "us-east-1b", "us-east-1d"}, zones)
	var asked bool
	for _, inv := range rec.Invokes() {
		if inv.Token == "aws:index/getAvailabilityZones:getAvailabilityZones" {
			ids, _ := offline.GetStrings(inv.Args, "excludeZoneIds")
			require.ElementsMatch(t, []string{"use1-az3", "usw1-az2", "cac1-az3"}, ids)
			asked = true
		}
	}
	require.True(t, asked)
}

// A fresh account has no Auto Scaling service-linked role: the preflight
// finds none, and the cluster creates it before its volume key.
func TestFreshAccountGetsTheAutoScalingServiceRole(t *testing.T) {
	t.Parallel()
	rec := runStack(t, "dev")
	slr := offlinetest.Only(t, rec, "aws:iam/serviceLinkedRole:ServiceLinkedRole")
	require.Contains(t, offlinetest.Find(t, rec, "aws:kms/key:Key", "eks-volumes").Dependencies, slr.URN)
}

// Without NAT and without the in-cluster layer, the cluster's nodes still
// need the VPC endpoints of a private cluster; each missing one is named.
func TestPrivateClusterNeedsItsEndpoints(t *testing.T) {
	t.Parallel()
	base := offlinetest.StackConfig(t, "dev")
	cluster := mergeInto(t, base, "platform:cluster", map[string]any{"inClusterLayer": false})
	network := mergeInto(t, base, "platform:network", map[string]any{"natMode": "none", "interfaceEndpoints": []string{"ec2", "sts"}})
	_, err := load(t, base.With("platform:cluster", cluster).With("platform:network", network))
	require.ErrorContains(t, err, "platform:network.natMode: none needs the VPC endpoints nodes use without NAT; add ecr.api, ecr.dkr, autoscaling (for the Cluster Autoscaler) to platform:network.interfaceEndpoints")

	network = mergeInto(t, base, "platform:network", map[string]any{"natMode": "none", "interfaceEndpoints": []string{"ec2", "sts", "ecr.api", "ecr.dkr", "autoscaling"}})
	cfg := base.With("platform:cluster", cluster).With("platform:network", network)
	_, err = load(t, cfg)
	require.NoError(t, err)

	// Without the in-cluster layer nothing goes through the Kubernetes API.
	rec, err := offline.Run(cfg, true, stacks.Run)
	require.NoError(t, err)
	for _, r := range rec.Resources() {
		require.False(t, strings.HasPrefix(r.Type, "kubernetes:") || strings.HasPrefix(r.Type, "pulumi:providers:kubernetes"), "%s %s", r.Type, r.Name)
	}
	require.NotEmpty(t, rec.ByType("aws:rds/instance:Instance"))
}

// With real credentials the preflight asks AWS whether it offers what the
// configuration names, and a refusal fails `pulumi preview` before anything
// is registered, naming the key, in the catalog checks' format.
func TestPreviewFailsOnWhatAWSDoesNotOffer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		cfg    func(offline.StackConfig) offline.StackConfig
		refuse [2]string
		want   string
	}{
		{
			name:   "an instance type not offered in the zones",
			refuse: [2]string{"aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings", ""},
			want:   `platform:cluster.nodeGroups[0].instanceTypes[0]: "t3.large" is not offered in us-east-1a, us-east-1b (AWS, ec2:DescribeInstanceTypeOfferings)`,
		},
		{
			name:   "a PostgreSQL version not offered in the region",
			refuse: [2]string{"aws:rds/getEngineVersion:getEngineVersion", "no RDS engine versions match the criteria and preferred versions"},
			want:   "platform:database.engineVersion: PostgreSQL 16 is not a version RDS offers in this region (AWS, rds:DescribeDBEngineVersions: no RDS engine versions match",
		},
		{
			name:   "an instance class not orderable",
			refuse: [2]string{"aws:rds/getOrderableDbInstance:getOrderableDbInstance", "no RDS Orderable DB Instance found matching criteria; try different search"},
			want:   `platform:database.instanceClass: "db.t4g.micro" is not offered for PostgreSQL 16 with gp3 storage in this region`,
		},
		{
			name:   "a broker instance type not offered",
			refuse: [2]string{"aws:mq/getInstanceTypeOfferings:getInstanceTypeOfferings", "AccessDeniedException"},
			want:   `platform:broker.hostInstanceType: AWS could not say whether it offers "mq.t3.micro" for RabbitMQ here`,
		},
		{
			name: "an add-on pin newer than EKS offers",
			cfg: func(c offline.StackConfig) offline.StackConfig {
				var cl map[string]any
				require.NoError(t, json.Unmarshal([]byte(c.Values["platform:cluster"]), &cl))
				cl["addons"].(map[string]any)["vpc-cni"].(map[string]any)["version"] = "v1.20.5-eksbuild.1"
				return c.With("platform:cluster", cl)
			},
			want: "platform:cluster.addons.vpc-cni.version: v1.20.5-eksbuild.1 is newer than the newest vpc-cni build EKS offers for Kubernetes 1.35 (v1.20.4-eksbuild.1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := offlinetest.StackConfig(t, "dev")
			if tt.cfg != nil {
				cfg = tt.cfg(cfg)
			}
			var opts []offline.Option
			if tt.refuse[0] != "" && tt.refuse[1] != "" {
				opts = append(opts, offline.WithRefusal(tt.refuse[0], tt.refuse[1]))
			}
			if tt.refuse[0] == "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings" {
				opts = append(opts, offline.WithoutOfferings())
			}
			rec, err := offline.Run(cfg, true, stacks.Run, opts...)
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
			require.Empty(t, rec.Resources(), "nothing is registered")
		})
	}
}

package cluster_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/internal/parts"
)

func TestAutoscalerPolicyScalesOnlyTaggedGroups(t *testing.T) {
	t.Parallel()
	doc := cluster.AutoscalerPolicy(offlinetest.Account, "platform-dev-eks")
	require.Equal(t, parts.PolicyVersion, doc.Version)
	var writes, reads int
	var all []string
	for _, s := range doc.Statement {
		require.Equal(t, parts.Allow, s.Effect)
		require.Nil(t, s.Principal)
		require.True(t, s.NotAction.IsZero())
		for _, a := range s.Action.Strings() {
			all = append(all, a)
			require.NotContains(t, a, "*", "no wildcard actions")
			switch a {
			case "autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup":
				writes++
				require.Equal(t, parts.Conditions{"StringEquals": {
					"aws:ResourceTag/k8s.io/cluster-autoscaler/platform-dev-eks": parts.One("owned"),
					"aws:ResourceTag/k8s.io/cluster-autoscaler/enabled":          parts.One("true"),
				}}, s.Condition, "%s must be scoped by the cluster's tags", a)
			case "eks:DescribeNodegroup":
				require.Equal(t, parts.One("arn:aws:eks:us-east-1:123456789012:nodegroup/platform-dev-eks/*/*"), s.Resource)
			default:
				reads++
				require.True(t, strings.Contains(a, ":Describe") || strings.Contains(a, ":Get"), "%s must be read-only", a)
			}
		}
	}
	require.Equal(t, 2, writes)
	require.Contains(t, all, "ec2:DescribeLaunchTemplateVersions")
	require.Contains(t, all, "ec2:DescribeInstanceTypes")
	require.Positive(t, reads)
}

func TestAutoscalerTagsMatchThePolicy(t *testing.T) {
	t.Parallel()
	tags := cluster.AutoscalerTags("c1")
	require.Equal(t, map[string]string{
		"k8s.io/cluster-autoscaler/enabled": "true",
		"k8s.io/cluster-autoscaler/c1":      "owned",
	}, tags)
}

func TestVolumeKeyStatementsTrustTheAutoScalingRole(t *testing.T) {
	t.Parallel()
	sts := cluster.VolumeKeyStatements(offlinetest.Account)
	slr := "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
	require.Equal(t, slr, cluster.AutoScalingServiceRoleARN(offlinetest.Account))
	var grant, use bool
	for _, s := range sts {
		require.Equal(t, &parts.Principal{AWS: parts.One(slr)}, s.Principal)
		switch s.Sid {
		case "AutoScalingGrantsKeyToEBS":
			grant = true
			require.Equal(t, parts.One("kms:CreateGrant"), s.Action)
			require.Equal(t, parts.Conditions{"Bool": {"kms:GrantIsForAWSResource": parts.Bool(true)}}, s.Condition)
		default:
			use = true
			require.ElementsMatch(t, []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}, s.Action.Strings())
		}
	}
	require.True(t, grant && use)
	// The statements must survive rendering into a key policy.
	doc, err := parts.KeyPolicy(offlinetest.Account, nil, sts...).JSON()
	require.NoError(t, err)
	back, err := parts.ParsePolicy(doc)
	require.NoError(t, err)
	require.Equal(t, sts, back.Statement[1:])
	offlinetest.Statement(t, back, "AutoScalingGrantsKeyToEBS")
}

func TestNodeTrustHasNoSourceConditions(t *testing.T) {
	t.Parallel()
	sts := cluster.NodeTrust(offlinetest.Account).Statement
	require.Len(t, sts, 1)
	require.Equal(t, &parts.Principal{Service: parts.One("ec2.amazonaws.com")}, sts[0].Principal)
	require.Equal(t, []string{"sts:AssumeRole"}, sts[0].Action.Strings())
	require.Nil(t, sts[0].Condition)
}

func TestKeyUserPolicies(t *testing.T) {
	t.Parallel()
	const key = "arn:aws:kms:us-east-1:123456789012:key/abc"
	sts := cluster.ClusterKeyPolicy(key).Statement
	require.Len(t, sts, 1)
	require.Equal(t, parts.One(key), sts[0].Resource)
	require.ElementsMatch(t, []string{"kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"}, sts[0].Action.Strings())

	for _, s := range cluster.VolumeKeyUserPolicy(key).Statement {
		require.Equal(t, parts.One(key), s.Resource, "never all keys (KMS-08)")
		if s.Sid == "GrantVolumeKeyToEBS" {
			require.Equal(t, parts.Bool(true), s.Condition["Bool"]["kms:GrantIsForAWSResource"])
		}
	}
}

func TestNamingHelpers(t *testing.T) {
	t.Parallel()
	require.Equal(t, "/aws/eks/platform-dev-eks/cluster", cluster.LogGroupName("platform-dev-eks"))
	require.Equal(t, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", cluster.ClusterAdminPolicyARN(offlinetest.Account))
	require.Equal(t, "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", cluster.ClusterAdminPolicyARN(parts.Account{Partition: "aws-cn"}))
	for name, ok := range map[string]bool{
		"platform-dev-eks":       true,
		"a_b":                    true,
		"-leading":               false,
		"has.dot":                false,
		strings.Repeat("x", 100): true,
		strings.Repeat("x", 101): false,
	} {
		require.Equal(t, ok, cluster.ValidClusterName(name), name)
	}
	require.ElementsMatch(t, []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}, cluster.LogTypes)
}

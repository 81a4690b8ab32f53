package cluster_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/internal/offline/offlinetest"
	"github.com/acme/platform/internal/parts"
)

type statement struct {
	Sid       string
	Effect    string
	Principal map[string]any
	Action    any
	Resource  any
	Condition map[string]map[string]any
}

func statements(t *testing.T, doc string) []statement {
	t.Helper()
	var d struct {
		Version   string
		Statement []statement
	}
	require.NoError(t, json.Unmarshal([]byte(doc), &d))
	require.Equal(t, "2012-10-17", d.Version)
	return d.Statement
}

func actions(s statement) []string {
	switch a := s.Action.(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, e := range a {
			out = append(out, e.(string))
		}
		return out
	}
	return nil
}

func TestAutoscalerPolicyScalesOnlyTaggedGroups(t *testing.T) {
	t.Parallel()
	doc, err := cluster.AutoscalerPolicy(offlinetest.Account, "platform-dev-eks")
	require.NoError(t, err)
	sts := statements(t, doc)
	var writes, reads int
	for _, s := range sts {
		require.Equal(t, "Allow", s.Effect)
		for _, a := range actions(s) {
			require.NotContains(t, a, "*", "no wildcard actions")
			switch a {
			case "autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup":
				writes++
				require.Equal(t, map[string]any{
					"aws:ResourceTag/k8s.io/cluster-autoscaler/platform-dev-eks": "owned",
					"aws:ResourceTag/k8s.io/cluster-autoscaler/enabled":          "true",
				}, s.Condition["StringEquals"], "%s must be scoped by the cluster's tags", a)
			case "eks:DescribeNodegroup":
				require.Equal(t, "arn:aws:eks:us-east-1:123456789012:nodegroup/platform-dev-eks/*/*", s.Resource)
			default:
				reads++
				require.True(t, strings.Contains(a, ":Describe") || strings.Contains(a, ":Get"), "%s must be read-only", a)
			}
		}
	}
	require.Equal(t, 2, writes)
	require.Contains(t, doc, "ec2:DescribeLaunchTemplateVersions")
	require.Contains(t, doc, "ec2:DescribeInstanceTypes")
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
		require.Equal(t, map[string]any{"AWS": slr}, s["Principal"])
		switch s["Action"] {
		case "kms:CreateGrant":
			grant = true
			require.Equal(t, map[string]any{"Bool": map[string]any{"kms:GrantIsForAWSResource": true}}, s["Condition"])
		default:
			use = true
			require.ElementsMatch(t, []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}, s["Action"])
		}
	}
	require.True(t, grant && use)
	// The statements must survive rendering into a key policy.
	doc, err := parts.KeyPolicy(offlinetest.Account, nil, sts...)
	require.NoError(t, err)
	require.Contains(t, doc, "AutoScalingGrantsKeyToEBS")
}

func TestNodeTrustHasNoSourceConditions(t *testing.T) {
	t.Parallel()
	doc, err := cluster.NodeTrust(offlinetest.Account)
	require.NoError(t, err)
	sts := statements(t, doc)
	require.Len(t, sts, 1)
	require.Equal(t, map[string]any{"Service": "ec2.amazonaws.com"}, sts[0].Principal)
	require.Equal(t, []string{"sts:AssumeRole"}, actions(sts[0]))
	require.Nil(t, sts[0].Condition)
}

func TestKeyUserPolicies(t *testing.T) {
	t.Parallel()
	const key = "arn:aws:kms:us-east-1:123456789012:key/abc"
	doc, err := cluster.ClusterKeyPolicy(key)
	require.NoError(t, err)
	sts := statements(t, doc)
	require.Len(t, sts, 1)
	require.Equal(t, key, sts[0].Resource)
	require.ElementsMatch(t, []string{"kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"}, actions(sts[0]))

	doc, err = cluster.VolumeKeyUserPolicy(key)
	require.NoError(t, err)
	for _, s := range statements(t, doc) {
		require.Equal(t, key, s.Resource, "never all keys (KMS-08)")
		if s.Sid == "GrantVolumeKeyToEBS" {
			require.Equal(t, true, s.Condition["Bool"]["kms:GrantIsForAWSResource"])
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

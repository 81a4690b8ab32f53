package catalog_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/internal/catalog"
)

func TestEC2Types(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		known       bool
		arch, accel string
	}{
		{"t3.large", true, catalog.X86, ""},
		{"m7g.xlarge", true, catalog.ARM, ""},
		{"m7i.metal-48xl", true, catalog.X86, ""},
		{"g5.xlarge", true, catalog.X86, catalog.NVIDIA},
		{"g5g.2xlarge", true, catalog.ARM, catalog.NVIDIA},
		{"inf2.xlarge", true, catalog.X86, catalog.Neuron},
		{"m5.medium", false, "", ""},  // M5 starts at large
		{"c5.8xlarge", false, "", ""}, // C5 has 9xlarge, not 8xlarge
		{"t4g.4xlarge", false, "", ""},
		{"x9.large", false, "", ""},
		{"large", false, "", ""},
	}
	for _, tt := range tests {
		got, ok := catalog.LookupEC2(tt.name)
		require.Equal(t, tt.known, ok, tt.name)
		if ok {
			require.Equal(t, tt.arch, got.Arch, tt.name)
			require.Equal(t, tt.accel, got.Accelerator, tt.name)
		}
	}
}

func TestAMIRequirement(t *testing.T) {
	t.Parallel()
	for ami, want := range map[string][2]string{
		"AL2023_x86_64_STANDARD": {catalog.X86, ""},
		"AL2023_ARM_64_STANDARD": {catalog.ARM, ""},
		"AL2023_x86_64_NVIDIA":   {catalog.X86, catalog.NVIDIA},
		"AL2023_ARM_64_NVIDIA":   {catalog.ARM, catalog.NVIDIA},
		"AL2023_x86_64_NEURON":   {catalog.X86, catalog.Neuron},
	} {
		arch, accel := catalog.AMIRequirement(ami)
		require.Equal(t, want, [2]string{arch, accel}, ami)
	}
}

// The memory the alarms are checked against, and RDS's default
// max_connections from it: LEAST(DBInstanceClassMemory/9531392, 5000).
func TestRDSClasses(t *testing.T) {
	t.Parallel()
	for class, gib := range map[string]float64{"db.t4g.micro": 1, "db.t3.medium": 4, "db.r6g.large": 16, "db.m7g.16xlarge": 256} {
		c, ok := catalog.LookupRDSClass(class)
		require.True(t, ok, class)
		require.InDelta(t, gib, c.MemoryGiB, 1e-9, class)
	}
	micro, _ := catalog.LookupRDSClass("db.t4g.micro")
	require.Equal(t, 112, catalog.RDSMaxConnections(micro))
	big, _ := catalog.LookupRDSClass("db.r7i.48xlarge")
	require.Equal(t, 5000, catalog.RDSMaxConnections(big), "capped at 5000")
	for _, class := range []string{"db.t4g.nano", "db.m6g.24xlarge", "r6g.large", "db.x9.large"} {
		_, ok := catalog.LookupRDSClass(class)
		require.False(t, ok, class)
	}
}

func TestCacheAndBroker(t *testing.T) {
	t.Parallel()
	_, ok := catalog.LookupCacheNode("cache.t4g.small")
	require.True(t, ok)
	_, ok = catalog.LookupCacheNode("cache.t4g.large")
	require.False(t, ok)
	micro, ok := catalog.LookupMQInstance("mq.t3.micro")
	require.True(t, ok)
	require.False(t, micro.Cluster, "mq.t3.micro runs single-instance brokers only")
	m7g, ok := catalog.LookupMQInstance("mq.m7g.large")
	require.True(t, ok)
	require.Contains(t, m7g.Versions, "4.2")
	m5, _ := catalog.LookupMQInstance("mq.m5.large")
	require.NotContains(t, m5.Versions, "4.2", "RabbitMQ 4 runs on mq.m7g only")
	_, ok = catalog.LookupMQInstance("mq.m6g.large")
	require.False(t, ok)
}

func TestRegionsAndAddons(t *testing.T) {
	t.Parallel()
	require.True(t, catalog.IsRegion("us-east-1"))
	require.False(t, catalog.IsRegion("us-east-7"))
	for _, addon := range []string{"vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver"} {
		require.NotEmpty(t, catalog.EKSAddonVersions["1.35"][addon], addon)
	}
}

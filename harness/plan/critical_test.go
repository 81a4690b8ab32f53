package plan_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
)

// cpNode builds a custom resource for synthetic graphs.
func cpNode(typ, name string, inputs map[string]any, deps ...string) *offline.Resource {
	return &offline.Resource{
		Type: typ, Name: name, URN: "urn:" + name, Custom: true, Parent: "urn:stack",
		Inputs: resource.NewPropertyMapFromMap(inputs), Dependencies: deps,
	}
}

// In both stacks the estimated `pulumi up` is within 5% of the longest chain
// the data requires, and no slow resource waits on another slow one without
// a data reason.
func TestCriticalPathIsBoundedByTheData(t *testing.T) {
	t.Parallel()
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res, err := plan.Run(plan.Options{Dir: offlinetest.RepoRoot(t), Stack: stack})
			require.NoError(t, err)
			cp := res.CriticalPath
			require.Empty(t, cp.Unjustified, "slow resources waiting on slow resources without a data reason")
			require.Greater(t, cp.BoundSeconds, 600.0, "the bound includes at least the slowest resource")
			require.LessOrEqual(t, cp.Seconds, 1.05*cp.BoundSeconds,
				"critical path %s is more than 5%% above the data bound %s", plan.Duration(cp.Seconds), plan.Duration(cp.BoundSeconds))
			require.NotEmpty(t, cp.Steps)
			last := cp.Steps[len(cp.Steps)-1]
			require.Equal(t, cp.Seconds, last.Finish)
			for i := 1; i < len(cp.Steps); i++ {
				require.Equal(t, cp.Steps[i-1].Finish+cp.Steps[i].Seconds, cp.Steps[i].Finish, "each step starts when the one before ends")
			}
		})
	}
}

// The database must not wait for the cluster: the cluster's security groups
// reach the database only through separate ingress rules.
func TestDatabaseDoesNotWaitForTheCluster(t *testing.T) {
	t.Parallel()
	res, err := plan.Run(plan.Options{Dir: offlinetest.RepoRoot(t), Stack: "dev"})
	require.NoError(t, err)
	var db, eks *offline.Resource
	for _, r := range res.Resources {
		switch r.Type {
		case "aws:rds/instance:Instance":
			db = r
		case "aws:eks/cluster:Cluster":
			eks = r
		}
	}
	require.NotNil(t, db)
	require.NotNil(t, eks)
	byURN := map[string]*offline.Resource{}
	for _, r := range res.Resources {
		byURN[r.URN] = r
	}
	seen := map[string]bool{}
	var walk func(urn string)
	walk = func(urn string) {
		if seen[urn] {
			return
		}
		seen[urn] = true
		if r, ok := byURN[urn]; ok {
			for _, d := range r.Dependencies {
				walk(d)
			}
		}
	}
	walk(db.URN)
	require.False(t, seen[eks.URN], "the RDS instance waits, directly or not, for the EKS cluster")
}

func TestAnalyzeFindsTheLongestChain(t *testing.T) {
	t.Parallel()
	subnet := cpNode("aws:ec2/subnet:Subnet", "subnet", nil)
	eks := cpNode("aws:eks/cluster:Cluster", "eks", nil, "urn:subnet")
	ng := cpNode("aws:eks/nodeGroup:NodeGroup", "ng", nil, "urn:eks")
	db := cpNode("aws:rds/instance:Instance", "db", map[string]any{"multiAz": false}, "urn:subnet")
	job := cpNode("kubernetes:batch/v1:Job", "job", nil, "urn:ng", "urn:db")
	cp := plan.Analyze([]*offline.Resource{subnet, eks, ng, db, job})

	require.Empty(t, cp.Unjustified)
	require.Equal(t, 5.0+600+240+60, cp.Seconds, "subnet → cluster → node group → job")
	require.Equal(t, cp.Seconds, cp.BoundSeconds)
	var names []string
	for _, s := range cp.Steps {
		names = append(names, s.Name)
	}
	require.Equal(t, []string{"subnet", "eks", "ng", "job"}, names)
}

// A slow resource that waits on another slow one for no data reason is
// reported, and the bound shows what it costs.
func TestAnalyzeReportsAnUnjustifiedWait(t *testing.T) {
	t.Parallel()
	subnet := cpNode("aws:ec2/subnet:Subnet", "subnet", nil)
	eks := cpNode("aws:eks/cluster:Cluster", "eks", nil, "urn:subnet")
	// The database's security group takes the cluster's security group as
	// an inline rule: the database now waits for the cluster.
	sg := cpNode("aws:ec2/securityGroup:SecurityGroup", "db-sg", nil, "urn:eks")
	db := cpNode("aws:rds/instance:Instance", "db", map[string]any{"multiAz": true}, "urn:subnet", "urn:db-sg")
	cp := plan.Analyze([]*offline.Resource{subnet, eks, sg, db})

	require.Len(t, cp.Unjustified, 1)
	require.Equal(t, "db", cp.Unjustified[0].To.Name)
	require.Equal(t, "eks", cp.Unjustified[0].From.Name)
	require.Equal(t, []string{"db-sg"}, cp.Unjustified[0].Via)
	require.Contains(t, cp.Unjustified[0].String(), "aws:rds/instance:Instance db waits for aws:eks/cluster:Cluster eks (via db-sg)")
	require.Equal(t, 5.0+600+2+900, cp.Seconds)
	require.Equal(t, 5.0+900, cp.BoundSeconds, "without the needless wait the database starts right after its subnet")
	require.Greater(t, cp.Seconds, 1.05*cp.BoundSeconds)
}

// Waiting for a component means waiting for everything in it; a parent does
// not block its children.
func TestAnalyzeComponents(t *testing.T) {
	t.Parallel()
	comp := &offline.Resource{Type: "platform:compute:Cluster", Name: "c", URN: "urn:c", Parent: "urn:stack"}
	eks := cpNode("aws:eks/cluster:Cluster", "eks", nil)
	eks.Parent = "urn:c"
	role := cpNode("aws:iam/role:Role", "role", nil)
	role.Parent = "urn:c"
	job := cpNode("kubernetes:batch/v1:Job", "job", nil, "urn:c")
	cp := plan.Analyze([]*offline.Resource{comp, eks, role, job})
	require.Equal(t, 600.0+60, cp.Seconds)
	require.Equal(t, 0.0, plan.CreationSeconds(comp))
}

func TestCreationSecondsDependOnTheShape(t *testing.T) {
	t.Parallel()
	single := cpNode("aws:rds/instance:Instance", "a", map[string]any{"multiAz": false})
	multi := cpNode("aws:rds/instance:Instance", "b", map[string]any{"multiAz": true})
	require.Less(t, plan.CreationSeconds(single), plan.CreationSeconds(multi))
	one := cpNode("aws:mq/broker:Broker", "c", map[string]any{"deploymentMode": "SINGLE_INSTANCE"})
	cluster := cpNode("aws:mq/broker:Broker", "d", map[string]any{"deploymentMode": "CLUSTER_MULTI_AZ"})
	require.Less(t, plan.CreationSeconds(one), plan.CreationSeconds(cluster))
	require.Equal(t, 2.0, plan.CreationSeconds(cpNode("aws:iam/rolePolicy:RolePolicy", "e", nil)))
}

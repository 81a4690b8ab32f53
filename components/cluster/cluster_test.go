package cluster_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/internal/parts"
)

// Type tokens the tests look up.
const (
	tCluster     = "aws:eks/cluster:Cluster"
	tKey         = "aws:kms/key:Key"
	tLogGroup    = "aws:cloudwatch/logGroup:LogGroup"
	tRole        = "aws:iam/role:Role"
	tAttachment  = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	tRolePolicy  = "aws:iam/rolePolicy:RolePolicy"
	tAccessEntry = "aws:eks/accessEntry:AccessEntry"
	tAccessAssoc = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
	tOIDC        = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
	tAddon       = "aws:eks/addon:Addon"
	tLT          = "aws:ec2/launchTemplate:LaunchTemplate"
	tNodeGroup   = "aws:eks/nodeGroup:NodeGroup"
	tSG          = "aws:ec2/securityGroup:SecurityGroup"
	tIngress     = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tEgress      = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
)

const clusterName = "platform-test-eks" // PhysicalName of "eks" in the test project and stack

func validArgs() *cluster.ClusterArgs {
	return &cluster.ClusterArgs{
		Config:    validConfig(),
		Account:   offlinetest.Account,
		VPCID:     pulumi.String("vpc-123"),
		SubnetIDs: pulumi.ToStringArray([]string{"subnet-a", "subnet-b", "subnet-c"}),
		Tags:      map[string]string{"team": "platform"},
	}
}

func runCluster(t *testing.T, mutate func(*cluster.ClusterArgs)) (*offline.Recorder, *cluster.Cluster) {
	t.Helper()
	args := validArgs()
	args.NodeGroups = slices.Clone(args.NodeGroups)
	if mutate != nil {
		mutate(args)
	}
	var c *cluster.Cluster
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		var err error
		c, err = cluster.NewCluster(ctx, "eks", args)
		return err
	})
	return rec, c
}

func TestClusterDefaultsRegisterTheWholeGraph(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, nil)
	counts := rec.CountByType()
	require.Equal(t, 1, counts[cluster.TypeToken])
	require.Equal(t, 1, counts[tCluster])
	require.Equal(t, 2, counts[tKey], "cluster key and volume key")
	require.Equal(t, 1, counts[tLogGroup])
	require.Equal(t, 5, counts[tRole], "cluster, nodes, vpc-cni, ebs-csi, autoscaler")
	require.Equal(t, 1, counts[tOIDC])
	require.Equal(t, 5, counts[tAddon])
	require.Equal(t, 1, counts[tLT])
	require.Equal(t, 1, counts[tNodeGroup])
	require.Equal(t, 1, counts[tSG])
	require.Equal(t, 1, counts[tAccessEntry])
	require.Equal(t, 1, counts[tAccessAssoc])
}

func TestControlPlaneIsPrivateEncryptedAndLogged(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, nil)
	c := offlinetest.Find(t, rec, tCluster, "eks")
	require.Equal(t, clusterName, offlinetest.Str(t, c, "name"))
	require.Equal(t, "1.35", offlinetest.Str(t, c, "version"))
	require.Equal(t, "STANDARD", offlinetest.Str(t, c, "upgradePolicy.supportType"))

	require.True(t, offlinetest.Bool(t, c, "vpcConfig.endpointPrivateAccess"))
	require.False(t, offlinetest.Bool(t, c, "vpcConfig.endpointPublicAccess"))
	require.False(t, offlinetest.Has(c, "vpcConfig.publicAccessCidrs"))
	require.Equal(t, []string{"subnet-a", "subnet-b", "subnet-c"}, offlinetest.Strs(t, c, "vpcConfig.subnetIds"))

	key := offlinetest.Find(t, rec, tKey, "eks-cluster")
	require.True(t, offlinetest.Bool(t, key, "enableKeyRotation"))
	require.Equal(t, []string{"secrets"}, offlinetest.Strs(t, c, "encryptionConfig.resources"))
	require.Equal(t, offlinetest.OutputString(t, key, "arn"), offlinetest.Str(t, c, "encryptionConfig.provider.keyArn"))

	require.ElementsMatch(t, []string{"api", "audit", "authenticator", "controllerManager", "scheduler"},
		offlinetest.Strs(t, c, "enabledClusterLogTypes"))
	lg := offlinetest.Find(t, rec, tLogGroup, "eks-control-plane")
	require.Equal(t, "/aws/eks/"+clusterName+"/cluster", offlinetest.Str(t, lg, "name"))
	require.Equal(t, 90.0, offlinetest.Num(t, lg, "retentionInDays"))
	require.Equal(t, offlinetest.OutputString(t, key, "arn"), offlinetest.Str(t, lg, "kmsKeyId"))
	require.Contains(t, c.Dependencies, lg.URN, "the log group must exist before EKS writes to it")

	require.Equal(t, "API", offlinetest.Str(t, c, "accessConfig.authenticationMode"))
	require.False(t, offlinetest.Bool(t, c, "accessConfig.bootstrapClusterCreatorAdminPermissions"))
	require.False(t, offlinetest.Bool(t, c, "bootstrapSelfManagedAddons"))

	role := offlinetest.Find(t, rec, tRole, "eks-cluster")
	trust := offlinetest.Policy(t, role, "assumeRolePolicy")
	require.Len(t, trust.Statement, 1)
	require.Equal(t, &parts.Principal{Service: parts.One("eks.amazonaws.com")}, trust.Statement[0].Principal)
	require.Equal(t, parts.Conditions{"StringEquals": {"aws:SourceAccount": parts.One(offlinetest.Account.ID)}}, trust.Statement[0].Condition)
	require.Equal(t, offlinetest.OutputString(t, role, "arn"), offlinetest.Str(t, c, "roleArn"))
	attach := offlinetest.Find(t, rec, tAttachment, "eks-cluster-policy")
	require.Equal(t, "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", offlinetest.Str(t, attach, "policyArn"))
	require.Contains(t, c.Dependencies, attach.URN)
	keyUse := offlinetest.Find(t, rec, tRolePolicy, "eks-cluster-encryption")
	require.Equal(t, cluster.ClusterKeyPolicy(offlinetest.OutputString(t, key, "arn")), offlinetest.Policy(t, keyUse, "policy"))
	require.Contains(t, c.Dependencies, keyUse.URN)
}

func TestPublicEndpointSendsOnlyTheConfiguredCIDRs(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, func(a *cluster.ClusterArgs) {
		a.APIAccess = cluster.APIAccess{PublicCIDRs: []string{"203.0.113.0/24", "198.51.100.7/32"}}
	})
	c := offlinetest.Find(t, rec, tCluster, "eks")
	require.True(t, offlinetest.Bool(t, c, "vpcConfig.endpointPublicAccess"))
	require.True(t, offlinetest.Bool(t, c, "vpcConfig.endpointPrivateAccess"))
	require.Equal(t, []string{"203.0.113.0/24", "198.51.100.7/32"}, offlinetest.Strs(t, c, "vpcConfig.publicAccessCidrs"))
	require.Empty(t, apiRules(rec), "no private source, no rule on the cluster security group")
}

// apiRules returns the ingress rules on the EKS cluster security group.
func apiRules(rec *offline.Recorder) []*offline.Resource {
	var out []*offline.Resource
	for _, r := range rec.ByType(tIngress) {
		if strings.HasPrefix(r.Name, "eks-api-from-") {
			out = append(out, r)
		}
	}
	return out
}

// The private path: the endpoint stays private and each configured source
// gets 443 on the security group EKS puts on the control plane.
func TestPrivateSourcesReachTheAPIOn443(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, func(a *cluster.ClusterArgs) {
		a.APIAccess = cluster.APIAccess{PrivateSources: []cluster.AccessSource{
			{CIDR: "10.100.0.0/24", Description: "self-hosted runners"},
			{SecurityGroupID: "sg-0123456789abcdef0", Description: "VPN"},
		}}
	})
	c := offlinetest.Find(t, rec, tCluster, "eks")
	require.False(t, offlinetest.Bool(t, c, "vpcConfig.endpointPublicAccess"))
	clusterSG := offlinetest.OutputString(t, c, "vpcConfig.clusterSecurityGroupId")
	rules := apiRules(rec)
	require.Len(t, rules, 2)
	byName := map[string]*offline.Resource{}
	for _, r := range rules {
		byName[r.Name] = r
		require.Equal(t, clusterSG, offlinetest.Str(t, r, "securityGroupId"), "the rule is on the EKS cluster security group")
		require.Equal(t, "tcp", offlinetest.Str(t, r, "ipProtocol"))
		require.Equal(t, 443.0, offlinetest.Num(t, r, "fromPort"))
		require.Equal(t, 443.0, offlinetest.Num(t, r, "toPort"))
	}
	cidr := byName["eks-api-from-10-100-0-0-24"]
	require.NotNil(t, cidr)
	require.Equal(t, "10.100.0.0/24", offlinetest.Str(t, cidr, "cidrIpv4"))
	require.Equal(t, "self-hosted runners", offlinetest.Str(t, cidr, "description"))
	sg := byName["eks-api-from-sg-0123456789abcdef0"]
	require.NotNil(t, sg)
	require.Equal(t, "sg-0123456789abcdef0", offlinetest.Str(t, sg, "referencedSecurityGroupId"))

	// The Kubernetes provider is configured only once the path is open and
	// the access entries have propagated.
	wait := offlinetest.Find(t, rec, "command:local:Command", "eks-access-propagation")
	for _, r := range rules {
		require.Contains(t, wait.Dependencies, r.URN)
	}
	for _, a := range rec.ByType(tAccessAssoc) {
		require.Contains(t, wait.Dependencies, a.URN)
	}
	require.Equal(t, fmt.Sprintf("sleep %d && echo ready", cluster.AccessPropagationSeconds), offlinetest.Str(t, wait, "create"))
}

func TestExtendedSupportAndVersionComeFromConfig(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, func(a *cluster.ClusterArgs) {
		a.Version = "1.32"
		a.UpgradeSupportType = cluster.SupportExtended
		a.Addons.KubeProxy.Version = "v1.32.3-eksbuild.7"
		a.Autoscaler.ImageTag = "v1.32.1"
		a.LogRetentionDays = 365
	})
	c := offlinetest.Find(t, rec, tCluster, "eks")
	require.Equal(t, "1.32", offlinetest.Str(t, c, "version"))
	require.Equal(t, "EXTENDED", offlinetest.Str(t, c, "upgradePolicy.supportType"))
	require.Equal(t, 365.0, offlinetest.Num(t, offlinetest.Find(t, rec, tLogGroup, "eks-control-plane"), "retentionInDays"))
}

func TestProtectReachesClusterAndKeys(t *testing.T) {
	t.Parallel()
	for _, protect := range []bool{false, true} {
		rec, _ := runCluster(t, func(a *cluster.ClusterArgs) { a.Protect = protect })
		require.Equal(t, protect, offlinetest.Find(t, rec, tCluster, "eks").Protect)
		require.Equal(t, protect, offlinetest.Find(t, rec, tKey, "eks-cluster").Protect)
		require.Equal(t, protect, offlinetest.Find(t, rec, tKey, "eks-volumes").Protect)
		lg := offlinetest.Find(t, rec, tLogGroup, "eks-control-plane")
		if protect {
			require.True(t, offlinetest.Bool(t, lg, "skipDestroy"), "prod keeps its audit logs")
		} else {
			require.False(t, offlinetest.Has(lg, "skipDestroy"))
		}
		require.False(t, offlinetest.Find(t, rec, tNodeGroup, "eks-general").Protect, "node groups are cattle")
	}
}

func TestAccessEntriesMakeOnlyTheListedRolesAdmins(t *testing.T) {
	t.Parallel()
	ops := "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123"
	rec, _ := runCluster(t, func(a *cluster.ClusterArgs) { a.AdminRoleARNs = []string{adminARN, ops} })
	entries := rec.ByType(tAccessEntry)
	assocs := rec.ByType(tAccessAssoc)
	require.Len(t, entries, 2)
	require.Len(t, assocs, 2)
	var principals []string
	for _, e := range entries {
		principals = append(principals, offlinetest.Str(t, e, "principalArn"))
		require.Equal(t, "STANDARD", offlinetest.Str(t, e, "type"))
		require.Equal(t, clusterName, offlinetest.Str(t, e, "clusterName"))
	}
	require.ElementsMatch(t, []string{adminARN, ops}, principals)
	for _, a := range assocs {
		require.Equal(t, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", offlinetest.Str(t, a, "policyArn"))
		require.Equal(t, "cluster", offlinetest.Str(t, a, "accessScope.type"))
		require.Contains(t, []string{adminARN, ops}, offlinetest.Str(t, a, "principalArn"))
	}
	offlinetest.Find(t, rec, tAccessEntry, "eks-admin-123456789012-platform-deployer")
	offlinetest.Find(t, rec, tAccessEntry, "eks-admin-123456789012-AWSReservedSSO_Admin_0123")
}

func TestIdentityForWorkloads(t *testing.T) {
	t.Parallel()
	rec, c := runCluster(t, nil)
	oidc := offlinetest.Find(t, rec, tOIDC, "eks-oidc")
	issuer := offlinetest.Str(t, oidc, "url")
	require.True(t, strings.HasPrefix(issuer, "https://oidc.eks.us-east-1.amazonaws.com/id/"), issuer)
	require.Equal(t, []string{"sts.amazonaws.com"}, offlinetest.Strs(t, oidc, "clientIdLists"))
	require.Equal(t, offlinetest.OutputString(t, oidc, "arn"), offlinetest.Await(t, c.OIDCProviderARN).Value)
	require.Equal(t, issuer, offlinetest.Await(t, c.OIDCIssuerURL).Value)

	agent := offlinetest.Find(t, rec, tAddon, "eks-eks-pod-identity-agent")
	require.Equal(t, "eks-pod-identity-agent", offlinetest.Str(t, agent, "addonName"))
}

// trustedServiceAccount returns the service account an IRSA role trusts.
func trustedServiceAccount(t *testing.T, role *offline.Resource) string {
	t.Helper()
	d := offlinetest.Policy(t, role, "assumeRolePolicy")
	require.Len(t, d.Statement, 1)
	s := d.Statement[0]
	require.Equal(t, parts.One("sts:AssumeRoleWithWebIdentity"), s.Action)
	require.NotNil(t, s.Principal)
	require.Len(t, s.Principal.Federated.Strings(), 1)
	require.Contains(t, s.Principal.Federated.Strings()[0], ":oidc-provider/oidc.eks.")
	for k, v := range s.Condition["StringEquals"] {
		if strings.HasSuffix(k, ":sub") {
			require.Len(t, v.Strings(), 1, "one service account")
			return v.Strings()[0]
		}
	}
	t.Fatalf("%s: no :sub condition in %+v", role.Name, d)
	return ""
}

func attachedPolicies(rec *offline.Recorder, role *offline.Resource) []string {
	var out []string
	for _, a := range rec.ByType(tAttachment) {
		if v, ok := offline.GetString(a.Inputs, "role"); ok && v == role.ID {
			p, _ := offline.GetString(a.Inputs, "policyArn")
			out = append(out, p)
		}
	}
	return out
}

func TestManagedAddonsArePinnedAndOrdered(t *testing.T) {
	t.Parallel()
	rec, c := runCluster(t, nil)
	defaults := cluster.DefaultAddons()
	versions := map[string]string{
		"vpc-cni":                defaults.VPCCNI.Version,
		"kube-proxy":             defaults.KubeProxy.Version,
		"eks-pod-identity-agent": defaults.PodIdentityAgent.Version,
		"coredns":                defaults.CoreDNS.Version,
		"aws-ebs-csi-driver":     defaults.EBSCSIDriver.Version,
	}
	ng := offlinetest.Find(t, rec, tNodeGroup, "eks-general")
	for name, version := range versions {
		a := offlinetest.Find(t, rec, tAddon, "eks-"+name)
		require.Equal(t, name, offlinetest.Str(t, a, "addonName"))
		require.Equal(t, version, offlinetest.Str(t, a, "addonVersion"))
		require.Equal(t, clusterName, offlinetest.Str(t, a, "clusterName"))
		require.Equal(t, "OVERWRITE", offlinetest.Str(t, a, "resolveConflictsOnCreate"))
		require.Equal(t, "OVERWRITE", offlinetest.Str(t, a, "resolveConflictsOnUpdate"))
		switch name {
		case "vpc-cni", "kube-proxy", "eks-pod-identity-agent":
			require.Contains(t, ng.Dependencies, a.URN, "nodes wait for %s", name)
		default:
			require.Contains(t, a.Dependencies, ng.URN, "%s waits for the nodes", name)
		}
	}
	require.Len(t, c.Addons, 5)
	require.Len(t, c.NodeGroups, 1)

	// vpc-cni: own IRSA role with the CNI policy, not the node role.
	cni := offlinetest.Find(t, rec, tRole, "eks-vpc-cni")
	require.Equal(t, "system:serviceaccount:kube-system:aws-node", trustedServiceAccount(t, cni))
	require.Equal(t, []string{"arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"}, attachedPolicies(rec, cni))
	require.Equal(t, offlinetest.OutputString(t, cni, "arn"), offlinetest.Str(t, offlinetest.Find(t, rec, tAddon, "eks-vpc-cni"), "serviceAccountRoleArn"))

	ebs := offlinetest.Find(t, rec, tRole, "eks-ebs-csi")
	require.Equal(t, "system:serviceaccount:kube-system:ebs-csi-controller-sa", trustedServiceAccount(t, ebs))
	require.Equal(t, []string{"arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"}, attachedPolicies(rec, ebs))
	ebsKey := offlinetest.Find(t, rec, tRolePolicy, "eks-ebs-csi")
	require.Equal(t, cluster.VolumeKeyUserPolicy(offlinetest.OutputString(t, offlinetest.Find(t, rec, tKey, "eks-volumes"), "arn")), offlinetest.Policy(t, ebsKey, "policy"))
	ebsAddon := offlinetest.Find(t, rec, tAddon, "eks-aws-ebs-csi-driver")
	require.Equal(t, offlinetest.OutputString(t, ebs, "arn"), offlinetest.Str(t, ebsAddon, "serviceAccountRoleArn"))
	require.Contains(t, ebsAddon.Dependencies, ebsKey.URN)

	for _, name := range []string{"kube-proxy", "coredns", "eks-pod-identity-agent"} {
		require.False(t, offlinetest.Has(offlinetest.Find(t, rec, tAddon, "eks-"+name), "serviceAccountRoleArn"))
	}

	nodes := offlinetest.Find(t, rec, tRole, "eks-nodes")
	require.ElementsMatch(t, []string{
		"arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
		"arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
	}, attachedPolicies(rec, nodes), "the node role has only the worker and ECR read-only policies")
	for _, p := range rec.ByType(tRolePolicy) {
		require.NotEqual(t, nodes.ID, offlinetest.Str(t, p, "role"), "no inline policy on the node role")
	}
}

func TestDisabledAddonIsNotInstalled(t *testing.T) {
	t.Parallel()
	rec, c := runCluster(t, func(a *cluster.ClusterArgs) {
		a.Addons.EBSCSIDriver = cluster.Addon{Enabled: false}
		a.DefaultStorageClass = false
		a.Addons.VPCCNI.Configuration = map[string]any{"enableNetworkPolicy": "true"}
	})
	require.Nil(t, rec.Find(tAddon, "eks-aws-ebs-csi-driver"))
	require.Nil(t, rec.Find(tRole, "eks-ebs-csi"))
	require.Len(t, rec.ByType(tAddon), 4)
	require.Len(t, c.Addons, 4)
	cni := offlinetest.Find(t, rec, tAddon, "eks-vpc-cni")
	require.JSONEq(t, `{"enableNetworkPolicy":"true"}`, offlinetest.Str(t, cni, "configurationValues"))
	require.False(t, offlinetest.Has(offlinetest.Find(t, rec, tAddon, "eks-coredns"), "configurationValues"))
}

func TestLaunchTemplateHardensNodes(t *testing.T) {
	t.Parallel()
	rec, c := runCluster(t, nil)
	lt := offlinetest.Find(t, rec, tLT, "eks-general")
	require.Equal(t, "required", offlinetest.Str(t, lt, "metadataOptions.httpTokens"))
	require.Equal(t, "enabled", offlinetest.Str(t, lt, "metadataOptions.httpEndpoint"))
	require.Equal(t, 1.0, offlinetest.Num(t, lt, "metadataOptions.httpPutResponseHopLimit"))

	require.Equal(t, "/dev/xvda", offlinetest.Str(t, lt, "blockDeviceMappings[0].deviceName"))
	require.Equal(t, "true", offlinetest.Str(t, lt, "blockDeviceMappings[0].ebs.encrypted"))
	require.Equal(t, "gp3", offlinetest.Str(t, lt, "blockDeviceMappings[0].ebs.volumeType"))
	require.Equal(t, 50.0, offlinetest.Num(t, lt, "blockDeviceMappings[0].ebs.volumeSize"))
	volumeKey := offlinetest.Find(t, rec, tKey, "eks-volumes")
	require.Equal(t, offlinetest.OutputString(t, volumeKey, "arn"), offlinetest.Str(t, lt, "blockDeviceMappings[0].ebs.kmsKeyId"))
	require.Equal(t, offlinetest.OutputString(t, volumeKey, "arn"), offlinetest.Await(t, c.VolumeKMSKeyARN).Value)
	require.True(t, offlinetest.Bool(t, lt, "monitoring.enabled"))
	require.False(t, offlinetest.Has(lt, "imageId"), "EKS chooses the AL2023 AMI")
	require.False(t, offlinetest.Has(lt, "networkInterfaces"), "no public IPs")

	clusterSG := offlinetest.Await(t, c.ClusterSecurityGroupID).Value
	nodeSG := offlinetest.Find(t, rec, tSG, "eks-nodes")
	require.ElementsMatch(t, []string{clusterSG.(string), nodeSG.ID}, offlinetest.Strs(t, lt, "vpcSecurityGroupIds"))

	var kinds []string
	for i := range 3 {
		kinds = append(kinds, offlinetest.Str(t, lt, fmt.Sprintf("tagSpecifications[%d].resourceType", i)))
		require.Equal(t, "platform", offlinetest.Str(t, lt, fmt.Sprintf("tagSpecifications[%d].tags.team", i)))
	}
	require.ElementsMatch(t, []string{"instance", "volume", "network-interface"}, kinds)

	// The key policy lets Auto Scaling launch nodes with the encrypted volume.
	slr := &parts.Principal{AWS: parts.One(cluster.AutoScalingServiceRoleARN(offlinetest.Account))}
	policy := offlinetest.Policy(t, volumeKey, "policy")
	require.Equal(t, slr, offlinetest.Statement(t, policy, "AutoScalingUsesKeyForNodeVolumes").Principal)
	grant := offlinetest.Statement(t, policy, "AutoScalingGrantsKeyToEBS")
	require.Equal(t, slr, grant.Principal)
	require.Equal(t, parts.Bool(true), grant.Condition["Bool"]["kms:GrantIsForAWSResource"])
	for _, st := range offlinetest.Policy(t, offlinetest.Find(t, rec, tKey, "eks-cluster"), "policy").Statement {
		require.NotEqual(t, slr, st.Principal, "the secrets key trusts no service-linked role")
	}
}

func TestMetadataHopLimitIsConfigurable(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, func(a *cluster.ClusterArgs) { a.NodeGroups[0].MetadataHopLimit = 2 })
	require.Equal(t, 2.0, offlinetest.Num(t, offlinetest.Find(t, rec, tLT, "eks-general"), "metadataOptions.httpPutResponseHopLimit"))
}

func TestNodeGroupsFollowTheConfigList(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, func(a *cluster.ClusterArgs) {
		spot := cluster.DefaultNodeGroup()
		spot.Name = "batch"
		spot.InstanceTypes = []string{"m7g.xlarge", "m6g.xlarge"}
		spot.CapacityType = cluster.Spot
		spot.AMIType = "AL2023_ARM_64_STANDARD"
		spot.ReleaseVersion = "1.35.3-20260801"
		spot.MinSize, spot.MaxSize, spot.DesiredSize = 0, 10, new(1)
		spot.DiskSizeGiB = 100
		spot.MaxUnavailable = 3
		spot.AutoRepair = false
		spot.Labels = map[string]string{"workload": "batch"}
		spot.Taints = []cluster.Taint{{Key: "dedicated", Value: "batch", Effect: "NO_SCHEDULE"}, {Key: "spot", Effect: "PREFER_NO_SCHEDULE"}}
		a.NodeGroups = append(a.NodeGroups, spot)
	})
	require.Len(t, rec.ByType(tNodeGroup), 2)
	require.Len(t, rec.ByType(tLT), 2)

	general := offlinetest.Find(t, rec, tNodeGroup, "eks-general")
	require.Equal(t, "ON_DEMAND", offlinetest.Str(t, general, "capacityType"))
	require.Equal(t, "AL2023_x86_64_STANDARD", offlinetest.Str(t, general, "amiType"))
	require.Equal(t, 2.0, offlinetest.Num(t, general, "scalingConfig.desiredSize"))
	require.Equal(t, 1.0, offlinetest.Num(t, general, "updateConfig.maxUnavailable"))
	require.True(t, offlinetest.Bool(t, general, "nodeRepairConfig.enabled"))
	require.False(t, offlinetest.Has(general, "releaseVersion"))
	require.False(t, offlinetest.Has(general, "taints"))

	batch := offlinetest.Find(t, rec, tNodeGroup, "eks-batch")
	require.Equal(t, clusterName, offlinetest.Str(t, batch, "clusterName"))
	require.Equal(t, "1.35", offlinetest.Str(t, batch, "version"))
	require.Equal(t, []string{"m7g.xlarge", "m6g.xlarge"}, offlinetest.Strs(t, batch, "instanceTypes"), "several types: on the node group")
	require.False(t, offlinetest.Has(offlinetest.Find(t, rec, tLT, "eks-batch"), "instanceType"))
	// One type lives in the launch template, so changing it rolls the nodes
	// instead of replacing the group (EKS cannot change a group's types).
	require.False(t, offlinetest.Has(general, "instanceTypes"), "one type: not on the node group")
	require.Equal(t, "m6i.large", offlinetest.Str(t, offlinetest.Find(t, rec, tLT, "eks-general"), "instanceType"))
	require.Equal(t, "SPOT", offlinetest.Str(t, batch, "capacityType"))
	require.Equal(t, "AL2023_ARM_64_STANDARD", offlinetest.Str(t, batch, "amiType"))
	require.Equal(t, "1.35.3-20260801", offlinetest.Str(t, batch, "releaseVersion"))
	require.Equal(t, 0.0, offlinetest.Num(t, batch, "scalingConfig.minSize"))
	require.Equal(t, 10.0, offlinetest.Num(t, batch, "scalingConfig.maxSize"))
	require.Equal(t, 1.0, offlinetest.Num(t, batch, "scalingConfig.desiredSize"))
	require.Equal(t, 3.0, offlinetest.Num(t, batch, "updateConfig.maxUnavailable"))
	require.False(t, offlinetest.Bool(t, batch, "nodeRepairConfig.enabled"))
	require.Equal(t, "batch", offlinetest.Str(t, batch, "labels.workload"))
	require.Equal(t, "dedicated", offlinetest.Str(t, batch, "taints[0].key"))
	require.Equal(t, "batch", offlinetest.Str(t, batch, "taints[0].value"))
	require.Equal(t, "NO_SCHEDULE", offlinetest.Str(t, batch, "taints[0].effect"))
	require.False(t, offlinetest.Has(batch, "taints[1].value"))
	require.Equal(t, []string{"subnet-a", "subnet-b", "subnet-c"}, offlinetest.Strs(t, batch, "subnetIds"), "every AZ's private subnet")
	require.False(t, offlinetest.Has(batch, "diskSize"), "the disk is in the launch template")
	require.False(t, offlinetest.Has(batch, "remoteAccess"), "no SSH")

	lt := offlinetest.Find(t, rec, tLT, "eks-batch")
	require.Equal(t, lt.ID, offlinetest.Str(t, batch, "launchTemplate.id"))
	require.Equal(t, "1", offlinetest.Str(t, batch, "launchTemplate.version"))
	require.Equal(t, 100.0, offlinetest.Num(t, lt, "blockDeviceMappings[0].ebs.volumeSize"))
	require.Equal(t, offlinetest.OutputString(t, offlinetest.Find(t, rec, tRole, "eks-nodes"), "arn"), offlinetest.Str(t, batch, "nodeRoleArn"))
	for _, a := range rec.ByType(tAttachment) {
		if strings.HasPrefix(a.Name, "eks-nodes-") {
			require.Contains(t, batch.Dependencies, a.URN, "nodes wait for their role's policies")
		}
	}
}

func TestDesiredSizeIgnoredExactlyWhenTheAutoscalerIsOn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		enabled *bool
		ignored bool
	}{
		{"default (on)", nil, true},
		{"on", new(true), true},
		{"off", new(false), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, c := runCluster(t, func(a *cluster.ClusterArgs) {
				if tt.enabled != nil {
					a.Autoscaler.Enabled = *tt.enabled
				}
			})
			ng := offlinetest.Find(t, rec, tNodeGroup, "eks-general")
			role := rec.Find(tRole, "eks-autoscaler")
			arn := offlinetest.Await(t, c.AutoscalerRoleARN).Value
			if tt.ignored {
				require.Equal(t, []string{"scalingConfig.desiredSize"}, ng.IgnoreChanges)
				require.NotNil(t, role)
				require.Equal(t, offlinetest.OutputString(t, role, "arn"), arn)
			} else {
				require.Empty(t, ng.IgnoreChanges, "without an autoscaler, desired size is managed")
				require.Nil(t, role)
				require.Equal(t, "", arn)
			}
			// The discovery tags are on the group either way (EKS tags its
			// Auto Scaling group the same).
			require.Equal(t, "owned", offlinetest.Str(t, ng, `tags["k8s.io/cluster-autoscaler/`+clusterName+`"]`))
			require.Equal(t, "true", offlinetest.Str(t, ng, `tags["k8s.io/cluster-autoscaler/enabled"]`))
		})
	}
}

func TestAutoscalerRoleIsScopedToThisCluster(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, nil)
	role := offlinetest.Find(t, rec, tRole, "eks-autoscaler")
	require.Equal(t, "system:serviceaccount:kube-system:cluster-autoscaler", trustedServiceAccount(t, role))
	require.Empty(t, attachedPolicies(rec, role))
	policy := offlinetest.Find(t, rec, tRolePolicy, "eks-autoscaler")
	require.Equal(t, cluster.AutoscalerPolicy(offlinetest.Account, clusterName), offlinetest.Policy(t, policy, "policy"))
	require.Equal(t, role.ID, offlinetest.Str(t, policy, "role"))
}

func TestNodeSecurityGroupRules(t *testing.T) {
	t.Parallel()
	rec, c := runCluster(t, nil)
	sg := offlinetest.Find(t, rec, tSG, "eks-nodes")
	require.Equal(t, "vpc-123", offlinetest.Str(t, sg, "vpcId"))
	require.False(t, offlinetest.Has(sg, "ingress"), "no inline rules")
	clusterSG := offlinetest.Await(t, c.ClusterSecurityGroupID).Value.(string)
	require.True(t, strings.HasPrefix(clusterSG, "sg-"), clusterSG)
	require.Equal(t, sg.ID, offlinetest.Await(t, c.NodeSecurityGroupID).Value)

	type rule struct {
		from, proto string
		lo, hi      float64
	}
	var got []rule
	for _, r := range rec.ByType(tIngress) {
		if !strings.HasPrefix(r.Name, "eks-nodes") {
			continue // the deployers' path to the API, on the cluster security group
		}
		require.Equal(t, sg.ID, offlinetest.Str(t, r, "securityGroupId"))
		require.False(t, offlinetest.Has(r, "cidrIpv4"), "ingress only from security groups")
		require.NotEmpty(t, offlinetest.Str(t, r, "description"))
		from := offlinetest.Str(t, r, "referencedSecurityGroupId")
		switch from {
		case clusterSG:
			from = "cluster"
		case sg.ID:
			from = "self"
		}
		var lo, hi float64
		if offlinetest.Has(r, "fromPort") {
			lo, hi = offlinetest.Num(t, r, "fromPort"), offlinetest.Num(t, r, "toPort")
		}
		got = append(got, rule{from, offlinetest.Str(t, r, "ipProtocol"), lo, hi})
	}
	require.ElementsMatch(t, []rule{
		{"cluster", "tcp", 443, 443},
		{"cluster", "tcp", 10250, 10250},
		{"cluster", "tcp", 1025, 65535},
		{"self", "-1", 0, 0},
	}, got)

	egress := rec.ByType(tEgress)
	require.Len(t, egress, 1)
	require.Equal(t, "0.0.0.0/0", offlinetest.Str(t, egress[0], "cidrIpv4"))
	require.Equal(t, "-1", offlinetest.Str(t, egress[0], "ipProtocol"))
	require.NotEmpty(t, offlinetest.Str(t, egress[0], "description"))
}

func TestEveryChildIsParentedUnderTheComponent(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, nil)
	comps := rec.ByType(cluster.TypeToken)
	require.Len(t, comps, 1)
	below := map[string]bool{}
	for _, r := range rec.Descendants(comps[0].URN) {
		below[r.URN] = true
	}
	for _, r := range rec.Resources() {
		if r.URN == comps[0].URN {
			continue
		}
		require.Truef(t, below[r.URN], "%s %s is not under the component (parent %s)", r.Type, r.Name, r.Parent)
		require.Truef(t, strings.HasPrefix(r.Name, "eks-") || r.Name == "eks", "%s %s is not named after the component", r.Type, r.Name)
	}
}

func TestClusterOutputs(t *testing.T) {
	t.Parallel()
	rec, c := runCluster(t, nil)
	require.Equal(t, clusterName, c.Name)
	require.Equal(t, "us-east-1", c.Region)
	require.Equal(t, clusterName, offlinetest.Await(t, c.ClusterName).Value)
	endpoint := offlinetest.Await(t, c.Endpoint).Value.(string)
	require.True(t, strings.HasPrefix(endpoint, "https://") && strings.HasSuffix(endpoint, ".eks.amazonaws.com"), endpoint)
	require.NotEmpty(t, offlinetest.Await(t, c.CertificateAuthority).Value)
	require.Equal(t, offlinetest.OutputString(t, offlinetest.Find(t, rec, tRole, "eks-nodes"), "arn"), offlinetest.Await(t, c.NodeRoleARN).Value)

	// Node groups for monitoring: bounds from the config, the Auto Scaling
	// group EKS created.
	cfg := validConfig()
	require.Len(t, c.Groups, len(cfg.NodeGroups))
	for i, g := range c.Groups {
		require.Equal(t, cfg.NodeGroups[i].Name, g.Name)
		require.Equal(t, cfg.NodeGroups[i].MinSize, g.MinSize)
		require.Equal(t, cfg.NodeGroups[i].MaxSize, g.MaxSize)
		ng := offlinetest.Find(t, rec, tNodeGroup, "eks-"+g.Name)
		asg, ok := offline.GetString(ng.Outputs, "resources[0].autoscalingGroups[0].name")
		require.True(t, ok)
		require.Equal(t, asg, offlinetest.Await(t, g.ASGName).Value)
	}
}

func TestKubeconfigIsASecretWithExecAuth(t *testing.T) {
	t.Parallel()
	_, c := runCluster(t, nil)
	out := offlinetest.Await(t, c.Kubeconfig)
	require.True(t, out.Known)
	require.True(t, out.Secret, "the kubeconfig export must be secret")
	doc := out.Value.(string)
	kc, ex := parseKubeconfig(t, doc)
	require.Equal(t, offlinetest.Await(t, c.Endpoint).Value, kc.Clusters[0].Cluster.Server)
	require.Equal(t, offlinetest.Await(t, c.CertificateAuthority).Value, kc.Clusters[0].Cluster.CAData)
	require.Equal(t, "aws", ex.Command)
	require.Equal(t, []string{"eks", "get-token", "--cluster-name", clusterName, "--region", "us-east-1", "--output", "json"}, ex.Args)
}

func TestKubeconfigWaitsForTheAdminAccessPolicies(t *testing.T) {
	t.Parallel()
	var assocURNs []string
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		c, err := cluster.NewCluster(ctx, "eks", validArgs())
		if err != nil {
			return err
		}
		// A resource built from the kubeconfig (as the Kubernetes provider
		// is) depends on whatever the kubeconfig depends on.
		_, err = kubernetes.NewProvider(ctx, "probe", &kubernetes.ProviderArgs{Kubeconfig: c.Kubeconfig})
		return err
	})
	for _, a := range rec.ByType(tAccessAssoc) {
		assocURNs = append(assocURNs, a.URN)
	}
	require.NotEmpty(t, assocURNs)
	probe := rec.Find("pulumi:providers:kubernetes", "probe")
	require.NotNil(t, probe)
	// Through the propagation wait, which itself waits for every
	// association.
	wait := offlinetest.Find(t, rec, "command:local:Command", "eks-access-propagation")
	require.Contains(t, probe.Dependencies, wait.URN)
	for _, urn := range assocURNs {
		require.Contains(t, wait.Dependencies, urn)
	}
}

func TestBadInputRegistersNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(*cluster.ClusterArgs)
		want   string
	}{
		{"per-zone group without zones", func(a *cluster.ClusterArgs) { a.NodeGroups[0].PerAZ = true }, "nodeGroups[0].perAz: needs the private subnets by zone"},
		{"no VPC", func(a *cluster.ClusterArgs) { a.VPCID = nil }, "vpcId: is required"},
		{"no subnets", func(a *cluster.ClusterArgs) { a.SubnetIDs = nil }, "subnetIds: is required"},
		{"no account", func(a *cluster.ClusterArgs) { a.Account.ID = "" }, "account:"},
		{"admin in another partition", func(a *cluster.ClusterArgs) {
			a.AdminRoleARNs = []string{"arn:aws-cn:iam::123456789012:role/admin"}
		}, `adminRoleArns[0]: "arn:aws-cn:iam::123456789012:role/admin" is not in the account's partition "aws"`},
		{"bad zone subnet", func(a *cluster.ClusterArgs) { a.ZoneSubnets = []cluster.ZoneSubnet{{Zone: "us-east-1a"}} }, "zoneSubnets[0]: needs a zone and a subnet ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := validArgs()
			args.NodeGroups = slices.Clone(args.NodeGroups)
			tt.mutate(args)
			rec, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
				_, err := cluster.NewCluster(ctx, "eks", args)
				return err
			})
			require.ErrorContains(t, err, tt.want)
			require.ErrorContains(t, err, `cluster "eks"`)
			require.Empty(t, rec.Resources(), "nothing may be registered for bad input")
		})
	}
}

func TestNilArgsIsAnError(t *testing.T) {
	t.Parallel()
	rec, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
		_, err := cluster.NewCluster(ctx, "eks", nil)
		return err
	})
	require.ErrorContains(t, err, "args are required")
	require.Empty(t, rec.Resources())
}

// A Go caller starts from the defaults and sets what has none.
func TestGoCallersStartFromDefaults(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, func(a *cluster.ClusterArgs) {
		a.Config = cluster.DefaultConfig()
		a.AdminRoleARNs = []string{adminARN}
		a.APIAccess = cluster.APIAccess{PublicCIDRs: []string{"52.95.110.1/32"}}
		a.Addons = cluster.DefaultAddons()
		g := cluster.DefaultNodeGroup()
		g.Name, g.InstanceTypes, g.MinSize, g.MaxSize = "small", []string{"t3.large"}, 1, 2
		a.NodeGroups = []cluster.NodeGroup{g}
	})
	require.Equal(t, cluster.DefaultVersion, offlinetest.Str(t, offlinetest.Find(t, rec, tCluster, "eks"), "version"))
	require.Len(t, rec.ByType(tAddon), 5)
	lt := offlinetest.Find(t, rec, tLT, "eks-small")
	require.Equal(t, 50.0, offlinetest.Num(t, lt, "blockDeviceMappings[0].ebs.volumeSize"))
	require.Equal(t, 1.0, offlinetest.Num(t, lt, "metadataOptions.httpPutResponseHopLimit"))
	require.Equal(t, []string{"scalingConfig.desiredSize"}, offlinetest.Find(t, rec, tNodeGroup, "eks-small").IgnoreChanges)
}

package cluster

import (
	"fmt"
	"regexp"

	"github.com/acme/platform/internal/parts"
)

// UnsupportedZoneIDs are the availability zone IDs Amazon EKS refuses for
// cluster subnets (EKS UG network-reqs.adoc, "Subnet requirements for
// clusters": use1-az3 in us-east-1, usw1-az2 in us-west-1, cac1-az3 in
// ca-central-1). CreateCluster fails with UnsupportedAvailabilityZoneException
// otherwise, and which zone name maps to them differs per account.
var UnsupportedZoneIDs = []string{"use1-az3", "usw1-az2", "cac1-az3"}

// logTypes are the control-plane log types; all five are always sent.
var logTypes = []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}

// Service accounts (namespace kube-system) whose IAM roles this package
// creates. The Helm values and the EKS add-ons use the same names.
const (
	VPCCNIServiceAccount     = "aws-node"
	EBSCSIServiceAccount     = "ebs-csi-controller-sa"
	AutoscalerServiceAccount = "cluster-autoscaler"
	SystemNamespace          = "kube-system"
)

// AutoscalerTagEnabled marks an Auto Scaling group as managed by a Cluster
// Autoscaler; AutoscalerOwnerTag(cluster) marks it as this cluster's.
const AutoscalerTagEnabled = "k8s.io/cluster-autoscaler/enabled"

// AutoscalerOwnerTag returns "k8s.io/cluster-autoscaler/<cluster>".
func AutoscalerOwnerTag(clusterName string) string {
	return "k8s.io/cluster-autoscaler/" + clusterName
}

// autoscalerTags are the tags node groups carry so that the autoscaler
// discovers them and its IAM policy lets it resize them. EKS puts the same
// tags on the Auto Scaling groups of managed node groups.
func autoscalerTags(clusterName string) map[string]string {
	return map[string]string{
		AutoscalerTagEnabled:            "true",
		AutoscalerOwnerTag(clusterName): "owned",
	}
}

var clusterNameRE = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)

// validClusterName reports whether EKS accepts name as a cluster name.
func validClusterName(name string) bool { return clusterNameRE.MatchString(name) }

// logGroupName is where EKS writes a cluster's control-plane logs; it must
// exist (with our retention and key) before the cluster does, or EKS creates
// it without either.
func logGroupName(clusterName string) string {
	return "/aws/eks/" + clusterName + "/cluster"
}

// autoscalerPolicy is the Cluster Autoscaler's IAM policy: it may read any
// Auto Scaling group, launch template and instance type (those calls support
// no resource scoping), read this cluster's node groups, and resize or
// terminate instances only in groups tagged as this cluster's.
func autoscalerPolicy(acct parts.Account, clusterName string) parts.PolicyDocument {
	return parts.Policy(
		parts.Statement{
			Sid:    "ReadScalingState",
			Effect: parts.Allow,
			Action: parts.List(
				"autoscaling:DescribeAutoScalingGroups",
				"autoscaling:DescribeAutoScalingInstances",
				"autoscaling:DescribeLaunchConfigurations",
				"autoscaling:DescribeScalingActivities",
				"autoscaling:DescribeTags",
				"ec2:DescribeImages",
				"ec2:DescribeInstanceTypes",
				"ec2:DescribeLaunchTemplateVersions",
				"ec2:GetInstanceTypesFromInstanceRequirements",
			),
			Resource: parts.One("*"),
		},
		parts.Statement{
			Sid:      "ReadOwnNodeGroups",
			Effect:   parts.Allow,
			Action:   parts.List("eks:DescribeNodegroup"),
			Resource: parts.One(acct.ARN("eks", acct.Region, "nodegroup/"+clusterName+"/*/*")),
		},
		parts.Statement{
			Sid:    "ScaleOwnGroupsOnly",
			Effect: parts.Allow,
			Action: parts.List(
				"autoscaling:SetDesiredCapacity",
				"autoscaling:TerminateInstanceInAutoScalingGroup",
			),
			Resource: parts.One("*"),
			Condition: parts.Conditions{
				"StringEquals": {
					"aws:ResourceTag/" + AutoscalerOwnerTag(clusterName): parts.One("owned"),
					"aws:ResourceTag/" + AutoscalerTagEnabled:            parts.One("true"),
				},
			},
		},
	)
}

// nodeTrust is the trust policy of the node role. It has no source
// conditions: EC2 assumes instance-profile roles without the
// aws:SourceAccount context, and a condition on a missing key would keep
// every node from getting credentials.
func nodeTrust(acct parts.Account) parts.PolicyDocument {
	return parts.Policy(parts.Statement{
		Effect:    parts.Allow,
		Principal: &parts.Principal{Service: parts.One(acct.GlobalServicePrincipal("ec2"))},
		Action:    parts.One("sts:AssumeRole"),
	})
}

// NodePolicies are the only managed policies on the node role. The CNI
// policy is deliberately not among them: vpc-cni gets it through its own
// IRSA role, so pods on the node cannot borrow it.
var NodePolicies = []string{"AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"}

// clusterKeyPolicy lets the cluster role use the secrets key for envelope
// encryption (what EKS asks of the role).
func clusterKeyPolicy(keyARN string) parts.PolicyDocument {
	return parts.Policy(parts.Statement{
		Sid:      "EnvelopeEncryptSecrets",
		Effect:   parts.Allow,
		Action:   parts.List("kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"),
		Resource: parts.One(keyARN),
	})
}

// volumeKeyUserPolicy lets the EBS CSI driver create and attach volumes
// encrypted with the volume key: the managed AmazonEBSCSIDriverPolicy covers
// AWS-managed keys only.
func volumeKeyUserPolicy(keyARN string) parts.PolicyDocument {
	return parts.Policy(
		parts.Statement{
			Sid:      "UseVolumeKey",
			Effect:   parts.Allow,
			Action:   parts.List("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"),
			Resource: parts.One(keyARN),
		},
		parts.Statement{
			Sid:      "GrantVolumeKeyToEBS",
			Effect:   parts.Allow,
			Action:   parts.List("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"),
			Resource: parts.One(keyARN),
			Condition: parts.Conditions{
				"Bool": {"kms:GrantIsForAWSResource": parts.Bool(true)},
			},
		},
	)
}

// autoScalingServiceRoleARN is the EC2 Auto Scaling service-linked role,
// which launches the instances of managed node groups.
func autoScalingServiceRoleARN(acct parts.Account) string {
	return fmt.Sprintf("arn:%s:iam::%s:role/aws-service-role/%s/AWSServiceRoleForAutoScaling", acct.Partition, acct.ID, acct.GlobalServicePrincipal("autoscaling"))
}

// volumeKeyStatements are the key-policy statements that let EC2 Auto
// Scaling launch nodes whose root volumes use the volume key: without them
// managed nodes fail to launch. The service-linked role must exist when the
// key policy is written: KMS refuses a policy naming a principal that does
// not exist (MalformedPolicyDocumentException, "Policy contains a statement
// with one or more invalid principals"). It exists once the account has had
// any Auto Scaling group; the stack looks it up and, when it is missing, the
// cluster creates it before the key (ClusterArgs.CreateAutoScalingServiceRole).
func volumeKeyStatements(acct parts.Account) []parts.Statement {
	slr := autoScalingServiceRoleARN(acct)
	return []parts.Statement{
		{
			Sid:       "AutoScalingUsesKeyForNodeVolumes",
			Effect:    parts.Allow,
			Principal: &parts.Principal{AWS: parts.One(slr)},
			Action:    parts.List("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"),
			Resource:  parts.One("*"),
		},
		{
			Sid:       "AutoScalingGrantsKeyToEBS",
			Effect:    parts.Allow,
			Principal: &parts.Principal{AWS: parts.One(slr)},
			Action:    parts.One("kms:CreateGrant"),
			Resource:  parts.One("*"),
			Condition: parts.Conditions{
				"Bool": {"kms:GrantIsForAWSResource": parts.Bool(true)},
			},
		},
	}
}

// clusterAdminPolicyARN is the EKS access policy that makes a principal
// cluster-admin.
func clusterAdminPolicyARN(acct parts.Account) string {
	return AccessPolicyARN(acct, "AmazonEKSClusterAdminPolicy")
}

// ViewerPolicyARN is the EKS access policy of viewers: get, list and watch
// on every resource, Secrets included (EKS UG access-policy-reference.adoc,
// AmazonEKSAdminViewPolicy), which a Helm release's refresh needs: Helm keeps
// its release state in Secrets. AmazonEKSViewPolicy excludes Secrets.
func ViewerPolicyARN(acct parts.Account) string {
	return AccessPolicyARN(acct, "AmazonEKSAdminViewPolicy")
}

// AccessPolicyARN is the ARN of an EKS access policy by name.
func AccessPolicyARN(acct parts.Account, name string) string {
	return fmt.Sprintf("arn:%s:eks::aws:cluster-access-policy/%s", acct.Partition, name)
}

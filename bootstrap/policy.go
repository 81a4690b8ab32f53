package main

import (
	"fmt"
	"strings"

	"github.com/acme/platform/internal/parts"
)

// The bootstrap's policies write every element as a list (parts.List), a
// single value too: IAM reads ["x"] as it reads "x" (the grammar's
// conventions in the IAM JSON policy reference).

// The GitHub OIDC issuer and the audience aws-actions/configure-aws-credentials
// requests (its `audience` input defaults to sts.amazonaws.com).
// https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws
const (
	githubIssuerHost = "token.actions.githubusercontent.com"
	githubIssuerURL  = "https://" + githubIssuerHost
	stsAudience      = "sts.amazonaws.com"
)

// Subjects of GitHub's OIDC token (the `sub` claim) for this repository: a
// job that names an environment gets "environment:<name>" (whatever
// triggered it); a pull_request job without one gets "pull_request" (forks
// get no token with id-token: write). Other forms (ref:, tags) are not
// trusted by any role here.
// https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
func environmentSubject(repository, environment string) string {
	return "repo:" + repository + ":environment:" + environment
}

func pullRequestSubject(repository string) string {
	return "repo:" + repository + ":pull_request"
}

// trustPolicy lets GitHub Actions jobs whose token carries one of subjects
// assume the role with web identity. Both claims are compared exactly:
// token.actions.githubusercontent.com:aud must be sts.amazonaws.com and
// token.actions.githubusercontent.com:sub one of subjects. These are the
// condition keys IAM offers for an OIDC provider ("<provider>:aud",
// "<provider>:sub"), and the ones GitHub's and IAM's guides for GitHub
// Actions use:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
func trustPolicy(providerARN string, subjects []string) parts.PolicyDocument {
	return parts.Policy(parts.Statement{
		Sid:       "GitHubActions",
		Effect:    parts.Allow,
		Principal: &parts.Principal{Federated: parts.One(providerARN)},
		Action:    parts.List("sts:AssumeRoleWithWebIdentity"),
		Condition: parts.Conditions{"StringEquals": {
			githubIssuerHost + ":aud": parts.List(stsAudience),
			githubIssuerHost + ":sub": parts.List(subjects...),
		}},
	})
}

// bucketPolicy refuses every request to the state bucket that does not use
// TLS: aws:SecureTransport is "false" for plain HTTP.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
func bucketPolicy(a parts.Account, bucket string) parts.PolicyDocument {
	arn := bucketARN(a, bucket)
	return parts.Policy(parts.Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    parts.Deny,
		Principal: &parts.Principal{Anyone: true},
		Action:    parts.List("s3:*"),
		Resource:  parts.List(arn, arn+"/*"),
		Condition: parts.Conditions{"Bool": {"aws:SecureTransport": parts.List("false")}},
	})
}

func bucketARN(a parts.Account, bucket string) string {
	return fmt.Sprintf("arn:%s:s3:::%s", a.Partition, bucket)
}

// scope is what one platform stack's roles may reach.
type scope struct {
	Account parts.Account
	Project string
	Stack   Stack
	// Bucket is the state bucket; StateKeyARN encrypts it; SecretsKeyARN
	// is the Pulumi secrets provider's key.
	Bucket        string
	StateKeyARN   string
	SecretsKeyARN string
	// ProtectedAliases are the bootstrap keys' aliases (without "alias/"),
	// ProtectedRoles the roles the bootstrap creates, GitHubProviderARN the
	// GitHub OIDC provider: the deploy role may not change them.
	ProtectedAliases  []string
	ProtectedRoles    []string
	GitHubProviderARN string
}

// environmentTagKey is the tag whose value tells the platform's stacks apart
// (aws:defaultTags in each Pulumi.<stack>.yaml sets it on every resource).
const environmentTagKey = "Environment"

// namePrefix is how the platform names resources whose names it chooses:
// parts.PhysicalName, "<project>-<stack>-<name>".
func (s scope) namePrefix() string { return strings.ToLower(s.Project + "-" + s.Stack.Name + "-") }

// managedServices are the services whose resources the platform creates,
// apart from IAM, EKS and CloudWatch (below, scoped more narrowly). The
// resource types are those of the offline plan of each stack; a test keeps
// this list in step with them.
var managedServices = []string{
	"ec2",            // VPC, subnets, routes, NAT, endpoints, security groups, launch templates
	"rds",            // PostgreSQL, its parameter and subnet groups, backup replication, event subscriptions
	"elasticache",    // Redis
	"mq",             // RabbitMQ
	"secretsmanager", // role, AUTH and broker credentials; the RDS-managed master secret
	"kms",            // the platform's customer-managed keys
	"logs",           // log groups
	"sns",            // the alarm topic
	"backup",         // AWS Backup vaults, plans, selections, vault locks
	"backup-storage", // CreateBackupVault calls backup-storage:MountCapsule
	"events",         // EventBridge rules (AWS Backup job events to the alarm topic)
}

// attachablePolicies are the AWS-managed policies the platform attaches to
// its roles (a test compares them with every RolePolicyAttachment in the
// offline plans). The deploy role may attach these and no others, which
// keeps AdministratorAccess and friends out of reach.
var attachablePolicies = []string{
	"AmazonEC2ContainerRegistryReadOnly",
	"AmazonEKSClusterPolicy",
	"AmazonEKSWorkerNodePolicy",
	"AmazonEKS_CNI_Policy",
	"service-role/AWSBackupServiceRolePolicyForBackup",
	"service-role/AWSBackupServiceRolePolicyForRestores",
	"service-role/AmazonEBSCSIDriverPolicy",
	"service-role/AmazonRDSEnhancedMonitoringRole",
}

// serviceLinkedRoleServices are the services that create a service-linked
// role the first time an account uses them (EKS clusters and node groups,
// the node groups' Auto Scaling groups and their Spot capacity, RDS,
// ElastiCache, Amazon MQ, AWS Backup); the caller needs
// iam:CreateServiceLinkedRole for it, limited here by iam:AWSServiceName.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html#service-linked-role-permissions
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html#awsidentityandaccessmanagementiam-policy-keys
var serviceLinkedRoleServices = []string{
	"autoscaling.amazonaws.com",
	"backup.amazonaws.com",
	"eks-nodegroup.amazonaws.com",
	"eks.amazonaws.com",
	"elasticache.amazonaws.com",
	"mq.amazonaws.com",
	"rds.amazonaws.com",
	"spot.amazonaws.com",
}

// iamReads are the IAM reads a refresh and the preflight make: the
// provider reads roles (GetRole, ListRolePolicies, ListAttachedRolePolicies,
// ListRoleTags), inline policies (GetRolePolicy), OIDC providers
// (GetOpenIDConnectProvider) and service-linked roles' deletion status; the
// preflight's iam.GetRoles and GetSessionContext list and read roles.
// Named rather than iam:Get*, which would read any policy document of the
// account.
var iamReads = []string{
	"iam:GetRole", "iam:GetRolePolicy", "iam:GetPolicy", "iam:GetPolicyVersion",
	"iam:GetOpenIDConnectProvider", "iam:GetServiceLinkedRoleDeletionStatus",
	"iam:List*",
}

// inRegions limits a statement to the stack's regions. aws:RequestedRegion
// is the region the request is sent to; IAM (global) is never limited by it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion
func (s scope) inRegions() parts.Conditions {
	return parts.Conditions{"StringEquals": {"aws:RequestedRegion": parts.List(s.Stack.Regions...)}}
}

func (s scope) iamARN(res string) string { return s.Account.ARN("iam", "", res) }

// stateObjects are the keys of this stack's state in the bucket, as the DIY
// backend lays them out (project-scoped layout, .pulumi/meta.yaml version 1):
// the checkpoint (and its .bak), history, backups and locks. Locks live
// under the fully qualified name, "organization/<project>/<stack>".
// Source: pulumi/pulumi pkg/backend/diy/store.go (StackBasePath, HistoryDir,
// BackupDir) and lock.go (stackLockDir); backend.go (FullyQualifiedName).
func (s scope) stateObjects() []string {
	b := bucketARN(s.Account, s.Bucket)
	p, st := s.Project, s.Stack.Name
	return []string{
		b + "/.pulumi/stacks/" + p + "/" + st + ".json*",
		b + "/.pulumi/history/" + p + "/" + st + "/*",
		b + "/.pulumi/backups/" + p + "/" + st + "/*",
		b + "/.pulumi/locks/organization/" + p + "/" + st + "/*",
	}
}

// stateReads are the state objects a preview reads: the layout marker and
// the stack's checkpoint. A preview takes no lock and writes nothing (the
// DIY backend's Preview runs without Lock, and only non-preview updates
// persist snapshots: pkg/backend/diy/backend.go, Preview and apply).
func (s scope) stateReads() []string {
	b := bucketARN(s.Account, s.Bucket)
	return []string{
		b + "/.pulumi/meta.yaml",
		b + "/.pulumi/stacks/" + s.Project + "/" + s.Stack.Name + ".json*",
	}
}

// stateKeyVia limits use of the state bucket's key to requests S3 makes on
// the caller's behalf (SSE-KMS: S3 calls kms:GenerateDataKey to write and
// kms:Decrypt to read, with the caller's permissions).
// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
func (s scope) stateKeyVia() parts.Conditions {
	return parts.Conditions{"StringEquals": {"kms:ViaService": parts.List("s3." + s.Account.Region + "." + dnsSuffix(s.Account))}}
}

func dnsSuffix(a parts.Account) string {
	if a.DNSSuffix == "" {
		return "amazonaws.com"
	}
	return a.DNSSuffix
}

// deployPolicy is the deploy role's permissions: what `pulumi up` of the
// stack needs, and no more than the services, names and tags the platform
// uses allow.
//
// What it cannot prevent: the role creates IAM roles with inline policies
// and passes them to AWS services, so whoever controls what it deploys
// (code merged to main and approved in the deploy environment) could grant
// a workload more than the platform does. A permissions boundary on the
// platform's roles would close that; they do not carry one yet.
func deployPolicy(s scope) parts.PolicyDocument {
	env := s.Stack.EnvironmentTag
	prefix := s.namePrefix()
	a := s.Account
	var eksResources, alarms, asgs []string
	for _, r := range s.Stack.Regions {
		asgs = append(asgs, a.ARN("autoscaling", r, "autoScalingGroup:*:autoScalingGroupName/eks-*"))
		// Every EKS resource ARN (cluster, nodegroup, addon, access-entry,
		// podidentityassociation) is "<type>/<cluster name>/...".
		// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelastickubernetesservice.html#amazonelastickubernetesservice-resources-for-iam-policies
		eksResources = append(eksResources, a.ARN("eks", r, "*/"+prefix+"*"))
		alarms = append(alarms, a.ARN("cloudwatch", r, "alarm:"+prefix+"*"))
	}
	var clusterOIDC []string
	for _, r := range s.Stack.Regions {
		// The cluster's IRSA provider: its URL is the cluster's issuer,
		// https://oidc.eks.<region>.amazonaws.com/id/<id>.
		clusterOIDC = append(clusterOIDC, s.iamARN("oidc-provider/oidc.eks."+r+"."+dnsSuffix(a)+"/id/*"))
	}
	var slrPaths, managed []string
	for _, svc := range serviceLinkedRoleServices {
		slrPaths = append(slrPaths, s.iamARN("role/aws-service-role/"+svc+"/*"))
	}
	for _, p := range attachablePolicies {
		managed = append(managed, parts.ManagedPolicyARN(a, p))
	}
	var protectedAliases, protectedRoles []string
	for _, al := range s.ProtectedAliases {
		for _, r := range s.Stack.Regions {
			protectedAliases = append(protectedAliases, a.ARN("kms", r, "alias/"+al))
		}
	}
	for _, r := range s.ProtectedRoles {
		protectedRoles = append(protectedRoles, s.iamARN("role/"+r))
	}
	bucket := bucketARN(a, s.Bucket)

	all := func(service string) string { return service + ":*" }
	services := make([]string, len(managedServices))
	for i, svc := range managedServices {
		services[i] = all(svc)
	}

	return parts.Policy(
		parts.Statement{
			Sid:       "ManagePlatformServices",
			Effect:    parts.Allow,
			Action:    parts.List(services...),
			Resource:  parts.List("*"),
			Condition: s.inRegions(),
		},
		// EKS names all derive from the cluster's, which is
		// "<project>-<stack>-..." (parts.PhysicalName).
		parts.Statement{Sid: "ManageEKSClustersByName", Effect: parts.Allow, Action: parts.List("eks:*"), Resource: parts.List(eksResources...)},
		parts.Statement{Sid: "ReadEKS", Effect: parts.Allow, Action: parts.List("eks:Describe*", "eks:List*"), Resource: parts.List("*"), Condition: s.inRegions()},
		// Alarms and the dashboard are named "<project>-<stack>-...".
		// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html#amazoncloudwatch-resources-for-iam-policies
		parts.Statement{
			Sid:    "ManageAlarmsByName",
			Effect: parts.Allow,
			Action: parts.List(
				"cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource",
				"cloudwatch:UntagResource", "cloudwatch:EnableAlarmActions", "cloudwatch:DisableAlarmActions",
			),
			Resource: parts.List(alarms...),
		},
		parts.Statement{
			Sid:      "ManageDashboardsByName",
			Effect:   parts.Allow,
			Action:   parts.List("cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"),
			Resource: parts.List(a.ARN("cloudwatch", "", "dashboard/"+prefix+"*")),
		},
		parts.Statement{
			Sid:       "ReadCloudWatch",
			Effect:    parts.Allow,
			Action:    parts.List("cloudwatch:Describe*", "cloudwatch:List*", "cloudwatch:GetDashboard"),
			Resource:  parts.List("*"),
			Condition: s.inRegions(),
		},
		parts.Statement{Sid: "ReadIAM", Effect: parts.Allow, Action: parts.List(iamReads...), Resource: parts.List("*")},
		// Roles are created only with this stack's Environment tag
		// (aws:RequestTag, sent by CreateRole with the provider's default
		// tags) and changed, tagged, passed and deleted only while they
		// carry it (aws:ResourceTag).
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html#access_iam-tags_control-tagging
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag
		parts.Statement{
			Sid:       "CreateRolesOfThisEnvironment",
			Effect:    parts.Allow,
			Action:    parts.List("iam:CreateRole"),
			Resource:  parts.List(s.iamARN("role/*")),
			Condition: parts.Conditions{"StringEquals": {"aws:RequestTag/" + environmentTagKey: parts.List(env)}},
		},
		parts.Statement{
			Sid:    "ManageRolesOfThisEnvironment",
			Effect: parts.Allow,
			Action: parts.List(
				"iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
				"iam:TagRole", "iam:UntagRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
				"iam:DetachRolePolicy", "iam:PassRole",
			),
			Resource:  parts.List(s.iamARN("role/*")),
			Condition: parts.Conditions{"StringEquals": {"aws:ResourceTag/" + environmentTagKey: parts.List(env)}},
		},
		// iam:PolicyARN limits which managed policies may be attached.
		// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html#awsidentityandaccessmanagementiam-policy-keys
		parts.Statement{
			Sid:      "AttachThePlatformsManagedPolicies",
			Effect:   parts.Allow,
			Action:   parts.List("iam:AttachRolePolicy"),
			Resource: parts.List(s.iamARN("role/*")),
			Condition: parts.Conditions{
				"StringEquals": {"aws:ResourceTag/" + environmentTagKey: parts.List(env)},
				"ArnEquals":    {"iam:PolicyARN": parts.List(managed...)},
			},
		},
		parts.Statement{
			Sid:    "ManageClusterOIDCProviders",
			Effect: parts.Allow,
			Action: parts.List(
				"iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider",
				"iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider",
				"iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider",
				"iam:RemoveClientIDFromOpenIDConnectProvider",
			),
			Resource: parts.List(clusterOIDC...),
		},
		// The cluster turns on group metrics for each node group's Auto
		// Scaling group, which EKS creates and names "eks-<node group>-<id>"
		// (components/cluster/commands.go runs `aws autoscaling
		// enable-metrics-collection` as this role). Resource type
		// autoScalingGroup: Service Authorization Reference, Amazon EC2 Auto
		// Scaling, "Resource types defined by Amazon EC2 Auto Scaling".
		parts.Statement{
			Sid:      "NodeGroupMetrics",
			Effect:   parts.Allow,
			Action:   parts.List("autoscaling:EnableMetricsCollection", "autoscaling:DisableMetricsCollection"),
			Resource: parts.List(asgs...),
		},
		parts.Statement{
			Sid:       "CreateServiceLinkedRoles",
			Effect:    parts.Allow,
			Action:    parts.List("iam:CreateServiceLinkedRole"),
			Resource:  parts.List(s.iamARN("role/aws-service-role/*")),
			Condition: parts.Conditions{"StringEquals": {"iam:AWSServiceName": parts.List(serviceLinkedRoleServices...)}},
		},
		// A service-linked role the program manages itself (the Auto
		// Scaling one the volume key's policy names) is tagged and may be
		// deleted; it carries no Environment tag when it is created.
		parts.Statement{
			Sid:    "ManageServiceLinkedRoles",
			Effect: parts.Allow,
			Action: parts.List(
				"iam:TagRole", "iam:UntagRole", "iam:UpdateRoleDescription",
				"iam:DeleteServiceLinkedRole", "iam:GetServiceLinkedRoleDeletionStatus",
			),
			Resource: parts.List(slrPaths...),
		},
		parts.Statement{Sid: "ListStateBucket", Effect: parts.Allow, Action: parts.List("s3:ListBucket"), Resource: parts.List(bucket)},
		parts.Statement{Sid: "ReadStateLayout", Effect: parts.Allow, Action: parts.List("s3:GetObject"), Resource: parts.List(bucket + "/.pulumi/meta.yaml")},
		parts.Statement{
			Sid:      "WriteThisStacksState",
			Effect:   parts.Allow,
			Action:   parts.List("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
			Resource: parts.List(s.stateObjects()...),
		},
		parts.Statement{
			Sid:       "UseStateKeyThroughS3",
			Effect:    parts.Allow,
			Action:    parts.List("kms:GenerateDataKey", "kms:Decrypt"),
			Resource:  parts.List(s.StateKeyARN),
			Condition: s.stateKeyVia(),
		},
		// The awskms secrets provider encrypts the stack's data key once
		// (stack init) and decrypts it on every run; secret values are
		// then encrypted locally with that data key.
		// Source: pulumi/pulumi pkg/secrets/cloud/manager.go.
		parts.Statement{
			Sid:      "UseSecretsProviderKey",
			Effect:   parts.Allow,
			Action:   parts.List("kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"),
			Resource: parts.List(s.SecretsKeyARN),
		},
		// Nothing this role may change carries another environment's tag.
		// The Null test makes the deny apply only where the tag exists:
		// StringNotEquals alone would also match untagged resources and
		// creations (no aws:ResourceTag in the request).
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
		parts.Statement{
			Sid:         "DenyOtherEnvironments",
			Effect:      parts.Deny,
			Action:      parts.List("*"),
			NotResource: parts.List(bucket, bucket+"/*", s.StateKeyARN, s.SecretsKeyARN),
			Condition: parts.Conditions{
				"Null":            {"aws:ResourceTag/" + environmentTagKey: parts.List("false")},
				"StringNotEquals": {"aws:ResourceTag/" + environmentTagKey: parts.List(env)},
			},
		},
		// The bootstrap's own resources stay out of reach: its keys may
		// only be used, their aliases not moved, its roles and the GitHub
		// provider not touched.
		parts.Statement{
			Sid:       "DenyBootstrapKeyAdministration",
			Effect:    parts.Deny,
			NotAction: parts.List("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"),
			Resource:  parts.List(s.StateKeyARN, s.SecretsKeyARN),
		},
		parts.Statement{
			Sid:      "DenyBootstrapAliases",
			Effect:   parts.Deny,
			Action:   parts.List("kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"),
			Resource: parts.List(protectedAliases...),
		},
		parts.Statement{
			Sid:      "DenyBootstrapIdentities",
			Effect:   parts.Deny,
			Action:   parts.List("iam:*"),
			Resource: parts.List(append(protectedRoles, s.GitHubProviderARN)...),
		},
	)
}

// previewPolicy is the preview role's permissions: read what `pulumi
// preview --refresh` reads, decrypt the stack's secrets, and change nothing.
func previewPolicy(s scope) parts.PolicyDocument {
	env := s.Stack.EnvironmentTag
	bucket := bucketARN(s.Account, s.Bucket)
	var secretsVia []string
	for _, r := range s.Stack.Regions {
		secretsVia = append(secretsVia, "secretsmanager."+r+"."+dnsSuffix(s.Account))
	}
	return parts.Policy(
		parts.Statement{
			Sid:    "ReadPlatformServices",
			Effect: parts.Allow,
			Action: parts.List(
				"ec2:Describe*",
				"eks:DescribeCluster", "eks:Describe*", "eks:List*",
				"rds:Describe*", "rds:ListTagsForResource",
				"elasticache:Describe*", "elasticache:ListTagsForResource",
				"mq:Describe*", "mq:List*",
				"secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy",
				"secretsmanager:ListSecretVersionIds", "secretsmanager:ListSecrets",
				"kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
				"kms:ListAliases", "kms:ListResourceTags",
				"logs:Describe*", "logs:ListTagsForResource", "logs:ListTagsLogGroup",
				"cloudwatch:Describe*", "cloudwatch:GetDashboard", "cloudwatch:ListDashboards",
				"cloudwatch:ListTagsForResource",
				"sns:GetTopicAttributes", "sns:GetSubscriptionAttributes",
				"sns:ListSubscriptionsByTopic", "sns:ListTagsForResource",
				"backup:Describe*", "backup:List*",
				"backup:GetBackupPlan", "backup:GetBackupSelection",
				"backup:GetBackupVaultAccessPolicy", "backup:GetBackupVaultNotifications",
				"events:Describe*", "events:List*",
			),
			Resource:  parts.List("*"),
			Condition: s.inRegions(),
		},
		parts.Statement{Sid: "ReadIAM", Effect: parts.Allow, Action: parts.List(iamReads...), Resource: parts.List("*")},
		// Refreshing a SecretVersion reads its value (terraform-provider-aws
		// internal/service/secretsmanager/secret_version.go reads with
		// GetSecretValue), and the platform's secrets are encrypted with its
		// own keys: both only for this stack's tagged resources.
		parts.Statement{
			Sid:      "ReadThisEnvironmentsSecretValues",
			Effect:   parts.Allow,
			Action:   parts.List("secretsmanager:GetSecretValue"),
			Resource: parts.List("*"),
			Condition: parts.Conditions{
				"StringEquals": {
					"aws:RequestedRegion":                  parts.List(s.Stack.Regions...),
					"aws:ResourceTag/" + environmentTagKey: parts.List(env),
				},
			},
		},
		parts.Statement{
			Sid:      "DecryptThisEnvironmentsSecretsThroughSecretsManager",
			Effect:   parts.Allow,
			Action:   parts.List("kms:Decrypt"),
			Resource: parts.List("*"),
			Condition: parts.Conditions{"StringEquals": {
				"kms:ViaService":                       parts.List(secretsVia...),
				"aws:ResourceTag/" + environmentTagKey: parts.List(env),
			}},
		},
		parts.Statement{Sid: "ListStateBucket", Effect: parts.Allow, Action: parts.List("s3:ListBucket"), Resource: parts.List(bucket)},
		parts.Statement{Sid: "ReadThisStacksState", Effect: parts.Allow, Action: parts.List("s3:GetObject"), Resource: parts.List(s.stateReads()...)},
		parts.Statement{
			Sid:       "DecryptStateThroughS3",
			Effect:    parts.Allow,
			Action:    parts.List("kms:Decrypt"),
			Resource:  parts.List(s.StateKeyARN),
			Condition: s.stateKeyVia(),
		},
		// Secrets in config and state are decrypted with the data key,
		// which only kms:Decrypt of the secrets-provider key yields; a saved
		// plan's secrets are encrypted locally with it (no kms:Encrypt).
		parts.Statement{
			Sid:      "DecryptSecretsProviderKey",
			Effect:   parts.Allow,
			Action:   parts.List("kms:Decrypt", "kms:DescribeKey"),
			Resource: parts.List(s.SecretsKeyARN),
		},
	)
}

package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/acme/platform/internal/parts"
)

// PolicyDocument is an IAM policy document (identity, resource or trust
// policy). The grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
type PolicyDocument struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one policy statement. Lists are always written as arrays,
// which IAM accepts for single values too.
type Statement struct {
	Sid         string     `json:"Sid,omitempty"`
	Effect      string     `json:"Effect"`
	Principal   *Principal `json:"Principal,omitempty"`
	Action      []string   `json:"Action,omitempty"`
	NotAction   []string   `json:"NotAction,omitempty"`
	Resource    []string   `json:"Resource,omitempty"`
	NotResource []string   `json:"NotResource,omitempty"`
	Condition   Conditions `json:"Condition,omitempty"`
}

// Conditions maps a condition operator to keys and their allowed values.
// Several operators (and several keys) in one statement must all match; the
// values of one key are alternatives.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
type Conditions map[string]map[string][]string

// Principal is a statement's principal. Anyone renders "*".
type Principal struct {
	Anyone    bool
	AWS       []string
	Federated string
}

// MarshalJSON renders "*" or {"AWS": [...], "Federated": "..."}.
func (p Principal) MarshalJSON() ([]byte, error) {
	if p.Anyone {
		return []byte(`"*"`), nil
	}
	m := map[string]any{}
	if len(p.AWS) > 0 {
		m["AWS"] = p.AWS
	}
	if p.Federated != "" {
		m["Federated"] = p.Federated
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads what MarshalJSON writes ("*", or AWS as a string or a
// list, and Federated).
func (p *Principal) UnmarshalJSON(b []byte) error {
	var anyone string
	if err := json.Unmarshal(b, &anyone); err == nil {
		if anyone != "*" {
			return fmt.Errorf("principal: want \"*\" or an object, got %q", anyone)
		}
		*p = Principal{Anyone: true}
		return nil
	}
	var m struct {
		AWS       json.RawMessage `json:"AWS"`
		Federated string          `json:"Federated"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("principal: %w", err)
	}
	*p = Principal{Federated: m.Federated}
	if len(m.AWS) == 0 {
		return nil
	}
	var one string
	if err := json.Unmarshal(m.AWS, &one); err == nil {
		p.AWS = []string{one}
		return nil
	}
	return json.Unmarshal(m.AWS, &p.AWS)
}

// JSON renders the document.
func (d PolicyDocument) JSON() (string, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("rendering policy document: %w", err)
	}
	return string(b), nil
}

func document(statements ...Statement) PolicyDocument {
	return PolicyDocument{Version: "2012-10-17", Statement: statements}
}

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
func trustPolicy(providerARN string, subjects []string) PolicyDocument {
	return document(Statement{
		Sid:       "GitHubActions",
		Effect:    "Allow",
		Principal: &Principal{Federated: providerARN},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: Conditions{"StringEquals": {
			githubIssuerHost + ":aud": {stsAudience},
			githubIssuerHost + ":sub": subjects,
		}},
	})
}

// bucketPolicy refuses every request to the state bucket that does not use
// TLS: aws:SecureTransport is "false" for plain HTTP.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
func bucketPolicy(a parts.Account, bucket string) PolicyDocument {
	arn := bucketARN(a, bucket)
	return document(Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: &Principal{Anyone: true},
		Action:    []string{"s3:*"},
		Resource:  []string{arn, arn + "/*"},
		Condition: Conditions{"Bool": {"aws:SecureTransport": {"false"}}},
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
func (s scope) inRegions() Conditions {
	return Conditions{"StringEquals": {"aws:RequestedRegion": slices.Clone(s.Stack.Regions)}}
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
func (s scope) stateKeyVia() Conditions {
	return Conditions{"StringEquals": {"kms:ViaService": {"s3." + s.Account.Region + "." + dnsSuffix(s.Account)}}}
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
func deployPolicy(s scope) PolicyDocument {
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

	return document(
		Statement{
			Sid:       "ManagePlatformServices",
			Effect:    "Allow",
			Action:    services,
			Resource:  []string{"*"},
			Condition: s.inRegions(),
		},
		// EKS names all derive from the cluster's, which is
		// "<project>-<stack>-..." (parts.PhysicalName).
		Statement{Sid: "ManageEKSClustersByName", Effect: "Allow", Action: []string{"eks:*"}, Resource: eksResources},
		Statement{Sid: "ReadEKS", Effect: "Allow", Action: []string{"eks:Describe*", "eks:List*"}, Resource: []string{"*"}, Condition: s.inRegions()},
		// Alarms and the dashboard are named "<project>-<stack>-...".
		// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html#amazoncloudwatch-resources-for-iam-policies
		Statement{
			Sid:    "ManageAlarmsByName",
			Effect: "Allow",
			Action: []string{
				"cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource",
				"cloudwatch:UntagResource", "cloudwatch:EnableAlarmActions", "cloudwatch:DisableAlarmActions",
			},
			Resource: alarms,
		},
		Statement{
			Sid:      "ManageDashboardsByName",
			Effect:   "Allow",
			Action:   []string{"cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"},
			Resource: []string{a.ARN("cloudwatch", "", "dashboard/"+prefix+"*")},
		},
		Statement{
			Sid:       "ReadCloudWatch",
			Effect:    "Allow",
			Action:    []string{"cloudwatch:Describe*", "cloudwatch:List*", "cloudwatch:GetDashboard"},
			Resource:  []string{"*"},
			Condition: s.inRegions(),
		},
		Statement{Sid: "ReadIAM", Effect: "Allow", Action: iamReads, Resource: []string{"*"}},
		// Roles are created only with this stack's Environment tag
		// (aws:RequestTag, sent by CreateRole with the provider's default
		// tags) and changed, tagged, passed and deleted only while they
		// carry it (aws:ResourceTag).
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html#access_iam-tags_control-tagging
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag
		Statement{
			Sid:       "CreateRolesOfThisEnvironment",
			Effect:    "Allow",
			Action:    []string{"iam:CreateRole"},
			Resource:  []string{s.iamARN("role/*")},
			Condition: Conditions{"StringEquals": {"aws:RequestTag/" + environmentTagKey: {env}}},
		},
		Statement{
			Sid:    "ManageRolesOfThisEnvironment",
			Effect: "Allow",
			Action: []string{
				"iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
				"iam:TagRole", "iam:UntagRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
				"iam:DetachRolePolicy", "iam:PassRole",
			},
			Resource:  []string{s.iamARN("role/*")},
			Condition: Conditions{"StringEquals": {"aws:ResourceTag/" + environmentTagKey: {env}}},
		},
		// iam:PolicyARN limits which managed policies may be attached.
		// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html#awsidentityandaccessmanagementiam-policy-keys
		Statement{
			Sid:      "AttachThePlatformsManagedPolicies",
			Effect:   "Allow",
			Action:   []string{"iam:AttachRolePolicy"},
			Resource: []string{s.iamARN("role/*")},
			Condition: Conditions{
				"StringEquals": {"aws:ResourceTag/" + environmentTagKey: {env}},
				"ArnEquals":    {"iam:PolicyARN": managed},
			},
		},
		Statement{
			Sid:    "ManageClusterOIDCProviders",
			Effect: "Allow",
			Action: []string{
				"iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider",
				"iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider",
				"iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider",
				"iam:RemoveClientIDFromOpenIDConnectProvider",
			},
			Resource: clusterOIDC,
		},
		// The cluster turns on group metrics for each node group's Auto
		// Scaling group, which EKS creates and names "eks-<node group>-<id>"
		// (components/cluster/commands.go runs `aws autoscaling
		// enable-metrics-collection` as this role). Resource type
		// autoScalingGroup: Service Authorization Reference, Amazon EC2 Auto
		// Scaling, "Resource types defined by Amazon EC2 Auto Scaling".
		Statement{
			Sid:      "NodeGroupMetrics",
			Effect:   "Allow",
			Action:   []string{"autoscaling:EnableMetricsCollection", "autoscaling:DisableMetricsCollection"},
			Resource: asgs,
		},
		Statement{
			Sid:       "CreateServiceLinkedRoles",
			Effect:    "Allow",
			Action:    []string{"iam:CreateServiceLinkedRole"},
			Resource:  []string{s.iamARN("role/aws-service-role/*")},
			Condition: Conditions{"StringEquals": {"iam:AWSServiceName": slices.Clone(serviceLinkedRoleServices)}},
		},
		// A service-linked role the program manages itself (the Auto
		// Scaling one the volume key's policy names) is tagged and may be
		// deleted; it carries no Environment tag when it is created.
		Statement{
			Sid:    "ManageServiceLinkedRoles",
			Effect: "Allow",
			Action: []string{
				"iam:TagRole", "iam:UntagRole", "iam:UpdateRoleDescription",
				"iam:DeleteServiceLinkedRole", "iam:GetServiceLinkedRoleDeletionStatus",
			},
			Resource: slrPaths,
		},
		Statement{Sid: "ListStateBucket", Effect: "Allow", Action: []string{"s3:ListBucket"}, Resource: []string{bucket}},
		Statement{Sid: "ReadStateLayout", Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{bucket + "/.pulumi/meta.yaml"}},
		Statement{
			Sid:      "WriteThisStacksState",
			Effect:   "Allow",
			Action:   []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
			Resource: s.stateObjects(),
		},
		Statement{
			Sid:       "UseStateKeyThroughS3",
			Effect:    "Allow",
			Action:    []string{"kms:GenerateDataKey", "kms:Decrypt"},
			Resource:  []string{s.StateKeyARN},
			Condition: s.stateKeyVia(),
		},
		// The awskms secrets provider encrypts the stack's data key once
		// (stack init) and decrypts it on every run; secret values are
		// then encrypted locally with that data key.
		// Source: pulumi/pulumi pkg/secrets/cloud/manager.go.
		Statement{
			Sid:      "UseSecretsProviderKey",
			Effect:   "Allow",
			Action:   []string{"kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"},
			Resource: []string{s.SecretsKeyARN},
		},
		// Nothing this role may change carries another environment's tag.
		// The Null test makes the deny apply only where the tag exists:
		// StringNotEquals alone would also match untagged resources and
		// creations (no aws:ResourceTag in the request).
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
		Statement{
			Sid:         "DenyOtherEnvironments",
			Effect:      "Deny",
			Action:      []string{"*"},
			NotResource: []string{bucket, bucket + "/*", s.StateKeyARN, s.SecretsKeyARN},
			Condition: Conditions{
				"Null":            {"aws:ResourceTag/" + environmentTagKey: {"false"}},
				"StringNotEquals": {"aws:ResourceTag/" + environmentTagKey: {env}},
			},
		},
		// The bootstrap's own resources stay out of reach: its keys may
		// only be used, their aliases not moved, its roles and the GitHub
		// provider not touched.
		Statement{
			Sid:       "DenyBootstrapKeyAdministration",
			Effect:    "Deny",
			NotAction: []string{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"},
			Resource:  []string{s.StateKeyARN, s.SecretsKeyARN},
		},
		Statement{
			Sid:      "DenyBootstrapAliases",
			Effect:   "Deny",
			Action:   []string{"kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"},
			Resource: protectedAliases,
		},
		Statement{
			Sid:      "DenyBootstrapIdentities",
			Effect:   "Deny",
			Action:   []string{"iam:*"},
			Resource: append(protectedRoles, s.GitHubProviderARN),
		},
	)
}

// previewPolicy is the preview role's permissions: read what `pulumi
// preview --refresh` reads, decrypt the stack's secrets, and change nothing.
func previewPolicy(s scope) PolicyDocument {
	env := s.Stack.EnvironmentTag
	bucket := bucketARN(s.Account, s.Bucket)
	var secretsVia []string
	for _, r := range s.Stack.Regions {
		secretsVia = append(secretsVia, "secretsmanager."+r+"."+dnsSuffix(s.Account))
	}
	return document(
		Statement{
			Sid:    "ReadPlatformServices",
			Effect: "Allow",
			Action: []string{
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
			},
			Resource:  []string{"*"},
			Condition: s.inRegions(),
		},
		Statement{Sid: "ReadIAM", Effect: "Allow", Action: iamReads, Resource: []string{"*"}},
		// Refreshing a SecretVersion reads its value (terraform-provider-aws
		// internal/service/secretsmanager/secret_version.go reads with
		// GetSecretValue), and the platform's secrets are encrypted with its
		// own keys: both only for this stack's tagged resources.
		Statement{
			Sid:      "ReadThisEnvironmentsSecretValues",
			Effect:   "Allow",
			Action:   []string{"secretsmanager:GetSecretValue"},
			Resource: []string{"*"},
			Condition: Conditions{
				"StringEquals": {
					"aws:RequestedRegion":                  slices.Clone(s.Stack.Regions),
					"aws:ResourceTag/" + environmentTagKey: {env},
				},
			},
		},
		Statement{
			Sid:      "DecryptThisEnvironmentsSecretsThroughSecretsManager",
			Effect:   "Allow",
			Action:   []string{"kms:Decrypt"},
			Resource: []string{"*"},
			Condition: Conditions{"StringEquals": {
				"kms:ViaService":                       secretsVia,
				"aws:ResourceTag/" + environmentTagKey: {env},
			}},
		},
		Statement{Sid: "ListStateBucket", Effect: "Allow", Action: []string{"s3:ListBucket"}, Resource: []string{bucket}},
		Statement{Sid: "ReadThisStacksState", Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: s.stateReads()},
		Statement{
			Sid:       "DecryptStateThroughS3",
			Effect:    "Allow",
			Action:    []string{"kms:Decrypt"},
			Resource:  []string{s.StateKeyARN},
			Condition: s.stateKeyVia(),
		},
		// Secrets in config and state are decrypted with the data key,
		// which only kms:Decrypt of the secrets-provider key yields; a saved
		// plan's secrets are encrypted locally with it (no kms:Encrypt).
		Statement{
			Sid:      "DecryptSecretsProviderKey",
			Effect:   "Allow",
			Action:   []string{"kms:Decrypt", "kms:DescribeKey"},
			Resource: []string{s.SecretsKeyARN},
		},
	)
}

package pack_test

// The compliant baseline: what our components register (inputs, as during
// Analyze) in a prod-like stack. Every rule test changes one thing in it.
// Shapes follow components/network and internal/parts, and for the other
// components the pulumi-aws v6.83.2 property names they use.

const (
	acct      = "123456789012"
	keyARN    = "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-bbbb-3333-cccc4444dddd"
	dbKeyARN  = "arn:aws:kms:us-east-1:123456789012:key/5555aaaa-2222-bbbb-3333-cccc4444dddd"
	roleTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}`
	keyPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"AccountRootAdministers","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},{"Sid":"CloudWatchLogsUsesKey","Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":["kms:Encrypt*","kms:Decrypt*"],"Resource":"*","Condition":{"ArnLike":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:123456789012:log-group:*"}}}]}`
	rolesSQL  = `-- Roles for the application; passwords come from psql variables.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_rw') THEN CREATE ROLE app_rw LOGIN; END IF;
END $$;
SELECT format('ALTER ROLE %I PASSWORD %L', 'app_rw', :'app_rw_password') \gexec
ALTER ROLE app_migrator PASSWORD :'migrator_password';
SET password_encryption = 'scram-sha-256';
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA app TO app_rw;
`
)

const (
	drKeyARN  = "arn:aws:kms:us-west-2:123456789012:key/9999aaaa-2222-bbbb-3333-cccc4444dddd"
	irsaTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/ABC:aud":"sts.amazonaws.com","oidc.eks.us-east-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:platform-system:db-bootstrap"}}}]}`
	// bootstrapPolicy reads one secret and decrypts through Secrets
	// Manager only.
	bootstrapPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"ReadTheMasterSecret","Effect":"Allow","Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1"},{"Sid":"Decrypt","Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:123456789012:key/5555aaaa-2222-bbbb-3333-cccc4444dddd","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com"}}}]}`
	topicPolicy     = `{"Version":"2012-10-17","Statement":[{"Sid":"AccountAdministers","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["SNS:Publish","SNS:Subscribe"],"Resource":"arn:aws:sns:us-east-1:123456789012:monitoring"},{"Sid":"CloudWatchAlarmsPublish","Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"SNS:Publish","Resource":"arn:aws:sns:us-east-1:123456789012:monitoring","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}`
)

func tags(name string) map[string]any { return map[string]any{"Name": name} }

// restrictedContainer is the securityContext Pod Security "restricted"
// asks of every container (components/postgres sets it on the Job).
func restrictedContainer() map[string]any {
	return map[string]any{
		"allowPrivilegeEscalation": false, "privileged": false, "readOnlyRootFilesystem": true,
		"runAsNonRoot": true, "runAsUser": 65532, "capabilities": map[string]any{"drop": []any{"ALL"}},
	}
}

// drProvider is the explicit provider of the DR region.
func drProvider() map[string]any {
	p := defaultProvider()
	p["region"] = "us-west-2"
	return p
}

func baseline() []res {
	return []res{
		{typ: "aws:ec2/vpc:Vpc", name: "vpc", props: map[string]any{
			"cidrBlock": "10.20.0.0/16", "enableDnsSupport": true, "enableDnsHostnames": true, "tags": tags("platform-prod-vpc"),
		}, protect: true},
		{typ: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", name: "vpc-default", props: map[string]any{
			"vpcId": unknown, "tags": tags("platform-prod-vpc-default"),
		}, deps: map[string][]string{"vpcId": {"vpc"}}},
		{typ: "aws:ec2/subnet:Subnet", name: "vpc-private-us-east-1a", props: map[string]any{
			"vpcId": unknown, "availabilityZone": "us-east-1a", "cidrBlock": "10.20.0.0/19", "mapPublicIpOnLaunch": false,
			"tags": map[string]any{"Name": "platform-prod-vpc-private-us-east-1a", "Tier": "private", "kubernetes.io/role/internal-elb": "1"},
		}, deps: map[string][]string{"vpcId": {"vpc"}}, protect: true},
		{typ: "aws:kms/key:Key", name: "vpc-flowlogs-key", props: map[string]any{
			"description": "VPC flow logs of platform-prod-vpc", "enableKeyRotation": true, "deletionWindowInDays": 30,
			"keyUsage": "ENCRYPT_DECRYPT", "policy": keyPolicy, "tags": tags("vpc-flowlogs"),
		}, protect: true},
		{typ: "aws:cloudwatch/logGroup:LogGroup", name: "vpc-flowlogs-lg", props: map[string]any{
			"retentionInDays": 365, "kmsKeyId": unknown, "skipDestroy": true, "tags": tags("vpc-flowlogs"),
		}, deps: map[string][]string{"kmsKeyId": {"vpc-flowlogs-key"}}},
		{typ: "aws:iam/role:Role", name: "vpc-flowlogs-role", props: map[string]any{
			"description": "Lets VPC flow logs write to their log group", "assumeRolePolicy": roleTrust, "tags": tags("platform-prod-vpc-flowlogs"),
		}},
		{typ: "aws:iam/rolePolicy:RolePolicy", name: "vpc-flowlogs-policy", props: map[string]any{
			"role": unknown, "policy": unknown,
		}},
		{typ: "aws:ec2/flowLog:FlowLog", name: "vpc-flowlog", props: map[string]any{
			"vpcId": unknown, "trafficType": "ALL", "logDestinationType": "cloud-watch-logs", "logDestination": unknown,
			"iamRoleArn": unknown, "maxAggregationInterval": 60, "tags": tags("platform-prod-vpc-flowlogs"),
		}, deps: map[string][]string{"vpcId": {"vpc"}}},
		{typ: "aws:ec2/securityGroup:SecurityGroup", name: "vpc-endpoints", props: map[string]any{
			"vpcId": unknown, "description": "Interface VPC endpoints: HTTPS from inside the VPC only", "tags": tags("platform-prod-vpc-endpoints"),
		}},
		{typ: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "vpc-endpoints-https", props: map[string]any{
			"securityGroupId": unknown, "description": "HTTPS from the VPC", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "10.20.0.0/16",
		}},

		// components/postgres.
		{typ: "aws:kms/key:Key", name: "db-key", props: map[string]any{
			"description": "PostgreSQL storage, secrets and logs of platform-prod-db", "enableKeyRotation": true, "deletionWindowInDays": 30,
			"keyUsage": "ENCRYPT_DECRYPT", "policy": keyPolicy, "tags": tags("db"),
		}, protect: true},
		{typ: "aws:ec2/securityGroup:SecurityGroup", name: "db-sg", props: map[string]any{
			"vpcId": unknown, "description": "PostgreSQL: 5432 from the named security groups only", "tags": tags("db-sg"),
		}},
		{typ: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "db-sg-eks-nodes-5432", props: map[string]any{
			"securityGroupId": unknown, "referencedSecurityGroupId": unknown, "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432,
			"description": "PostgreSQL from eks-nodes", "tags": tags("db-sg-eks-nodes-5432"),
		}},
		{typ: "aws:rds/parameterGroup:ParameterGroup", name: "db-postgres16", props: map[string]any{
			"name": "platform-prod-db-postgres16", "family": "postgres16", "description": "PostgreSQL 16 parameters of platform-prod-db",
			"parameters": []any{
				map[string]any{"name": "rds.force_ssl", "value": "1", "applyMethod": "immediate"},
				map[string]any{"name": "password_encryption", "value": "scram-sha-256", "applyMethod": "immediate"},
				map[string]any{"name": "log_min_duration_statement", "value": "500", "applyMethod": "immediate"},
				map[string]any{"name": "shared_preload_libraries", "value": "pg_stat_statements", "applyMethod": "pending-reboot"},
			},
			"tags": tags("db-postgres16"),
		}},
		{typ: "aws:rds/instance:Instance", name: "db", protect: true, props: map[string]any{
			"identifier": "platform-prod-db", "engine": "postgres", "engineVersion": "16.4", "instanceClass": "db.r6g.large",
			"allocatedStorage": 100, "maxAllocatedStorage": 500, "storageType": "gp3",
			"storageEncrypted": true, "kmsKeyId": dbKeyARN,
			"username": "platform_admin", "manageMasterUserPassword": true, "masterUserSecretKmsKeyId": dbKeyARN,
			"publiclyAccessible": false, "multiAz": true, "dbSubnetGroupName": unknown, "vpcSecurityGroupIds": []any{unknown},
			"parameterGroupName":    "platform-prod-db-postgres16",
			"backupRetentionPeriod": 30, "backupWindow": "03:00-04:00", "maintenanceWindow": "sun:05:00-sun:06:00",
			"deleteAutomatedBackups": false, "skipFinalSnapshot": false, "finalSnapshotIdentifier": "platform-prod-db-final-1a2b3c4d",
			"deletionProtection": true, "copyTagsToSnapshot": true,
			"performanceInsightsEnabled": true, "performanceInsightsKmsKeyId": dbKeyARN, "performanceInsightsRetentionPeriod": 7,
			"monitoringInterval": 60, "monitoringRoleArn": unknown,
			"enabledCloudwatchLogsExports":     []any{"postgresql", "upgrade"},
			"iamDatabaseAuthenticationEnabled": true, "caCertIdentifier": "rds-ca-rsa2048-g1", "autoMinorVersionUpgrade": true,
			"tags": tags("platform-prod-db"),
		}, deps: map[string][]string{"parameterGroupName": {"db-postgres16"}}},
		{typ: "aws:cloudwatch/logGroup:LogGroup", name: "db-postgresql", props: map[string]any{
			"name": "/aws/rds/instance/platform-prod-db/postgresql", "retentionInDays": 30, "kmsKeyId": dbKeyARN, "tags": tags("db-postgresql"),
		}},
		{typ: "aws:secretsmanager/secret:Secret", name: "db-app-rw", props: map[string]any{
			"description": "Credentials of the app_rw role of platform-prod-db", "kmsKeyId": dbKeyARN, "recoveryWindowInDays": 30, "tags": tags("db-app-rw"),
		}, protect: true},
		{typ: "aws:secretsmanager/secretRotation:SecretRotation", name: "db-master-rotation", props: map[string]any{
			"secretId": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1", "rotationRules": map[string]any{"automaticallyAfterDays": 30},
		}},
		{typ: "aws:iam/role:Role", name: "db-bootstrap-role", props: map[string]any{
			"description": "The database bootstrap Job reads the master secret", "assumeRolePolicy": irsaTrust, "tags": tags("db-bootstrap"),
		}},
		{typ: "aws:iam/rolePolicy:RolePolicy", name: "db-bootstrap-policy", props: map[string]any{
			"role": unknown, "policy": bootstrapPolicy,
		}, deps: map[string][]string{"role": {"db-bootstrap-role"}}},
		{typ: "aws:secretsmanager/secretVersion:SecretVersion", name: "db-app-rw-version", props: map[string]any{
			"secretId": unknown, "secretString": sec(`{"engine":"postgres","host":"db.example","port":5432,"dbname":"app","username":"app_rw","password":"Zq8vN3kP0xR7tL2mW9cB4yH6"}`),
		}},
		{typ: "kubernetes:core/v1:Secret", name: "db-bootstrap", props: map[string]any{
			"metadata":   map[string]any{"namespace": "platform-system"},
			"stringData": map[string]any{"APP_RW_PASSWORD": sec("Zq8vN3kP0xR7tL2mW9cB4yH6"), "MIGRATOR_PASSWORD": sec("Hk2pQ9wE5rT1yU7iO3aS8dF0")},
		}},
		{typ: "kubernetes:core/v1:ConfigMap", name: "db-bootstrap-sql", props: map[string]any{
			"metadata": map[string]any{"namespace": "platform-system"},
			"data":     map[string]any{"apply.sql": rolesSQL, "rollback.sql": "DROP ROLE IF EXISTS app_rw;"},
		}},
		{typ: "kubernetes:batch/v1:Job", name: "db-bootstrap-3f9a2c1b", props: map[string]any{
			"metadata": map[string]any{"namespace": "platform-system"},
			"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
				"restartPolicy": "Never", "automountServiceAccountToken": false,
				"securityContext": map[string]any{"runAsNonRoot": true, "runAsUser": 65532, "seccompProfile": map[string]any{"type": "RuntimeDefault"}},
				"volumes":         []any{map[string]any{"name": "bootstrap", "configMap": map[string]any{"name": "db-bootstrap-sql"}}, map[string]any{"name": "tmp", "emptyDir": map[string]any{}}},
				"initContainers": []any{map[string]any{
					"name": "fetch-master", "image": "amazon/aws-cli:2.17.0",
					"command":         []any{"/bin/sh", "-c", "aws secretsmanager get-secret-value --secret-id \"$MASTER_SECRET_ARN\" --query SecretString --output text >/run/master/secret.json"},
					"securityContext": restrictedContainer(),
					"env": []any{
						map[string]any{"name": "MASTER_SECRET_ARN", "value": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1"},
						map[string]any{"name": "AWS_REGION", "value": "us-east-1"},
					},
				}},
				"containers": []any{map[string]any{
					"name": "psql", "image": "postgres:16-alpine", "command": []any{"/bin/sh", "/bootstrap/bootstrap.sh"},
					"args":            []any{"--host", "platform-prod-db.abc.us-east-1.rds.amazonaws.com", "--password-file=/run/master/secret.json"},
					"securityContext": restrictedContainer(),
					"env": []any{
						map[string]any{"name": "PGSSLMODE", "value": "verify-full"},
						map[string]any{"name": "PGHOST", "value": "platform-prod-db.abc.us-east-1.rds.amazonaws.com"},
						map[string]any{"name": "APP_RW_PASSWORD", "valueFrom": map[string]any{"secretKeyRef": map[string]any{"name": "db-bootstrap", "key": "APP_RW_PASSWORD"}}},
					},
				}},
			}}},
		}},

		// components/redis.
		{typ: "aws:elasticache/replicationGroup:ReplicationGroup", name: "cache", protect: true, props: map[string]any{
			"description": "Redis of platform-prod", "engine": "redis", "engineVersion": "7.1", "nodeType": "cache.r7g.large",
			"numCacheClusters": 2, "automaticFailoverEnabled": true, "multiAzEnabled": true,
			"atRestEncryptionEnabled": true, "kmsKeyId": keyARN, "transitEncryptionEnabled": true, "transitEncryptionMode": "required",
			"authToken": sec("Wq3eR5tY7uI9oP1aS3dF5gH7"), "snapshotRetentionLimit": 7, "snapshotWindow": "03:00-04:00",
			"maintenanceWindow": "sun:05:00-sun:06:00", "finalSnapshotIdentifier": "platform-prod-cache-final",
			"subnetGroupName": unknown, "autoMinorVersionUpgrade": true, "tags": tags("cache"),
			"logDeliveryConfigurations": []any{
				map[string]any{"destination": unknown, "destinationType": "cloudwatch-logs", "logFormat": "json", "logType": "slow-log"},
				map[string]any{"destination": unknown, "destinationType": "cloudwatch-logs", "logFormat": "json", "logType": "engine-log"},
			},
		}},

		// components/broker.
		{typ: "aws:mq/broker:Broker", name: "broker", protect: true, props: map[string]any{
			"brokerName": "platform-prod-broker", "engineType": "RabbitMQ", "engineVersion": "3.13", "hostInstanceType": "mq.m5.large",
			"deploymentMode": "CLUSTER_MULTI_AZ", "publiclyAccessible": false, "autoMinorVersionUpgrade": true,
			"logs": map[string]any{"general": true}, "subnetIds": []any{unknown, unknown, unknown},
			"users": []any{map[string]any{"username": "platform_admin", "password": sec("Mn4bV6cX8zL0kJ2hG4fD6sA8")}},
			"tags":  tags("broker"),
		}},

		// components/cluster.
		{typ: "aws:eks/cluster:Cluster", name: "eks", protect: true, props: map[string]any{
			"name": "platform-prod-eks", "roleArn": unknown, "version": "1.33",
			"accessConfig": map[string]any{"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": false},
			"vpcConfig":    map[string]any{"endpointPrivateAccess": true, "endpointPublicAccess": false, "subnetIds": []any{unknown, unknown, unknown}},
			"encryptionConfig": map[string]any{
				"resources": []any{"secrets"},
				"provider":  map[string]any{"keyArn": keyARN},
			},
			"enabledClusterLogTypes": []any{"api", "audit", "authenticator", "controllerManager", "scheduler"},
			"tags":                   tags("platform-prod-eks"),
		}},
		{typ: "aws:ec2/launchTemplate:LaunchTemplate", name: "eks-general-lt", props: map[string]any{
			"metadataOptions": map[string]any{"httpEndpoint": "enabled", "httpTokens": "required", "httpPutResponseHopLimit": 1},
			"blockDeviceMappings": []any{map[string]any{
				"deviceName": "/dev/xvda",
				"ebs":        map[string]any{"encrypted": "true", "kmsKeyId": keyARN, "volumeSize": 50, "volumeType": "gp3", "deleteOnTermination": "true"},
			}},
			"monitoring": map[string]any{"enabled": true},
			"userData":   "TUlNRS1WZXJzaW9uOiAxLjAKQ29udGVudC1UeXBlOiBhcHBsaWNhdGlvbi9ub2RlLmVrcy5hd3MKCmFwaVZlcnNpb246IG5vZGUuZWtzLmF3cy92MWFscGhhMQpraW5kOiBOb2RlQ29uZmlnCg==",
			"tags":       tags("eks-general"),
		}},
		{typ: "aws:eks/nodeGroup:NodeGroup", name: "eks-general", props: map[string]any{
			"clusterName": unknown, "nodeRoleArn": unknown, "subnetIds": []any{unknown, unknown, unknown}, "amiType": "AL2023_x86_64_STANDARD",
			"scalingConfig":  map[string]any{"minSize": 3, "maxSize": 9, "desiredSize": 3},
			"launchTemplate": map[string]any{"id": unknown, "version": unknown}, "tags": tags("eks-general"),
		}},
		{typ: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", name: "eks-nodes-egress", props: map[string]any{
			"securityGroupId": unknown, "ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0", "description": "Nodes reach ECR, STS and the internet through NAT",
		}},
		{typ: "aws:iam/role:Role", name: "eks-nodes", props: map[string]any{
			"description":      "EKS managed nodes of platform-prod-eks",
			"assumeRolePolicy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
			"tags":             tags("eks-nodes"),
		}},
		{typ: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "eks-nodes-worker", props: map[string]any{
			"role": unknown, "policyArn": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
		}},
		{typ: "aws:iam/policy:Policy", name: "eks-autoscaler", props: map[string]any{
			"policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["autoscaling:SetDesiredCapacity","autoscaling:TerminateInstanceInAutoScalingGroup"],"Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/k8s.io/cluster-autoscaler/platform-prod-eks":"owned"}}},{"Effect":"Allow","Action":["autoscaling:Describe*","ec2:DescribeLaunchTemplateVersions"],"Resource":"*"}]}`,
			"tags":   tags("eks-autoscaler"),
		}},

		{typ: "kubernetes:core/v1:Namespace", name: "platform-system", props: map[string]any{
			"metadata": map[string]any{"name": "platform-system", "labels": map[string]any{
				"pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted",
			}},
		}},
		{typ: "kubernetes:storage.k8s.io/v1:StorageClass", name: "gp3-encrypted", props: map[string]any{
			"metadata":    map[string]any{"name": "gp3-encrypted", "annotations": map[string]any{"storageclass.kubernetes.io/is-default-class": "true"}},
			"provisioner": "ebs.csi.aws.com", "parameters": map[string]any{"type": "gp3", "encrypted": "true", "kmsKeyId": keyARN},
		}},

		// components/backup: a vault here and one in the DR region, both
		// locked, a plan copying every rule there, the database selected,
		// and its automated backups replicated.
		{typ: "aws:kms/key:Key", name: "backup-key", props: map[string]any{
			"description": "AWS Backup vault of platform-prod", "enableKeyRotation": true, "deletionWindowInDays": 30, "policy": keyPolicy, "tags": tags("backup"),
		}, protect: true},
		{typ: "aws:backup/vault:Vault", name: "backup-vault", props: map[string]any{
			"name": "platform-prod-backup", "kmsKeyArn": keyARN, "forceDestroy": false, "tags": tags("backup-vault"),
		}, protect: true},
		{typ: "aws:backup/vaultLockConfiguration:VaultLockConfiguration", name: "backup-vault-lock", props: map[string]any{
			"backupVaultName": "platform-prod-backup", "minRetentionDays": 7, "maxRetentionDays": 400, "changeableForDays": 7,
		}, protect: true},
		{typ: "aws:backup/vault:Vault", name: "backup-dr-vault", props: map[string]any{
			"name": "platform-prod-backup-dr", "kmsKeyArn": drKeyARN, "forceDestroy": false, "tags": tags("backup-dr-vault"),
		}, provider: drProvider(), protect: true},
		{typ: "aws:backup/vaultLockConfiguration:VaultLockConfiguration", name: "backup-dr-vault-lock", props: map[string]any{
			"backupVaultName": "platform-prod-backup-dr", "minRetentionDays": 7, "maxRetentionDays": 400, "changeableForDays": 7,
		}, provider: drProvider(), protect: true},
		{typ: "aws:backup/plan:Plan", name: "backup-plan", props: map[string]any{
			"name": "platform-prod-backup", "tags": tags("backup-plan"),
			"rules": []any{map[string]any{
				"ruleName": "daily", "schedule": "cron(0 23 * * ? *)", "targetVaultName": "platform-prod-backup",
				"lifecycle":   map[string]any{"deleteAfter": 35},
				"copyActions": []any{map[string]any{"destinationVaultArn": unknown, "lifecycle": map[string]any{"deleteAfter": 35}}},
			}},
		}, deps: map[string][]string{"rules": {"backup-vault", "backup-dr-vault"}}},
		{typ: "aws:backup/selection:Selection", name: "backup-selection", props: map[string]any{
			"name": "platform-prod-backup-database", "planId": unknown, "iamRoleArn": unknown,
			"resources": []any{"arn:aws:rds:us-east-1:123456789012:db:platform-prod-db"},
		}},
		{typ: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", name: "backup-database-replication", props: map[string]any{
			"sourceDbInstanceArn": unknown, "kmsKeyId": drKeyARN, "retentionPeriod": 7,
		}, deps: map[string][]string{"sourceDbInstanceArn": {"db"}}, provider: drProvider(), protect: true},

		// components/monitoring.
		{typ: "aws:sns/topic:Topic", name: "monitoring-topic", props: map[string]any{
			"displayName": "platform-prod-monitoring", "kmsMasterKeyId": keyARN, "tags": tags("monitoring"),
		}},
		{typ: "aws:sns/topicPolicy:TopicPolicy", name: "monitoring-topic-policy", props: map[string]any{
			"arn": "arn:aws:sns:us-east-1:123456789012:monitoring", "policy": topicPolicy,
		}},

		// The stack's outputs, as AnalyzeStack sends them.
		{typ: "pulumi:pulumi:Stack", name: "platform-prod", props: map[string]any{
			"vpcId": "vpc-0abc", "privateSubnetIds": []any{"subnet-1", "subnet-2"},
			"kubeconfig":       sec("apiVersion: v1\nkind: Config\nusers:\n- name: eks\n  user:\n    exec:\n      command: aws\n"),
			"databaseEndpoint": "platform-prod-db.abc.us-east-1.rds.amazonaws.com:5432",
			"masterSecretArn":  "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1",
			"cacheSecretArn":   "arn:aws:secretsmanager:us-east-1:123456789012:secret:cache-1",
			"amqpsEndpoints":   []any{"amqps://b-1.mq.us-east-1.amazonaws.com:5671"},
		}},
	}
}

package catalog

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The data stores: RDS PostgreSQL, ElastiCache, Amazon MQ.
func init() {
	register(
		&Type{
			Token: "aws:rds/instance:Instance",
			Loses: "the database and everything in it (a replacement starts empty)",
			// Not ForceNew, so changed in place: identifier (a rename since
			// provider v5: the endpoint changes, the data stays),
			// instanceClass, allocatedStorage, maxAllocatedStorage,
			// storageType, iops, multiAz, port, engineVersion (RDS refuses a
			// downgrade with an error; it never replaces),
			// parameterGroupName, dbSubnetGroupName, backupRetentionPeriod,
			// monitoringInterval, performanceInsights*, caCertIdentifier.
			// engineLifecycleSupport is not ForceNew either: the provider
			// attempts an in-place change RDS cannot make
			// (hashicorp/terraform-provider-aws#44552).
			Source: tfaws("rds/instance.go"),
			Replace: always("availabilityZone", "characterSetName", "customIamInstanceProfile", "dbName", "engine",
				"kmsKeyId", "ncharCharacterSetName", "restoreToPointInTime", "s3Import", "snapshotIdentifier",
				"storageEncrypted", "timezone", "username"),
			Sets: paths("vpcSecurityGroupIds", "enabledCloudwatchLogsExports"),
			Create: Timing{
				Typical: func(in resource.PropertyMap) time.Duration {
					if Bool(in, "multiAz") {
						return 15 * time.Minute
					}
					return 9 * time.Minute
				},
				Source: "a Single-AZ PostgreSQL instance takes about 6 to 10 minutes to become available, Multi-AZ " +
					"(a standby in a second zone) 10 to 20 minutes; terraform-provider-aws create timeout 40m",
			},
			Highlights: paths("engineVersion", "instanceClass", "allocatedStorage", "maxAllocatedStorage", "multiAz",
				"storageEncrypted", "backupRetentionPeriod", "deletionProtection"),
			State: func(s *State) {
				ident := s.Str("identifier")
				if ident == "" {
					ident = s.ID
				}
				port := 5432.0
				if v, ok := Num(s.Props, "port"); ok {
					port = v
				}
				// Stable across runs: derived from the identifier.
				h := fnv.New32a()
				_, _ = h.Write([]byte(ident))
				n := h.Sum32()
				addr := fmt.Sprintf("%s.c%08x.%s.rds.amazonaws.com", ident, n, s.Env.Region)
				s.Default("port", resource.NewProperty(port))
				s.ComputedDefault("address", resource.NewProperty(addr))
				s.ComputedDefault("endpoint", resource.NewProperty(fmt.Sprintf("%s:%d", addr, int(port))))
				s.ComputedDefault("resourceId", resource.NewProperty(fmt.Sprintf("db-%08X%08X", n, n^0x5bd1e995)))
				s.ComputedDefault("hostedZoneId", resource.NewProperty("Z2R2ITUGPM61AM"))
				s.ComputedDefault("status", resource.NewProperty("available"))
				s.ComputedDefault("engineVersionActual", resource.NewProperty(s.Str("engineVersion")))
				// RDS ARNs name the identifier, not a resource ID.
				s.Computed("arn", resource.NewProperty(s.ARN("rds", "db:"+ident)))
				if Bool(s.Props, "manageMasterUserPassword") {
					s.ComputedDefault("masterUserSecrets", resource.NewProperty([]resource.PropertyValue{props(map[string]any{
						"secretArn":    s.ARN("secretsmanager", fmt.Sprintf("secret:rds!db-%08x-AbCdEf", n)),
						"kmsKeyId":     s.Str("masterUserSecretKmsKeyId"),
						"secretStatus": "active",
					})}))
				}
			},
			Cost: func(u Usage) []Charge {
				p, missing := u.prices("RDS for PostgreSQL")
				if missing != nil {
					return unpriced(missing)
				}
				class := Str(u.Inputs, "instanceClass")
				copies, az := 1.0, "Single-AZ"
				if Bool(u.Inputs, "multiAz") {
					// The standby is billed like the primary.
					copies, az = 2, "Multi-AZ"
				}
				var out []Charge
				if rate, missing := lookup(p.RDSPostgresHour, class, class+" instance", u.Region); missing != nil {
					out = append(out, *missing)
				} else {
					out = append(out, hourly(fmt.Sprintf("%s instance, %s", class, az), "rds", rate, copies))
				}
				gb, _ := Num(u.Inputs, "allocatedStorage")
				switch st := Str(u.Inputs, "storageType"); st {
				case "gp3", "gp2", "":
					out = append(out, Charge{
						What:   fmt.Sprintf("%g GB gp3 storage, %s: %g × %g GB × $%s/GB-month", gb, az, copies, gb, usd(p.RDSGP3GBMonth)),
						USD:    gb * copies * p.RDSGP3GBMonth,
						Groups: []string{"rds"},
					})
				default:
					out = append(out, Charge{What: "storage", Unpriced: "no price for storage type " + st + " in the table"})
				}
				return out
			},
			Usage: []string{
				"RDS backup storage beyond the database's size, and manual snapshots (per GB-month)",
				"RDS storage that autoscaling adds beyond allocatedStorage",
				"RDS enhanced monitoring and PostgreSQL logs in CloudWatch Logs",
			},
		},
		&Type{
			Token: "aws:rds/parameterGroup:ParameterGroup",
			Loses: "the parameters of the instances that use it; RDS refuses to delete a group in use, so " +
				"`pulumi up` would fail halfway",
			Supersedable: true,
			// The parameters themselves change in place.
			Source:     tfaws("rds/parameter_group.go"),
			Replace:    always("name", "namePrefix", "family", "description"),
			Sets:       paths("parameters"),
			Highlights: paths("family"),
			State: func(s *State) {
				s.Default("name", resource.NewProperty(autoName(s.Name)))
			},
		},
		&Type{
			Token: "aws:rds/subnetGroup:SubnetGroup",
			// Subnets and description change in place; an instance moves
			// to another group in place (dbSubnetGroupName is not
			// ForceNew), so a replaced group loses nothing.
			Supersedable: true,
			Source:       tfaws("rds/subnet_group.go"),
			Replace:      always("name", "namePrefix"),
			Sets:         paths("subnetIds"),
			State: func(s *State) {
				s.Default("name", resource.NewProperty(autoName(s.Name)))
			},
		},
		&Type{
			Token: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
			Loses: "the automated backups replicated to the DR region (the replication starts over, empty)",
			// The resource has no update: every argument is ForceNew.
			Source:   tfaws("rds/instance_automated_backups_replication.go"),
			NoUpdate: true,
			Create: fixed(5*time.Minute, "StartDBInstanceAutomatedBackupsReplication turns to replicating within "+
				"minutes; terraform-provider-aws create timeout 75m"),
			State: func(s *State) {
				s.Default("retentionPeriod", resource.NewProperty(7.0))
			},
			Usage: []string{"replicated backups in the DR region (storage per GB-month, cross-region transfer per GB)"},
		},
		&Type{
			Token: "aws:rds/eventSubscription:EventSubscription",
			// The topic, source type, categories and sources change in place.
			Source:  tfaws("rds/event_subscription.go"),
			Replace: always("name", "namePrefix"),
			Sets:    paths("eventCategories", "sourceIds"),
		},
		&Type{
			Token: "aws:elasticache/replicationGroup:ReplicationGroup",
			Loses: "the cached data (a replacement starts empty) and its endpoints",
			// nodeType, numCacheClusters, automaticFailoverEnabled,
			// multiAzEnabled, snapshotRetentionLimit, parameterGroupName,
			// securityGroupIds and authToken change in place; engine,
			// engineVersion and transitEncryptionEnabled replace only in
			// the cases of their conditions.
			Source: tfaws("elasticache/replication_group.go"),
			Replace: append(always("replicationGroupId", "atRestEncryptionEnabled", "kmsKeyId", "port",
				"subnetGroupName", "dataTieringEnabled", "globalReplicationGroupId", "networkType",
				"securityGroupNames", "snapshotArns", "snapshotName"),
				Rule{
					Path: path("engine"),
					Why: "Valkey takes over from Redis OSS in place (provider v5.73, " +
						"hashicorp/terraform-provider-aws#39745); any other engine change replaces",
					If: func(before, after resource.PropertyMap) bool {
						return Str(before, "engine") != "redis" || Str(after, "engine") != "valkey"
					},
				},
				Rule{
					Path: path("engineVersion"),
					Why:  "a downgrade replaces (customizeDiffEngineVersionForceNewOnDowngrade); an upgrade is in place",
					If: func(before, after resource.PropertyMap) bool {
						o, n := Str(before, "engineVersion"), Str(after, "engineVersion")
						return o != "" && n != "" && versionLess(n, o)
					},
				},
				Rule{
					Path: path("transitEncryptionEnabled"),
					Why:  "changing it with an engineVersion below 7.0.5 replaces (the argument's documentation)",
					If: func(before, _ resource.PropertyMap) bool {
						return versionLess(Str(before, "engineVersion"), "7.0.5")
					},
				},
			),
			Sets: paths("securityGroupIds", "securityGroupNames", "logDeliveryConfigurations", "snapshotArns"),
			Create: Timing{
				Typical: func(in resource.PropertyMap) time.Duration {
					if n, _ := Num(in, "numCacheClusters"); n > 1 {
						return 13 * time.Minute
					}
					return 8 * time.Minute
				},
				Source: "a replication group takes 5 to 10 minutes, more with replicas and Multi-AZ; " +
					"terraform-provider-aws create timeout 60m",
			},
			Highlights: paths("engine", "engineVersion", "nodeType", "numCacheClusters", "automaticFailoverEnabled",
				"multiAzEnabled", "atRestEncryptionEnabled", "transitEncryptionEnabled", "snapshotRetentionLimit"),
			State: func(s *State) {
				// replicationGroupId is auto-named (lower case) when not given.
				rgID := s.Str("replicationGroupId")
				if rgID == "" {
					rgID = strings.ToLower(s.Name + "-" + ShortHash(s.Name))
					s.Default("replicationGroupId", resource.NewProperty(rgID))
				}
				s.Computed("arn", resource.NewProperty(fmt.Sprintf("arn:aws:elasticache:%s:%s:replicationgroup:%s",
					s.Env.Region, s.Env.AccountID, rgID)))
				host := fmt.Sprintf("%s.%s.%s.cache.amazonaws.com", rgID, ShortHash(s.ID)[:6], regionCode(s.Env.Region))
				s.ComputedDefault("primaryEndpointAddress", resource.NewProperty("master."+host))
				s.ComputedDefault("readerEndpointAddress", resource.NewProperty("replica."+host))
				s.Default("port", resource.NewProperty(6379.0))
				s.Default("engine", resource.NewProperty("redis"))
				s.Default("clusterEnabled", resource.NewProperty(false))
				s.Default("clusterMode", resource.NewProperty("disabled"))
				if v := s.Str("engineVersion"); v != "" {
					s.ComputedDefault("engineVersionActual", resource.NewProperty(v+".0"))
				}
				n := 1
				if v, ok := Num(s.Props, "numCacheClusters"); ok {
					n = int(v)
				}
				var members []string
				for i := 1; i <= n; i++ {
					members = append(members, fmt.Sprintf("%s-%03d", rgID, i))
				}
				s.ComputedDefault("memberClusters", stringArray(members...))
			},
			Cost: func(u Usage) []Charge {
				p, missing := u.prices("ElastiCache")
				if missing != nil {
					return unpriced(missing)
				}
				nodeType := Str(u.Inputs, "nodeType")
				rate, missing := lookup(p.ElastiCacheHour, nodeType, nodeType+" nodes", u.Region)
				if missing != nil {
					return unpriced(missing)
				}
				engine := "Redis OSS"
				if Str(u.Inputs, "engine") == "valkey" {
					rate, engine = rate*(1-ValkeyDiscount), "Valkey"
				}
				nodes, ok := Num(u.Inputs, "numCacheClusters")
				if !ok {
					nodes = 1
				}
				return one(hourly(fmt.Sprintf("%s %s nodes", engine, nodeType), "elasticache", rate, nodes))
			},
			Usage: []string{"ElastiCache backup storage beyond one snapshot per node (per GB-month)"},
		},
		&Type{
			Token: "aws:elasticache/parameterGroup:ParameterGroup",
			Loses: "the parameters of the caches that use it; ElastiCache refuses to delete a group in use, so " +
				"`pulumi up` would fail halfway",
			Supersedable: true,
			// The parameters change in place.
			Source:     tfaws("elasticache/parameter_group.go"),
			Replace:    always("name", "family", "description"),
			Sets:       paths("parameters"),
			Highlights: paths("family"),
			State: func(s *State) {
				// ElastiCache stores parameter and subnet group names in
				// lower case.
				s.Props["name"] = resource.NewProperty(strings.ToLower(s.Str("name")))
			},
		},
		&Type{
			Token: "aws:elasticache/subnetGroup:SubnetGroup",
			// Subnets and description change in place; a replaced group is
			// a new name, and the replication group's subnetGroupName
			// replaces the cache: the gate sees that through the cascade.
			Supersedable: true,
			Source:       tfaws("elasticache/subnet_group.go"),
			Replace:      always("name"),
			Sets:         paths("subnetIds"),
			State: func(s *State) {
				s.Props["name"] = resource.NewProperty(strings.ToLower(s.Str("name")))
				s.ComputedDefault("vpcId", resource.NewProperty("vpc-offline"))
			},
		},
		&Type{
			Token: "aws:mq/broker:Broker",
			Loses: "the queues and the messages in them, and the broker's endpoints",
			// hostInstanceType, engineVersion, configuration,
			// securityGroups, logs, maintenanceWindowStartTime and users
			// change in place (RabbitMQ users are then ignored by the
			// provider: Amazon MQ does not change them after creation).
			// storageType: ForceNew in provider v5.x, not in older releases.
			Source: tfaws("mq/broker.go"),
			Replace: always("brokerName", "deploymentMode", "encryptionOptions", "engineType", "publiclyAccessible",
				"subnetIds", "storageType", "dataReplicationPrimaryBrokerArn"),
			Sets: paths("securityGroups", "subnetIds", "users"),
			Create: Timing{
				Typical: func(in resource.PropertyMap) time.Duration {
					if Str(in, "deploymentMode") == "CLUSTER_MULTI_AZ" {
						return 23 * time.Minute
					}
					return 15 * time.Minute
				},
				Source: "a single-instance broker \"takes about 15 minutes\" " +
					"(docs.aws.amazon.com/amazon-mq/latest/developer-guide/getting-started-rabbitmq.html); a RabbitMQ " +
					"cluster broker about 20 to 25 minutes",
			},
			Highlights: paths("engineVersion", "hostInstanceType", "deploymentMode", "publiclyAccessible"),
			State: func(s *State) {
				// brokerName is auto-named when not given.
				name := s.Str("brokerName")
				if name == "" {
					name = s.Name + "-" + ShortHash(s.Name)
					s.Default("brokerName", resource.NewProperty(name))
				}
				s.Computed("arn", resource.NewProperty(fmt.Sprintf("arn:aws:mq:%s:%s:broker:%s:%s",
					s.Env.Region, s.Env.AccountID, name, s.ID)))
				host := fmt.Sprintf("%s.mq.%s.amazonaws.com", s.ID, s.Env.Region)
				// RabbitMQ reports one instance in either deployment mode: a
				// cluster's three nodes sit behind one endpoint. RabbitMQ
				// instances have no IP address of their own.
				s.ComputedDefault("instances", resource.NewProperty([]resource.PropertyValue{props(map[string]any{
					"consoleUrl": "https://" + host,
					"endpoints":  []any{"amqps://" + host + ":5671"},
				})}))
				s.Default("deploymentMode", resource.NewProperty("SINGLE_INSTANCE"))
				s.Default("authenticationStrategy", resource.NewProperty("simple"))
				s.Default("storageType", resource.NewProperty("ebs"))
				s.Default("publiclyAccessible", resource.NewProperty(false))
				s.Default("encryptionOptions", props(map[string]any{"useAwsOwnedKey": true}))
			},
			Cost: func(u Usage) []Charge {
				p, missing := u.prices("Amazon MQ")
				if missing != nil {
					return unpriced(missing)
				}
				typ := Str(u.Inputs, "hostInstanceType")
				rate, missing := lookup(p.MQHour, typ, typ+" broker", u.Region)
				if missing != nil {
					return unpriced(missing)
				}
				n, mode := 1.0, "single instance"
				switch Str(u.Inputs, "deploymentMode") {
				case "CLUSTER_MULTI_AZ":
					n, mode = 3, "three-node cluster"
				case "ACTIVE_STANDBY_MULTI_AZ":
					n, mode = 2, "active/standby pair"
				}
				return one(hourly(fmt.Sprintf("%s broker, %s", typ, mode), "mq", rate, n))
			},
			Usage: []string{"Amazon MQ broker storage (per GB-month)"},
		},
		&Type{
			Token: "aws:mq/configuration:Configuration",
			// data and description make a new revision in place.
			// authenticationStrategy: ForceNew in provider v5.x.
			Source:  tfaws("mq/configuration.go"),
			Replace: always("name", "engineType", "engineVersion", "authenticationStrategy"),
			State: func(s *State) {
				s.Computed("arn", resource.NewProperty(fmt.Sprintf("arn:aws:mq:%s:%s:configuration:%s",
					s.Env.Region, s.Env.AccountID, s.ID)))
				s.ComputedDefault("latestRevision", resource.NewProperty(1.0))
				s.Default("authenticationStrategy", resource.NewProperty("simple"))
			},
		},
	)
}

// autoName imitates Pulumi's auto-naming (name, a hyphen, seven
// characters), with a suffix derived from the name so plans are stable.
func autoName(name string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	return fmt.Sprintf("%s-%07x", name, h.Sum32()&0xfffffff)
}

package pack

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	elasticacheReplicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup"
	elasticacheCluster          = "aws:elasticache/cluster:Cluster"
)

// No published pack (AWSGuard, Compliance-Ready) has ElastiCache rules;
// these follow Security Hub ElastiCache.1-.7 and Checkov.
func elasticacheRules() []*rule {
	rg := []string{elasticacheReplicationGroup}
	return []*rule{
		{
			// Closes: cached data and snapshots readable from the storage.
			name:        "aws-elasticache-replicationgroup-encrypted-at-rest",
			description: "ElastiCache replication groups encrypt data at rest.",
			level:       Mandatory,
			severity:    Medium,
			types:       rg,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireTrue(at(r.Properties, "atRestEncryptionEnabled"),
					"At-rest encryption is off; set `atRestEncryptionEnabled: true` with `kmsKeyId` = a customer-managed key (components/redis does this). It cannot be turned on later without replacing the group."))
			},
		},
		{
			name:        "aws-elasticache-replicationgroup-customer-managed-key",
			description: "ElastiCache at-rest encryption uses a customer-managed KMS key.",
			level:       Mandatory,
			severity:    Low,
			types:       rg,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				if !at(r.Properties, "atRestEncryptionEnabled").isTrue() {
					return nil
				}
				return collect(requireCMK(at(r.Properties, "kmsKeyId"), "The replication group's at-rest encryption",
					"set `kmsKeyId` to a customer-managed KMS key ARN (components/redis does this)."))
			},
		},
		{
			// Closes: cache traffic, AUTH token included, readable on the
			// network.
			name:        "aws-elasticache-replicationgroup-encrypted-in-transit",
			description: "ElastiCache replication groups require TLS.",
			level:       Mandatory,
			severity:    Medium,
			types:       rg,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				if m := requireTrue(at(r.Properties, "transitEncryptionEnabled"),
					"In-transit encryption is off; set `transitEncryptionEnabled: true` and `transitEncryptionMode: required`."); m != "" {
					return []string{m}
				}
				mode := at(r.Properties, "transitEncryptionMode")
				if v, ok := mode.str(); ok && !strings.EqualFold(v, "required") {
					return []string{fmt.Sprintf("`transitEncryptionMode` is %q, so clients may still connect without TLS; set it to `required`.", v)}
				}
				return nil
			},
		},
		{
			// Closes: anyone who reaches the port can read and write the cache.
			name:        "aws-elasticache-replicationgroup-auth-enabled",
			description: "ElastiCache replication groups require authentication (an AUTH token or RBAC user groups).",
			level:       Mandatory,
			severity:    Medium,
			types:       rg,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				token := at(r.Properties, "authToken")
				groups := at(r.Properties, "userGroupIds")
				if token.isUnknown() || token.nonEmpty() || groups.isUnknown() {
					return nil
				}
				if ids, _, _ := groups.strings(); len(ids) > 0 {
					return nil
				}
				return []string{"Clients need no credentials; set `authToken` from a `random.RandomPassword` (components/redis does this) or `userGroupIds`."}
			},
		},
		{
			// Closes: the AUTH token in plaintext in the state.
			name:        "aws-elasticache-replicationgroup-auth-token-secret",
			description: "The ElastiCache AUTH token is a Pulumi secret.",
			level:       Mandatory,
			severity:    High,
			types:       rg,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireSecret(at(r.Properties, "authToken"), "The AUTH token",
					"pass a `random.RandomPassword` result or wrap the value with `pulumi.ToSecret`."))
			},
		},
		{
			name:        "aws-elasticache-replicationgroup-snapshot-retention",
			description: "ElastiCache snapshots, when on, are kept for at least the configured number of days.",
			level:       Mandatory,
			severity:    High,
			types:       rg,
			schema: schemaProps{
				"minimumDays": intProp("Fewest days of snapshots (snapshotRetentionLimit) a replication group may keep.", 1, 1, 35),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				n := at(r.Properties, "snapshotRetentionLimit")
				// Absent or 0 means no backups: aws-stack-datastores-backups-enabled
				// reports that, so one mistake fails one policy.
				if f, ok := n.num(); n.missing() || (ok && f == 0) {
					return nil
				}
				minimum := s.int("minimumDays")
				return collect(atLeast(n, minimum, "`snapshotRetentionLimit`",
					fmt.Sprintf("set it to at least %d (platform:cache.snapshotRetentionDays).", minimum)))
			},
		},
		{
			name:        "aws-elasticache-replicationgroup-automatic-failover",
			description: "ElastiCache replication groups have a replica with automatic failover and Multi-AZ.",
			level:       Advisory,
			severity:    Medium,
			types:       rg,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				nodes := at(r.Properties, "numCacheClusters")
				if f, ok := nodes.num(); ok && f < 2 {
					return []string{"The group has a single node, so a node or zone failure takes the cache down; set `numCacheClusters` to 2 or more with `automaticFailoverEnabled` and `multiAzEnabled` (platform:cache)."}
				}
				return collect(
					requireTrue(at(r.Properties, "automaticFailoverEnabled"), "`automaticFailoverEnabled` is off; set it true so a replica is promoted when the primary fails."),
					requireTrue(at(r.Properties, "multiAzEnabled"), "`multiAzEnabled` is off; set it true so the replica runs in another zone."),
				)
			},
		},
		{
			name:        "aws-elasticache-replicationgroup-auto-minor-version-upgrade",
			description: "ElastiCache replication groups take minor engine upgrades automatically.",
			level:       Advisory,
			severity:    High,
			types:       rg,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				n := at(r.Properties, "autoMinorVersionUpgrade")
				if b, ok := n.bool(); n.known() && (!ok || !b) {
					return []string{"`autoMinorVersionUpgrade` is false; set it true so security fixes are applied in the maintenance window."}
				}
				return nil
			},
		},
		{
			name:        "aws-elasticache-replicationgroup-subnet-group",
			description: "ElastiCache replication groups use a subnet group of our VPC, not the default one.",
			level:       Advisory,
			severity:    High,
			types:       rg,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				n := at(r.Properties, "subnetGroupName")
				if n.isUnknown() {
					return nil
				}
				if v, ok := n.str(); ok && strings.TrimSpace(v) != "" && v != "default" {
					return nil
				}
				return []string{"The group uses the default subnet group; set `subnetGroupName` to a subnet group over the data-tier subnets."}
			},
		},
		{
			// Closes: a cache whose slow commands and engine events leave no
			// trace: ElastiCache delivers them to CloudWatch Logs only when
			// asked. https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Log_Delivery.html
			name:        "aws-elasticache-replicationgroup-log-delivery",
			description: "ElastiCache replication groups deliver the configured log types (slow log, engine log) to CloudWatch Logs.",
			level:       Advisory,
			severity:    Low,
			types:       rg,
			schema: schemaProps{
				"requiredLogTypes": stringListProp("Log types a replication group must deliver.", []string{"slow-log", "engine-log"}),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				n := at(r.Properties, "logDeliveryConfigurations")
				if n.isUnknown() {
					return nil
				}
				confs, _ := n.list()
				var got []string
				for _, c := range confs {
					t := c.get("logType")
					if t.isUnknown() {
						return nil
					}
					got = append(got, mustStr(t))
				}
				var missing []string
				for _, w := range s.strs("requiredLogTypes") {
					if !slices.Contains(got, w) {
						missing = append(missing, w)
					}
				}
				if len(missing) > 0 {
					return []string{fmt.Sprintf("Logs %s are not delivered; add them to `logDeliveryConfigurations` with a CloudWatch log group each (components/redis does this).", quoteList(missing))}
				}
				return nil
			},
		},
		{
			name:        "aws-elasticache-replicationgroup-final-snapshot",
			description: "ElastiCache replication groups take a final snapshot when deleted.",
			level:       Advisory,
			severity:    Medium,
			types:       rg,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				n := at(r.Properties, "finalSnapshotIdentifier")
				if n.isUnknown() || n.nonEmpty() {
					return nil
				}
				return []string{"Deleting the group loses its data; set a unique `finalSnapshotIdentifier`."}
			},
		},
	}
}

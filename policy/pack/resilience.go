package pack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// defaultStatefulTypes are the resources whose loss loses data or what
// reads it: data stores, their keys and secrets, vaults, the cluster and
// the network they live in. Pulumi refuses to delete a protected resource
// (https://www.pulumi.com/docs/iac/concepts/options/protect/), so a
// replacement or a destroy stops at preview instead of dropping them.
var defaultStatefulTypes = []string{
	rdsInstance, rdsCluster, elasticacheReplicationGroup, elasticacheCluster, mqBroker, eksCluster,
	kmsKey, smSecret, backupVault, backupVaultLock, rdsReplication, dynamodbTable, efsFileSystem, ebsVolume,
	ec2Vpc, ec2Subnet,
}

// resilienceRules hold what makes prod prod beyond single resources'
// settings; each is advisory by default and mandatory in
// config/prod.json, so a stack file that forgets a key fails prod's gate
// instead of running on dev's defaults.
func resilienceRules() []*rule {
	return []*rule{
		{
			name:         "aws-resources-stateful-protected",
			description:  "Stateful resources (data stores, their keys and secrets, backup vaults, the cluster and the network) have Pulumi's protect option.",
			level:        Advisory,
			severity:     High,
			types:        nil,
			typesSetting: "statefulTypes",
			schema: schemaProps{
				"statefulTypes": stringListProp("Resource types that must be protected.", defaultStatefulTypes),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				if r.Options.Protect {
					return nil
				}
				return []string{"The resource is not protected, so a replacement or `pulumi destroy` deletes it and its data; set `platform:protect: true` in the stack file (components pass pulumi.Protect to stateful resources)."}
			},
		},
	}
}

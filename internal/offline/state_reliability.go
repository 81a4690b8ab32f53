package offline

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// reliabilityState computes what AWS returns for backups and monitoring.
// ARNs are built in the recorder's region: a resource in the DR region (an
// explicit provider) gets the primary region in its mocked ARN, which no test
// relies on.
var reliabilityState = map[string]stateFunc{
	"aws:backup/vault:Vault": func(r *Recorder, _, _ string, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(r.ARN("backup", "backup-vault:"+str(s, "name")))
		setDefault(s, "recoveryPoints", resource.NewProperty(0.0))
	},
	"aws:backup/vaultLockConfiguration:VaultLockConfiguration": func(r *Recorder, _, _ string, s resource.PropertyMap) {
		setDefault(s, "backupVaultArn", resource.NewProperty(r.ARN("backup", "backup-vault:"+str(s, "backupVaultName"))))
	},
	"aws:backup/plan:Plan": func(r *Recorder, _, id string, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(r.ARN("backup", "backup-plan:"+id))
		setDefault(s, "version", resource.NewProperty("offline-"+shortHash(id)))
	},
	"aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": func(_ *Recorder, _, _ string, s resource.PropertyMap) {
		setDefault(s, "retentionPeriod", resource.NewProperty(7.0))
	},
	"aws:sns/topic:Topic": func(r *Recorder, _, _ string, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(r.ARN("sns", str(s, "name")))
		setDefault(s, "owner", resource.NewProperty(r.AccountID))
	},
	"aws:sns/topicSubscription:TopicSubscription": func(_ *Recorder, name, _ string, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(fmt.Sprintf("%s:%s", str(s, "topic"), shortHash(name)))
		// Email and HTTPS endpoints stay pending until someone confirms them.
		proto := str(s, "protocol")
		setDefault(s, "pendingConfirmation", resource.NewProperty(proto == "email" || proto == "email-json" || proto == "https" || proto == "http"))
	},
	"aws:cloudwatch/metricAlarm:MetricAlarm": func(r *Recorder, _, _ string, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(r.ARN("cloudwatch", "alarm:"+str(s, "name")))
	},
	"aws:cloudwatch/dashboard:Dashboard": func(r *Recorder, _, _ string, s resource.PropertyMap) {
		// Dashboards are global: no region in the ARN.
		setDefault(s, "dashboardArn", resource.NewProperty(fmt.Sprintf("arn:aws:cloudwatch::%s:dashboard/%s", r.AccountID, str(s, "dashboardName"))))
	},
}

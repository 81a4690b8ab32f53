package catalog

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Backups, logs, alarms and notifications.
func init() {
	register(
		&Type{
			Token: "aws:backup/vault:Vault",
			Loses: "its recovery points: AWS refuses to delete a vault that holds any, and a replacement starts empty",
			// forceDestroy and tags change in place.
			Source:     tfaws("backup/vault.go"),
			Replace:    always("name", "kmsKeyArn"),
			Highlights: paths("name"),
			State: func(s *State) {
				s.Computed("arn", resource.NewProperty(s.ARN("backup", "backup-vault:"+s.Str("name"))))
				s.ComputedDefault("recoveryPoints", resource.NewProperty(0.0))
			},
			Usage: []string{"AWS Backup storage of recovery points, warm and cold (per GB-month)",
				"cross-region copies of recovery points (per GB transferred)"},
		},
		&Type{
			Token: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
			Loses: "the lock on the vault's recovery points while it is replaced; in compliance mode, once its " +
				"grace time has passed, AWS refuses to change or remove it, so `pulumi up` fails",
			// No update: vault, grace time and both retention limits are
			// all ForceNew.
			Source:     tfaws("backup/vault_lock_configuration.go"),
			NoUpdate:   true,
			Highlights: paths("minRetentionDays", "maxRetentionDays", "changeableForDays"),
			State: func(s *State) {
				s.ComputedDefault("backupVaultArn", resource.NewProperty(s.ARN("backup", "backup-vault:"+s.Str("backupVaultName"))))
			},
		},
		&Type{
			Token: "aws:backup/plan:Plan",
			// Rules and advanced settings change in place (a new plan
			// version).
			Source:     tfaws("backup/plan.go"),
			Replace:    always("name"),
			Sets:       paths("rules", "advancedBackupSettings"),
			Highlights: paths("name"),
			State: func(s *State) {
				s.Computed("arn", resource.NewProperty(s.ARN("backup", "backup-plan:"+s.ID)))
				s.ComputedDefault("version", resource.NewProperty("offline-"+ShortHash(s.ID)))
			},
		},
		&Type{
			Token: "aws:backup/selection:Selection",
			// No update: every argument is ForceNew. A new selection loses
			// no recovery point: those stay in the vault.
			Source:   tfaws("backup/selection.go"),
			NoUpdate: true,
			Sets:     paths("resources", "notResources", "selectionTags", "conditions"),
		},
		&Type{
			Token:      "aws:cloudwatch/logGroup:LogGroup",
			Loses:      "its log events",
			Source:     tfaws("logs/group.go"),
			Replace:    always("name", "namePrefix", "logGroupClass"),
			Highlights: paths("name", "retentionInDays"),
			Usage:      []string{"CloudWatch Logs ingestion and storage (per GB)"},
		},
		&Type{
			Token: "aws:cloudwatch/metricAlarm:MetricAlarm",
			// Pulumi's name is alarm_name, ForceNew; the rest updates in place.
			Source:     tfaws("cloudwatch/metric_alarm.go"),
			Replace:    always("name"),
			Sets:       paths("alarmActions", "okActions", "insufficientDataActions", "metricQueries"),
			Highlights: paths("metricName", "extendedStatistic", "threshold"),
			State: func(s *State) {
				s.Computed("arn", resource.NewProperty(s.ARN("cloudwatch", "alarm:"+s.Str("name"))))
			},
			Cost: func(u Usage) []Charge {
				p, missing := u.prices("alarm")
				if missing != nil {
					return unpriced(missing)
				}
				// An alarm is billed per metric it evaluates: one, or each
				// metric of a metric-math alarm; below 60 s it is a
				// high-resolution alarm.
				metrics := 0
				if v, ok := at(u.Inputs, "metricQueries"); ok && v.IsArray() {
					for _, q := range v.ArrayValue() {
						if q = Plain(q); q.IsObject() {
							if m, has := q.ObjectValue()["metric"]; has && !m.IsNull() {
								metrics++
							}
						}
					}
				}
				metrics = max(metrics, 1)
				rate, kind := p.AlarmMonth, "standard-resolution alarm metric"
				if period, ok := Num(u.Inputs, "period"); ok && period < 60 {
					rate, kind = p.HighResAlarmMonth, "high-resolution alarm metric"
				}
				return one(monthly(kind, "cloudwatch", rate, float64(metrics)))
			},
		},
		&Type{
			Token:   "aws:cloudwatch/dashboard:Dashboard",
			Source:  tfaws("cloudwatch/dashboard.go"),
			Replace: always("dashboardName"),
			State: func(s *State) {
				// Dashboards are global: no region in the ARN.
				s.ComputedDefault("dashboardArn", resource.NewProperty(fmt.Sprintf("arn:aws:cloudwatch::%s:dashboard/%s",
					s.Env.AccountID, s.Str("dashboardName"))))
			},
			Cost: func(u Usage) []Charge {
				p, missing := u.prices("dashboard")
				if missing != nil {
					return unpriced(missing)
				}
				return one(monthly("CloudWatch dashboard", "cloudwatch", p.DashboardMonth, 1))
			},
		},
		&Type{
			Token: "aws:cloudwatch/eventRule:EventRule",
			// The pattern, schedule, state and role change in place.
			Source:  tfaws("events/rule.go"),
			Replace: always("name", "namePrefix", "eventBusName"),
		},
		&Type{
			Token: "aws:cloudwatch/eventTarget:EventTarget",
			// The target's ARN, input and role change in place.
			Source:  tfaws("events/target.go"),
			Replace: always("rule", "targetId", "eventBusName"),
		},
		&Type{
			Token: "aws:sns/topic:Topic",
			// Policies, delivery settings and the key change in place.
			Source:  tfaws("sns/topic.go"),
			Replace: always("name", "namePrefix", "fifoTopic"),
			State: func(s *State) {
				s.Computed("arn", resource.NewProperty(s.ARN("sns", s.Str("name"))))
				s.Default("owner", resource.NewProperty(s.Env.AccountID))
			},
			Usage: []string{"SNS notifications delivered (email, HTTPS; per 100,000)"},
		},
		&Type{
			Token:   "aws:sns/topicPolicy:TopicPolicy",
			Source:  tfaws("sns/topic_policy.go"),
			Replace: always("arn"),
		},
		&Type{
			Token: "aws:sns/topicSubscription:TopicSubscription",
			Loses: "the endpoint's confirmation: an email or HTTPS subscriber receives nothing until it confirms again",
			// Filter policies, redrive and delivery policies change in place.
			Source: tfaws("sns/topic_subscription.go"),
			Replace: always("endpoint", "protocol", "topic", "endpointAutoConfirms",
				"confirmationTimeoutInMinutes"),
			State: func(s *State) {
				s.Computed("arn", resource.NewProperty(fmt.Sprintf("%s:%s", s.Str("topic"), ShortHash(s.Name))))
				// Email and HTTPS endpoints stay pending until someone
				// confirms them.
				proto := s.Str("protocol")
				s.ComputedDefault("pendingConfirmation", resource.NewProperty(
					proto == "email" || proto == "email-json" || proto == "https" || proto == "http"))
			},
		},
	)
}

package monitoring

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/parts"
)

// DatabaseEventCategories are the RDS event categories of the database
// instance that reach the topic: what needs a person (RDS User Guide,
// "Amazon RDS event categories and event messages", source type
// db-instance). "backup", "configuration change", "creation", "deletion",
// "notification" and "read replica" are routine and stay out.
var DatabaseEventCategories = []string{"availability", "failover", "failure", "low storage", "maintenance", "recovery"}

// BackupJobPattern matches AWS Backup jobs that did not produce a recovery
// point and copy jobs that did not copy one (AWS Backup Developer Guide,
// "Monitor AWS Backup events using EventBridge": detail types "Backup Job
// State Change" and "Copy Job State Change", states FAILED, ABORTED,
// EXPIRED). A job a vault lock rejects fails this way, and no metric says so.
const BackupJobPattern = `{"source":["aws.backup"],"detail-type":["Backup Job State Change","Copy Job State Change"],"detail":{"state":["FAILED","ABORTED","EXPIRED"]}}`

// BackupRuleName is the EventBridge rule's name for a topic's physical name.
func BackupRuleName(physical string) string { return physical + "-backup-jobs" }

// events routes AWS Backup job failures and the database's RDS events to the
// topic: alarms watch metrics, and neither of these is one.
func (b *builder) events(topic *sns.Topic) error {
	ctx, name := b.ctx, b.name
	physical := parts.PhysicalName(ctx, name, 100)
	if b.args.BackupJobs {
		if !json.Valid([]byte(BackupJobPattern)) {
			return fmt.Errorf("backup job event pattern is not JSON")
		}
		rule, err := cloudwatch.NewEventRule(ctx, name+"-backup-jobs", &cloudwatch.EventRuleArgs{
			Name:         pulumi.String(BackupRuleName(physical)),
			Description:  pulumi.String("AWS Backup jobs and copy jobs that failed, were aborted or expired"),
			EventPattern: pulumi.String(BackupJobPattern),
			Tags:         b.tags("-backup-jobs"),
		}, b.parent)
		if err != nil {
			return fmt.Errorf("backup job rule: %w", err)
		}
		if _, err := cloudwatch.NewEventTarget(ctx, name+"-backup-jobs", &cloudwatch.EventTargetArgs{
			Rule: rule.Name,
			Arn:  topic.Arn,
		}, b.parent); err != nil {
			return fmt.Errorf("backup job rule target: %w", err)
		}
	}
	if b.args.DatabaseInstanceID != nil {
		if _, err := rds.NewEventSubscription(ctx, name+"-database-events", &rds.EventSubscriptionArgs{
			SnsTopic:        topic.Arn,
			SourceType:      pulumi.String("db-instance"),
			SourceIds:       pulumi.StringArray{b.args.DatabaseInstanceID},
			EventCategories: pulumi.ToStringArray(DatabaseEventCategories),
			Enabled:         pulumi.Bool(true),
			Tags:            b.tags("-database-events"),
		}, b.parent); err != nil {
			return fmt.Errorf("database event subscription: %w", err)
		}
	}
	return nil
}

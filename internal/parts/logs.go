package parts

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// LogRetentionDays are the retention values CloudWatch Logs accepts (0 means
// never expire, which we do not allow: CWL-02).
var LogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// ValidRetention reports whether CloudWatch Logs accepts days as a retention.
func ValidRetention(days int) bool { return slices.Contains(LogRetentionDays, days) }

// LogGroupArgs configures an encrypted log group.
type LogGroupArgs struct {
	// Name is the log group's name when AWS dictates it (RDS, EKS and MQ
	// write to fixed names); default an auto-generated name.
	Name          string
	RetentionDays int                // required; one of LogRetentionDays
	KMSKeyARN     pulumi.StringInput // required
	// KeepOnDelete leaves the log group and its data in the account when the
	// resource is deleted (flow logs, audit logs).
	KeepOnDelete bool
	Tags         map[string]string
}

// NewLogGroup creates a log group with a retention and a customer-managed key.
func NewLogGroup(ctx *pulumi.Context, name string, args LogGroupArgs, opts ...pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	if !ValidRetention(args.RetentionDays) {
		return nil, fmt.Errorf("log group %q: retention %d days is not one CloudWatch accepts", name, args.RetentionDays)
	}
	if args.KMSKeyARN == nil {
		return nil, fmt.Errorf("log group %q: a KMS key is required", name)
	}
	lgArgs := &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(args.RetentionDays),
		KmsKeyId:        args.KMSKeyARN,
		Tags:            TagsFor(ctx, name, args.Tags),
	}
	if args.Name != "" {
		lgArgs.Name = pulumi.String(args.Name)
	}
	if args.KeepOnDelete {
		lgArgs.SkipDestroy = pulumi.Bool(true)
	}
	lg, err := cloudwatch.NewLogGroup(ctx, name, lgArgs, opts...)
	if err != nil {
		return nil, fmt.Errorf("log group %q: %w", name, err)
	}
	return lg, nil
}

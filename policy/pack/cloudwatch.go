package pack

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const cloudwatchLogGroup = "aws:cloudwatch/logGroup:LogGroup"

func cloudwatchRules() []*rule {
	lg := []string{cloudwatchLogGroup}
	return []*rule{
		{
			// Closes: logs (queries, audit trails, flow records) readable
			// through the service key.
			name:        "aws-cloudwatch-loggroup-encrypted",
			description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
			level:       Mandatory,
			severity:    Medium,
			types:       lg,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireCMK(at(r.Properties, "kmsKeyId"), "The log group",
					"set `kmsKeyId` to a customer-managed key whose policy admits logs.<region>.amazonaws.com (parts.NewLogGroup with a parts.NewKey{AllowCloudWatchLogs: true})."))
			},
		},
		{
			// Closes: logs kept forever (cost, and personal data past its
			// purpose) or not long enough to investigate an incident.
			name:        "aws-cloudwatch-loggroup-retention",
			description: "CloudWatch log groups keep their logs for a set number of days, at least the configured minimum.",
			level:       Mandatory,
			severity:    Medium,
			types:       lg,
			schema: schemaProps{
				"minimumDays": intProp("Fewest days a log group may keep its logs.", 1, 1, 3653),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				minimum := s.int("minimumDays")
				n := at(r.Properties, "retentionInDays")
				fix := fmt.Sprintf("set `retentionInDays` to a CloudWatch retention of at least %d days (parts.NewLogGroup).", minimum)
				if n.missing() {
					return []string{"No `retentionInDays`, so the logs never expire; " + fix}
				}
				if f, ok := n.num(); ok && f == 0 {
					return []string{"`retentionInDays` is 0, so the logs never expire; " + fix}
				}
				return collect(atLeast(n, minimum, "`retentionInDays`", fix))
			},
		},
	}
}

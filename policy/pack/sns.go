package pack

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	snsTopic       = "aws:sns/topic:Topic"
	snsTopicPolicy = "aws:sns/topicPolicy:TopicPolicy"
)

// Alarm topics carry what is failing where; these follow Security Hub SNS.1
// and SNS.4.
func snsRules() []*rule {
	return []*rule{
		{
			// Closes: messages at rest readable through the AWS-managed key
			// (alias/aws/sns), which CloudWatch alarms cannot even use:
			// alarms publish only to topics under a key whose policy admits
			// cloudwatch.amazonaws.com.
			// Security Hub SNS.1 (medium).
			name:        "aws-sns-topic-customer-managed-key",
			description: "SNS topics are encrypted with a customer-managed KMS key.",
			level:       Mandatory,
			severity:    Medium,
			types:       []string{snsTopic},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireCMK(at(r.Properties, "kmsMasterKeyId"), "The topic",
					"set `kmsMasterKeyId` to a customer-managed key whose policy lets the publishers use it (components/monitoring does this)."))
			},
		},
		{
			// Closes: anyone subscribing to the topic (and reading every
			// alarm) or publishing to it (and paging the on-call).
			// Security Hub SNS.4 (critical), AWS Config rule
			// sns-topic-no-public-access.
			name:        "aws-sns-topic-policy-not-public",
			description: "SNS topic policies never grant a wildcard principal without a condition that restricts it to an account, organization or source.",
			level:       Mandatory,
			severity:    Critical,
			types:       []string{snsTopic, snsTopicPolicy},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var out []string
				for _, name := range openStatements(at(r.Properties, "policy")) {
					out = append(out, fmt.Sprintf("Topic policy statement %s lets any principal (\"*\") in without a condition that restricts it; name the publishing service with a fixed aws:SourceAccount or aws:SourceArn.", name))
				}
				return out
			},
		},
	}
}

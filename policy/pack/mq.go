package pack

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const mqBroker = "aws:mq/broker:Broker"

func engineType(r policyx.AnalyzerResource) string {
	s, _ := at(r.Properties, "engineType").str()
	return strings.ToLower(s)
}

// No published pack (AWSGuard, Compliance-Ready) has Amazon MQ rules; these
// follow Security Hub MQ.2-.6, AWS Config and Checkov.
func mqRules() []*rule {
	broker := []string{mqBroker}
	return []*rule{
		{
			// Closes: a broker endpoint reachable from the internet.
			name:        "aws-mq-broker-not-publicly-accessible",
			description: "Amazon MQ brokers are not publicly accessible.",
			level:       Mandatory,
			severity:    High,
			types:       broker,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(forbidTrue(at(r.Properties, "publiclyAccessible"),
					"The broker is publicly accessible; set `publiclyAccessible: false` (it cannot be changed later without replacing the broker)."))
			},
		},
		{
			// Closes: broker user passwords in plaintext in the state.
			name:        "aws-mq-broker-user-passwords-secret",
			description: "Amazon MQ broker user passwords are Pulumi secrets.",
			level:       Mandatory,
			severity:    High,
			types:       broker,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				users, ok := at(r.Properties, "users").list()
				if !ok {
					return nil
				}
				var out []string
				for _, u := range users {
					name, _ := u.get("username").str()
					out = append(out, requireSecret(u.get("password"), fmt.Sprintf("The password of broker user %q", name),
						"pass a `random.RandomPassword` result (components/broker does this)."))
				}
				return collect(out...)
			},
		},
		{
			name:        "aws-mq-broker-general-logs",
			description: "Amazon MQ brokers send their general logs to CloudWatch Logs.",
			level:       Advisory,
			severity:    Low,
			types:       broker,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireTrue(at(r.Properties, "logs.general"), "General logs are off; set `logs: {general: true}`."))
			},
		},
		{
			name:        "aws-mq-broker-audit-logs",
			description: "ActiveMQ brokers send their audit logs to CloudWatch Logs (RabbitMQ has no audit log).",
			level:       Advisory,
			severity:    Medium,
			types:       broker,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				if engineType(r) != "activemq" {
					return nil
				}
				return collect(requireTrue(at(r.Properties, "logs.audit"), "Audit logs are off; set `logs: {audit: true}`."))
			},
		},
		{
			name:        "aws-mq-broker-auto-minor-version-upgrade",
			description: "Amazon MQ brokers take minor engine upgrades automatically (required for RabbitMQ 3.13 and later).",
			level:       Advisory,
			severity:    Low,
			types:       broker,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireTrue(at(r.Properties, "autoMinorVersionUpgrade"), "`autoMinorVersionUpgrade` is off; set it true."))
			},
		},
		{
			name:        "aws-mq-broker-engine-version-current",
			description: "Amazon MQ brokers run at least the configured engine version.",
			level:       Advisory,
			severity:    Low,
			types:       broker,
			schema: schemaProps{
				"minimumRabbitmqVersion": stringProp("Oldest RabbitMQ version (major.minor) allowed.", "3.13", `^[0-9]+\.[0-9]+$`),
				"minimumActivemqVersion": stringProp("Oldest ActiveMQ version (major.minor) allowed.", "5.17", `^[0-9]+\.[0-9]+$`),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				v, ok := at(r.Properties, "engineVersion").str()
				if !ok {
					return nil
				}
				minimum := s.str("minimumRabbitmqVersion")
				if engineType(r) == "activemq" {
					minimum = s.str("minimumActivemqVersion")
				}
				if versionLess(v, minimum) {
					return []string{fmt.Sprintf("`engineVersion` %q is older than %s; upgrade it.", v, minimum)}
				}
				return nil
			},
		},
		{
			name:        "aws-mq-broker-multi-az",
			description: "Amazon MQ brokers run in a multi-AZ deployment mode.",
			level:       Advisory,
			severity:    Medium,
			types:       broker,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				n := at(r.Properties, "deploymentMode")
				if n.isUnknown() {
					return nil
				}
				v, _ := n.str()
				want := "CLUSTER_MULTI_AZ"
				if engineType(r) == "activemq" {
					want = "ACTIVE_STANDBY_MULTI_AZ"
				}
				if strings.EqualFold(v, want) {
					return nil
				}
				if v == "" {
					v = "SINGLE_INSTANCE (the default)"
				}
				return []string{fmt.Sprintf("The broker runs as %s, so a zone failure takes it down; set `deploymentMode: %s` (platform:broker).", v, want)}
			},
		},
		{
			// RabbitMQ brokers are always encrypted with an AWS-owned key: AWS
			// says encryptionOptions "does not apply to RabbitMQ brokers", so
			// this rule judges ActiveMQ only (README: waiver MQ-06).
			name:        "aws-mq-broker-customer-managed-key",
			description: "ActiveMQ brokers encrypt data with a customer-managed KMS key.",
			level:       Mandatory,
			severity:    Low,
			types:       broker,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				if engineType(r) != "activemq" {
					return nil
				}
				owned := at(r.Properties, "encryptionOptions.useAwsOwnedKey")
				if owned.isUnknown() {
					return nil
				}
				if b, ok := owned.bool(); !ok || b {
					return []string{"The broker uses an AWS-owned key; set `encryptionOptions: {useAwsOwnedKey: false, kmsKeyId: <customer-managed key ARN>}`."}
				}
				return collect(requireCMK(at(r.Properties, "encryptionOptions.kmsKeyId"), "The broker's encryption",
					"set `encryptionOptions.kmsKeyId` to a customer-managed KMS key ARN."))
			},
		},
	}
}

// versionLess compares dotted numeric versions ("3.13" < "3.9" is false).
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		x, y := 0, 0
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

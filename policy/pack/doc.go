// Package pack is the platform's policy pack: rules over the AWS and
// Kubernetes resources the program registers, grouped one file per service
// (rds.go, elasticache.go, mq.go, eks.go, ec2.go, iam.go, kms.go,
// secretsmanager.go, cloudwatch.go, kubernetes.go, tags.go) plus the stack
// policies that link resources (stack.go).
//
// Each rule's judgement is a pure function of the resource (or all
// resources) and its settings; thin policyx wrappers (pack.go) read the
// configuration and report. Values unknown during preview are never
// violations; secret values are judged by their content and, for
// credentials, by their secrecy.
//
// New serves the pack through policyx (policy/main.go). Evaluate runs the
// same policies in process, with the same configuration semantics as the
// engine, for the stack gate test and cmd/plan.
package pack

package parts

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Document renders an IAM policy document from its statements.
func Document(statements ...map[string]any) (string, error) {
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		return "", fmt.Errorf("rendering IAM policy document: %w", err)
	}
	return string(b), nil
}

// ServiceTrust is the trust policy of a role that an AWS service assumes
// ("eks", "ec2", "monitoring.rds"), limited to this account so the service
// cannot be made to act for another one (confused deputy).
func ServiceTrust(a Account, service string) (string, error) {
	return Document(map[string]any{
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": a.GlobalServicePrincipal(service)},
		"Action":    "sts:AssumeRole",
		"Condition": map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": a.ID},
		},
	})
}

// IRSATrust is the trust policy of a role that one Kubernetes service account
// assumes through the cluster's OIDC provider (IAM roles for service
// accounts). providerARN and issuerURL are the cluster's outputs.
func IRSATrust(providerARN, issuerURL pulumi.StringInput, namespace, serviceAccount string) pulumi.StringOutput {
	return pulumi.All(providerARN, issuerURL).ApplyT(func(v []any) (string, error) {
		arn, issuer := v[0].(string), strings.TrimPrefix(v[1].(string), "https://")
		return Document(map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Federated": arn},
			"Action":    "sts:AssumeRoleWithWebIdentity",
			"Condition": map[string]any{
				"StringEquals": map[string]any{
					issuer + ":sub": "system:serviceaccount:" + namespace + ":" + serviceAccount,
					issuer + ":aud": "sts.amazonaws.com",
				},
			},
		})
	}).(pulumi.StringOutput)
}

// ManagedPolicyARN returns the ARN of an AWS-managed policy by name.
func ManagedPolicyARN(a Account, name string) string {
	return fmt.Sprintf("arn:%s:iam::aws:policy/%s", a.Partition, name)
}

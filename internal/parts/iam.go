package parts

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ServiceTrust is the trust policy of a role that an AWS service assumes
// ("eks", "ec2", "monitoring.rds"), limited to this account so the service
// cannot be made to act for another one (confused deputy).
func ServiceTrust(a Account, service string) PolicyDocument {
	return Policy(Statement{
		Effect:    Allow,
		Principal: &Principal{Service: One(a.GlobalServicePrincipal(service))},
		Action:    One("sts:AssumeRole"),
		Condition: Conditions{
			"StringEquals": {"aws:SourceAccount": One(a.ID)},
		},
	})
}

// IRSATrust is the trust policy of a role that one Kubernetes service account
// assumes through the cluster's OIDC provider (IAM roles for service
// accounts). providerARN and issuerURL are the cluster's outputs.
func IRSATrust(providerARN, issuerURL pulumi.StringInput, namespace, serviceAccount string) pulumi.StringOutput {
	return pulumi.All(providerARN, issuerURL).ApplyT(func(v []any) (string, error) {
		arn, issuer := v[0].(string), strings.TrimPrefix(v[1].(string), "https://")
		return Policy(Statement{
			Effect:    Allow,
			Principal: &Principal{Federated: One(arn)},
			Action:    One("sts:AssumeRoleWithWebIdentity"),
			Condition: Conditions{
				"StringEquals": {
					issuer + ":sub": One("system:serviceaccount:" + namespace + ":" + serviceAccount),
					issuer + ":aud": One("sts.amazonaws.com"),
				},
			},
		}).JSON()
	}).(pulumi.StringOutput)
}

// ManagedPolicyARN returns the ARN of an AWS-managed policy by name.
func ManagedPolicyARN(a Account, name string) string {
	return fmt.Sprintf("arn:%s:iam::aws:policy/%s", a.Partition, name)
}

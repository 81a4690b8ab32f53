package parts

import (
	"cmp"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Account is where a stack deploys: the AWS account, region and partition.
// Key policies and ARNs are built from it.
type Account struct {
	ID        string // e.g. "123456789012"
	Region    string // e.g. "eu-west-1"
	Partition string // "aws", "aws-cn", "aws-us-gov"
	DNSSuffix string // "amazonaws.com"
}

// LookupAccount asks the default AWS provider who and where it is. It is called
// once per program run, by stacks.Run.
func LookupAccount(ctx *pulumi.Context, opts ...pulumi.InvokeOption) (Account, error) {
	id, err := aws.GetCallerIdentity(ctx, nil, opts...)
	if err != nil {
		return Account{}, fmt.Errorf("looking up the AWS account: %w", err)
	}
	region, err := aws.GetRegion(ctx, nil, opts...)
	if err != nil {
		return Account{}, fmt.Errorf("looking up the AWS region: %w", err)
	}
	part, err := aws.GetPartition(ctx, nil, opts...)
	if err != nil {
		return Account{}, fmt.Errorf("looking up the AWS partition: %w", err)
	}
	return Account{ID: id.AccountId, Region: region.Name, Partition: part.Partition, DNSSuffix: part.DnsSuffix}, nil
}

// Validate reports a missing field.
func (a Account) Validate() error {
	if a.ID == "" || a.Region == "" || a.Partition == "" {
		return fmt.Errorf("account: ID, Region and Partition are required, got %+v", a)
	}
	return nil
}

// ARN builds an ARN in this account. Global services (IAM) take an empty
// region.
func (a Account) ARN(service, region, res string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", a.Partition, service, region, a.ID, res)
}

// RootARN is the account's root principal, which key policies must keep so
// that IAM policies can grant use of the key.
func (a Account) RootARN() string {
	return fmt.Sprintf("arn:%s:iam::%s:root", a.Partition, a.ID)
}

// ServicePrincipal returns e.g. "logs.eu-west-1.amazonaws.com" for "logs".
func (a Account) ServicePrincipal(service string) string {
	return fmt.Sprintf("%s.%s.%s", service, a.Region, a.dnsSuffix())
}

// GlobalServicePrincipal returns e.g. "ec2.amazonaws.com".
func (a Account) GlobalServicePrincipal(service string) string {
	return service + "." + a.dnsSuffix()
}

// dnsSuffix is the partition's DNS suffix, "amazonaws.com" when unset.
func (a Account) dnsSuffix() string {
	return cmp.Or(a.DNSSuffix, "amazonaws.com")
}

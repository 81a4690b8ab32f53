package parts_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/internal/parts"
)

var acct = parts.Account{ID: "123456789012", Region: "eu-west-1", Partition: "aws", DNSSuffix: "amazonaws.com"}

func TestKeyPolicy(t *testing.T) {
	t.Parallel()
	extra := parts.Statement{Sid: "Extra", Effect: parts.Allow, Principal: &parts.Principal{AWS: parts.One("arn:aws:iam::123456789012:role/x")}, Action: parts.One("kms:Decrypt"), Resource: parts.One("*")}
	p := parts.KeyPolicy(acct, []string{"/aws/eks/c/cluster", "/aws/vpc/flow-logs/v"}, extra)
	require.Len(t, p.Statement, 3)
	require.Equal(t, &parts.Principal{AWS: parts.One("arn:aws:iam::123456789012:root")}, p.Statement[0].Principal, "the account keeps control")
	require.Equal(t, &parts.Principal{Service: parts.One("logs.eu-west-1.amazonaws.com")}, p.Statement[1].Principal)
	require.Equal(t, parts.Conditions{"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": parts.List(
		"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/c/cluster",
		"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/flow-logs/v",
	)}}, p.Statement[1].Condition, "logs may use it for the named log groups only")
	for _, st := range p.Statement {
		for _, r := range st.Resource.Strings() {
			require.NotContains(t, r, "log-group:*", "not for any log group of the account")
		}
		for _, keys := range st.Condition {
			for _, vs := range keys {
				for _, v := range vs.Strings() {
					require.NotContains(t, v, "log-group:*", "not for any log group of the account")
				}
			}
		}
	}
	require.Equal(t, extra, p.Statement[2])
	_, err := p.JSON()
	require.NoError(t, err)

	noLogs := parts.KeyPolicy(acct, nil)
	require.Len(t, noLogs.Statement, 1)
	require.Nil(t, noLogs.Statement[0].Condition)
	require.Equal(t, &parts.Principal{AWS: parts.One("arn:aws:iam::123456789012:root")}, noLogs.Statement[0].Principal, "no statement for CloudWatch Logs")
}

func TestNewKey(t *testing.T) {
	t.Parallel()
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		_, err := parts.NewKey(ctx, "db", parts.KeyArgs{Account: acct, Description: "database storage", Protect: true})
		return err
	})
	key := rec.Find("aws:kms/key:Key", "db")
	require.True(t, offlinetest.Bool(t, key, "enableKeyRotation"))
	require.Equal(t, 30.0, offlinetest.Num(t, key, "deletionWindowInDays"))
	require.Equal(t, "ENCRYPT_DECRYPT", offlinetest.Str(t, key, "keyUsage"))
	require.True(t, key.Protect)
	alias := rec.Find("aws:kms/alias:Alias", "db")
	require.Equal(t, "alias/platform-test-db", offlinetest.Str(t, alias, "name"))
	require.Equal(t, []string{key.URN}, alias.PropertyDependencies["targetKeyId"])
	require.False(t, alias.Protect, "an alias is cheap to recreate")
	require.Equal(t, "platform-test-db", offlinetest.Str(t, key, "tags.Name"), "a key's Name is its alias, the physical name")

	named := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		_, err := parts.NewKey(ctx, "state-key", parts.KeyArgs{Account: acct, Description: "state bucket", AliasName: "acme-pulumi-state"})
		return err
	})
	require.Equal(t, "acme-pulumi-state", offlinetest.Str(t, named.Find("aws:kms/key:Key", "state-key"), "tags.Name"), "an alias given outright names the key")

	for _, bad := range []parts.KeyArgs{
		{Account: acct, Description: "short"},
		{Description: "no account here"},
		{Account: acct, Description: "window too long", DeletionWindowInDays: 31},
	} {
		rec, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
			_, err := parts.NewKey(ctx, "k", bad)
			return err
		})
		require.Error(t, err)
		require.Empty(t, rec.Resources())
	}
}

func TestNewLogGroup(t *testing.T) {
	t.Parallel()
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		_, err := parts.NewLogGroup(ctx, "lg", parts.LogGroupArgs{
			Name: "/aws/eks/x/cluster", RetentionDays: 90, KMSKeyARN: pulumi.String("arn:key"), KeepOnDelete: true,
		})
		return err
	})
	lg := rec.Find("aws:cloudwatch/logGroup:LogGroup", "lg")
	require.Equal(t, "/aws/eks/x/cluster", offlinetest.Str(t, lg, "name"))
	require.Equal(t, 90.0, offlinetest.Num(t, lg, "retentionInDays"))
	require.Equal(t, "arn:key", offlinetest.Str(t, lg, "kmsKeyId"))
	require.True(t, offlinetest.Bool(t, lg, "skipDestroy"))
	require.Equal(t, "platform-test-lg", offlinetest.Str(t, lg, "tags.Name"), "the physical name")

	_, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
		_, err := parts.NewLogGroup(ctx, "lg", parts.LogGroupArgs{RetentionDays: 2, KMSKeyARN: pulumi.String("k")})
		return err
	})
	require.ErrorContains(t, err, "retention 2 days is not one CloudWatch accepts")
	_, err = offlinetest.RunErr(func(ctx *pulumi.Context) error {
		_, err := parts.NewLogGroup(ctx, "lg", parts.LogGroupArgs{RetentionDays: 7})
		return err
	})
	require.ErrorContains(t, err, "a KMS key is required")
	require.True(t, parts.ValidRetention(3653))
	require.False(t, parts.ValidRetention(0), "never-expiring logs are not allowed")
}

func TestNewSecretStoresTheValueAsASecret(t *testing.T) {
	t.Parallel()
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		_, err := parts.NewSecret(ctx, "creds", parts.SecretArgs{
			Description: "app credentials",
			KMSKeyARN:   pulumi.String("arn:key"),
			Value:       pulumi.Map{"username": pulumi.String("app"), "password": pulumi.String("plain-in-code")},
		})
		return err
	})
	s := rec.Find("aws:secretsmanager/secret:Secret", "creds")
	require.Equal(t, "arn:key", offlinetest.Str(t, s, "kmsKeyId"))
	require.Equal(t, 30.0, offlinetest.Num(t, s, "recoveryWindowInDays"))
	require.Equal(t, "platform-test-creds", offlinetest.Str(t, s, "tags.Name"), "the physical name")
	v := rec.Find("aws:secretsmanager/secretVersion:SecretVersion", "creds")
	require.True(t, offlinetest.IsSecret(t, v, "secretString"), "the document is a secret even if its parts were not")
	require.JSONEq(t, `{"username":"app","password":"plain-in-code"}`, offlinetest.Str(t, v, "secretString"))

	_, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
		_, err := parts.NewSecret(ctx, "x", parts.SecretArgs{Description: "missing key", Value: pulumi.Map{}})
		return err
	})
	require.ErrorContains(t, err, "a KMS key and a value are required")
}

func TestAllowFromAddsOneRulePerSourceAndPort(t *testing.T) {
	t.Parallel()
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		sg, err := parts.NewSecurityGroup(ctx, "db", pulumi.String("vpc-1"), "database", nil)
		if err != nil {
			return err
		}
		return parts.AllowFrom(ctx, "db", sg.ID(), []parts.Port{{Number: 5432, Description: "PostgreSQL"}},
			map[string]pulumi.StringInput{"eks-nodes": pulumi.String("sg-nodes"), "eks-cluster": pulumi.String("sg-cluster")})
	})
	sg := rec.Find("aws:ec2/securityGroup:SecurityGroup", "db")
	require.False(t, offlinetest.Has(sg, "ingress"))
	require.False(t, offlinetest.Has(sg, "egress"))
	require.Equal(t, "platform-test-db", offlinetest.Str(t, sg, "tags.Name"), "the physical name")
	rules := rec.ByType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
	require.Len(t, rules, 2)
	require.Equal(t, "sg-cluster", offlinetest.Str(t, rec.Find(rules[0].Type, "db-eks-cluster-5432"), "referencedSecurityGroupId"))
	require.Equal(t, "sg-nodes", offlinetest.Str(t, rec.Find(rules[0].Type, "db-eks-nodes-5432"), "referencedSecurityGroupId"))
	for _, r := range rules {
		require.Equal(t, "tcp", offlinetest.Str(t, r, "ipProtocol"))
		require.Equal(t, 5432.0, offlinetest.Num(t, r, "fromPort"))
		require.Equal(t, "db-id", offlinetest.Str(t, r, "securityGroupId"))
		require.False(t, offlinetest.Has(r, "cidrIpv4"), "never from an address range")
		require.True(t, strings.HasPrefix(offlinetest.Str(t, r, "description"), "PostgreSQL from "))
		require.Equal(t, "platform-test-"+r.Name, offlinetest.Str(t, r, "tags.Name"), "the physical name")
	}
}

func TestTrustPolicies(t *testing.T) {
	t.Parallel()
	doc := parts.ServiceTrust(acct, "eks")
	require.Equal(t, parts.Policy(parts.Statement{
		Effect:    parts.Allow,
		Principal: &parts.Principal{Service: parts.One("eks.amazonaws.com")},
		Action:    parts.One("sts:AssumeRole"),
		Condition: parts.Conditions{"StringEquals": {"aws:SourceAccount": parts.One("123456789012")}},
	}), doc)

	var out pulumi.StringOutput
	offlinetest.Run(t, func(ctx *pulumi.Context) error {
		out = parts.IRSATrust(pulumi.String("arn:aws:iam::1:oidc-provider/oidc.eks/id/X"), pulumi.String("https://oidc.eks/id/X"), "kube-system", "cluster-autoscaler")
		return nil
	})
	irsa, err := parts.ParsePolicy(offlinetest.Await(t, out).Value.(string))
	require.NoError(t, err)
	require.Len(t, irsa.Statement, 1)
	st := irsa.Statement[0]
	require.Equal(t, &parts.Principal{Federated: parts.One("arn:aws:iam::1:oidc-provider/oidc.eks/id/X")}, st.Principal)
	require.Equal(t, parts.One("sts:AssumeRoleWithWebIdentity"), st.Action)
	require.Equal(t, parts.Conditions{"StringEquals": {
		"oidc.eks/id/X:sub": parts.One("system:serviceaccount:kube-system:cluster-autoscaler"),
		"oidc.eks/id/X:aud": parts.One("sts.amazonaws.com"),
	}}, st.Condition)
	require.Equal(t, "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", parts.ManagedPolicyARN(acct, "AmazonEKSWorkerNodePolicy"))
}

func TestPhysicalName(t *testing.T) {
	t.Parallel()
	offlinetest.Run(t, func(ctx *pulumi.Context) error {
		require.Equal(t, "platform-test-db", parts.PhysicalName(ctx, "db", 63))
		long := parts.PhysicalName(ctx, strings.Repeat("x", 100), 40)
		require.Len(t, long, 40)
		require.NotEqual(t, long, parts.PhysicalName(ctx, strings.Repeat("x", 101), 40), "long names do not collide")
		require.Equal(t, long, parts.PhysicalName(ctx, strings.Repeat("x", 100), 40), "and are stable")
		require.Equal(t, "platform-test-db-sg", parts.NameTag(ctx, "db-sg"))
		tags := parts.TagsFor(ctx, "db-sg", map[string]string{"Name": "overridden", "team": "data"})
		require.Equal(t, pulumi.StringMap{"Name": pulumi.String("platform-test-db-sg"), "team": pulumi.String("data")}, tags, "Name is always the physical name")
		return nil
	})
}

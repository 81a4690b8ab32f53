package pack_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/policy/pack"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		doc     string
		want    pack.Config
		wantErr string
	}{
		{name: "empty", doc: "  ", want: pack.Config{}},
		{name: "level string", doc: `{"aws-rds-instance-multi-az": "mandatory"}`,
			want: pack.Config{"aws-rds-instance-multi-az": {EnforcementLevel: pack.Mandatory}}},
		{name: "object with level and properties", doc: `{"aws-rds-instance-backup-retention": {"enforcementLevel": "advisory", "minimumDays": 14}}`,
			want: pack.Config{"aws-rds-instance-backup-retention": {EnforcementLevel: pack.Advisory, Properties: map[string]any{"minimumDays": float64(14)}}}},
		{name: "properties only", doc: `{"aws-ec2-securitygroup-disallow-public-ingress": {"allowedPorts": [443, 8443]}}`,
			want: pack.Config{"aws-ec2-securitygroup-disallow-public-ingress": {Properties: map[string]any{"allowedPorts": []any{float64(443), float64(8443)}}}}},
		{name: "all", doc: `{"all": "disabled"}`, want: pack.Config{"all": {EnforcementLevel: pack.Disabled}}},
		{name: "not an object", doc: `["x"]`, wantErr: "must be a JSON object"},
		{name: "unknown policy", doc: `{"aws-rds-instance-encrypted": "mandatory"}`, wantErr: `"aws-rds-instance-encrypted": unknown policy`},
		{name: "bad level", doc: `{"aws-rds-instance-multi-az": "strict"}`, wantErr: `enforcement level must be advisory, mandatory or disabled, got "strict"`},
		{name: "remediate is for remediation policies", doc: `{"aws-rds-instance-multi-az": "remediate"}`, wantErr: "got \"remediate\""},
		{name: "bad level in object", doc: `{"aws-rds-instance-multi-az": {"enforcementLevel": 1}}`, wantErr: "enforcementLevel must be"},
		{name: "wrong kind", doc: `{"aws-rds-instance-multi-az": true}`, wantErr: "must be an enforcement level string or an object"},
		{name: "unknown property", doc: `{"aws-rds-instance-backup-retention": {"minDays": 7}}`, wantErr: `unknown property "minDays"; known properties are minimumDays`},
		{name: "property on a policy without config", doc: `{"aws-rds-instance-multi-az": {"x": 1}}`, wantErr: "takes no configuration"},
		{name: "wrong type", doc: `{"aws-rds-instance-backup-retention": {"minimumDays": "7"}}`, wantErr: "minimumDays"},
		{name: "out of range", doc: `{"aws-rds-instance-backup-retention": {"minimumDays": 99}}`, wantErr: "minimumDays: must be <= 35"},
		{name: "bad list item", doc: `{"aws-ec2-securitygroup-disallow-public-ingress": {"allowedPorts": [70000]}}`, wantErr: "allowedPorts.0"},
		{name: "all with properties", doc: `{"all": {"enforcementLevel": "mandatory", "minimumDays": 1}}`, wantErr: "takes only an enforcement level"},
		{name: "every problem at once", doc: `{"nope": "mandatory", "aws-rds-instance-multi-az": "strict"}`, wantErr: `"nope": unknown policy`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := pack.ParseConfig([]byte(tc.doc))
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestShippedConfigs(t *testing.T) {
	t.Parallel()
	dev, err := pack.LoadConfig(filepath.Join("..", "config", "dev.json"))
	require.NoError(t, err)
	prod, err := pack.LoadConfig(filepath.Join("..", "config", "prod.json"))
	require.NoError(t, err)

	rank := map[pack.Level]int{pack.Disabled: 0, pack.Advisory: 1, pack.Mandatory: 2}
	levels := map[string]pack.Level{}
	for _, r := range pack.Rules() {
		levels[r.Name] = r.Level
	}
	level := func(c pack.Config, name string) pack.Level {
		if l := c[name].EnforcementLevel; l != "" {
			return l
		}
		return levels[name]
	}
	for name := range levels {
		require.GreaterOrEqualf(t, rank[level(prod, name)], rank[level(dev, name)], "prod must be at least as strict as dev for %s", name)
	}
	// What the issue asks of prod.
	require.Equal(t, pack.Mandatory, level(prod, "aws-rds-instance-deletion-protection"))
	require.Equal(t, pack.Advisory, level(dev, "aws-rds-instance-deletion-protection"))
	require.Equal(t, float64(30), prod["aws-rds-instance-backup-retention"].Properties["minimumDays"])
	require.Equal(t, float64(7), dev["aws-rds-instance-backup-retention"].Properties["minimumDays"])
	for name, pc := range prod {
		for k, v := range pc.Properties {
			if d, ok := dev[name].Properties[k].(float64); ok {
				require.GreaterOrEqualf(t, v.(float64), d, "%s.%s", name, k)
			}
		}
	}

	_, err = pack.LoadConfig(filepath.Join("..", "config", "missing.json"))
	require.ErrorContains(t, err, "policy config")
}

func TestEnforcementLevelsFromConfig(t *testing.T) {
	t.Parallel()
	broken := build(t, apply(t, set("db", "multiAz", false), set("db", "publiclyAccessible", true)))
	cases := []struct {
		name string
		cfg  pack.Config
		want map[string]pack.Level // policy -> level; absent = not reported
	}{
		{name: "own levels", cfg: pack.Config{}, want: map[string]pack.Level{
			"aws-rds-instance-multi-az": pack.Advisory, "aws-rds-instance-not-publicly-accessible": pack.Mandatory}},
		{name: "per policy", cfg: pack.Config{"aws-rds-instance-multi-az": {EnforcementLevel: pack.Mandatory}}, want: map[string]pack.Level{
			"aws-rds-instance-multi-az": pack.Mandatory, "aws-rds-instance-not-publicly-accessible": pack.Mandatory}},
		{name: "disabled", cfg: pack.Config{"aws-rds-instance-not-publicly-accessible": {EnforcementLevel: pack.Disabled}}, want: map[string]pack.Level{
			"aws-rds-instance-multi-az": pack.Advisory}},
		{name: "all, then per policy", cfg: pack.Config{"all": {EnforcementLevel: pack.Advisory}, "aws-rds-instance-multi-az": {EnforcementLevel: pack.Mandatory}}, want: map[string]pack.Level{
			"aws-rds-instance-multi-az": pack.Mandatory, "aws-rds-instance-not-publicly-accessible": pack.Advisory}},
		{name: "all disabled", cfg: pack.Config{"all": {EnforcementLevel: pack.Disabled}}, want: map[string]pack.Level{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vs, err := pack.Evaluate(broken, tc.cfg)
			require.NoError(t, err)
			got := map[string]pack.Level{}
			for _, v := range vs {
				got[v.Policy] = v.Level
				require.Equal(t, urnOf("aws:rds/instance:Instance", "db"), v.URN)
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestEvaluateRejectsInvalidSettings(t *testing.T) {
	t.Parallel()
	_, err := pack.Evaluate(build(t, baseline()), pack.Config{"aws-rds-instance-backup-retention": {Properties: map[string]any{"minimumDays": "soon"}}})
	require.ErrorContains(t, err, "aws-rds-instance-backup-retention: invalid configuration")
	_, err = pack.Evaluate(build(t, baseline()), pack.Config{"aws-rds-instance-multi-az": {EnforcementLevel: "strict"}})
	require.ErrorContains(t, err, `got "strict"`)
}

// Every control AWS Security Hub's Foundational Security Best Practices
// standard rates high or critical, for the resource kinds the platform
// creates, is mandatory in prod.json, through the policies that implement
// it. Severities from the Security Hub controls reference
// (https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html
// and the per-service pages {ec2,eks,elasticache,iam,kms,rds,sns}-controls.html).
func TestProdEnforcesFSBPHighAndCritical(t *testing.T) {
	t.Parallel()
	controls := []struct {
		control  string
		severity pack.Severity
		policies []string
	}{
		{"EC2.2", pack.High, []string{"aws-ec2-defaultsecuritygroup-no-rules", "aws-ec2-vpc-default-security-group-adopted"}},
		{"EC2.18", pack.High, []string{"aws-ec2-securitygroup-disallow-public-ingress", "aws-ec2-securitygroup-split-public-ingress"}},
		{"EC2.19", pack.Critical, []string{"aws-ec2-securitygroup-disallow-public-ingress", "aws-ec2-securitygroup-split-public-ingress"}},
		{"EC2.25", pack.High, []string{"aws-ec2-launchtemplate-no-public-ip"}},
		{"EKS.1", pack.High, []string{"aws-eks-cluster-endpoint-restricted"}},
		{"EKS.2", pack.High, []string{"aws-eks-cluster-version-supported"}},
		{"ElastiCache.1", pack.High, []string{"aws-elasticache-replicationgroup-snapshot-retention", "aws-stack-datastores-backups-enabled"}},
		{"ElastiCache.2", pack.High, []string{"aws-elasticache-replicationgroup-auto-minor-version-upgrade"}},
		{"ElastiCache.7", pack.High, []string{"aws-elasticache-replicationgroup-subnet-group"}},
		{"IAM.1", pack.High, []string{"aws-iam-policy-no-full-admin"}},
		{"KMS.3", pack.Critical, []string{"aws-kms-key-deletion-window"}},
		{"KMS.5", pack.Critical, []string{"aws-kms-key-not-public"}},
		{"RDS.2", pack.Critical, []string{"aws-rds-instance-not-publicly-accessible"}},
		{"RDS.13", pack.High, []string{"aws-rds-instance-auto-minor-version-upgrade"}},
		{"RDS.18", pack.High, []string{"aws-rds-instance-in-subnet-group"}},
		{"SNS.4", pack.Critical, []string{"aws-sns-topic-policy-not-public"}},
	}
	prod := loadConfig(t, "prod")
	byName := map[string]pack.PolicyInfo{}
	for _, p := range pack.Policies() {
		byName[p.Name] = p
	}
	for _, c := range controls {
		for _, name := range c.policies {
			p, ok := byName[name]
			require.True(t, ok, "%s: no policy %s", c.control, name)
			level := p.Level
			if l := prod[name].EnforcementLevel; l != "" {
				level = l
			}
			require.Equal(t, pack.Mandatory, level, "%s (%s) must be mandatory in prod.json through %s", c.control, c.severity, name)
			require.Contains(t, []pack.Severity{pack.High, pack.Critical}, p.Severity, "%s rates %s; %s says %s", c.control, c.severity, name, p.Severity)
		}
	}
}

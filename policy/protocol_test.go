package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
	"gopkg.in/yaml.v3"

	"github.com/acme/platform/policy/pack"
)

// The protocol tests build the pack, start it as the engine does and drive
// it over gRPC in the engine's two orders:
//
//   - `pulumi policy publish` (pkg/backend/httpstate/policypack.go Publish):
//     Host.PolicyAnalyzer with no options, so Handshake and GetPluginInfo
//     but no ConfigureStack, then GetAnalyzerInfo, whose answer is uploaded;
//   - a preview (plugin.NewPolicyAnalyzer, engine.LoadLocalPolicyPackAnalyzers,
//     deploy.stepGenerator): Handshake, ConfigureStack, GetPluginInfo,
//     GetAnalyzerInfo, Configure, Remediate then Analyze per resource,
//     AnalyzeStack, Cancel;
//
// with properties encoded as the engine encodes them.

type testResource struct {
	typ, name string
	props     map[string]any
	deps      map[string][]string // property -> URNs
	provider  *pulumirpc.AnalyzerProviderResource
}

func (r testResource) urn() string {
	return fmt.Sprintf("urn:pulumi:prod::platform::%s::%s", r.typ, r.name)
}

const keyARN = "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-bbbb-3333-cccc4444dddd"

// stack is a small prod stack with deliberate problems, some hidden behind
// values that are unknown or secret.
func stack(tb testing.TB) []testResource {
	pg := testResource{typ: "aws:rds/parameterGroup:ParameterGroup", name: "db-postgres16", props: map[string]any{
		"name": "platform-prod-db-postgres16", "family": "postgres16",
		"parameters": []any{
			map[string]any{"name": "rds.force_ssl", "value": "0"},
			map[string]any{"name": "password_encryption", "value": "scram-sha-256"},
			map[string]any{"name": "log_min_duration_statement", "value": "500"},
		},
	}}
	db := testResource{typ: "aws:rds/instance:Instance", name: "db", props: map[string]any{
		"engine": "postgres", "identifier": "platform-prod-db", "storageEncrypted": true, "kmsKeyId": computedV{}, // unknown at preview: not judged
		"manageMasterUserPassword": true, "masterUserSecretKmsKeyId": keyARN, "username": "platform_admin",
		"publiclyAccessible":    true,  // violation
		"multiAz":               false, // violation, mandatory in prod.json
		"backupRetentionPeriod": 30, "deleteAutomatedBackups": false, "skipFinalSnapshot": false, "finalSnapshotIdentifier": "final",
		"deletionProtection": true, "copyTagsToSnapshot": true, "performanceInsightsEnabled": true, "performanceInsightsKmsKeyId": keyARN,
		"monitoringInterval": 60, "monitoringRoleArn": computedV{}, "enabledCloudwatchLogsExports": []any{"postgresql", "upgrade"},
		"iamDatabaseAuthenticationEnabled": true, "caCertIdentifier": "rds-ca-rsa2048-g1", "dbSubnetGroupName": computedV{},
		"autoMinorVersionUpgrade": true,
		"parameterGroupName":      computedV{}, // linked through its dependency
	}, deps: map[string][]string{"parameterGroupName": {pg.urn()}}}
	dr := drProvider(tb)
	return []testResource{
		pg,
		db,
		{typ: "aws:backup/selection:Selection", name: "backup-selection", props: map[string]any{
			"resources": []any{computedV{}}, "planId": computedV{}, "iamRoleArn": computedV{},
		}, deps: map[string][]string{"resources": {db.urn()}}},
		{typ: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", name: "db-replication", props: map[string]any{
			"sourceDbInstanceArn": computedV{}, "kmsKeyId": computedV{}, "retentionPeriod": 7,
		}, deps: map[string][]string{"sourceDbInstanceArn": {db.urn()}}, provider: dr},
		{typ: "aws:backup/vault:Vault", name: "vault", props: map[string]any{
			"name": "platform-prod-backup", "kmsKeyArn": keyARN, "forceDestroy": false,
		}},
		{typ: "aws:backup/vaultLockConfiguration:VaultLockConfiguration", name: "vault-lock", props: map[string]any{
			"backupVaultName": "platform-prod-backup", "minRetentionDays": 7, // violation: the test's config asks for 10
		}},
		{typ: "aws:elasticache/replicationGroup:ReplicationGroup", name: "cache", props: map[string]any{
			"numCacheClusters": 2, "automaticFailoverEnabled": true, "multiAzEnabled": true,
			"atRestEncryptionEnabled": true, "kmsKeyId": keyARN, "transitEncryptionEnabled": true, "transitEncryptionMode": "required",
			"authToken":              "Wq3eR5tY7uI9oP1aS3dF5gH7", // violation: not secret
			"snapshotRetentionLimit": 7, "finalSnapshotIdentifier": "final", "subnetGroupName": "cache", "autoMinorVersionUpgrade": true,
			"logDeliveryConfigurations": []any{
				map[string]any{"logType": "slow-log", "destination": "cache-slow"}, map[string]any{"logType": "engine-log", "destination": "cache-engine"},
			},
		}},
		{typ: "aws:mq/broker:Broker", name: "broker", props: map[string]any{
			"engineType": "RabbitMQ", "engineVersion": "3.13", "deploymentMode": "CLUSTER_MULTI_AZ", "publiclyAccessible": false,
			"autoMinorVersionUpgrade": true, "logs": map[string]any{"general": true},
			"users": []any{map[string]any{"username": "admin", "password": secretV{"Mn4bV6cX8zL0kJ2hG4fD6sA8"}}},
		}},
		{typ: "kubernetes:core/v1:Secret", name: "creds", props: map[string]any{
			"stringData": map[string]any{"PASSWORD": secretV{"x-very-secret"}},
		}},
		{typ: "pulumi:pulumi:Stack", name: "platform-prod", props: map[string]any{
			"kubeconfig": "apiVersion: v1\nkind: Config\n", // violation: not secret
			"vpcId":      "vpc-1",
		}},
	}
}

// defaultProvider is the default AWS provider as the engine sends it.
func defaultProvider(tb testing.TB) *pulumirpc.AnalyzerProviderResource {
	return &pulumirpc.AnalyzerProviderResource{
		Type: "pulumi:providers:aws", Name: "default_6_83_4", Urn: "urn:pulumi:prod::platform::pulumi:providers:aws::default_6_83_4",
		Properties: marshal(tb, map[string]any{
			"region":      "us-east-1",
			"defaultTags": `{"tags":{"Owner":"platform-team","Environment":"prod"}}`,
		}),
	}
}

func drProvider(tb testing.TB) *pulumirpc.AnalyzerProviderResource {
	return &pulumirpc.AnalyzerProviderResource{
		Type: "pulumi:providers:aws", Name: "dr", Urn: "urn:pulumi:prod::platform::pulumi:providers:aws::dr",
		Properties: marshal(tb, map[string]any{
			"region":      "us-west-2",
			"defaultTags": `{"tags":{"Owner":"platform-team","Environment":"prod"}}`,
		}),
	}
}

var wireLevels = map[string]pulumirpc.EnforcementLevel{"advisory": 0, "mandatory": 1, "disabled": 2}

// engineConfig builds the Configure request the way the engine's
// ReconcilePolicyPackConfig (pkg/resource/analyzer/config.go) does: each
// policy's level and schema defaults, then the initial config, then "all",
// then the --policy-pack-config document (whose "all" key the engine keeps
// as an entry of its own).
func engineConfig(tb testing.TB, info *pulumirpc.AnalyzerInfo, raw map[string]any) map[string]*pulumirpc.PolicyConfig {
	tb.Helper()
	type entry struct {
		level pulumirpc.EnforcementLevel
		props map[string]any
	}
	result := map[string]*entry{}
	for _, p := range info.GetPolicies() {
		props := map[string]any{}
		for k, v := range p.GetConfigSchema().GetProperties().AsMap() {
			if d, ok := v.(map[string]any)["default"]; ok {
				props[k] = d
			}
		}
		result[p.GetName()] = &entry{p.GetEnforcementLevel(), props}
	}
	initial := info.GetInitialConfig()
	if all, ok := initial["all"]; ok {
		for _, e := range result {
			e.level = all.GetEnforcementLevel()
		}
	}
	for name, pc := range initial {
		if e, ok := result[name]; ok {
			e.level = pc.GetEnforcementLevel()
			maps.Copy(e.props, pc.GetProperties().AsMap())
		}
	}
	if all, ok := raw["all"].(string); ok {
		for _, e := range result {
			e.level = wireLevels[all]
		}
		result["all"] = &entry{wireLevels[all], nil}
	}
	for name, v := range raw {
		e, ok := result[name]
		if !ok || name == "all" {
			continue
		}
		switch v := v.(type) {
		case string:
			e.level = wireLevels[v]
		case map[string]any:
			for k, x := range v {
				if k == "enforcementLevel" {
					e.level = wireLevels[x.(string)]
					continue
				}
				e.props[k] = x
			}
		}
	}
	out := map[string]*pulumirpc.PolicyConfig{}
	for name, e := range result {
		s, err := structpb.NewStruct(e.props)
		require.NoError(tb, err)
		out[name] = &pulumirpc.PolicyConfig{EnforcementLevel: e.level, Properties: s}
	}
	return out
}

func readConfig(tb testing.TB, stack string) map[string]any {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("config", stack+".json"))
	require.NoError(tb, err)
	var raw map[string]any
	require.NoError(tb, json.Unmarshal(b, &raw))
	return raw
}

type diag struct{ policy, level, urn string }

func sortDiags(ds []diag) {
	sort.Slice(ds, func(i, j int) bool {
		return ds[i].policy+ds[i].urn < ds[j].policy+ds[j].urn
	})
}

// requests are what the engine sends for the stack: one AnalyzeRequest per
// resource (inputs), and the AnalyzerResources of AnalyzeStack.
func requests(tb testing.TB, rs []testResource) ([]*pulumirpc.AnalyzeRequest, []*pulumirpc.AnalyzerResource) {
	var reqs []*pulumirpc.AnalyzeRequest
	var stackResources []*pulumirpc.AnalyzerResource
	for _, r := range rs {
		req := &pulumirpc.AnalyzeRequest{
			Type: r.typ, Name: r.name, Urn: r.urn(), Properties: marshal(tb, r.props),
			Options: &pulumirpc.AnalyzerResourceOptions{Protect: true},
		}
		if strings.HasPrefix(r.typ, "aws:") {
			req.Provider = r.provider
			if req.Provider == nil {
				req.Provider = defaultProvider(tb)
			}
		}
		reqs = append(reqs, req)
		ar := &pulumirpc.AnalyzerResource{Type: req.Type, Name: req.Name, Urn: req.Urn, Properties: req.Properties, Provider: req.Provider,
			Options: req.Options, PropertyDependencies: map[string]*pulumirpc.AnalyzerPropertyDependencies{}}
		for k, urns := range r.deps {
			ar.PropertyDependencies[k] = &pulumirpc.AnalyzerPropertyDependencies{Urns: urns}
			ar.Dependencies = append(ar.Dependencies, urns...)
		}
		stackResources = append(stackResources, ar)
	}
	return reqs, stackResources
}

// pulumiPolicyYAML reads PulumiPolicy.yaml.
func pulumiPolicyYAML(tb testing.TB) (runtime, version, description string) {
	tb.Helper()
	b, err := os.ReadFile("PulumiPolicy.yaml")
	require.NoError(tb, err)
	var doc struct {
		Runtime     string `yaml:"runtime"`
		Version     string `yaml:"version"`
		Description string `yaml:"description"`
	}
	require.NoError(tb, yaml.Unmarshal(b, &doc))
	return doc.Runtime, doc.Version, doc.Description
}

// What `pulumi policy publish` asks, with no stack configured, answered in
// full: the metadata Pulumi Cloud stores and shows for every policy, and
// the initial config a policy group starts from, valid against each
// policy's schema as the engine will validate it.
func TestPublish(t *testing.T) {
	t.Parallel()
	r := startPack(t, buildBinary(t, "."), nil, os.Stderr)
	ctx := context.Background()
	dir, err := filepath.Abs(".")
	require.NoError(t, err)
	_, err = r.client.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{EngineAddress: "127.0.0.1:1", RootDirectory: &dir, ProgramDirectory: &dir})
	require.NoError(t, err)

	runtime, version, description := pulumiPolicyYAML(t)
	require.Equal(t, "go", runtime)

	plug, err := r.client.GetPluginInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	require.Equal(t, version, plug.GetVersion())
	_, err = semver.ParseTolerant(plug.GetVersion()) // what the host does with it
	require.NoError(t, err)

	info, err := r.client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	require.Equal(t, pack.Name, info.GetName())
	require.Equal(t, version, info.GetVersion())
	_, err = semver.Parse(info.GetVersion()) // publish requires a semantic version
	require.NoError(t, err)
	require.Equal(t, strings.Join(strings.Fields(description), " "), info.GetDescription())
	require.True(t, info.GetSupportsConfig())

	policies := pack.Policies()
	require.Len(t, info.GetPolicies(), len(policies))
	require.Len(t, info.GetInitialConfig(), len(policies))
	severities := map[pack.Severity]pulumirpc.PolicySeverity{
		pack.Low: pulumirpc.PolicySeverity_POLICY_SEVERITY_LOW, pack.Medium: pulumirpc.PolicySeverity_POLICY_SEVERITY_MEDIUM,
		pack.High: pulumirpc.PolicySeverity_POLICY_SEVERITY_HIGH, pack.Critical: pulumirpc.PolicySeverity_POLICY_SEVERITY_CRITICAL,
	}
	for i, want := range policies {
		got := info.GetPolicies()[i]
		t.Run(want.Name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, want.Name, got.GetName())
			require.Equal(t, want.Description, got.GetDescription())
			require.Equal(t, wireLevels[string(want.Level)], got.GetEnforcementLevel())
			require.Equal(t, severities[want.Severity], got.GetSeverity())
			wantType := pulumirpc.PolicyType_POLICY_TYPE_RESOURCE
			if want.Stack {
				wantType = pulumirpc.PolicyType_POLICY_TYPE_STACK
			}
			require.Equal(t, wantType, got.GetPolicyType())

			// The schema, property by property, as JSON.
			schema := got.GetConfigSchema().GetProperties().AsMap()
			wantSchema := map[string]any{}
			b, err := json.Marshal(want.Schema)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &wantSchema))
			if len(want.Schema) == 0 {
				require.Nil(t, got.GetConfigSchema())
			} else {
				require.Equal(t, wantSchema, schema)
			}

			// The initial config: the policy's own level and its defaults,
			// valid against the schema the engine builds from it (an object
			// of these properties, plus enforcementLevel).
			ic := info.GetInitialConfig()[want.Name]
			require.NotNil(t, ic)
			require.Equal(t, wireLevels[string(want.Level)], ic.GetEnforcementLevel())
			defaults := map[string]any{}
			for k, v := range schema {
				defaults[k] = v.(map[string]any)["default"]
			}
			require.Equal(t, defaults, ic.GetProperties().AsMap())
			doc, err := json.Marshal(map[string]any{"type": "object", "properties": schema})
			require.NoError(t, err)
			compiled, err := jsonschema.CompileString(want.Name+".json", string(doc))
			require.NoError(t, err)
			require.NoError(t, compiled.Validate(ic.GetProperties().AsMap()))
		})
	}
}

func TestProtocol(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t, ".")
	ctx := context.Background()

	// The preview's configuration: prod.json, with a stricter vault lock
	// that only the stack policy's own configuration can carry.
	raw := readConfig(t, "prod")
	raw["aws-backup-vault-locked"] = map[string]any{"enforcementLevel": "mandatory", "minimumRetentionDays": float64(10)}

	t.Run("engine order", func(t *testing.T) {
		t.Parallel()
		client := startPack(t, bin, nil, os.Stderr).client
		dir, _ := filepath.Abs(".")

		_, err := client.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{EngineAddress: "127.0.0.1:1", RootDirectory: &dir, ProgramDirectory: &dir})
		require.NoError(t, err)
		_, err = client.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{
			Stack: "prod", Project: "platform", Organization: "acme", DryRun: true,
			Config: map[string]string{"aws:region": "us-east-1"}, Tags: map[string]string{"pulumi:project": "platform"},
		})
		require.NoError(t, err)
		plug, err := client.GetPluginInfo(ctx, &emptypb.Empty{})
		require.NoError(t, err)
		require.Equal(t, pack.Version.String(), plug.GetVersion())
		info, err := client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
		require.NoError(t, err)
		_, err = client.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: engineConfig(t, info, raw)})
		require.NoError(t, err)

		var got []diag
		record := func(ds []*pulumirpc.AnalyzeDiagnostic) {
			for _, d := range ds {
				require.Equal(t, pack.Name, d.GetPolicyPackName())
				require.Equal(t, pack.Version.String(), d.GetPolicyPackVersion())
				require.True(t, strings.HasPrefix(d.GetMessage(), d.GetDescription()+"\n"), "the engine shows the description first")
				require.NotEqual(t, pulumirpc.PolicySeverity_POLICY_SEVERITY_UNSPECIFIED, d.GetSeverity())
				got = append(got, diag{d.GetPolicyName(), strings.ToLower(d.GetEnforcementLevel().String()), d.GetUrn()})
			}
		}
		reqs, stackResources := requests(t, stack(t))
		for _, req := range reqs {
			rem, err := client.Remediate(ctx, req)
			require.NoError(t, err, req.Urn)
			require.Empty(t, rem.GetRemediations())
			resp, err := client.Analyze(ctx, req)
			require.NoError(t, err, req.Urn)
			record(resp.GetDiagnostics())
		}
		resp, err := client.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: stackResources})
		require.NoError(t, err)
		record(resp.GetDiagnostics())
		_, err = client.Cancel(ctx, &emptypb.Empty{})
		require.NoError(t, err)

		db := "urn:pulumi:prod::platform::aws:rds/instance:Instance::db"
		want := []diag{
			{"aws-rds-instance-not-publicly-accessible", "mandatory", db},
			{"aws-rds-instance-multi-az", "mandatory", db},
			{"aws-elasticache-replicationgroup-auth-token-secret", "mandatory", "urn:pulumi:prod::platform::aws:elasticache/replicationGroup:ReplicationGroup::cache"},
			{"aws-rds-instance-force-ssl", "mandatory", db},
			{"aws-backup-vault-locked", "mandatory", "urn:pulumi:prod::platform::aws:backup/vault:Vault::vault"},
			{"pulumi-stack-outputs-credentials-secret", "mandatory", "urn:pulumi:prod::platform::pulumi:pulumi:Stack::platform-prod"},
		}
		sortDiags(want)
		sortDiags(got)
		require.Equal(t, want, got)

		// The in-process evaluator gives the same verdicts for the same
		// resources and configuration.
		cfgJSON, err := json.Marshal(raw)
		require.NoError(t, err)
		cfg, err := pack.ParseConfig(cfgJSON)
		require.NoError(t, err)
		vs, err := pack.Evaluate(analyzerResources(t, stack(t)), cfg)
		require.NoError(t, err)
		var inProcess []diag
		for _, v := range vs {
			inProcess = append(inProcess, diag{v.Policy, string(v.Level), v.URN})
		}
		sortDiags(inProcess)
		require.Equal(t, got, inProcess)
	})

	t.Run("concurrent Analyze calls agree with sequential ones", func(t *testing.T) {
		t.Parallel()
		client := startPack(t, bin, nil, os.Stderr).client
		info, err := client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
		require.NoError(t, err)
		_, err = client.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: engineConfig(t, info, raw)})
		require.NoError(t, err)
		reqs, _ := requests(t, stack(t))
		sequential := make([]int, len(reqs))
		for i, req := range reqs {
			resp, err := client.Analyze(ctx, req)
			require.NoError(t, err)
			sequential[i] = len(resp.GetDiagnostics())
		}
		var wg sync.WaitGroup
		errs := make(chan error, 8*len(reqs))
		for range 8 {
			for i, req := range reqs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					resp, err := client.Analyze(ctx, req)
					if err == nil && len(resp.GetDiagnostics()) != sequential[i] {
						err = fmt.Errorf("%s: %d diagnostics, %d sequentially", req.GetUrn(), len(resp.GetDiagnostics()), sequential[i])
					}
					errs <- err
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
	})

	t.Run("Configure refuses what the pack cannot use, naming the policy", func(t *testing.T) {
		t.Parallel()
		client := startPack(t, bin, nil, os.Stderr).client
		bad, err := structpb.NewStruct(map[string]any{"minimumDays": "soon"})
		require.NoError(t, err)
		_, err = client.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
			"aws-rds-instance-backup-retention": {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY, Properties: bad},
		}})
		require.Equal(t, codes.InvalidArgument, status.Code(err))
		require.ErrorContains(t, err, "aws-rds-instance-backup-retention")
		_, err = client.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
			"aws-rds-instance-multi-az": {EnforcementLevel: pulumirpc.EnforcementLevel_REMEDIATE},
		}})
		require.ErrorContains(t, err, "aws-rds-instance-multi-az")
	})
}

// analyzerResources is what the server hands to the policies for the same
// resources: what Evaluate takes.
func analyzerResources(tb testing.TB, rs []testResource) []policyx.AnalyzerResource {
	tb.Helper()
	out := make([]policyx.AnalyzerResource, 0, len(rs))
	for _, r := range rs {
		ar := policyx.AnalyzerResource{
			Type: r.typ, Name: r.name, URN: r.urn(),
			Properties:           resource.FromResourcePropertyMap(toPropMap(tb, r.props)),
			PropertyDependencies: r.deps,
			Options:              pulumi.ResourceOptions{Protect: true},
		}
		if strings.HasPrefix(r.typ, "aws:") {
			prov := defaultProvider(tb)
			if r.provider != nil {
				prov = r.provider
			}
			pm := map[string]any{}
			for k, v := range prov.GetProperties().AsMap() {
				pm[k] = v
			}
			ar.Provider = policyx.AnalyzerProviderResource{Type: prov.GetType(), Name: prov.GetName(), URN: prov.GetUrn(),
				Properties: resource.FromResourcePropertyMap(toPropMap(tb, pm))}
		}
		out = append(out, ar)
	}
	return out
}

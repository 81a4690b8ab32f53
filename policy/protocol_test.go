package main_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/acme/platform/policy/pack"
)

// The protocol test builds the pack, starts it as the engine does and drives
// it over gRPC in the engine's order (Handshake, ConfigureStack,
// GetPluginInfo, GetAnalyzerInfo, Configure, Analyze per resource,
// AnalyzeStack), with properties encoded as the engine encodes them.

// buildPack compiles the pack once per test binary.
func buildPack(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "platform-policies")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// startPack starts the pack the way the engine does (working directory the
// pack's folder, the engine's address as argument) and dials the port it
// prints.
func startPack(t *testing.T, bin string, stderr io.Writer) pulumirpc.AnalyzerClient {
	t.Helper()
	cmd := exec.Command(bin, "127.0.0.1:1")
	cmd.Dir = "."
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	ports := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ports <- strings.TrimSpace(line)
	}()
	var port string
	select {
	case port = <-ports:
	case <-time.After(30 * time.Second):
		t.Fatal("the pack printed no port")
	}
	require.Regexp(t, `^\d+$`, port)
	conn, err := grpc.NewClient("127.0.0.1:"+port, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return pulumirpc.NewAnalyzerClient(conn)
}

// Engine-side property values.
type (
	secretV   struct{ v any }
	computedV struct{}
)

func toProp(t *testing.T, v any) resource.PropertyValue {
	t.Helper()
	switch x := v.(type) {
	case secretV:
		return resource.MakeSecret(toProp(t, x.v))
	case computedV:
		return resource.MakeComputed(resource.NewProperty(""))
	case nil:
		return resource.NewNullProperty()
	case bool:
		return resource.NewProperty(x)
	case int:
		return resource.NewProperty(float64(x))
	case string:
		return resource.NewProperty(x)
	case []any:
		arr := make([]resource.PropertyValue, len(x))
		for i, e := range x {
			arr[i] = toProp(t, e)
		}
		return resource.NewProperty(arr)
	case map[string]any:
		return resource.NewProperty(toPropMap(t, x))
	}
	t.Fatalf("unsupported %T", v)
	return resource.PropertyValue{}
}

func toPropMap(t *testing.T, m map[string]any) resource.PropertyMap {
	out := resource.PropertyMap{}
	for k, v := range m {
		out[resource.PropertyKey(k)] = toProp(t, v)
	}
	return out
}

// marshal encodes properties as the engine does for Analyze/AnalyzeStack.
func marshal(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(toPropMap(t, m), plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipInternalKeys: true})
	require.NoError(t, err)
	return s
}

type testResource struct {
	typ, name string
	props     map[string]any
	deps      map[string][]string // property -> URNs
}

func (r testResource) urn() string {
	return fmt.Sprintf("urn:pulumi:prod::platform::%s::%s", r.typ, r.name)
}

const keyARN = "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-bbbb-3333-cccc4444dddd"

// stack is a small prod stack with deliberate problems, some hidden behind
// values that are unknown or secret.
func stack() []testResource {
	pg := testResource{typ: "aws:rds/parameterGroup:ParameterGroup", name: "db-postgres16", props: map[string]any{
		"name": "platform-prod-db-postgres16", "family": "postgres16",
		"parameters": []any{
			map[string]any{"name": "rds.force_ssl", "value": "0"},
			map[string]any{"name": "log_min_duration_statement", "value": "500"},
		},
	}}
	return []testResource{
		pg,
		{typ: "aws:rds/instance:Instance", name: "db", props: map[string]any{
			"engine": "postgres", "storageEncrypted": true, "kmsKeyId": computedV{}, // unknown at preview: not judged
			"manageMasterUserPassword": true, "masterUserSecretKmsKeyId": keyARN, "username": "platform_admin",
			"publiclyAccessible":    true,  // violation
			"multiAz":               false, // violation, mandatory in prod.json
			"backupRetentionPeriod": 30, "deleteAutomatedBackups": false, "skipFinalSnapshot": false, "finalSnapshotIdentifier": "final",
			"deletionProtection": true, "copyTagsToSnapshot": true, "performanceInsightsEnabled": true, "performanceInsightsKmsKeyId": keyARN,
			"monitoringInterval": 60, "monitoringRoleArn": computedV{}, "enabledCloudwatchLogsExports": []any{"postgresql", "upgrade"},
			"iamDatabaseAuthenticationEnabled": true, "caCertIdentifier": "rds-ca-rsa2048-g1", "dbSubnetGroupName": computedV{},
			"parameterGroupName": computedV{}, // linked through its dependency
		}, deps: map[string][]string{"parameterGroupName": {pg.urn()}}},
		{typ: "aws:elasticache/replicationGroup:ReplicationGroup", name: "cache", props: map[string]any{
			"numCacheClusters": 2, "automaticFailoverEnabled": true, "multiAzEnabled": true,
			"atRestEncryptionEnabled": true, "kmsKeyId": keyARN, "transitEncryptionEnabled": true, "transitEncryptionMode": "required",
			"authToken":              "Wq3eR5tY7uI9oP1aS3dF5gH7", // violation: not secret
			"snapshotRetentionLimit": 7, "finalSnapshotIdentifier": "final", "subnetGroupName": "cache", "autoMinorVersionUpgrade": true,
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
func defaultProvider(t *testing.T) *pulumirpc.AnalyzerProviderResource {
	return &pulumirpc.AnalyzerProviderResource{
		Type: "pulumi:providers:aws", Name: "default_6_83_2", Urn: "urn:pulumi:prod::platform::pulumi:providers:aws::default_6_83_2",
		Properties: marshal(t, map[string]any{
			"region":      "us-east-1",
			"defaultTags": `{"tags":{"Owner":"platform-team","Environment":"prod"}}`,
		}),
	}
}

// engineConfig builds the Configure request the way the engine's
// ReconcilePolicyPackConfig does: each policy's level and schema defaults,
// then "all", then the --policy-pack-config file.
func engineConfig(t *testing.T, info *pulumirpc.AnalyzerInfo, file string) map[string]*pulumirpc.PolicyConfig {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(b, &raw))
	levels := map[string]pulumirpc.EnforcementLevel{"advisory": 0, "mandatory": 1, "disabled": 2}

	out := map[string]*pulumirpc.PolicyConfig{}
	for _, p := range info.GetPolicies() {
		props := map[string]any{}
		for k, v := range p.GetConfigSchema().GetProperties().AsMap() {
			if d, ok := v.(map[string]any)["default"]; ok {
				props[k] = d
			}
		}
		level := p.GetEnforcementLevel()
		if all, ok := raw["all"].(string); ok {
			level = levels[all]
		}
		switch v := raw[p.GetName()].(type) {
		case string:
			level = levels[v]
		case map[string]any:
			for k, e := range v {
				if k == "enforcementLevel" {
					level = levels[e.(string)]
					continue
				}
				props[k] = e
			}
		}
		s, err := structpb.NewStruct(props)
		require.NoError(t, err)
		out[p.GetName()] = &pulumirpc.PolicyConfig{EnforcementLevel: level, Properties: s}
	}
	return out
}

type diag struct{ policy, level, urn string }

func TestProtocol(t *testing.T) {
	t.Parallel()
	bin := buildPack(t)
	ctx := context.Background()

	t.Run("engine order", func(t *testing.T) {
		t.Parallel()
		client := startPack(t, bin, os.Stderr)
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
		require.Equal(t, pack.Name, info.GetName())
		require.True(t, info.GetSupportsConfig())
		names := map[string]bool{}
		for _, p := range info.GetPolicies() {
			names[p.GetName()] = true
			require.NotEmpty(t, p.GetDescription(), p.GetName())
		}
		require.Len(t, names, len(pack.Policies()))
		byName := map[string]*pulumirpc.PolicyInfo{}
		for _, p := range info.GetPolicies() {
			byName[p.GetName()] = p
		}
		require.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, byName["aws-rds-instance-not-publicly-accessible"].GetEnforcementLevel())
		require.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, byName["aws-rds-instance-deletion-protection"].GetEnforcementLevel())
		backup := byName["aws-rds-instance-backup-retention"].GetConfigSchema().GetProperties().AsMap()["minimumDays"].(map[string]any)
		require.Equal(t, float64(7), backup["default"])

		_, err = client.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: engineConfig(t, info, filepath.Join("config", "prod.json"))})
		require.NoError(t, err)

		var got []diag
		record := func(ds []*pulumirpc.AnalyzeDiagnostic) {
			for _, d := range ds {
				require.Equal(t, pack.Name, d.GetPolicyPackName())
				require.Equal(t, pack.Version.String(), d.GetPolicyPackVersion())
				require.True(t, strings.HasPrefix(d.GetMessage(), d.GetDescription()), "the engine shows the description first")
				got = append(got, diag{d.GetPolicyName(), strings.ToLower(d.GetEnforcementLevel().String()), d.GetUrn()})
			}
		}
		provider := defaultProvider(t)
		var stackResources []*pulumirpc.AnalyzerResource
		for _, r := range stack() {
			req := &pulumirpc.AnalyzeRequest{
				Type: r.typ, Name: r.name, Urn: r.urn(), Properties: marshal(t, r.props),
				Options: &pulumirpc.AnalyzerResourceOptions{Protect: true},
			}
			if strings.HasPrefix(r.typ, "aws:") {
				req.Provider = provider
			}
			resp, err := client.Analyze(ctx, req)
			require.NoError(t, err, r.urn())
			record(resp.GetDiagnostics())

			ar := &pulumirpc.AnalyzerResource{Type: req.Type, Name: req.Name, Urn: req.Urn, Properties: req.Properties, Provider: req.Provider,
				PropertyDependencies: map[string]*pulumirpc.AnalyzerPropertyDependencies{}}
			for k, urns := range r.deps {
				ar.PropertyDependencies[k] = &pulumirpc.AnalyzerPropertyDependencies{Urns: urns}
				ar.Dependencies = append(ar.Dependencies, urns...)
			}
			stackResources = append(stackResources, ar)
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
			{"pulumi-stack-outputs-credentials-secret", "mandatory", "urn:pulumi:prod::platform::pulumi:pulumi:Stack::platform-prod"},
		}
		sortDiags(want)
		sortDiags(got)
		require.Equal(t, want, got)

		// The in-process evaluator gives the same verdicts for the same
		// resources and configuration file.
		cfg, err := pack.LoadConfig(filepath.Join("config", "prod.json"))
		require.NoError(t, err)
		vs, err := pack.Evaluate(analyzerResources(t, stack()), cfg)
		require.NoError(t, err)
		var inProcess []diag
		for _, v := range vs {
			inProcess = append(inProcess, diag{v.Policy, string(v.Level), v.URN})
		}
		sortDiags(inProcess)
		require.Equal(t, got, inProcess)
	})

	t.Run("known limit: GetAnalyzerInfo before ConfigureStack", func(t *testing.T) {
		t.Parallel()
		// policyx at this pin builds the pack only in ConfigureStack, so the
		// `pulumi policy publish` path (no ConfigureStack) dereferences a nil
		// pack and the process dies. If this starts passing, update
		// policy/README.md's known limits.
		client := startPack(t, bin, io.Discard)
		_, err := client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
		require.Error(t, err)
	})
}

// analyzerResources is what the server hands to the policies for the same
// resources: what Evaluate takes.
func analyzerResources(t *testing.T, rs []testResource) []policyx.AnalyzerResource {
	t.Helper()
	out := make([]policyx.AnalyzerResource, 0, len(rs))
	prov := map[string]any{"region": "us-east-1", "defaultTags": `{"tags":{"Owner":"platform-team","Environment":"prod"}}`}
	for _, r := range rs {
		ar := policyx.AnalyzerResource{
			Type: r.typ, Name: r.name, URN: r.urn(),
			Properties:           resource.FromResourcePropertyMap(toPropMap(t, r.props)),
			PropertyDependencies: r.deps,
		}
		if strings.HasPrefix(r.typ, "aws:") {
			ar.Provider = policyx.AnalyzerProviderResource{Type: "pulumi:providers:aws", Properties: resource.FromResourcePropertyMap(toPropMap(t, prov))}
		}
		out = append(out, ar)
	}
	return out
}

func sortDiags(ds []diag) {
	sort.Slice(ds, func(i, j int) bool {
		return ds[i].policy+ds[i].urn < ds[j].policy+ds[j].urn
	})
}

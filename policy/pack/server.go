package pack

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	grpcstatus "google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// The pack's own implementation of the Analyzer service
// (proto/pulumi/analyzer.proto of pulumi/pulumi), on the SDK's pulumirpc
// types and property marshaling. policyx's server, which this replaces,
// unmarshals every resource once per policy and builds the pack only in
// ConfigureStack, so GetAnalyzerInfo before it (what `pulumi policy publish`
// asks) dereferences a nil pack. This one:
//
//   - answers GetPluginInfo and GetAnalyzerInfo from the start, with every
//     policy's description, level, severity, type, config schema and the
//     initial config;
//   - unmarshals each resource's properties once per Analyze call and tries
//     only the policies that judge its type (an index built at Configure);
//   - hands stack policies their own configuration, and converts in
//     AnalyzeStack only the resources of the types they read.
//
// The engine's side of the conversation is plugin.NewPolicyAnalyzer and
// analyzer (sdk/go/common/resource/plugin/analyzer_plugin.go):
// Handshake, ConfigureStack (not for publish), GetPluginInfo,
// GetAnalyzerInfo, Configure, then Remediate and Analyze per resource,
// AnalyzeStack, Cancel.

// Serve serves p over gRPC on a free local port and prints the port on
// stdout, as the engine expects of a plugin, until the engine stops it.
func Serve(p *Pack) error {
	srv, err := newServer(p)
	if err != nil {
		return err
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(s *grpc.Server) error {
			pulumirpc.RegisterAnalyzerServer(s, srv)
			return nil
		},
	})
	if err != nil {
		return fmt.Errorf("%s: serve: %w", p.name, err)
	}
	if _, err := fmt.Fprintf(os.Stdout, "%d\n", handle.Port); err != nil {
		return fmt.Errorf("%s: print port: %w", p.name, err)
	}
	if err := <-handle.Done; err != nil {
		return fmt.Errorf("%s: %w", p.name, err)
	}
	return nil
}

type server struct {
	pulumirpc.UnimplementedAnalyzerServer

	pack *Pack
	eval atomic.Pointer[evaluator]

	infoOnce sync.Once
	info     *pulumirpc.AnalyzerInfo
	infoErr  error
}

func newServer(p *Pack) (*server, error) {
	s := &server{pack: p}
	// Until the engine configures the pack, every policy runs at its own
	// level with its defaults (what the engine would send for an empty
	// --policy-pack-config).
	ev, err := p.configure(nil)
	if err != nil {
		return nil, fmt.Errorf("%s: default configuration: %w", p.name, err)
	}
	s.eval.Store(ev)
	return s, nil
}

// unmarshalOpts keeps what the engine sends: unknowns (preview) and secrets.
var unmarshalOpts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true}

func (s *server) Handshake(context.Context, *pulumirpc.AnalyzerHandshakeRequest) (*pulumirpc.AnalyzerHandshakeResponse, error) {
	return &pulumirpc.AnalyzerHandshakeResponse{}, nil
}

// ConfigureStack tells the pack which stack it analyzes; no policy depends
// on it (what makes prod prod is the policy configuration, not the stack's
// name).
func (s *server) ConfigureStack(context.Context, *pulumirpc.AnalyzerStackConfigureRequest) (*pulumirpc.AnalyzerStackConfigureResponse, error) {
	return &pulumirpc.AnalyzerStackConfigureResponse{}, nil
}

func (s *server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: s.pack.version.String()}, nil
}

func (s *server) GetAnalyzerInfo(context.Context, *emptypb.Empty) (*pulumirpc.AnalyzerInfo, error) {
	s.infoOnce.Do(func() { s.info, s.infoErr = s.pack.analyzerInfo() })
	if s.infoErr != nil {
		return nil, grpcstatus.Error(codes.Internal, s.infoErr.Error())
	}
	return s.info, nil
}

// analyzerInfo describes the pack and every policy. The initial config is
// each policy's own level with its schema defaults: what a policy group in
// Pulumi Cloud starts from before the organization changes it.
func (p *Pack) analyzerInfo() (*pulumirpc.AnalyzerInfo, error) {
	info := &pulumirpc.AnalyzerInfo{
		Name:           p.name,
		Version:        p.version.String(),
		Description:    p.description,
		SupportsConfig: true,
		InitialConfig:  map[string]*pulumirpc.PolicyConfig{},
	}
	for _, r := range p.rules {
		pi := &pulumirpc.PolicyInfo{
			Name:             r.name,
			Description:      r.description,
			EnforcementLevel: wireLevel(r.level),
			Severity:         wireSeverity(r.severity),
			PolicyType:       pulumirpc.PolicyType_POLICY_TYPE_RESOURCE,
		}
		if r.stack != nil {
			pi.PolicyType = pulumirpc.PolicyType_POLICY_TYPE_STACK
		}
		if len(r.schema) > 0 {
			props, err := toStruct(map[string]map[string]any(r.schema))
			if err != nil {
				return nil, fmt.Errorf("policy %s: config schema: %w", r.name, err)
			}
			pi.ConfigSchema = &pulumirpc.PolicyConfigSchema{Properties: props}
		}
		defaults, err := toStruct(r.defaults())
		if err != nil {
			return nil, fmt.Errorf("policy %s: defaults: %w", r.name, err)
		}
		info.InitialConfig[r.name] = &pulumirpc.PolicyConfig{EnforcementLevel: wireLevel(r.level), Properties: defaults}
		info.Policies = append(info.Policies, pi)
	}
	return info, nil
}

// toStruct converts JSON-shaped Go values (through JSON, so ints and typed
// slices become what structpb accepts).
func toStruct[T any](v T) (*structpb.Struct, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	out := &structpb.Struct{}
	if string(b) == "null" {
		return out, nil
	}
	if err := out.UnmarshalJSON(b); err != nil {
		return nil, err
	}
	return out, nil
}

// Configure applies the engine's reconciled configuration: every policy's
// level and properties (schema defaults included). A value the pack cannot
// use fails the call, naming the policy, so the engine stops instead of
// judging with settings nobody asked for.
func (s *server) Configure(_ context.Context, req *pulumirpc.ConfigureAnalyzerRequest) (*emptypb.Empty, error) {
	effective := map[string]PolicyConfig{}
	for name, pc := range req.GetPolicyConfig() {
		// The engine's reconciliation keeps a key for "all" once it has
		// applied it to every policy; other names are not this pack's.
		if _, ok := s.pack.byName[name]; !ok {
			continue
		}
		level, err := levelFromWire(pc.GetEnforcementLevel())
		if err != nil {
			return nil, grpcstatus.Errorf(codes.InvalidArgument, "policy %s: %v", name, err)
		}
		props := pc.GetProperties().AsMap()
		delete(props, "enforcementLevel")
		if len(props) == 0 {
			props = nil
		}
		effective[name] = PolicyConfig{EnforcementLevel: level, Properties: props}
	}
	ev, err := s.pack.configure(effective)
	if err != nil {
		return nil, grpcstatus.Error(codes.InvalidArgument, err.Error())
	}
	s.eval.Store(ev)
	return &emptypb.Empty{}, nil
}

// Remediate changes nothing: the pack reports, the program fixes.
func (s *server) Remediate(context.Context, *pulumirpc.AnalyzeRequest) (*pulumirpc.RemediateResponse, error) {
	return &pulumirpc.RemediateResponse{}, nil
}

func (s *server) Analyze(_ context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.AnalyzeResponse, error) {
	ev := s.eval.Load()
	if len(ev.candidates(req.GetType())) == 0 {
		return &pulumirpc.AnalyzeResponse{}, nil
	}
	props, err := plugin.UnmarshalProperties(req.GetProperties(), unmarshalOpts)
	if err != nil {
		return nil, grpcstatus.Errorf(codes.InvalidArgument, "%s: properties: %v", req.GetUrn(), err)
	}
	provider, err := analyzerProvider(req.GetProvider())
	if err != nil {
		return nil, grpcstatus.Errorf(codes.InvalidArgument, "%s: provider: %v", req.GetUrn(), err)
	}
	r := policyx.AnalyzerResource{
		Type:       req.GetType(),
		Name:       req.GetName(),
		URN:        req.GetUrn(),
		Properties: resource.FromResourcePropertyMap(props),
		Options:    resourceOptions(req.GetOptions()),
		Provider:   provider,
		Parent:     req.GetOptions().GetParent(),
	}
	resp := &pulumirpc.AnalyzeResponse{}
	if err := ev.analyze(r, s.diagnose(&resp.Diagnostics)); err != nil {
		return nil, grpcstatus.Error(codes.Internal, err.Error())
	}
	return resp, nil
}

func (s *server) AnalyzeStack(_ context.Context, req *pulumirpc.AnalyzeStackRequest) (*pulumirpc.AnalyzeResponse, error) {
	ev := s.eval.Load()
	resp := &pulumirpc.AnalyzeResponse{}
	if len(ev.stack) == 0 {
		return resp, nil
	}
	var rs []policyx.AnalyzerResource
	for i, ar := range req.GetResources() {
		// The request can be hundreds of megabytes for a large stack: let
		// each resource's wire form go as soon as it is read, so the
		// collector frees it instead of scanning it again and again.
		req.Resources[i] = nil
		if !ev.stackTypes[ar.GetType()] {
			continue
		}
		props, err := plugin.UnmarshalProperties(ar.GetProperties(), unmarshalOpts)
		if err != nil {
			return nil, grpcstatus.Errorf(codes.InvalidArgument, "%s: properties: %v", ar.GetUrn(), err)
		}
		provider, err := analyzerProvider(ar.GetProvider())
		if err != nil {
			return nil, grpcstatus.Errorf(codes.InvalidArgument, "%s: provider: %v", ar.GetUrn(), err)
		}
		var propDeps map[string][]string
		if pd := ar.GetPropertyDependencies(); len(pd) > 0 {
			propDeps = make(map[string][]string, len(pd))
			for k, d := range pd {
				if urns := d.GetUrns(); len(urns) > 0 {
					propDeps[k] = urns
				}
			}
		}
		rs = append(rs, policyx.AnalyzerResource{
			Type:                 ar.GetType(),
			Name:                 ar.GetName(),
			URN:                  ar.GetUrn(),
			Properties:           resource.FromResourcePropertyMap(props),
			Options:              resourceOptions(ar.GetOptions()),
			Provider:             provider,
			Parent:               ar.GetParent(),
			Dependencies:         ar.GetDependencies(),
			PropertyDependencies: propDeps,
		})
	}
	if err := ev.analyzeStack(rs, s.diagnose(&resp.Diagnostics)); err != nil {
		return nil, grpcstatus.Error(codes.Internal, err.Error())
	}
	return resp, nil
}

func (s *server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// diagnose returns a reporter that appends the engine's diagnostics: the
// message starts with the policy's description, as the engine displays it.
func (s *server) diagnose(out *[]*pulumirpc.AnalyzeDiagnostic) reporter {
	return func(c *configured, urn, message string) {
		*out = append(*out, &pulumirpc.AnalyzeDiagnostic{
			PolicyName:        c.rule.name,
			PolicyPackName:    s.pack.name,
			PolicyPackVersion: s.pack.version.String(),
			Description:       c.rule.description,
			Message:           c.rule.description + "\n" + message,
			EnforcementLevel:  wireLevel(c.level),
			Urn:               urn,
			Severity:          wireSeverity(c.rule.severity),
		})
	}
}

func analyzerProvider(p *pulumirpc.AnalyzerProviderResource) (policyx.AnalyzerProviderResource, error) {
	if p == nil {
		return policyx.AnalyzerProviderResource{}, nil
	}
	props, err := plugin.UnmarshalProperties(p.GetProperties(), unmarshalOpts)
	if err != nil {
		return policyx.AnalyzerProviderResource{}, err
	}
	return policyx.AnalyzerProviderResource{
		Type: p.GetType(), Name: p.GetName(), URN: p.GetUrn(),
		Properties: resource.FromResourcePropertyMap(props),
	}, nil
}

// resourceOptions keeps the options policies read (protect above all).
func resourceOptions(o *pulumirpc.AnalyzerResourceOptions) pulumi.ResourceOptions {
	if o == nil {
		return pulumi.ResourceOptions{}
	}
	return pulumi.ResourceOptions{
		Protect:                 o.GetProtect(),
		IgnoreChanges:           o.GetIgnoreChanges(),
		DeleteBeforeReplace:     o.GetDeleteBeforeReplace(),
		AdditionalSecretOutputs: o.GetAdditionalSecretOutputs(),
	}
}

func wireLevel(l Level) pulumirpc.EnforcementLevel {
	switch l {
	case Mandatory:
		return pulumirpc.EnforcementLevel_MANDATORY
	case Disabled:
		return pulumirpc.EnforcementLevel_DISABLED
	}
	return pulumirpc.EnforcementLevel_ADVISORY
}

func levelFromWire(l pulumirpc.EnforcementLevel) (Level, error) {
	switch l {
	case pulumirpc.EnforcementLevel_ADVISORY:
		return Advisory, nil
	case pulumirpc.EnforcementLevel_MANDATORY:
		return Mandatory, nil
	case pulumirpc.EnforcementLevel_DISABLED:
		return Disabled, nil
	}
	return "", fmt.Errorf("enforcement level %s is not one this pack supports (it has no remediation policies)", l)
}

func wireSeverity(s Severity) pulumirpc.PolicySeverity {
	switch s {
	case Low:
		return pulumirpc.PolicySeverity_POLICY_SEVERITY_LOW
	case Medium:
		return pulumirpc.PolicySeverity_POLICY_SEVERITY_MEDIUM
	case High:
		return pulumirpc.PolicySeverity_POLICY_SEVERITY_HIGH
	case Critical:
		return pulumirpc.PolicySeverity_POLICY_SEVERITY_CRITICAL
	}
	return pulumirpc.PolicySeverity_POLICY_SEVERITY_UNSPECIFIED
}

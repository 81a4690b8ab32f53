package plan_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
	"github.com/acme/platform/harness/plan/catalog"
)

// expectedTypes are the types the first-deploy and adoption work adds to
// the stacks (issue 13); their records are here before they land.
var expectedTypes = []string{
	"aws:iam/serviceLinkedRole:ServiceLinkedRole",
	"aws:cloudwatch/eventRule:EventRule",
	"aws:cloudwatch/eventTarget:EventTarget",
	"aws:rds/eventSubscription:EventSubscription",
}

// Every type either stack registers, the providers among them, has a
// catalog record; the component types are the program's own and have none
// to need. The records of the coming types exist too.
func TestCatalogCoversEveryRegisteredType(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, stack := range gateStacks {
		res := gatePlan(t, stack)
		for _, r := range slices.Concat(res.Resources, res.Providers) {
			if !r.Custom {
				continue
			}
			seen[r.Type] = true
		}
	}
	require.Contains(t, seen, "pulumi:providers:aws", "the default and the DR provider")
	var missing []string
	for typ := range seen {
		if _, ok := catalog.Lookup(typ); !ok {
			missing = append(missing, typ)
		}
	}
	for _, typ := range expectedTypes {
		if _, ok := catalog.Lookup(typ); !ok {
			missing = append(missing, typ)
		}
	}
	slices.Sort(missing)
	require.Empty(t, missing, "add a record to harness/plan/catalog for each")
}

// previewDigest is PreviewDigest of pulumi/pulumi pkg/display/json.go, and
// previewStep its PreviewStep: the document must read back as one.
type previewDigest struct {
	Config        map[string]string   `json:"config,omitempty"`
	Steps         []previewStep       `json:"steps,omitempty"`
	Diagnostics   []previewDiagnostic `json:"diagnostics,omitempty"`
	Duration      int64               `json:"duration,omitempty"`
	ChangeSummary map[string]int      `json:"changeSummary,omitempty"`
	MaybeCorrupt  bool                `json:"maybeCorrupt,omitempty"`
}

type previewStep struct {
	Op             string                  `json:"op"`
	URN            resource.URN            `json:"urn"`
	Provider       string                  `json:"provider,omitempty"`
	OldState       *apitype.ResourceV3     `json:"oldState,omitempty"`
	NewState       *apitype.ResourceV3     `json:"newState,omitempty"`
	DiffReasons    []resource.PropertyKey  `json:"diffReasons,omitempty"`
	ReplaceReasons []resource.PropertyKey  `json:"replaceReasons,omitempty"`
	DetailedDiff   map[string]propertyDiff `json:"detailedDiff"`
}

type propertyDiff struct {
	Kind      string `json:"kind"`
	InputDiff bool   `json:"inputDiff"`
}

type previewDiagnostic struct {
	URN      resource.URN `json:"urn,omitempty"`
	Prefix   string       `json:"prefix,omitempty"`
	Message  string       `json:"message,omitempty"`
	Severity string       `json:"severity,omitempty"`
}

// planAdditions are the plan's own top-level fields.
var planAdditions = []string{"identity", "policy", "criticalPath", "cost", "replacements"}

// The JSON plan reads back as `pulumi preview --json`: its steps (each state
// an apitype.ResourceV3, decoded strictly), diagnostics and change summary;
// every other top-level field is one of the plan's documented additions.
func TestJSONHasThePreviewShape(t *testing.T) {
	t.Parallel()
	res := gatePlan(t, "prod")
	var buf bytes.Buffer
	require.NoError(t, res.WriteJSON(&buf, nil))

	var top map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(buf.Bytes(), &top))
	for k := range top {
		if !slices.Contains([]string{"config", "steps", "diagnostics", "duration", "changeSummary", "maybeCorrupt"}, k) {
			require.Contains(t, planAdditions, k, "top-level field %q is neither pulumi's nor a documented addition", k)
		}
	}
	var steps []json.RawMessage
	require.NoError(t, json.Unmarshal(top["steps"], &steps))
	var digest previewDigest
	require.NoError(t, json.Unmarshal(buf.Bytes(), &digest))
	require.Len(t, digest.Steps, len(steps))
	for i, raw := range steps {
		var s previewStep
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&s), "step %d has only PreviewStep's fields", i)
		require.Equal(t, "create", s.Op)
		require.NotNil(t, s.NewState)
		require.Equal(t, s.URN, s.NewState.URN)
		require.True(t, s.URN.IsValid(), s.URN)
	}

	first := digest.Steps[0].NewState
	require.Equal(t, resource.RootStackType, first.Type, "the stack's step comes first")
	require.Equal(t, plan.Redacted, first.Outputs["kubeconfig"])
	require.Equal(t, plugin.UnknownStringValue, first.Outputs["vpcId"], "an output known only after the update")

	byName := map[string]*apitype.ResourceV3{}
	for _, s := range digest.Steps {
		byName[string(s.NewState.Type)+" "+s.NewState.URN.Name()] = s.NewState
	}
	db := byName["aws:rds/instance:Instance db"]
	require.NotNil(t, db)
	require.True(t, db.Custom)
	require.True(t, db.Protect)
	require.Equal(t, "db.r6g.large", db.Inputs["instanceClass"])
	require.Equal(t, plugin.UnknownStringValue, db.Inputs["kmsKeyId"], "the key's ARN is known once the key exists")
	require.Contains(t, db.PropertyDependencies, resource.PropertyKey("kmsKeyId"), "dependencies per input, for the cascade")
	require.NotEmpty(t, db.Dependencies)
	require.True(t, strings.HasPrefix(db.Provider, "urn:pulumi:prod::platform::pulumi:providers:aws::default_"), db.Provider)
	require.True(t, strings.HasSuffix(db.Provider, "::"+plugin.UnknownStringValue))
	require.NotNil(t, byName["pulumi:providers:aws default_6_83_4"], "the default provider is a step")
	require.Equal(t, "us-east-1", byName["pulumi:providers:aws default_6_83_4"].Inputs["region"])
	require.Equal(t, "us-west-2", byName["pulumi:providers:aws dr"].Inputs["region"])

	require.Equal(t, len(digest.Steps), digest.ChangeSummary["create"])
	for _, d := range digest.Diagnostics {
		require.Contains(t, []string{"error", "warning"}, d.Severity)
	}

	// The additions: who the run assumed it is, the verdicts, the estimate.
	var doc plan.Document
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	require.Equal(t, "111122223333", doc.Identity.AccountID)
	require.Equal(t, "arn:aws:sts::111122223333:assumed-role/platform-deploy-prod/offline-plan", doc.Identity.CallerARN)
	require.True(t, doc.Policy.Passed)
	require.Regexp(t, `^≈ \d+ min$`, doc.CriticalPath.Estimate)
	require.Equal(t, "us-east-1", doc.Cost.Region)
	require.Regexp(t, `^\d{4}-\d{2}-\d{2}$`, doc.Cost.PriceDate)
	require.Greater(t, doc.Cost.MonthlyUSD, 1000.0)
	require.NotEmpty(t, doc.Cost.Lines)
	require.NotEmpty(t, doc.Cost.NotIncluded)
	require.Nil(t, doc.Replacements, "no baseline, no report")
}

// Values the mock made up (IDs, ARNs, endpoints, addresses) never reach the
// plan as if they were real: neither the text nor the JSON holds one.
func TestPlanShowsNoMadeUpValues(t *testing.T) {
	t.Parallel()
	for _, stack := range gateStacks {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := gatePlan(t, stack)
			var text, js bytes.Buffer
			require.NoError(t, res.WriteText(&text, nil))
			require.NoError(t, res.WriteJSON(&js, nil))
			made := madeUp(res.Resources)
			require.Greater(t, len(made), 100)
			for _, out := range []string{text.String(), js.String()} {
				for _, m := range made {
					require.False(t, strings.Contains(out, m), "a made-up value reached the plan: %q", m)
				}
				require.NotContains(t, out, "123456789012", "the tests' account is not the stack's")
				require.NotRegexp(t, regexp.MustCompile(`198\.51\.100\.\d`), out, "no invented public IPs")
			}
			require.Contains(t, text.String(), "natPublicIps", "the output is there, unknown")
		})
	}
}

// madeUp lists the IDs the mock gave and the values it computed that are not
// the resource's own inputs, long enough not to match by accident.
func madeUp(rs []*offline.Resource) []string {
	var out []string
	for _, r := range rs {
		if !r.Custom {
			continue
		}
		if len(r.ID) > 5 {
			out = append(out, r.ID)
		}
		for _, k := range r.Computed {
			v := r.Outputs[resource.PropertyKey(k)]
			if in, ok := r.Inputs[resource.PropertyKey(k)]; ok && in.DeepEquals(v) {
				continue
			}
			if !v.IsString() {
				continue
			}
			if s := v.StringValue(); len(s) > 8 && strings.ContainsAny(s, "0123456789-:/.") {
				out = append(out, s)
			}
		}
	}
	return out
}

// The cost of each stack is estimated with every item priced, and a
// change of instance class shows as its monthly difference.
func TestCostOfTheStacks(t *testing.T) {
	t.Parallel()
	dev, prod := gatePlan(t, "dev").Cost, gatePlan(t, "prod").Cost
	for _, c := range []plan.CostEstimate{dev, prod} {
		require.Zero(t, c.Unpriced(), "every item of the stacks has a price: %+v", c.Lines)
		require.Positive(t, c.MonthlyUSD)
		require.GreaterOrEqual(t, c.MonthlyUSDMax, c.MonthlyUSD)
		sum := 0.0
		for _, l := range c.Lines {
			sum += l.MonthlyUSD
		}
		require.InDelta(t, c.MonthlyUSD, sum, 0.05, "the total is the sum of the lines")
	}
	require.Greater(t, dev.MonthlyUSDMax, dev.MonthlyUSD, "dev's Spot nodes are a range")
	require.Equal(t, prod.MonthlyUSD, prod.MonthlyUSDMax, "prod runs On-Demand only")
	require.Greater(t, prod.MonthlyUSD, 5*dev.MonthlyUSDMax)
	t.Logf("dev %s to %s, prod %s per month (prices as of %s)", money(dev.MonthlyUSD), money(dev.MonthlyUSDMax), money(prod.MonthlyUSD), prod.PriceDate)

	drKey := false
	for _, l := range prod.Lines {
		if l.Name == "backup-dr-key" {
			drKey = true
			require.Equal(t, "us-west-2", l.Region, "a resource of the DR provider is priced in its region")
		}
	}
	require.True(t, drKey)

	cfg := offlinetest.StackConfig(t, "dev")
	bigger := withFields(t, cfg, "database", map[string]any{"instanceClass": "db.t4g.small"})
	res, err := plan.Run(plan.Options{Config: &bigger})
	require.NoError(t, err)
	d := res.Cost.Diff(dev)
	require.InDelta(t, 730*(0.032-0.016), d.DeltaUSD, 0.001)
	require.Len(t, d.Resources, 1)
	require.Equal(t, "db", d.Resources[0].Name)
}

func money(f float64) string { return fmt.Sprintf("$%.2f", f) }

// Secret configuration is blinded in the document, as `pulumi preview
// --json` blinds it, and its value appears nowhere.
func TestJSONBlindsSecretConfig(t *testing.T) {
	t.Parallel()
	cfg := offlinetest.StackConfig(t, "dev").With("kubernetes:kubeconfig", "apiVersion: v1 # Top-S3cret-kubeconfig")
	cfg.SecretKeys = append(cfg.SecretKeys, "kubernetes:kubeconfig")
	res, err := plan.Run(plan.Options{Config: &cfg})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, res.WriteJSON(&buf, nil))
	var digest previewDigest
	require.NoError(t, json.Unmarshal(buf.Bytes(), &digest))
	require.Equal(t, plan.Redacted, digest.Config["kubernetes:kubeconfig"])
	require.Equal(t, "us-east-1", digest.Config["aws:region"])
	require.NotContains(t, buf.String(), "Top-S3cret")
}

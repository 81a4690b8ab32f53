package pack

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// RunPolicy runs one policy as the server does (a resource policy on each
// resource, a stack policy once on the resources of its types), with props
// over its schema defaults and every other policy disabled. Tests of a
// single rule use it.
func RunPolicy(name string, rs []policyx.AnalyzerResource, props map[string]any) ([]Violation, error) {
	p := New()
	if _, ok := p.byName[name]; !ok {
		return nil, fmt.Errorf("no policy %q", name)
	}
	cfg := Config{"all": {EnforcementLevel: Disabled}, name: {EnforcementLevel: Mandatory, Properties: props}}
	eff, err := p.effective(cfg)
	if err != nil {
		return nil, err
	}
	ev, err := p.configure(eff)
	if err != nil {
		return nil, err
	}
	return ev.evaluate(rs)
}

// ValidateDefaults validates a policy's schema defaults against its schema.
func ValidateDefaults(name string) error {
	r := New().byName[name]
	schema, err := r.compiled()
	if err != nil {
		return err
	}
	doc, err := viaJSON(r.defaults())
	if err != nil || doc == nil {
		return err
	}
	return schema.Validate(doc)
}

// Rules lists every rule's metadata in pack order.
func Rules() []PolicyInfo { return Policies() }

// Credential detection, exported for its own tests.
var (
	IsCredentialKey   = isCredentialKey
	IsAssignmentKey   = isAssignmentKey
	CredentialContent = credentialContent
	OpenToInternet    = openToInternet
)

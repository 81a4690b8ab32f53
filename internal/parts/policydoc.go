package parts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Policy documents: IAM identity and trust policies, and the resource
// policies of KMS keys, SNS topics and S3 buckets, all written in the IAM
// JSON policy language.
//
// Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
//   - "Version" is "2012-10-17", the current version (policy variables need
//     it; 2008-10-17 is the only other).
//   - Where an element takes a list (Action, Resource, a principal map's
//     identifiers, a condition key's values), one value may be written
//     without the brackets: "Action": "s3:GetObject" and "Action":
//     ["s3:GetObject"] mean the same. Values keeps the form it was given, so
//     a document renders exactly as written.
//   - A condition value is a string, a number or a Boolean; quotation marks
//     are optional for numbers and Booleans.
//
// Principal forms ("*", {"AWS": ...}, {"Service": ...}, {"Federated": ...}):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// A key policy is such a document with a Principal in every statement:
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html

// PolicyVersion is the policy language version every document declares.
const PolicyVersion = "2012-10-17"

// PolicyDocument is an IAM policy document. Build it with Policy and render
// it with JSON; ParsePolicy reads one back.
//
// The fields of the document, its statements and principals are declared in
// lexical order, which is the order encoding/json writes them in: a document
// renders with sorted keys, as the AWS provider normalizes a policy before
// it sends and stores it (terraform-provider-aws internal/sdkv2/schema.go:
// policy arguments have StateFunc NormalizeJsonStringSchemaStateFunc, which
// decodes the JSON and encodes it again with encoding/json; kms/key.go
// normalizes the same way before CreateKey and PutKeyPolicy).
type PolicyDocument struct {
	Statement []Statement `json:"Statement"`
	Version   string      `json:"Version"`
}

// Policy returns a document of the current version with the statements in
// the order given (the order is kept: a rendered policy changes only when
// its statements do).
func Policy(statements ...Statement) PolicyDocument {
	return PolicyDocument{Version: PolicyVersion, Statement: statements}
}

// Effect is what a statement does to the requests it matches.
type Effect string

// The two effects: an explicit Deny overrides any Allow.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Statement is one policy statement. Action or NotAction is required (one of
// them); Resource and NotResource are exclusive and both absent in a trust
// policy; Principal is required in resource and trust policies and absent in
// identity policies.
type Statement struct {
	Action      Values     `json:"Action,omitzero"`
	Condition   Conditions `json:"Condition,omitempty"`
	Effect      Effect     `json:"Effect"`
	NotAction   Values     `json:"NotAction,omitzero"`
	NotResource Values     `json:"NotResource,omitzero"`
	Principal   *Principal `json:"Principal,omitempty"`
	Resource    Values     `json:"Resource,omitzero"`
	Sid         string     `json:"Sid,omitempty"`
}

// Principal is who a resource or trust policy statement applies to: anyone
// ("*"), or the identifiers of one or more principal types.
type Principal struct {
	// Anyone renders "*": every principal, including anonymous ones. It
	// excludes the fields below.
	Anyone bool
	// AWS names accounts and IAM roles or users, by ARN.
	AWS Values
	// Service names AWS service principals ("ec2.amazonaws.com").
	Service Values
	// Federated names OIDC or SAML identity providers, by ARN.
	Federated Values
}

// Conditions maps a condition operator ("StringEquals", "ArnLike", "Bool")
// to context keys and the values each may take. Every operator and every key
// must match; the values of one key are alternatives.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
type Conditions map[string]map[string]Values

// Values is an element that holds one value or a list: "x", ["x", ...], or
// (as a condition value) a Boolean. Make one with One, List or Bool.
type Values struct {
	items []string
	form  valueForm
}

type valueForm uint8

const (
	formNone valueForm = iota
	formOne            // "x"
	formList           // ["x", ...], brackets even for one value
	formBool           // true or false, unquoted
)

// One is a single value, rendered without brackets: "sts:AssumeRole".
func One(v string) Values { return Values{items: []string{v}, form: formOne} }

// List is a list of values, rendered in brackets even when it holds one.
func List(vs ...string) Values { return Values{items: slices.Clone(vs), form: formList} }

// Bool is a Boolean condition value, rendered unquoted: true.
func Bool(b bool) Values {
	return Values{items: []string{strconv.FormatBool(b)}, form: formBool}
}

// Strings returns the values (a Boolean as "true" or "false").
func (v Values) Strings() []string { return slices.Clone(v.items) }

// IsZero reports an element without values; a statement leaves it out.
func (v Values) IsZero() bool { return len(v.items) == 0 }

// MarshalJSON renders the value in the form it was made with.
func (v Values) MarshalJSON() ([]byte, error) {
	switch v.form {
	case formOne:
		return json.Marshal(v.items[0])
	case formList:
		if v.items == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(v.items)
	case formBool:
		return []byte(v.items[0]), nil
	case formNone:
	}
	return nil, errors.New("policy value: no value (make one with One, List or Bool)")
}

// UnmarshalJSON reads a string, a list of strings or a Boolean, keeping the
// form.
func (v *Values) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("policy value: %w", err)
		}
		*v = One(s)
	case len(b) > 0 && b[0] == '[':
		var l []string
		if err := json.Unmarshal(b, &l); err != nil {
			return fmt.Errorf("policy value: want a list of strings: %w", err)
		}
		*v = Values{items: l, form: formList}
	case string(b) == "true" || string(b) == "false":
		*v = Bool(string(b) == "true")
	default:
		return fmt.Errorf("policy value: want a string, a list of strings or a Boolean, got %s", b)
	}
	return nil
}

// MarshalJSON renders "*" or a map of the principal types that are set.
func (p Principal) MarshalJSON() ([]byte, error) {
	named := !p.AWS.IsZero() || !p.Service.IsZero() || !p.Federated.IsZero()
	switch {
	case p.Anyone && named:
		return nil, errors.New(`principal: "*" (Anyone) excludes AWS, Service and Federated`)
	case p.Anyone:
		return []byte(`"*"`), nil
	case !named:
		return nil, errors.New("principal: names no one (set AWS, Service, Federated or Anyone)")
	}
	return json.Marshal(struct {
		AWS       Values `json:"AWS,omitzero"`
		Federated Values `json:"Federated,omitzero"`
		Service   Values `json:"Service,omitzero"`
	}{p.AWS, p.Federated, p.Service})
}

// UnmarshalJSON reads "*" or a map of AWS, Service and Federated
// identifiers; other principal types (CanonicalUser) are an error, as
// nothing here writes them.
func (p *Principal) UnmarshalJSON(b []byte) error {
	var anyone string
	if err := json.Unmarshal(b, &anyone); err == nil {
		if anyone != "*" {
			return fmt.Errorf(`principal: want "*" or a map, got %q`, anyone)
		}
		*p = Principal{Anyone: true}
		return nil
	}
	var m map[string]Values
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("principal: %w", err)
	}
	*p = Principal{}
	for k, v := range m {
		switch k {
		case "AWS":
			p.AWS = v
		case "Service":
			p.Service = v
		case "Federated":
			p.Federated = v
		default:
			return fmt.Errorf("principal: type %q is not one of AWS, Service, Federated", k)
		}
	}
	return nil
}

// JSON checks the document's shape and renders it.
func (d PolicyDocument) JSON() (string, error) {
	if err := d.check(); err != nil {
		return "", fmt.Errorf("policy document: %w", err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("policy document: %w", err)
	}
	return string(b), nil
}

// check reports what IAM, KMS or SNS would refuse in the document's shape:
// another version, no statement, an effect other than Allow or Deny, both or
// neither of Action and NotAction, both Resource and NotResource.
func (d PolicyDocument) check() error {
	var errs []error
	if d.Version != PolicyVersion {
		errs = append(errs, fmt.Errorf("version %q, want %q", d.Version, PolicyVersion))
	}
	if len(d.Statement) == 0 {
		errs = append(errs, errors.New("no statement"))
	}
	for i, s := range d.Statement {
		name := strconv.Itoa(i)
		if s.Sid != "" {
			name += " (" + s.Sid + ")"
		}
		if s.Effect != Allow && s.Effect != Deny {
			errs = append(errs, fmt.Errorf("statement %s: effect %q, want Allow or Deny", name, s.Effect))
		}
		if s.Action.IsZero() == s.NotAction.IsZero() {
			errs = append(errs, fmt.Errorf("statement %s: exactly one of Action and NotAction is required", name))
		}
		if !s.Resource.IsZero() && !s.NotResource.IsZero() {
			errs = append(errs, fmt.Errorf("statement %s: Resource and NotResource exclude each other", name))
		}
	}
	return errors.Join(errs...)
}

// ParsePolicy reads a rendered document. An element the type does not model
// (NotPrincipal, Id, a misspelled key) is an error, so what is read is all the
// document says.
func ParsePolicy(doc string) (PolicyDocument, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	var d PolicyDocument
	if err := dec.Decode(&d); err != nil {
		return PolicyDocument{}, fmt.Errorf("reading policy document: %w", err)
	}
	if dec.More() {
		return PolicyDocument{}, errors.New("reading policy document: text after the document")
	}
	return d, nil
}

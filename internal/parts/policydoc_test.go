package parts_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/internal/parts"
)

// every form the type writes: one value, a list of one, a Boolean, each
// principal type, "*", NotAction and NotResource.
var everyForm = parts.Policy(
	parts.Statement{
		Sid:       "Trust",
		Effect:    parts.Allow,
		Principal: &parts.Principal{Service: parts.One("ec2.amazonaws.com"), AWS: parts.List("arn:aws:iam::1:root")},
		Action:    parts.One("sts:AssumeRole"),
		Condition: parts.Conditions{
			"StringEquals": {"aws:SourceAccount": parts.One("1"), "aws:RequestedRegion": parts.List("us-east-1")},
			"Bool":         {"kms:GrantIsForAWSResource": parts.Bool(true), "aws:SecureTransport": parts.Bool(false)},
		},
	},
	parts.Statement{
		Effect:    parts.Allow,
		Principal: &parts.Principal{Federated: parts.One("arn:aws:iam::1:oidc-provider/x")},
		Action:    parts.List("sts:AssumeRoleWithWebIdentity"),
	},
	parts.Statement{
		Sid:       "DenyAnyone",
		Effect:    parts.Deny,
		Principal: &parts.Principal{Anyone: true},
		NotAction: parts.List("kms:Decrypt", "kms:Encrypt"),
		Resource:  parts.One("*"),
	},
	parts.Statement{Effect: parts.Deny, Action: parts.One("*"), NotResource: parts.List("arn:aws:s3:::b", "arn:aws:s3:::b/*")},
)

func TestPolicyRendersTheFormsItWasGiven(t *testing.T) {
	t.Parallel()
	doc, err := everyForm.JSON()
	require.NoError(t, err)
	require.JSONEq(t, `{
		"Version": "2012-10-17",
		"Statement": [
			{
				"Sid": "Trust", "Effect": "Allow",
				"Principal": {"AWS": ["arn:aws:iam::1:root"], "Service": "ec2.amazonaws.com"},
				"Action": "sts:AssumeRole",
				"Condition": {
					"StringEquals": {"aws:SourceAccount": "1", "aws:RequestedRegion": ["us-east-1"]},
					"Bool": {"kms:GrantIsForAWSResource": true, "aws:SecureTransport": false}
				}
			},
			{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/x"}, "Action": ["sts:AssumeRoleWithWebIdentity"]},
			{"Sid": "DenyAnyone", "Effect": "Deny", "Principal": "*", "NotAction": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"},
			{"Effect": "Deny", "Action": "*", "NotResource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}
		]
	}`, doc)

	// Keys come out sorted, as the AWS provider normalizes a policy: decoding
	// and encoding the rendering again changes no byte.
	var generic any
	require.NoError(t, json.Unmarshal([]byte(doc), &generic))
	normalized, err := json.Marshal(generic)
	require.NoError(t, err)
	require.Equal(t, string(normalized), doc)
}

func TestParsePolicyReadsBackWhatWasRendered(t *testing.T) {
	t.Parallel()
	doc, err := everyForm.JSON()
	require.NoError(t, err)
	back, err := parts.ParsePolicy(doc)
	require.NoError(t, err)
	require.Equal(t, everyForm, back)
	again, err := back.JSON()
	require.NoError(t, err)
	require.Equal(t, doc, again)

	require.Equal(t, []string{"true"}, back.Statement[0].Condition["Bool"]["kms:GrantIsForAWSResource"].Strings())
	require.NotEqual(t, parts.One("true"), back.Statement[0].Condition["Bool"]["kms:GrantIsForAWSResource"], "a Boolean stays a Boolean")
	require.NotEqual(t, parts.One("sts:AssumeRoleWithWebIdentity"), back.Statement[1].Action, "a list of one stays a list")
}

func TestPolicyRefusesWhatAWSWouldRefuse(t *testing.T) {
	t.Parallel()
	ok := parts.Statement{Effect: parts.Allow, Action: parts.One("s3:GetObject"), Resource: parts.One("*")}
	for name, tc := range map[string]struct {
		doc  parts.PolicyDocument
		want string
	}{
		"old version":          {parts.PolicyDocument{Version: "2008-10-17", Statement: []parts.Statement{ok}}, `version "2008-10-17"`},
		"no statement":         {parts.Policy(), "no statement"},
		"no effect":            {parts.Policy(parts.Statement{Sid: "S", Action: parts.One("a:B")}), `statement 0 (S): effect ""`},
		"no action":            {parts.Policy(ok, parts.Statement{Effect: parts.Allow, Resource: parts.One("*")}), "statement 1: exactly one of Action and NotAction"},
		"action and notaction": {parts.Policy(parts.Statement{Effect: parts.Deny, Action: parts.One("a:B"), NotAction: parts.One("a:C")}), "exactly one of Action and NotAction"},
		"resource and not":     {parts.Policy(parts.Statement{Effect: parts.Deny, Action: parts.One("*"), Resource: parts.One("*"), NotResource: parts.One("x")}), "Resource and NotResource exclude each other"},
		"anyone and named":     {parts.Policy(parts.Statement{Effect: parts.Allow, Action: parts.One("*"), Principal: &parts.Principal{Anyone: true, AWS: parts.One("x")}}), `"*" (Anyone) excludes`},
		"no one":               {parts.Policy(parts.Statement{Effect: parts.Allow, Action: parts.One("*"), Principal: &parts.Principal{}}), "names no one"},
		"empty condition":      {parts.Policy(parts.Statement{Effect: parts.Allow, Action: parts.One("*"), Condition: parts.Conditions{"StringEquals": {"k": {}}}}), "no value"},
	} {
		_, err := tc.doc.JSON()
		require.ErrorContains(t, err, tc.want, name)
	}
}

func TestParsePolicyRefusesWhatTheTypeDoesNotModel(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"NotPrincipal":    `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"x"},"Action":"*"}]}`,
		"Id":              `{"Version":"2012-10-17","Id":"x","Statement":[]}`,
		"CanonicalUser":   `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"CanonicalUser":"x"},"Action":"*"}]}`,
		"other principal": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"someone","Action":"*"}]}`,
		"number":          `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Condition":{"NumericLessThan":{"k":1}}}]}`,
		"list of numbers": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[1]}]}`,
		"two documents":   `{"Version":"2012-10-17","Statement":[]} {}`,
	} {
		_, err := parts.ParsePolicy(doc)
		require.Error(t, err, name)
	}
}

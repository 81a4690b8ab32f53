package stacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/acme/platform/internal/check"
)

// validator is implemented by every component's Config.
type validatable interface{ Validate() error }

// loadObject reads the config object at key (e.g. "network") over the
// defaults already in into, and reports whether it is usable: present and
// valid, or absent (the defaults stand). Problems are recorded under
// "platform:<key>": first every shape problem the schema finds (unknown or
// misspelled keys, wrong types, empty values), then, if there are none,
// every problem the component's Validate finds.
func loadObject(ctx *pulumi.Context, p *check.Problems, key string, into any) bool {
	full := ctx.Project() + ":" + key
	raw, err := config.Try(ctx, key)
	if errors.Is(err, config.ErrMissingVar) {
		return validateInto(p, full, into)
	}
	if err != nil {
		p.Addf(full, "%s", err.Error())
		return false
	}
	if err := DecodeStrict(key, []byte(raw), into); err != nil {
		p.Merge(full, err)
		return false
	}
	return validateInto(p, full, into)
}

func validateInto(p *check.Problems, full string, into any) bool {
	v, ok := into.(validatable)
	if !ok {
		return true
	}
	err := v.Validate()
	p.Merge(full, err)
	return err == nil
}

// DecodeStrict decodes the JSON of the configuration object key
// ("network") into out, which already holds defaults: keys present in data
// replace them, absent ones stay. It first checks data against the object's
// schema and reports every problem at its path.
func DecodeStrict(key string, data []byte, out any) error {
	vs, err := sectionValidators()
	if err != nil {
		return err
	}
	v, ok := vs[key]
	if !ok {
		return fmt.Errorf("no configuration object %q", key)
	}
	if err := v.validate(data); err != nil {
		return err
	}
	if err := json.NewDecoder(bytes.NewReader(bytes.TrimSpace(data))).Decode(out); err != nil {
		return &check.FieldError{Message: fmt.Sprintf("cannot be decoded: %v", err)}
	}
	return nil
}

// loadBool reads a boolean scalar, keeping *into when the key is missing.
func loadBool(ctx *pulumi.Context, p *check.Problems, key string, into *bool) {
	raw, err := config.Try(ctx, key)
	if errors.Is(err, config.ErrMissingVar) {
		return
	}
	full := ctx.Project() + ":" + key
	if err != nil {
		p.Addf(full, "%s", err.Error())
		return
	}
	if strings.TrimSpace(raw) == "" {
		p.Addf(full, "is present but empty: remove the key to keep its default, or set true or false")
		return
	}
	v, err := strconv.ParseBool(strings.TrimSpace(raw))
	if err != nil {
		p.Addf(full, "must be true or false, got %q", raw)
		return
	}
	*into = v
}

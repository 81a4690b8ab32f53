// Package check collects validation problems with their field paths, so that
// every bad value is reported at once and each message names where it came from
// (a component field such as "azCount", or a stack config key such as
// "platform:network.azCount").
package check

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// FieldError is one problem with one field. Path is relative to whatever is
// being validated ("azCount", "nodeGroups[1].maxSize"); withPrefix turns it into a
// config key.
type FieldError struct {
	Path    string
	Message string
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// Problems accumulates FieldErrors. The zero value is ready to use.
type Problems struct {
	errs []error
}

// Addf records a problem with the field at path.
func (p *Problems) Addf(path, format string, args ...any) {
	p.errs = append(p.errs, &FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Merge records every problem in err (as returned by another validator) under
// the path prefix: Merge("nodeGroups[0]", err) turns "maxSize: ..." into
// "nodeGroups[0].maxSize: ...".
func (p *Problems) Merge(prefix string, err error) {
	if err == nil {
		return
	}
	p.errs = append(p.errs, withPrefix(prefix, err))
}

// Err returns every recorded problem joined, or nil.
func (p *Problems) Err() error {
	return errors.Join(p.errs...)
}

// Len reports how many problems have been recorded.
func (p *Problems) Len() int { return len(p.errs) }

// withPrefix returns err with every FieldError inside it (joined or not) moved under
// prefix. Errors that are not FieldErrors are reported against prefix itself.
func withPrefix(prefix string, err error) error {
	if err == nil {
		return nil
	}
	var out []error
	for _, e := range Flatten(err) {
		var fe *FieldError
		if errors.As(e, &fe) {
			out = append(out, &FieldError{Path: join(prefix, fe.Path), Message: fe.Message})
			continue
		}
		out = append(out, &FieldError{Path: prefix, Message: e.Error()})
	}
	return errors.Join(out...)
}

// Flatten returns the leaves of a tree of errors.Join results.
func Flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Flatten(e)...)
		}
		return out
	}
	return []error{err}
}

func join(prefix, path string) string {
	switch {
	case prefix == "":
		return path
	case path == "":
		return prefix
	case strings.HasPrefix(path, "["):
		return prefix + path
	default:
		return prefix + "." + path
	}
}

// Between records a problem unless min <= v <= max.
func (p *Problems) Between(path string, v, lo, hi int) {
	if v < lo || v > hi {
		p.Addf(path, "must be between %d and %d, got %d", lo, hi, v)
	}
}

// OneOf records a problem unless v is one of allowed.
func (p *Problems) OneOf(path, v string, allowed ...string) {
	if !slices.Contains(allowed, v) {
		p.Addf(path, "must be one of %s, got %q", strings.Join(quoteAll(allowed), ", "), v)
	}
}

// IntOneOf records a problem unless v is one of allowed.
func (p *Problems) IntOneOf(path string, v int, allowed ...int) {
	if !slices.Contains(allowed, v) {
		s := make([]string, len(allowed))
		for i, a := range allowed {
			s[i] = fmt.Sprint(a)
		}
		p.Addf(path, "must be one of %s, got %d", strings.Join(s, ", "), v)
	}
}

// notEmpty records a problem if v is empty.
func (p *Problems) notEmpty(path, v string) {
	if strings.TrimSpace(v) == "" {
		p.Addf(path, "is required")
	}
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// Redact returns err with every secret value in its messages replaced by
// "[secret]": a problem with a value read from a secret configuration key
// must not print the value. Quoted occurrences are replaced whatever their
// length, bare ones from 6 characters (shorter ones are ordinary words).
func Redact(err error, secrets []string) error {
	if err == nil || len(secrets) == 0 {
		return err
	}
	// Longest first, so a secret containing another is replaced whole.
	secrets = slices.Clone(secrets)
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	var out []error
	for _, e := range Flatten(err) {
		fe := &FieldError{Message: e.Error()}
		if !errors.As(e, &fe) {
			fe = &FieldError{Message: e.Error()}
		}
		msg := fe.Message
		for _, s := range secrets {
			if s == "" {
				continue
			}
			msg = strings.ReplaceAll(msg, fmt.Sprintf("%q", s), `"[secret]"`)
			if len(s) >= 6 {
				msg = strings.ReplaceAll(msg, s, "[secret]")
			}
		}
		out = append(out, &FieldError{Path: fe.Path, Message: msg})
	}
	return errors.Join(out...)
}

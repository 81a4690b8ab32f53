package check

// What the package's external tests (package check_test) reach that the
// program has no use for outside the package.

var Prefix = withPrefix

func (p *Problems) NotEmpty(path, v string) { p.notEmpty(path, v) }

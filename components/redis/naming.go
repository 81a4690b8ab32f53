package redis

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Port is the only port the cache listens on (TLS). It is fixed: ElastiCache
// replaces a replication group whose port changes.
const Port = 6379

// Engines are the values the engine setting accepts.
var Engines = []string{"redis", "valkey"}

var versionRE = regexp.MustCompile(`^(\d+)\.(\d+)$`)

// parameterFamily returns the parameter-group family of an engine version:
// "redis7" for redis 7.1, "valkey8" for valkey 8.0. It rejects versions that
// are not major.minor and versions older than the TLS-only mode needs
// (transitEncryptionMode at creation: Redis 7.0.5, Valkey 7.2).
func parameterFamily(engine, version string) (string, error) {
	m := versionRE.FindStringSubmatch(version)
	if m == nil {
		return "", fmt.Errorf("must be major.minor such as \"7.1\" (ElastiCache picks and upgrades the patch itself), got %q", version)
	}
	major, _ := strconv.Atoi(m[1]) // the expression admits digits only
	minor, _ := strconv.Atoi(m[2])
	switch engine {
	case "redis":
		// Redis OSS ends at 7.x on ElastiCache; 6.x cannot create a group in
		// TLS-required mode.
		if major != 7 {
			return "", fmt.Errorf("redis must be 7.0 or 7.1 (TLS-required mode needs 7.0.5 or later; newer engines are Valkey), got %q", version)
		}
	case "valkey":
		if major < 7 || (major == 7 && minor < 2) {
			return "", fmt.Errorf("valkey must be 7.2 or later, got %q", version)
		}
	default:
		return "", fmt.Errorf("unknown engine %q", engine)
	}
	return engine + strconv.Itoa(major), nil
}

var nodeTypeRE = regexp.MustCompile(`^cache\.([a-z][a-z0-9]*)\.([0-9]*(nano|micro|small|medium|large|xlarge))$`)

// nodeTypeProblem explains why a node type cannot be used with nodes cache
// nodes, or returns "" if it can.
func nodeTypeProblem(nodeType string, nodes int) string {
	m := nodeTypeRE.FindStringSubmatch(nodeType)
	if m == nil {
		return fmt.Sprintf("must be an ElastiCache node type such as \"cache.t4g.small\" or \"cache.r7g.large\", got %q", nodeType)
	}
	family := m[1]
	switch {
	case family == "t1":
		return fmt.Sprintf("%q cannot keep snapshots; use a current generation such as cache.t4g", nodeType)
	case strings.HasSuffix(family, "gd"):
		return fmt.Sprintf("%q is a data-tiering node type, which this component does not enable; use e.g. cache.r7g", nodeType)
	case family == "t2" && nodes > 1:
		return fmt.Sprintf("%q has no automatic failover with cluster mode disabled; use cache.t4g or larger with more than one node", nodeType)
	}
	return ""
}

var componentNameRE = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)

// maxNameLength keeps the auto-named replication group ID (name, "-", seven
// random characters) within ElastiCache's 40.
const maxNameLength = 32

// nameProblem explains why name cannot name a cache, or returns "". The name
// becomes the prefix of the replication group ID, which ElastiCache limits to
// 40 lower-case letters, digits and single hyphens.
func nameProblem(name string) string {
	if !componentNameRE.MatchString(name) || strings.Contains(name, "--") || len(name) > maxNameLength {
		return fmt.Sprintf("must be 1 to %d lower-case letters, digits and single hyphens, starting with a letter (it prefixes the replication group ID), got %q", maxNameLength, name)
	}
	return ""
}

// finalSnapshotName is the name of the snapshot ElastiCache takes when the
// group is deleted: the physical name plus a random suffix that is drawn once
// per replication group, so a stack destroyed and created again (or a group
// replaced) never collides with the snapshot its predecessor left.
func finalSnapshotName(physical, suffix string) string {
	s := strings.Trim(invalidSnapshotChars.ReplaceAllString(strings.ToLower(physical), "-"), "-")
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	switch {
	case s == "":
		s = "cache"
	case s[0] < 'a' || s[0] > 'z':
		s = "cache-" + s
	}
	const max = 200
	if len(s) > max {
		s = strings.TrimRight(s[:max], "-")
	}
	return s + "-final-" + suffix
}

var invalidSnapshotChars = regexp.MustCompile(`[^a-z0-9-]+`)

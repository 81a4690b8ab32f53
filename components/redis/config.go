package redis

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/acme/platform/internal/catalog"
	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// AUTH token update strategies (ElastiCache's AuthTokenUpdateStrategy). DELETE
// is left out: it only serves a move to RBAC user groups and removes the token.
const (
	// StrategySet makes the token in the secret the only one accepted: the
	// steady state, and the second step of a rotation.
	StrategySet = "SET"
	// StrategyRotate accepts the new token and keeps the previous one valid:
	// the first step of a rotation (see README.md).
	StrategyRotate = "ROTATE"
)

// minWindowMinutes is the shortest snapshot or maintenance window ElastiCache
// accepts.
const minWindowMinutes = 60

// Config is the part of the cache's arguments that decides what is created.
// It is what the stack reads from the platform:cache config object; JSON
// names are the config keys.
type Config struct {
	// Engine is "redis" or "valkey"; default "redis".
	Engine string `json:"engine"`
	// EngineVersion is major.minor, pinned (ElastiCache applies patches);
	// default "7.1". Redis needs 7.x and Valkey 7.2 or later, because the
	// group is created in TLS-required mode.
	EngineVersion string `json:"engineVersion"`
	// NodeType is the node class; default "cache.t4g.small".
	NodeType string `json:"nodeType"`
	// NodeCount is the number of nodes, primary included, 1 to 6; default 1.
	// With two or more the group gets automatic failover and Multi-AZ.
	NodeCount int `json:"nodeCount"`
	// SnapshotRetentionDays is how many daily snapshots are kept, 0 to 35
	// (0 turns automatic snapshots off); default 1.
	SnapshotRetentionDays int `json:"snapshotRetentionDays"`
	// BackupsRequired rejects a SnapshotRetentionDays of 0; default false.
	// Production stacks set it.
	BackupsRequired bool `json:"backupsRequired"`
	// SnapshotWindow is the daily UTC window "hh24:mi-hh24:mi" of at least 60
	// minutes in which snapshots start; default "03:00-04:00".
	SnapshotWindow string `json:"snapshotWindow"`
	// MaintenanceWindow is the weekly UTC window "ddd:hh24:mi-ddd:hh24:mi" of
	// at least 60 minutes, not overlapping SnapshotWindow; default
	// "sun:05:00-sun:06:00".
	MaintenanceWindow string `json:"maintenanceWindow"`
	// LogRetentionDays is how long the slow and engine logs are kept, one of
	// the values CloudWatch Logs accepts; default 30.
	LogRetentionDays int `json:"logRetentionDays"`
	// ApplyImmediately applies modifications now instead of in the next
	// maintenance window (node type and version changes restart nodes);
	// default false.
	ApplyImmediately bool `json:"applyImmediately"`
	// AuthTokenVersion draws a new AUTH token whenever it changes (1 or more);
	// default 1. See README.md for a rotation without downtime.
	AuthTokenVersion int `json:"authTokenVersion"`
	// AuthTokenUpdateStrategy is "SET" (only the current token is accepted)
	// or "ROTATE" (the previous token stays valid too); default "SET".
	AuthTokenUpdateStrategy string `json:"authTokenUpdateStrategy"`
	// Parameters are engine parameters set in the cache's parameter group
	// (e.g. {"maxmemory-policy": "allkeys-lru"}); default none.
	Parameters map[string]string `json:"parameters"`
	// Secret is set by the stack when the configuration object holds a
	// `secure:` value somewhere: the settings that may carry a credential
	// (the parameter values) are then registered as Pulumi secrets. Not read from
	// the configuration.
	Secret bool `json:"-"`
}

// DefaultConfig returns the configuration of a stack that sets nothing in
// platform:cache: the one place its defaults are written. The stack decodes
// the stack file's object over it, so an absent key keeps its default and a
// present one (0 and false included) is meant. A Go caller starts from it and
// changes fields: a Config literal's zero fields are zeros, not defaults.
func DefaultConfig() Config {
	return Config{
		Engine:                  "redis",
		EngineVersion:           "7.1",
		NodeType:                "cache.t4g.small",
		NodeCount:               1,
		SnapshotRetentionDays:   1,
		SnapshotWindow:          "03:00-04:00",
		MaintenanceWindow:       "sun:05:00-sun:06:00",
		LogRetentionDays:        30,
		AuthTokenVersion:        1,
		AuthTokenUpdateStrategy: StrategySet,
		Parameters:              map[string]string{},
	}
}

// failover reports whether the group has a replica to fail over to, which is
// when ElastiCache accepts automatic failover and Multi-AZ.
func (c Config) failover() bool { return c.NodeCount >= 2 }

var parameterNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// Validate reports every problem with c, each naming its field. The stack runs
// it when it loads platform:cache, before anything is registered; NewCache
// does not run it again, so a Go caller that builds a Config runs it first.
func (c Config) Validate() error {
	var p check.Problems
	p.OneOf("engine", c.Engine, Engines...)
	if slices.Contains(Engines, c.Engine) {
		if _, err := parameterFamily(c.Engine, c.EngineVersion); err != nil {
			p.Addf("engineVersion", "%s", err.Error())
		} else if offered := catalog.CacheEngineVersions[c.Engine]; !slices.Contains(offered, c.EngineVersion) {
			p.Addf("engineVersion", "%s %s is not a version ElastiCache offers (%s; internal/catalog, as of %s)", c.Engine, c.EngineVersion, strings.Join(offered, ", "), catalog.AsOf)
		}
	}
	p.Between("nodeCount", c.NodeCount, 1, 6)
	if msg := nodeTypeProblem(c.NodeType, c.NodeCount); msg != "" {
		p.Addf("nodeType", "%s", msg)
	} else if _, known := catalog.LookupCacheNode(c.NodeType); !known {
		p.Addf("nodeType", "%q is not a current-generation ElastiCache node type (internal/catalog, as of %s): check the name; if AWS offers it, add it to the catalog with its source", c.NodeType, catalog.AsOf)
	}
	switch days := c.SnapshotRetentionDays; {
	case days < 0 || days > 35:
		p.Addf("snapshotRetentionDays", "must be between 0 and 35, got %d", days)
	case days == 0 && c.BackupsRequired:
		p.Addf("snapshotRetentionDays", "must be at least 1 because backupsRequired is true (0 turns snapshots off)")
	}
	p.Windows("snapshotWindow", c.SnapshotWindow, "maintenanceWindow", c.MaintenanceWindow, minWindowMinutes)
	if !parts.ValidRetention(c.LogRetentionDays) {
		p.Addf("logRetentionDays", "must be one of the retention periods CloudWatch Logs accepts (%v), got %d", parts.LogRetentionDays, c.LogRetentionDays)
	}
	if c.AuthTokenVersion < 1 {
		p.Addf("authTokenVersion", "must be 1 or more, got %d", c.AuthTokenVersion)
	}
	p.OneOf("authTokenUpdateStrategy", c.AuthTokenUpdateStrategy, StrategySet, StrategyRotate)
	for _, k := range slices.Sorted(maps.Keys(c.Parameters)) {
		path := fmt.Sprintf("parameters[%q]", k)
		switch {
		case !parameterNameRE.MatchString(k):
			p.Addf(path, "must be an ElastiCache parameter name such as \"maxmemory-policy\"")
		case k == "cluster-enabled":
			p.Addf(path, "cannot be set: this component runs Redis with cluster mode disabled (one primary endpoint)")
		case c.Parameters[k] == "":
			p.Addf(path, "must have a value")
		}
	}
	return p.Err()
}

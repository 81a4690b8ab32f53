package pack

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	stackType       = "pulumi:pulumi:Stack"
	backupSelection = "aws:backup/selection:Selection"
)

// Stack policies see every resource at once. During AnalyzeStack the engine
// sends outputs; in process (Evaluate over a mock's registrations) they may
// be inputs. So resources are linked by an output value when both sides
// have it (parameterGroupName = the group's name) and by
// PropertyDependencies otherwise, which is also what works during preview,
// when the names are still unknown.

type linkState int

const (
	notLinked linkState = iota
	linked
	// undecided: the property is unknown and names no dependency.
	undecided
)

// linkIndex finds, for many resources at once, which of a set of targets
// each refers to: by a property dependency on the target's URN, or by the
// property's value equal to one of the target's (an output present during
// AnalyzeStack), without comparing every pair: stacks of tens of thousands
// of resources have thousands of rules and groups.
type linkIndex struct {
	byURN   map[string]int
	byValue map[string][]int
}

func newLinkIndex(targets []policyx.AnalyzerResource, toProps ...string) linkIndex {
	ix := linkIndex{byURN: make(map[string]int, len(targets)), byValue: map[string][]int{}}
	for i, t := range targets {
		ix.byURN[t.URN] = i
		for _, p := range toProps {
			if s, ok := at(t.Properties, p).str(); ok && s != "" {
				ix.byValue[s] = append(ix.byValue[s], i)
			}
		}
	}
	return ix
}

// find returns the targets from's property prop refers to (by dependency,
// or by value, a list's elements included), and whether the property is
// not known yet and names no dependency (undecided).
func (ix linkIndex) find(from policyx.AnalyzerResource, prop string) (found []int, undecided bool) {
	deps := from.PropertyDependencies[prop]
	for _, d := range deps {
		if i, ok := ix.byURN[d]; ok {
			found = append(found, i)
		}
	}
	n := at(from.Properties, prop)
	vals := []node{n}
	if items, ok := n.items(); ok {
		vals = items
	}
	for _, v := range vals {
		if v.isUnknown() {
			undecided = undecided || len(deps) == 0
			continue
		}
		if s, ok := v.str(); ok && s != "" {
			found = append(found, ix.byValue[s]...)
		}
	}
	slices.Sort(found)
	return slices.Compact(found), undecided && len(found) == 0
}

func ofType(rs []policyx.AnalyzerResource, typ string) []policyx.AnalyzerResource {
	var out []policyx.AnalyzerResource
	for _, r := range rs {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

func stackRules() []*rule {
	return []*rule{
		{
			// Closes: database connections in plaintext, which an instance
			// without a force_ssl parameter group accepts.
			name:        "aws-rds-instance-force-ssl",
			description: "Every PostgreSQL RDS instance uses a parameter group in this stack that sets rds.force_ssl = 1.",
			level:       Mandatory,
			severity:    Medium,
			types:       []string{rdsInstance, rdsParameterGroup},
			stack:       judgeForceSSL,
		},
		{
			// Closes: a database or cache whose data cannot be restored.
			name:        "aws-stack-datastores-backups-enabled",
			description: "Every database and cache in the stack has automated backups, whatever AWS Backup also does.",
			level:       Mandatory,
			severity:    High,
			types:       []string{rdsInstance, rdsCluster, elasticacheReplicationGroup, elasticacheCluster},
			stack:       judgeBackups,
		},
		{
			// Closes: kubeconfigs, passwords and connection strings readable
			// by anyone who can read the stack's outputs or state.
			name:        "pulumi-stack-outputs-credentials-secret",
			description: "Stack outputs that carry credentials (kubeconfig, passwords, tokens, connection strings) are secret.",
			level:       Mandatory,
			severity:    High,
			types:       []string{stackType},
			stack: func(rs []policyx.AnalyzerResource, _ settings) []finding {
				var out []finding
				for _, st := range ofType(rs, stackType) {
					keys, _ := root(st.Properties).keys()
					for _, k := range keys {
						for _, m := range plainCredentials(root(st.Properties).get(k), k) {
							out = append(out, finding{urn: st.URN, message: m})
						}
					}
				}
				return out
			},
		},
	}
}

// plainCredentials walks an output value and reports credentials in it that
// are not secret, by key name and by content.
func plainCredentials(n node, key string) []string {
	if n.secret || !n.known() {
		return nil
	}
	fix := "export it with `pulumi.ToSecret(...)` (ctx.Export)."
	if isCredentialKey(key) {
		if s, ok := n.str(); ok && s == "" {
			return nil
		}
		return []string{fmt.Sprintf("Stack output `%s` carries a credential but is not secret; %s", n.path, fix)}
	}
	if s, ok := n.str(); ok {
		if why := credentialContent(s); why != "" {
			return []string{fmt.Sprintf("Stack output `%s` contains %s but is not secret; %s", n.path, why, fix)}
		}
		return nil
	}
	var out []string
	if keys, ok := n.keys(); ok {
		for _, k := range keys {
			out = append(out, plainCredentials(n.get(k), k)...)
		}
	}
	if items, ok := n.items(); ok {
		for _, it := range items {
			out = append(out, plainCredentials(it, key)...)
		}
	}
	return out
}

func judgeForceSSL(rs []policyx.AnalyzerResource, _ settings) []finding {
	groups := ofType(rs, rdsParameterGroup)
	ix := newLinkIndex(groups, "name", "id")
	var out []finding
	for _, inst := range ofType(rs, rdsInstance) {
		if !isPostgres(inst) {
			continue
		}
		pg := at(inst.Properties, "parameterGroupName")
		if pg.missing() {
			out = append(out, finding{urn: inst.URN, message: "The instance uses the engine's default parameter group, whose rds.force_ssl this stack cannot vouch for; set `parameterGroupName` to a group in this stack with `rds.force_ssl = 1` (components/postgres does this)."})
			continue
		}
		var group *policyx.AnalyzerResource
		found, unsure := ix.find(inst, "parameterGroupName")
		if len(found) > 0 {
			group = &groups[found[0]]
		}
		if group == nil {
			if !unsure {
				name, _ := pg.str()
				out = append(out, finding{urn: inst.URN, message: fmt.Sprintf("`parameterGroupName` %q is not a parameter group of this stack, so rds.force_ssl cannot be verified; declare the group here with `rds.force_ssl = 1`.", name)})
			}
			continue
		}
		v, st := parameterValue(at(group.Properties, "parameters"), "rds.force_ssl")
		if st == unknown || (st == present && strings.TrimSpace(v) == "1") {
			continue
		}
		out = append(out, finding{urn: inst.URN, message: fmt.Sprintf("The instance's parameter group %s does not set `rds.force_ssl = 1`, so clients may connect without TLS; add {name: \"rds.force_ssl\", value: \"1\"} to its `parameters`.", group.URN)})
	}
	return out
}

func judgeBackups(rs []policyx.AnalyzerResource, _ settings) []finding {
	var out []finding
	for _, r := range append(ofType(rs, rdsInstance), ofType(rs, rdsCluster)...) {
		if r.Type == rdsInstance && isReplica(r) {
			continue
		}
		// Unset means the AWS default of one day: backups exist (the
		// retention policy judges their length). An AWS Backup selection
		// does not excuse 0: point-in-time recovery and the replication of
		// automated backups to the DR region both need automated backups.
		if f, ok := at(r.Properties, "backupRetentionPeriod").num(); ok && f == 0 {
			out = append(out, finding{urn: r.URN, message: "`backupRetentionPeriod` is 0, so the database has no automated backups, no point-in-time recovery and nothing to replicate to the DR region (AWS Backup snapshots do not replace them); set it to the days aws-rds-instance-backup-retention asks for (platform:database.backupRetentionDays)."})
		}
	}
	caches := ofType(rs, elasticacheReplicationGroup)
	for _, c := range ofType(rs, elasticacheCluster) {
		engine, _ := at(c.Properties, "engine").str()
		standalone := at(c.Properties, "replicationGroupId").missing()
		if standalone && engine != "memcached" {
			caches = append(caches, c)
		}
	}
	for _, c := range caches {
		n := at(c.Properties, "snapshotRetentionLimit")
		if n.isUnknown() {
			continue
		}
		if f, ok := n.num(); n.missing() || (ok && f == 0) {
			out = append(out, finding{urn: c.URN, message: "`snapshotRetentionLimit` is 0 or unset, so the cache has no snapshots; set it to the days aws-elasticache-replicationgroup-snapshot-retention asks for (platform:cache.snapshotRetentionDays)."})
		}
	}
	return out
}

package stacks_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
	"github.com/acme/platform/stacks"
)

// Replacement safety: changing how big, how many or how long must never
// replace or delete a stateful resource. The tests run the real program with
// the real stack file and with a capacity variant derived from it, and
// compare the two plans with plan.Compare, which knows from the provider
// schemas which input changes replace a resource.

// replObject is one platform: config object of a stack, as JSON-like data.
type replObject = map[string]any

// replKnob changes one capacity setting of a config object. It edits obj in
// place and reports whether the stack had something to change (a stack may
// already be at the top of a scale, or lack the object).
type replKnob struct {
	key  string // config object under the project namespace: "database"
	knob string // what it changes, for messages
	edit func(obj replObject) bool
}

// replCapacityKnobs are every capacity knob of the stack files and the
// component configs that must change in place: sizes, counts, instance
// classes, storage, retentions and alarm thresholds. Each picks a value
// other than the stack's own, so the variant differs from dev and prod
// alike. The knobs that do replace something stateful are in
// replReplacingKnobs.
var replCapacityKnobs = []replKnob{
	// network.
	{"network", "flowLogRetentionDays", func(o replObject) bool { return replSet(o, "flowLogRetentionDays", 731, 400) }},
	// More NAT gateways is more egress capacity and availability. Only
	// upward: going back to one gateway deletes the others' elastic IPs,
	// which partners may have allow-listed.
	{"network", "natMode single→perAz", func(o replObject) bool {
		if o["natMode"] != "single" {
			return false
		}
		o["natMode"] = "perAz"
		return true
	}},
	// cluster.
	{"cluster", "logRetentionDays", func(o replObject) bool { return replSet(o, "logRetentionDays", 731, 400) }},
	{"cluster", "nodeGroups[*] sizes, disk and maxUnavailable", func(o replObject) bool {
		groups, _ := o["nodeGroups"].([]any)
		for _, g := range groups {
			ng := g.(replObject)
			minSize, maxSize := replInt(ng, "minSize", 0), replInt(ng, "maxSize", 1)
			ng["minSize"] = minSize + 1
			ng["maxSize"] = maxSize + 3
			ng["desiredSize"] = replInt(ng, "desiredSize", minSize) + 1
			ng["diskSizeGiB"] = replInt(ng, "diskSizeGiB", 50) * 2
			ng["maxUnavailable"] = replInt(ng, "maxUnavailable", 1) + 1
		}
		return len(groups) > 0
	}},
	// A group with one instance type keeps it in its launch template:
	// resizing its nodes is a rolling update, not a new group.
	{"cluster", "nodeGroups[*].instanceTypes (one type)", func(o replObject) bool {
		groups, _ := o["nodeGroups"].([]any)
		changed := false
		for _, g := range groups {
			ng := g.(replObject)
			if types, _ := ng["instanceTypes"].([]any); len(types) == 1 {
				bigger := "m7i.2xlarge"
				if types[0] == bigger {
					bigger = "m7i.4xlarge"
				}
				ng["instanceTypes"] = []any{bigger}
				changed = true
			}
		}
		return changed
	}},
	{"cluster", "metricsServer.replicas", func(o replObject) bool {
		ms, _ := o["metricsServer"].(replObject)
		if ms == nil {
			ms = replObject{}
			o["metricsServer"] = ms
		}
		ms["replicas"] = replInt(ms, "replicas", 2)%5 + 1
		return true
	}},
	// database.
	{"database", "instanceClass", func(o replObject) bool { return replSet(o, "instanceClass", "db.r6g.xlarge", "db.m7g.large") }},
	{"database", "allocatedStorageGiB and maxAllocatedStorageGiB", func(o replObject) bool {
		alloc := replInt(o, "allocatedStorageGiB", 20) * 2
		o["allocatedStorageGiB"] = alloc
		o["maxAllocatedStorageGiB"] = max(replInt(o, "maxAllocatedStorageGiB", 100)*2, alloc*2)
		return true
	}},
	{"database", "backupRetentionDays", func(o replObject) bool { return replSet(o, "backupRetentionDays", 35, 14) }},
	{"database", "multiAz", func(o replObject) bool { o["multiAz"] = o["multiAz"] != true; return true }},
	{"database", "monitoringIntervalSeconds", func(o replObject) bool { return replSet(o, "monitoringIntervalSeconds", 30, 10) }},
	{"database", "performanceInsightsRetentionDays", func(o replObject) bool {
		return replSet(o, "performanceInsightsRetentionDays", 31, 62)
	}},
	{"database", "logRetentionDays", func(o replObject) bool { return replSet(o, "logRetentionDays", 731, 400) }},
	{"database", "roles.*.connectionLimit", func(o replObject) bool {
		roles, _ := o["roles"].(replObject)
		if roles == nil {
			roles = replObject{}
			o["roles"] = roles
		}
		for role, def := range map[string]int{"migrator": 5, "readWrite": 40, "readOnly": 10} {
			r, _ := roles[role].(replObject)
			if r == nil {
				r = replObject{}
				roles[role] = r
			}
			r["connectionLimit"] = replInt(r, "connectionLimit", def) * 2
		}
		return true
	}},
	// cache.
	{"cache", "nodeType", func(o replObject) bool { return replSet(o, "nodeType", "cache.r7g.xlarge", "cache.m7g.large") }},
	{"cache", "nodeCount", func(o replObject) bool { o["nodeCount"] = replInt(o, "nodeCount", 1)%6 + 1; return true }},
	{"cache", "snapshotRetentionDays", func(o replObject) bool { return replSet(o, "snapshotRetentionDays", 35, 14) }},
	{"cache", "logRetentionDays", func(o replObject) bool { return replSet(o, "logRetentionDays", 731, 400) }},
	// broker (deploymentMode is not capacity: it replaces the broker, see
	// the broker's README).
	{"broker", "hostInstanceType", func(o replObject) bool { return replSet(o, "hostInstanceType", "mq.m5.xlarge", "mq.m5.2xlarge") }},
	// monitoring: every alarm threshold
	{"monitoring", "alarm thresholds", func(o replObject) bool {
		for section, fields := range map[string]map[string][2]any{
			"database": {
				"cpuPercent": {70, 90}, "freeStorageGiB": {10, 20}, "freeableMemoryMiB": {512, 1024},
				"connections": {400, 800}, "readLatencyP95Ms": {30, 50}, "writeLatencyP95Ms": {30, 50},
			},
			"cache":  {"engineCpuPercent": {70, 90}, "memoryPercent": {70, 90}, "evictions": {10, 100}, "replicationLagSeconds": {10, 30}},
			"broker": {"memoryPercent": {70, 90}, "diskFreeLimitMultiple": {3, 4}},
			"nat":    {"portAllocationErrors": {5, 50}},
		} {
			s, _ := o[section].(replObject)
			if s == nil {
				s = replObject{}
				o[section] = s
			}
			for f, vals := range fields {
				replSet(s, f, vals[0], vals[1])
			}
		}
		return true
	}},
	// backup: the recovery points' retentions (the DR replication of the
	// database's automated backups is in replReplacingKnobs).
	{"backup", "recovery point retentions", func(o replObject) bool {
		replSet(o, "dailyRetentionDays", 42, 49)
		if w := replInt(o, "weeklyRetentionDays", 90); w != 0 {
			o["weeklyRetentionDays"] = w + 7
		}
		if m := replInt(o, "monthlyRetentionDays", 365); m != 0 {
			o["monthlyRetentionDays"] = m + 35
		}
		return true
	}},
}

// replReplacingKnobs are capacity knobs that do replace a stateful
// resource today, each with what it replaces and why: findings for the
// components' owners, pinned here so that the detector is seen catching
// them, and so that a fix shows up as a failing expectation (then move the
// knob to replCapacityKnobs).
var replReplacingKnobs = []struct {
	replKnob
	// replaced are the types Unsafe must report, each with the input that
	// forces it.
	replaced map[string]string
	// which narrows the resources of those types it replaces; default all.
	which func(*offline.Resource) bool
	// only is the one stack the knob applies to; default both.
	only string
}{
	{
		// EKS cannot change a managed node group's instance types
		// (eks/node_group.go: instance_types is ForceNew). A group with one
		// type keeps it in its launch template (a rolling update, a capacity
		// knob above); a group with several (Spot diversity) replaces when
		// its list changes: a new group is created, the old one drained and
		// deleted — a blue/green roll, documented in docs/operations.md.
		replKnob: replKnob{"cluster", "nodeGroups[*].instanceTypes (several types)", func(o replObject) bool {
			groups, _ := o["nodeGroups"].([]any)
			changed := false
			for _, g := range groups {
				ng := g.(replObject)
				if types, _ := ng["instanceTypes"].([]any); len(types) > 1 {
					ng["instanceTypes"] = append(slices.Clone(types), "m7i.2xlarge")
					changed = true
				}
			}
			return changed
		}},
		replaced: map[string]string{"aws:eks/nodeGroup:NodeGroup": "instanceTypes"},
		only:     "dev", // prod's on-demand groups have one type each
	},
	{
		// Another zone adds subnets (and keeps the existing ones), but a
		// node group that spans every zone spans the new one too, and
		// subnet_ids is ForceNew (eks/node_group.go), so it is replaced. A
		// per-zone group (perAz) only gains a sibling in the new zone.
		replKnob: replKnob{"network", "azCount", func(o replObject) bool {
			o["azCount"] = replInt(o, "azCount", 3) + 1
			return true
		}},
		replaced: map[string]string{"aws:eks/nodeGroup:NodeGroup": "subnetIds"},
		which: func(r *offline.Resource) bool {
			subnets, _ := offline.GetStrings(r.Inputs, "subnetIds")
			return len(subnets) > 1
		},
	},
	{
		// RDS cannot change the retention of a running cross-region backup
		// replication (rds/instance_automated_backups_replication.go has no
		// update), so components/backup/backup.go replaces it: the
		// replicated backups in the DR region start over empty, and in a
		// protected stack `pulumi up` stops at it. Only stacks with a DR
		// region have the replication.
		replKnob: replKnob{"backup", "automatedBackupReplicationRetentionDays", func(o replObject) bool {
			if dr, _ := o["drRegion"].(string); dr == "" {
				return false
			}
			o["automatedBackupReplicationRetentionDays"] = replInt(o, "automatedBackupReplicationRetentionDays", 7)%35 + 1
			return true
		}},
		replaced: map[string]string{
			"aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": "retentionPeriod",
		},
	},
}

// replSet sets key to the first of the candidates that differs from its
// current value.
func replSet(o replObject, key string, a, b any) bool {
	cur, _ := json.Marshal(o[key])
	va, _ := json.Marshal(a)
	if string(cur) != string(va) {
		o[key] = a
	} else {
		o[key] = b
	}
	return true
}

// replInt reads an integer field (JSON numbers decode as float64).
func replInt(o replObject, key string, def int) int {
	switch v := o[key].(type) {
	case float64:
		return int(v)
	case int:
		return v
	}
	return def
}

// replApply applies knobs to the stack's config objects and returns the
// variant, the knobs that changed something and those that did not apply
// (their object is not in the stack file, or the stack is already at the
// top of that scale).
func replApply(t *testing.T, cfg offline.StackConfig, knobs []replKnob) (variant offline.StackConfig, applied, skipped []string) {
	t.Helper()
	for _, k := range knobs {
		key := cfg.Project + ":" + k.key
		raw, ok := cfg.Values[key]
		if !ok {
			skipped = append(skipped, k.key+"."+k.knob)
			continue
		}
		var obj replObject
		require.NoError(t, json.Unmarshal([]byte(raw), &obj), key)
		if !k.edit(obj) {
			skipped = append(skipped, k.key+"."+k.knob)
			continue
		}
		cfg = cfg.With(key, obj)
		applied = append(applied, k.key+"."+k.knob)
	}
	return cfg, applied, skipped
}

// replRun runs the real program with a configuration and returns what it
// registered.
func replRun(t *testing.T, cfg offline.StackConfig) []*offline.Resource {
	t.Helper()
	rec, err := offline.Run(cfg, true, stacks.Run)
	require.NoError(t, err, "the variant must be a valid configuration")
	return rec.Resources()
}

// replStatefulURNs returns the URNs of the stateful resources, sorted.
func replStatefulURNs(rs []*offline.Resource) []string {
	var out []string
	for _, r := range rs {
		if plan.IsStateful(r.Type) {
			out = append(out, r.URN)
		}
	}
	slices.Sort(out)
	return out
}

func replByURN(rs []*offline.Resource) map[string]*offline.Resource {
	out := map[string]*offline.Resource{}
	for _, r := range rs {
		out[r.URN] = r
	}
	return out
}

// replChanged reports whether the input at path differs between the plans.
func replChanged(before, after *offline.Resource, path string) bool {
	b, _, bok := offline.Get(before.Inputs, path)
	a, _, aok := offline.Get(after.Inputs, path)
	return bok != aok || !b.DeepEquals(a)
}

// replTargets are the inputs the capacity variant must change on every
// resource of a type, so the test cannot pass by changing nothing.
var replTargets = map[string][]string{
	"aws:rds/instance:Instance": {
		"instanceClass", "allocatedStorage", "maxAllocatedStorage", "backupRetentionPeriod", "multiAz",
		"monitoringInterval", "performanceInsightsRetentionPeriod",
	},
	"aws:elasticache/replicationGroup:ReplicationGroup": {"nodeType", "numCacheClusters", "snapshotRetentionLimit"},
	"aws:mq/broker:Broker":                              {"hostInstanceType"},
	"aws:eks/nodeGroup:NodeGroup":                       {"scalingConfig.minSize", "scalingConfig.maxSize", "updateConfig.maxUnavailable"},
	"aws:ec2/launchTemplate:LaunchTemplate":             {"blockDeviceMappings[0].ebs.volumeSize"},
	"aws:cloudwatch/logGroup:LogGroup":                  {"retentionInDays"},
	"aws:cloudwatch/metricAlarm:MetricAlarm":            {"threshold"},
	"aws:backup/plan:Plan":                              {"rules[0].lifecycle.deleteAfter"},
}

func TestCapacityChangesReplaceNothingStateful(t *testing.T) {
	t.Parallel()
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			base := offlinetest.StackConfig(t, stack)
			variant, applied, skipped := replApply(t, base, replCapacityKnobs)
			// Every knob applies, but where there is nothing to change:
			// prod already runs a NAT gateway per zone, and dev's only node
			// group has several instance types (see replReplacingKnobs).
			notApplicable := map[string][]string{
				"dev":  {"cluster.nodeGroups[*].instanceTypes (one type)"},
				"prod": {"network.natMode single→perAz"},
			}
			require.ElementsMatch(t, notApplicable[stack], skipped, "applied: %v", applied)

			before, after := replRun(t, base), replRun(t, variant)
			changes := plan.Compare(before, after)
			require.Empty(t, plan.Describe(plan.Unsafe(changes)), "capacity knobs %v must not replace or delete anything stateful", applied)
			// More capacity may add stateful resources (the elastic IPs of
			// more NAT gateways); it must not move or drop one.
			require.Subset(t, replStatefulURNs(after), replStatefulURNs(before),
				"the URNs of stateful resources must not depend on capacity")

			// The variant really reached every resource it targets, and the
			// detector saw an in-place update there.
			kinds := map[string]plan.ChangeKind{}
			for _, c := range changes {
				kinds[c.URN] = c.Kind
			}
			old := replByURN(before)
			checked := map[string]int{}
			for _, r := range after {
				paths, ok := replTargets[r.Type]
				prev := old[r.URN]
				if !ok || prev == nil {
					// New alarms for new cache nodes and NAT gateways have
					// nothing to compare with; the stateful URNs are
					// checked above.
					continue
				}
				for _, p := range paths {
					require.Truef(t, replChanged(prev, r, p), "%s %s: the variant did not change %s", r.Type, r.Name, p)
				}
				require.Equal(t, plan.Update, kinds[r.URN], "%s %s", r.Type, r.Name)
				checked[r.Type]++
			}
			for typ := range replTargets {
				require.Positive(t, checked[typ], "the stack has no %s: the target list is stale", typ)
			}
		})
	}
}

func TestCapacityKnobsThatReplaceAreReportedByName(t *testing.T) {
	t.Parallel()
	for _, stack := range []string{"dev", "prod"} {
		for _, k := range replReplacingKnobs {
			if k.only != "" && k.only != stack {
				continue
			}
			t.Run(stack+"/"+k.knob, func(t *testing.T) {
				t.Parallel()
				base := offlinetest.StackConfig(t, stack)
				variant, applied, _ := replApply(t, base, []replKnob{k.replKnob})
				before := replRun(t, base)
				var want []string
				for _, r := range before {
					if _, ok := k.replaced[r.Type]; ok && (k.which == nil || k.which(r)) {
						want = append(want, r.Type+" "+r.Name)
					}
				}
				if len(applied) == 0 {
					// The knob does not apply to this stack; then neither
					// may what it would replace exist.
					require.Empty(t, want, "%s has %v but the knob found nothing to change", stack, want)
					return
				}
				require.NotEmpty(t, want, "%s has nothing the knob is known to replace", stack)

				after := replRun(t, variant)
				unsafe := plan.Unsafe(plan.Compare(before, after))
				require.NotEmpty(t, unsafe)
				t.Log(plan.Describe(unsafe))
				var got []string
				for _, c := range unsafe {
					require.Equal(t, plan.Replace, c.Kind, c.String())
					require.Contains(t, c.String(), k.replaced[c.Type]+" changed", c.String())
					got = append(got, c.Type+" "+c.Name)
				}
				slices.Sort(want)
				require.Equal(t, want, got, plan.Describe(unsafe))
			})
		}
	}
}

func TestDatabaseReplacementIsReportedByName(t *testing.T) {
	t.Parallel()
	base := offlinetest.StackConfig(t, "dev")
	tests := []struct {
		field string
		value any
		// unsafe are the stateful resources that must be reported, by
		// type and name: the instance, and nothing else (its role secrets'
		// values change too, which is a new secret version, not a loss).
		unsafe []string
		reason string
	}{
		{field: "databaseName", value: "shop", unsafe: []string{"aws:rds/instance:Instance db"}, reason: `dbName changed ("app" → "shop")`},
		{field: "masterUsername", value: "owner_admin", unsafe: []string{"aws:rds/instance:Instance db"}, reason: `username changed ("platform_admin" → "owner_admin")`},
		// The port is not a replacement (RDS changes it in place): a
		// control that the detector does not cry wolf.
		{field: "port", value: 5433, unsafe: nil},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			t.Parallel()
			var db replObject
			require.NoError(t, json.Unmarshal([]byte(base.Values["platform:database"]), &db))
			db[tt.field] = tt.value
			before, after := replRun(t, base), replRun(t, base.With("platform:database", db))

			changes := plan.Compare(before, after)
			unsafe := plan.Unsafe(changes)
			var got []string
			for _, c := range unsafe {
				got = append(got, c.Type+" "+c.Name)
			}
			require.Equal(t, tt.unsafe, got, plan.Describe(unsafe))
			if tt.reason == "" {
				return
			}
			desc := plan.Describe(unsafe)
			require.Contains(t, desc, "aws:rds/instance:Instance db would be REPLACED: "+tt.reason)

			// The role secrets change with the instance; their passwords
			// must not show in any description.
			all := plan.Describe(changes)
			require.Contains(t, all, "aws:secretsmanager/secretVersion:SecretVersion db-readwrite would be REPLACED: secretString")
			for _, r := range after {
				if r.Type == "random:index/randomPassword:RandomPassword" {
					pw, ok := offline.GetString(r.Outputs, "result")
					require.True(t, ok)
					require.NotContains(t, all, pw, "a password leaked into the description")
				}
			}
			require.False(t, strings.Contains(all, offline.SecretPlaceholder))
		})
	}
}

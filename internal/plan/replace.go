package plan

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/acme/platform/internal/offline"
)

// ReplaceOnChange lists, per resource type, the input paths whose change
// makes the provider replace the resource instead of updating it in place.
// Paths are Pulumi property names ("vpcConfig.subnetIds"); "[]" stands for
// any element of an array. A changed path matches an entry when it is the
// entry, lies below it, or is an object or array above it that changed as a
// whole.
//
// The source of truth is the provider schema. pulumi-aws v6 bridges
// terraform-provider-aws v5, whose schema marks these attributes ForceNew
// (the Go SDK does not carry the flag); the file of each type is named in its
// comment, under internal/service/ of hashicorp/terraform-provider-aws. The
// Pulumi name is the camelCase of the Terraform name, nested blocks becoming
// objects (at most one item) or arrays. Replacements that depend on the old
// and new values are in replaceConditions. Attributes that replace but that
// no component here sets (restores, Outposts, imports) are listed all the
// same, so the table can gate any program.
var ReplaceOnChange = map[string][]string{
	// rds/instance.go. Not listed, because they change in place: identifier
	// (a rename since provider v5: the endpoint changes, the data stays),
	// instanceClass, allocatedStorage, maxAllocatedStorage, storageType,
	// iops, multiAz, port, engineVersion (RDS refuses a downgrade with an
	// error; it never replaces), parameterGroupName, dbSubnetGroupName,
	// backupRetentionPeriod, monitoringInterval, performanceInsights*,
	// caCertIdentifier. engineLifecycleSupport is not ForceNew either: the
	// provider attempts an in-place change that RDS cannot make
	// (hashicorp/terraform-provider-aws#44552).
	"aws:rds/instance:Instance": {
		"availabilityZone", "characterSetName", "customIamInstanceProfile", "dbName", "engine",
		"kmsKeyId", "ncharCharacterSetName", "restoreToPointInTime", "s3Import",
		"snapshotIdentifier", "storageEncrypted", "timezone", "username",
	},
	// rds/parameter_group.go: the parameters themselves change in place.
	"aws:rds/parameterGroup:ParameterGroup": {"name", "namePrefix", "family", "description"},
	// rds/subnet_group.go: subnetIds and description change in place.
	"aws:rds/subnetGroup:SubnetGroup": {"name", "namePrefix"},
	// rds/instance_automated_backups_replication.go has no update at all:
	// every argument replaces, and the replicated backups start over empty.
	"aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {
		"sourceDbInstanceArn", "retentionPeriod", "kmsKeyId", "preSignedUrl",
	},
	// elasticache/replication_group.go. nodeType, numCacheClusters,
	// automaticFailoverEnabled, multiAzEnabled, snapshotRetentionLimit,
	// parameterGroupName, securityGroupIds and authToken change in place;
	// engine, engineVersion and transitEncryptionEnabled replace only in the
	// cases of replaceConditions.
	"aws:elasticache/replicationGroup:ReplicationGroup": {
		"replicationGroupId", "atRestEncryptionEnabled", "kmsKeyId", "port", "subnetGroupName",
		"dataTieringEnabled", "globalReplicationGroupId", "networkType", "securityGroupNames",
		"snapshotArns", "snapshotName",
		"engine", "engineVersion", "transitEncryptionEnabled",
	},
	// elasticache/subnet_group.go: subnetIds and description change in place.
	"aws:elasticache/subnetGroup:SubnetGroup": {"name"},
	// elasticache/parameter_group.go: the parameters change in place.
	"aws:elasticache/parameterGroup:ParameterGroup": {"name", "family", "description"},
	// mq/broker.go. hostInstanceType, engineVersion, configuration,
	// securityGroups, logs, maintenanceWindowStartTime and users change in
	// place (RabbitMQ users are then ignored by the provider: Amazon MQ does
	// not change them after creation). storageType: ForceNew in provider
	// v5.x, not in older releases; listed to err on the safe side.
	"aws:mq/broker:Broker": {
		"brokerName", "deploymentMode", "encryptionOptions", "engineType", "publiclyAccessible",
		"subnetIds", "storageType", "dataReplicationPrimaryBrokerArn",
	},
	// mq/configuration.go: data and description make a new revision.
	// authenticationStrategy: ForceNew in provider v5.x (not in older
	// releases); listed to err on the safe side.
	"aws:mq/configuration:Configuration": {"name", "engineType", "engineVersion", "authenticationStrategy"},
	// eks/cluster.go. version, vpcConfig (subnetIds and securityGroupIds too,
	// in place since provider v5.25.0), logging, upgradePolicy and
	// accessConfig.authenticationMode change in place. encryptionConfig
	// replaces only when removed or re-keyed (replaceConditions).
	"aws:eks/cluster:Cluster": {
		"name", "roleArn", "bootstrapSelfManagedAddons",
		"accessConfig.bootstrapClusterCreatorAdminPermissions",
		"kubernetesNetworkConfig.ipFamily", "kubernetesNetworkConfig.serviceIpv4Cidr",
		"outpostConfig", "encryptionConfig",
	},
	// eks/node_group.go. scalingConfig, updateConfig, labels, taints,
	// version, releaseVersion, launchTemplate.version and nodeRepairConfig
	// change in place (a launch template version rolls the nodes).
	"aws:eks/nodeGroup:NodeGroup": {
		"amiType", "capacityType", "clusterName", "diskSize", "instanceTypes",
		"launchTemplate.id", "launchTemplate.name", "nodeGroupName", "nodeGroupNamePrefix",
		"nodeRoleArn", "remoteAccess", "subnetIds",
	},
	// ec2/ec2_launch_template.go: every other change is a new version.
	"aws:ec2/launchTemplate:LaunchTemplate": {"name", "namePrefix"},
	// ec2/vpc_.go: secondary blocks are separate resources.
	"aws:ec2/vpc:Vpc": {"cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"},
	// ec2/vpc_subnet.go.
	"aws:ec2/subnet:Subnet": {
		"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "outpostArn", "ipv6Native",
	},
	// ec2/vpc_security_group.go: rules change in place.
	"aws:ec2/securityGroup:SecurityGroup": {"name", "namePrefix", "description", "vpcId"},
	// kms/key.go: policy, description, rotation and deletion window change in
	// place.
	"aws:kms/key:Key": {"customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"},
	// kms/alias.go: targetKeyId changes in place.
	"aws:kms/alias:Alias": {"name", "namePrefix"},
	// secretsmanager/secret.go: kmsKeyId, description and the recovery
	// window change in place.
	"aws:secretsmanager/secret:Secret": {"name", "namePrefix"},
	// secretsmanager/secret_version.go: a new value is a new version (the
	// old one loses AWSCURRENT).
	"aws:secretsmanager/secretVersion:SecretVersion": {"secretId", "secretString", "secretBinary"},
	// logs/group.go: retentionInDays and kmsKeyId change in place.
	"aws:cloudwatch/logGroup:LogGroup": {"name", "namePrefix", "logGroupClass"},
	// backup/vault.go.
	"aws:backup/vault:Vault": {"name", "kmsKeyArn"},
	// iam/role.go: policies, description and tags change in place.
	"aws:iam/role:Role": {"name", "namePrefix", "path"},
	// terraform-provider-random, internal/provider/resource_password.go:
	// every argument is RequiresReplace, so any change draws a new password.
	"random:index/randomPassword:RandomPassword": {
		"keepers", "length", "special", "upper", "lower", "numeric", "number",
		"minUpper", "minLower", "minNumeric", "minSpecial", "overrideSpecial",
	},
	// terraform-provider-random, internal/provider/resource_id.go.
	"random:index/randomId:RandomId": {"keepers", "byteLength", "prefix"},
	// pulumi-kubernetes, provider/pkg/provider/diff.go (forceNew): the pod
	// template of a Job is immutable. Every Kubernetes type also replaces on
	// metadata.name and metadata.namespace (kubernetesIdentity).
	"kubernetes:batch/v1:Job":   {"spec.selector", "spec.template"},
	"kubernetes:core/v1:Secret": {"type", "data", "stringData"},
}

// kubernetesIdentity replaces any Kubernetes object (pulumi-kubernetes,
// metadataForceNewProperties).
var kubernetesIdentity = []string{"metadata.name", "metadata.namespace"}

// replaceCondition decides whether a change of one ReplaceOnChange entry
// replaces the resource, given the values at the entry's path before and
// after (ok false when absent).
type replaceCondition func(before, after *offline.Resource, prev, next resource.PropertyValue, prevOK, nextOK bool) bool

// replaceConditions are the entries that replace only for some changes.
var replaceConditions = map[string]map[string]replaceCondition{
	"aws:elasticache/replicationGroup:ReplicationGroup": {
		// Valkey took over from Redis OSS in place (provider v5.73,
		// hashicorp/terraform-provider-aws#39745); any other engine change
		// replaces.
		"engine": func(_, _ *offline.Resource, o, n resource.PropertyValue, _, _ bool) bool {
			return strValue(o) != "redis" || strValue(n) != "valkey"
		},
		// customizeDiffEngineVersionForceNewOnDowngrade.
		"engineVersion": func(_, _ *offline.Resource, o, n resource.PropertyValue, oOK, nOK bool) bool {
			return oOK && nOK && versionLess(strValue(n), strValue(o))
		},
		// "Changing this argument with an engineVersion < 7.0.5 will force a
		// replacement" (the provider's documentation of the argument).
		"transitEncryptionEnabled": func(before, _ *offline.Resource, _, _ resource.PropertyValue, _, _ bool) bool {
			v, _ := offline.GetString(before.Inputs, "engineVersion")
			return versionLess(v, "7.0.5")
		},
	},
	"aws:eks/cluster:Cluster": {
		// Envelope encryption can be added to a cluster but never removed
		// (ForceNewIfChange on encryption_config), and EKS has no API to
		// change the key of an encrypted cluster.
		"encryptionConfig": func(before, after *offline.Resource, _, _ resource.PropertyValue, oOK, nOK bool) bool {
			if !oOK {
				return false
			}
			if !nOK {
				return true
			}
			o, _, _ := offline.Get(before.Inputs, "encryptionConfig.provider.keyArn")
			n, _, _ := offline.Get(after.Inputs, "encryptionConfig.provider.keyArn")
			return !o.DeepEquals(n)
		},
	},
}

// StatefulTypes are the resource types whose replacement or deletion loses
// data, credentials or availability: the databases, caches and brokers with
// their subnet, parameter and configuration groups (replacing one in use
// moves or restarts what uses it), the cluster and its node groups, the
// network they live in, the keys that encrypt their data (a deleted key
// makes its ciphertext unreadable), secrets and the passwords behind them,
// recovery points and log data. A secret version is not among them: its
// replacement is how the provider writes a new value into the secret, and
// the credentials in that value come from the passwords listed here (or from
// RDS, for the master user).
var StatefulTypes = map[string]bool{
	"aws:rds/instance:Instance":                                                       true,
	"aws:rds/parameterGroup:ParameterGroup":                                           true,
	"aws:rds/subnetGroup:SubnetGroup":                                                 true,
	"aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": true,
	"aws:elasticache/replicationGroup:ReplicationGroup":                               true,
	"aws:elasticache/subnetGroup:SubnetGroup":                                         true,
	"aws:elasticache/parameterGroup:ParameterGroup":                                   true,
	"aws:mq/broker:Broker":                                                            true,
	"aws:mq/configuration:Configuration":                                              true,
	"aws:eks/cluster:Cluster":                                                         true,
	"aws:eks/nodeGroup:NodeGroup":                                                     true,
	"aws:ec2/vpc:Vpc":                                                                 true,
	"aws:ec2/subnet:Subnet":                                                           true,
	"aws:kms/key:Key":                                                                 true,
	"aws:secretsmanager/secret:Secret":                                                true,
	"random:index/randomPassword:RandomPassword":                                      true,
	"aws:backup/vault:Vault":                                                          true,
	"aws:cloudwatch/logGroup:LogGroup":                                                true,
}

// ChangeKind is what `pulumi up` would do to a resource.
type ChangeKind string

// The kinds of change.
const (
	Create  ChangeKind = "create"
	Update  ChangeKind = "update"
	Replace ChangeKind = "replace"
	Delete  ChangeKind = "delete"
)

// Change is one resource that a new plan creates, updates, replaces or
// deletes compared with an earlier one.
type Change struct {
	// URN is the resource's URN in the new plan; for a Delete, in the old.
	URN  string
	Type string
	Name string
	Kind ChangeKind
	// Reasons say why: for a Replace the changed inputs that force it (or the
	// replaced resource an input comes from), for an Update the changed
	// inputs, for a Delete "removed" or how the URN changed. Secret values
	// are never shown.
	Reasons []string
	// Protected is set when the resource is protect=true in the old plan:
	// `pulumi up` would stop at it rather than replace or delete it (an
	// update goes ahead).
	Protected bool
}

// String names the resource and says what would happen and why, e.g.
// `aws:rds/instance:Instance db would be REPLACED: dbName changed ("app" → "shop")`.
func (c Change) String() string {
	verb := map[ChangeKind]string{Create: "CREATED", Update: "UPDATED", Replace: "REPLACED", Delete: "DELETED"}[c.Kind]
	s := fmt.Sprintf("%s %s would be %s", c.Type, c.Name, verb)
	if len(c.Reasons) > 0 {
		s += ": " + strings.Join(c.Reasons, "; ")
	}
	if c.Protected && (c.Kind == Replace || c.Kind == Delete) {
		s += " (protected: `pulumi up` would stop here)"
	}
	return s
}

// Describe renders changes one per line.
func Describe(changes []Change) string {
	lines := make([]string, 0, len(changes))
	for _, c := range changes {
		lines = append(lines, c.String())
	}
	return strings.Join(lines, "\n")
}

// IsStateful reports whether typ is one of StatefulTypes.
func IsStateful(typ string) bool { return StatefulTypes[typ] }

// Unsafe returns the replacements and deletions of stateful resources: what
// a change must not do without a deliberate migration.
func Unsafe(changes []Change) []Change {
	var out []Change
	for _, c := range changes {
		if (c.Kind == Replace || c.Kind == Delete) && IsStateful(c.Type) {
			out = append(out, c)
		}
	}
	return out
}

// Compare returns what `pulumi up` would do to go from the registrations of
// before to those of after. Resources are matched by URN, or by the aliases
// of the new registration (its own and those inherited from aliased
// parents), so a refactor with aliases is neither a deletion nor a creation.
// A matched resource is replaced when an input of ReplaceOnChange (or of its
// replaceOnChanges option) changed, or when such an input comes from a
// resource that is itself replaced or created anew (its ID changes), and
// updated when any other input changed; ignoreChanges paths are left out.
// A resource of before that nothing in after matches is deleted: that is
// what a changed URN without an alias means. Values unknown in both plans
// are not judged. Secret values are compared by content but never shown.
// The result is sorted by type, name and URN.
func Compare(before, after []*offline.Resource) []Change {
	oldByURN := make(map[string]*offline.Resource, len(before))
	for _, r := range before {
		oldByURN[r.URN] = r
	}
	newByURN := make(map[string]*offline.Resource, len(after))
	for _, r := range after {
		newByURN[r.URN] = r
	}

	// Match in registration order, so a parent is matched (and its aliases
	// known to its children) before its children.
	ordered := slices.Clone(after)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].Seq < ordered[j].Seq })
	oldURNs := map[string][]string{} // new URN -> URNs it may have had
	matched := map[string]*offline.Resource{}
	taken := map[string]bool{}
	for _, r := range ordered {
		oldURNs[r.URN] = candidateURNs(r, oldURNs)
		for _, u := range oldURNs[r.URN] {
			if old, ok := oldByURN[u]; ok && !taken[u] {
				matched[r.URN] = old
				taken[u] = true
				break
			}
		}
	}

	byURN := map[string]*Change{}
	for _, r := range after {
		old, ok := matched[r.URN]
		if !ok {
			byURN[r.URN] = &Change{URN: r.URN, Type: r.Type, Name: r.Name, Kind: Create, Reasons: []string{"new"}}
			continue
		}
		kind, reasons := diffResource(old, r)
		if kind != "" {
			byURN[r.URN] = &Change{URN: r.URN, Type: r.Type, Name: r.Name, Kind: kind, Reasons: reasons, Protected: old.Protect}
		}
	}
	cascade(after, matched, byURN, newByURN)

	out := make([]Change, 0, len(byURN))
	for _, c := range byURN {
		out = append(out, *c)
	}
	for _, r := range before {
		if taken[r.URN] {
			continue
		}
		reason := "removed"
		if n := successor(r, after, matched); n != nil {
			reason = "URN changed to " + n.URN + " without an alias"
		}
		out = append(out, Change{URN: r.URN, Type: r.Type, Name: r.Name, Kind: Delete, Reasons: []string{reason}, Protected: r.Protect})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.URN != b.URN {
			return a.URN < b.URN
		}
		return a.Kind < b.Kind
	})
	return out
}

// successor returns the unmatched new registration that looks like r moved
// or renamed its type: the same type and name, or for a component (whose
// type token is the program's own) the same name.
func successor(r *offline.Resource, after []*offline.Resource, matched map[string]*offline.Resource) *offline.Resource {
	var sameName *offline.Resource
	for _, n := range after {
		if _, isMatched := matched[n.URN]; isMatched || n.Name != r.Name {
			continue
		}
		if n.Type == r.Type {
			return n
		}
		if !r.Custom && !n.Custom && sameName == nil {
			sameName = n
		}
	}
	return sameName
}

// candidateURNs returns the URNs r may have had: its own, its alias URNs,
// those its alias specs describe, and the same under each URN its parent may
// have had (the engine inherits a parent's aliases into its children).
func candidateURNs(r *offline.Resource, known map[string][]string) []string {
	out := []string{r.URN}
	add := func(u string) {
		if u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	for _, u := range r.AliasURNs {
		add(u)
	}
	if !strings.HasPrefix(r.URN, resource.URNPrefix) {
		return out // not a URN the engine makes: nothing to derive aliases from
	}
	stack, project := resource.URN(r.URN).Stack(), resource.URN(r.URN).Project()
	build := func(parent, typ, name string, st tokens.QName, proj tokens.PackageName) string {
		parentType := tokens.Type("")
		if p := resource.URN(parent); strings.HasPrefix(parent, resource.URNPrefix) && p.QualifiedType() != resource.RootStackType {
			parentType = p.QualifiedType()
		}
		return string(resource.NewURN(st, proj, parentType, tokens.Type(typ), name))
	}
	parents := append([]string{r.Parent}, known[r.Parent]...)
	for _, a := range r.AliasSpecs {
		if a.URN != "" {
			add(a.URN)
			continue
		}
		name, typ, st, proj := r.Name, r.Type, stack, project
		if a.Name != "" {
			name = a.Name
		}
		if a.Type != "" {
			typ = a.Type
		}
		if a.Stack != "" {
			st = tokens.QName(a.Stack)
		}
		if a.Project != "" {
			proj = tokens.PackageName(a.Project)
		}
		switch {
		case a.NoParent:
			add(build("", typ, name, st, proj))
		case a.ParentURN != "":
			add(build(a.ParentURN, typ, name, st, proj))
		default:
			for _, p := range parents {
				add(build(p, typ, name, st, proj))
			}
		}
	}
	for _, p := range known[r.Parent] {
		add(build(p, r.Type, r.Name, stack, project))
	}
	return out
}

// diffResource compares one resource's two registrations.
func diffResource(prev, next *offline.Resource) (ChangeKind, []string) {
	changes := diffInputs(prev.Inputs, next.Inputs)
	changes = slices.DeleteFunc(changes, func(c inputChange) bool { return ignored(c.path, next.IgnoreChanges) })

	var forcing, other []string
	for _, c := range changes {
		if forcesReplace(prev, next, c.path) {
			forcing = append(forcing, c.describe())
		} else {
			other = append(other, c.describe())
		}
	}
	if prev.Custom && next.Custom && providerURN(prev.Provider) != providerURN(next.Provider) {
		forcing = append(forcing, "provider changed")
	}
	switch {
	case len(forcing) > 0:
		return Replace, forcing
	case len(other) > 0:
		return Update, other
	}
	return "", nil
}

// cascade replaces resources whose replacing inputs come from a resource
// that gets a new ID: a replaced or newly created custom resource. The mocks
// give a replacement the same ID as its predecessor, so the value diff alone
// would miss this.
func cascade(after []*offline.Resource, matched map[string]*offline.Resource, byURN map[string]*Change, newByURN map[string]*offline.Resource) {
	for changed := true; changed; {
		changed = false
		for _, r := range after {
			old, ok := matched[r.URN]
			if !ok {
				continue
			}
			if c := byURN[r.URN]; c != nil && c.Kind == Replace {
				continue
			}
			for _, prop := range slices.Sorted(maps.Keys(r.PropertyDependencies)) {
				if !topLevelForces(r, prop) {
					continue
				}
				for _, dep := range r.PropertyDependencies[prop] {
					src, ok := byURN[dep]
					if !ok || (src.Kind != Replace && src.Kind != Create) || newByURN[dep] == nil || !newByURN[dep].Custom {
						continue
					}
					how := map[ChangeKind]string{Replace: "replaced", Create: "created"}[src.Kind]
					reason := fmt.Sprintf("%s comes from %s %s, which is %s (new ID)", prop, src.Type, src.Name, how)
					c := byURN[r.URN]
					if c == nil {
						c = &Change{URN: r.URN, Type: r.Type, Name: r.Name, Protected: old.Protect}
						byURN[r.URN] = c
					}
					if c.Kind != Replace {
						c.Kind, c.Reasons = Replace, nil
					}
					c.Reasons = append(c.Reasons, reason)
					changed = true
					break
				}
			}
		}
	}
}

// topLevelForces reports whether an unconditional replacing entry of r's
// type (or of its replaceOnChanges option) lies in the top-level input prop.
func topLevelForces(r *offline.Resource, prop string) bool {
	for _, e := range triggers(r) {
		if _, conditional := replaceConditions[r.Type][e]; conditional {
			continue
		}
		if e == "*" || e == prop || strings.HasPrefix(e, prop+".") || strings.HasPrefix(e, prop+"[") {
			return true
		}
	}
	return false
}

// triggers returns the replacing paths of a resource: its type's entries and
// its replaceOnChanges option.
func triggers(r *offline.Resource) []string {
	out := slices.Clone(ReplaceOnChange[r.Type])
	if strings.HasPrefix(r.Type, "kubernetes:") {
		out = append(out, kubernetesIdentity...)
	}
	for _, p := range r.ReplaceOnChanges {
		out = append(out, normalizePath(p))
	}
	return out
}

// forcesReplace reports whether a change at path replaces the resource.
func forcesReplace(prev, next *offline.Resource, path string) bool {
	for _, e := range triggers(next) {
		if e != "*" && !pathsOverlap(e, normalizePath(path)) {
			continue
		}
		cond, ok := replaceConditions[next.Type][e]
		if !ok {
			return true
		}
		o, _, oOK := offline.Get(prev.Inputs, e)
		n, _, nOK := offline.Get(next.Inputs, e)
		if cond(prev, next, o, n, oOK, nOK) {
			return true
		}
	}
	return false
}

// ignored reports whether path lies in one of the ignoreChanges paths.
func ignored(path string, ignore []string) bool {
	p := normalizePath(path)
	for _, i := range ignore {
		n := normalizePath(i)
		if p == n || hasPathPrefix(p, n) {
			return true
		}
	}
	return false
}

var indexRE = regexp.MustCompile(`\[(\d+|\*)\]`)

// normalizePath turns array indices (and the "[*]" of ignoreChanges) into
// "[]".
func normalizePath(p string) string { return indexRE.ReplaceAllString(p, "[]") }

// pathsOverlap reports whether one path is the other or lies below it.
func pathsOverlap(a, b string) bool { return a == b || hasPathPrefix(a, b) || hasPathPrefix(b, a) }

// hasPathPrefix reports whether p lies below prefix.
func hasPathPrefix(p, prefix string) bool {
	if !strings.HasPrefix(p, prefix) || len(p) == len(prefix) {
		return false
	}
	next := p[len(prefix)]
	return next == '.' || next == '['
}

func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i > 0 {
		return ref[:i]
	}
	return ref
}

// inputChange is one changed input path.
type inputChange struct {
	path          string
	prev, next    resource.PropertyValue
	prevOK        bool
	nextOK        bool
	secret        bool
	unknownAtPlan bool
}

// describe says what changed without showing secrets:
// `dbName changed ("app" → "shop")`.
func (c inputChange) describe() string {
	switch {
	case c.secret:
		return c.path + " (secret) changed"
	case c.unknownAtPlan:
		return c.path + " may change (unknown until apply)"
	}
	if c.prevOK && c.nextOK && c.prev.IsArray() && c.next.IsArray() {
		if d := arrayDelta(c.prev.ArrayValue(), c.next.ArrayValue()); d != "" {
			return fmt.Sprintf("%s changed (%s)", c.path, d)
		}
	}
	return fmt.Sprintf("%s changed (%s → %s)", c.path, shortValue(c.prev, c.prevOK), shortValue(c.next, c.nextOK))
}

// arrayDelta says which elements a list gained and lost (`added
// "subnet-c"`), which reads better than two long lists; "" when an element
// is not a plain value.
func arrayDelta(prev, next []resource.PropertyValue) string {
	count := func(vs []resource.PropertyValue) (map[string]int, []string, bool) {
		m, order := map[string]int{}, []string{}
		for _, v := range vs {
			if v.IsObject() || v.IsArray() || v.ContainsSecrets() || v.ContainsUnknowns() {
				return nil, nil, false
			}
			s := shortValue(v, true)
			if m[s] == 0 {
				order = append(order, s)
			}
			m[s]++
		}
		return m, order, true
	}
	pm, porder, ok1 := count(prev)
	nm, norder, ok2 := count(next)
	if !ok1 || !ok2 {
		return ""
	}
	var parts []string
	for _, s := range norder {
		if nm[s] > pm[s] {
			parts = append(parts, "added "+s)
		}
	}
	for _, s := range porder {
		if pm[s] > nm[s] {
			parts = append(parts, "removed "+s)
		}
	}
	if len(parts) == 0 {
		return "reordered"
	}
	return strings.Join(parts, ", ")
}

// diffInputs returns every changed input path, in a stable order.
func diffInputs(prev, next resource.PropertyMap) []inputChange {
	var out []inputChange
	diffObjects("", prev, next, false, &out)
	return out
}

func diffObjects(path string, prev, next resource.PropertyMap, secret bool, out *[]inputChange) {
	keys := map[string]bool{}
	for k := range prev {
		keys[string(k)] = true
	}
	for k := range next {
		keys[string(k)] = true
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		o, oOK := prev[resource.PropertyKey(k)]
		n, nOK := next[resource.PropertyKey(k)]
		diffValues(joinPath(path, k), o, n, oOK, nOK, secret, out)
	}
}

func diffValues(path string, o, n resource.PropertyValue, oOK, nOK, secret bool, out *[]inputChange) {
	var oSecret, nSecret, oUnknown, nUnknown bool
	o, oSecret, oUnknown = unwrap(o)
	n, nSecret, nUnknown = unwrap(n)
	secret = secret || oSecret || nSecret
	// A value absent and a null value are the same input to a provider.
	if !oOK {
		o = resource.NewNullProperty()
	}
	if !nOK {
		n = resource.NewNullProperty()
	}
	c := inputChange{path: path, prev: o, next: n, prevOK: oOK && !o.IsNull(), nextOK: nOK && !n.IsNull(), secret: secret}
	switch {
	case oUnknown && nUnknown:
		return // not known in either plan: nothing to judge
	case oUnknown || nUnknown:
		c.unknownAtPlan = true
		*out = append(*out, c)
	case o.IsObject() && n.IsObject():
		diffObjects(path, o.ObjectValue(), n.ObjectValue(), secret, out)
	case o.IsArray() && n.IsArray() && len(o.ArrayValue()) == len(n.ArrayValue()):
		for i := range o.ArrayValue() {
			diffValues(path+"["+strconv.Itoa(i)+"]", o.ArrayValue()[i], n.ArrayValue()[i], true, true, secret, out)
		}
	case !o.DeepEquals(n):
		*out = append(*out, c)
	}
}

// unwrap looks through secrets and known outputs.
func unwrap(v resource.PropertyValue) (inner resource.PropertyValue, secret, unknown bool) {
	for {
		switch {
		case v.IsSecret():
			secret = true
			v = v.SecretValue().Element
		case v.IsOutput():
			o := v.OutputValue()
			secret = secret || o.Secret
			if !o.Known {
				return v, secret, true
			}
			v = o.Element
		case v.IsComputed():
			return v, secret, true
		default:
			return v, secret, false
		}
	}
}

var plainKeyRE = regexp.MustCompile(`^[A-Za-z0-9_$-]+$`)

// joinPath appends a key the way offline.Get reads it back: a.b, or
// a["kubernetes.io/role/elb"] for keys with dots or brackets.
func joinPath(path, key string) string {
	if !plainKeyRE.MatchString(key) {
		return path + `["` + key + `"]`
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// shortValue shows a non-secret value compactly: strings quoted, long
// values cut.
func shortValue(v resource.PropertyValue, ok bool) string {
	if !ok {
		return "(none)"
	}
	var s string
	if v.IsString() {
		s = strconv.Quote(v.StringValue())
	} else {
		b, err := json.Marshal(ToJSON(v))
		if err != nil {
			s = fmt.Sprint(ToJSON(v))
		} else {
			s = string(b)
		}
	}
	const limit = 80
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit-1]) + "…"
	}
	return s
}

func strValue(v resource.PropertyValue) string {
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

// versionLess compares dotted versions numerically ("6.2" < "7.0.5");
// non-numeric parts (the "x" of "6.x") count as 0.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

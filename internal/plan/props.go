package plan

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/acme/platform/internal/offline"
)

// Redacted replaces secret values wherever the plan shows or writes them.
const Redacted = "[secret]"

// Unknown marks values not known until the resource is created.
const Unknown = "[unknown]"

// highlights are the inputs a reviewer cares about, per type: sizes, counts,
// encryption and HA switches. Types not listed show none.
var highlights = map[string][]string{
	"aws:ec2/vpc:Vpc":                                           {"cidrBlock"},
	"aws:ec2/subnet:Subnet":                                     {"availabilityZone", "cidrBlock"},
	"aws:ec2/natGateway:NatGateway":                             {"connectivityType"},
	"aws:ec2/vpcEndpoint:VpcEndpoint":                           {"serviceName", "vpcEndpointType"},
	"aws:ec2/flowLog:FlowLog":                                   {"trafficType", "maxAggregationInterval"},
	"aws:ec2/launchTemplate:LaunchTemplate":                     {"metadataOptions.httpTokens", "blockDeviceMappings[0].ebs.volumeSize", "blockDeviceMappings[0].ebs.encrypted"},
	"aws:kms/key:Key":                                           {"enableKeyRotation", "deletionWindowInDays"},
	"aws:cloudwatch/logGroup:LogGroup":                          {"name", "retentionInDays"},
	"aws:rds/instance:Instance":                                 {"engineVersion", "instanceClass", "allocatedStorage", "maxAllocatedStorage", "multiAz", "storageEncrypted", "backupRetentionPeriod", "deletionProtection"},
	"aws:rds/parameterGroup:ParameterGroup":                     {"family"},
	"aws:elasticache/replicationGroup:ReplicationGroup":         {"engineVersion", "nodeType", "numCacheClusters", "automaticFailoverEnabled", "multiAzEnabled", "atRestEncryptionEnabled", "transitEncryptionEnabled", "snapshotRetentionLimit"},
	"aws:mq/broker:Broker":                                      {"engineVersion", "hostInstanceType", "deploymentMode", "publiclyAccessible"},
	"aws:eks/cluster:Cluster":                                   {"version", "vpcConfig.endpointPublicAccess"},
	"aws:eks/nodeGroup:NodeGroup":                               {"capacityType", "instanceTypes", "scalingConfig.minSize", "scalingConfig.desiredSize", "scalingConfig.maxSize"},
	"aws:eks/addon:Addon":                                       {"addonName", "addonVersion"},
	"kubernetes:helm.sh/v3:Release":                             {"chart", "version"},
	"aws:backup/plan:Plan":                                      {"name"},
	"aws:cloudwatch/metricAlarm:MetricAlarm":                    {"metricName", "extendedStatistic", "threshold"},
	"aws:secretsmanager/secret:Secret":                          {"description"},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {"fromPort", "referencedSecurityGroupId", "cidrIpv4"},
}

// Highlights returns "key=value" pairs of the interesting inputs of r, in
// the table's order; secrets are redacted.
func Highlights(r *offline.Resource) []string {
	var out []string
	for _, path := range highlights[r.Type] {
		v, secret, ok := offline.Get(r.Inputs, path)
		if !ok {
			continue
		}
		key := path
		if i := strings.LastIndexAny(path, "."); i >= 0 && !strings.HasSuffix(path, "]") {
			key = path[i+1:]
		}
		out = append(out, key+"="+Render(v, secret))
	}
	return out
}

// Render shows a property value compactly.
func Render(v resource.PropertyValue, secret bool) string {
	if secret || v.ContainsSecrets() {
		return Redacted
	}
	switch {
	case v.IsComputed() || (v.IsOutput() && !v.OutputValue().Known):
		return Unknown
	case v.IsString():
		return v.StringValue()
	case v.IsBool():
		return strconv.FormatBool(v.BoolValue())
	case v.IsNumber():
		return strconv.FormatFloat(v.NumberValue(), 'f', -1, 64)
	case v.IsArray():
		parts := make([]string, 0, len(v.ArrayValue()))
		for _, e := range v.ArrayValue() {
			parts = append(parts, Render(e, false))
		}
		return "[" + strings.Join(parts, ",") + "]"
	case v.IsNull():
		return "null"
	default:
		return fmt.Sprintf("%v", ToJSON(v))
	}
}

// ToJSON turns a property value into plain JSON-able data, with secrets
// redacted and unknowns marked.
func ToJSON(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return Redacted
	case v.IsComputed():
		return Unknown
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return Redacted
		}
		if !o.Known {
			return Unknown
		}
		return ToJSON(o.Element)
	case v.IsObject():
		return MapToJSON(v.ObjectValue())
	case v.IsArray():
		out := make([]any, 0, len(v.ArrayValue()))
		for _, e := range v.ArrayValue() {
			out = append(out, ToJSON(e))
		}
		return out
	case v.IsString():
		return v.StringValue()
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsAsset(), v.IsArchive():
		return "[asset]"
	default:
		return nil
	}
}

// MapToJSON is ToJSON for a property map, with sorted keys.
func MapToJSON(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	for _, k := range keys {
		out[k] = ToJSON(m[resource.PropertyKey(k)])
	}
	return out
}

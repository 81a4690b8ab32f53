package offline

import (
	"fmt"
	"hash/fnv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// databaseState computes what AWS returns for the postgres component (RDS).
var databaseState = map[string]stateFunc{
	"aws:rds/instance:Instance": func(r *Recorder, name, id string, s resource.PropertyMap) {
		ident := str(s, "identifier")
		if ident == "" {
			ident = id
		}
		port := 5432.0
		if v, ok := s["port"]; ok && v.IsNumber() {
			port = v.NumberValue()
		}
		// Stable across runs: derived from the identifier.
		h := fnv.New32a()
		_, _ = h.Write([]byte(ident))
		n := h.Sum32()
		addr := fmt.Sprintf("%s.c%08x.%s.rds.amazonaws.com", ident, n, r.Region)
		setDefault(s, "address", resource.NewProperty(addr))
		setDefault(s, "port", resource.NewProperty(port))
		setDefault(s, "endpoint", resource.NewProperty(fmt.Sprintf("%s:%d", addr, int(port))))
		setDefault(s, "resourceId", resource.NewProperty(fmt.Sprintf("db-%08X%08X", n, n^0x5bd1e995)))
		setDefault(s, "hostedZoneId", resource.NewProperty("Z2R2ITUGPM61AM"))
		setDefault(s, "status", resource.NewProperty("available"))
		setDefault(s, "engineVersionActual", resource.NewProperty(str(s, "engineVersion")))
		// RDS ARNs name the identifier, not a resource ID.
		s["arn"] = resource.NewProperty(r.ARN("rds", "db:"+ident))
		if managed, ok := s["manageMasterUserPassword"]; ok && managed.IsBool() && managed.BoolValue() {
			kms := str(s, "masterUserSecretKmsKeyId")
			setDefault(s, "masterUserSecrets", resource.NewProperty([]resource.PropertyValue{
				resource.NewProperty(resource.PropertyMap{
					"secretArn":    resource.NewProperty(r.ARN("secretsmanager", fmt.Sprintf("secret:rds!db-%08x-AbCdEf", n))),
					"kmsKeyId":     resource.NewProperty(kms),
					"secretStatus": resource.NewProperty("active"),
				}),
			}))
		}
	},
	// Parameter and subnet groups are auto-named by the provider: the
	// logical name plus a random suffix, lower-case.
	"aws:rds/parameterGroup:ParameterGroup": func(_ *Recorder, name, _ string, s resource.PropertyMap) {
		setDefault(s, "name", resource.NewProperty(databaseAutoName(name)))
	},
	"aws:rds/subnetGroup:SubnetGroup": func(_ *Recorder, name, _ string, s resource.PropertyMap) {
		setDefault(s, "name", resource.NewProperty(databaseAutoName(name)))
	},
}

// databaseAutoName imitates Pulumi's auto-naming (name, a hyphen, seven characters),
// with a suffix derived from the name so plans are stable.
func databaseAutoName(name string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	return fmt.Sprintf("%s-%07x", name, h.Sum32()&0xfffffff)
}

package offline

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/acme/platform/internal/catalog"
)

// offeringInvoke answers the data sources the preflight asks what AWS
// offers, from the dated tables of internal/catalog: the offline plan then
// refuses what the catalog does not know in the same words as AWS would
// with real credentials. The mock assumes every zone of the region offers
// every instance type the catalog knows; with real credentials EC2 says
// which do. A value the catalog lacks is an error, as AWS's "no ... found
// matching criteria" is. ok is false for other tokens.
func (r *Recorder) offeringInvoke(token string, args resource.PropertyMap) (out resource.PropertyMap, err error, ok bool) {
	if msg, refused := r.refusals[token]; refused {
		return nil, errors.New(msg), true
	}
	str := func(k string) string { s, _ := GetString(args, k); return s }
	switch token {
	case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings":
		var types, zones []string
		if v, found := args["filters"]; found && v.IsArray() {
			for _, f := range v.ArrayValue() {
				if !f.IsObject() {
					continue
				}
				name, _ := GetString(f.ObjectValue(), "name")
				values, _ := GetStrings(f.ObjectValue(), "values")
				switch name {
				case "instance-type":
					types = values
				case "location":
					zones = values
				}
			}
		}
		var its, locs, kinds []resource.PropertyValue
		for _, t := range types {
			if _, known := catalog.LookupEC2(t); !known || r.noEC2Offerings {
				continue
			}
			for _, z := range zones {
				its = append(its, resource.NewProperty(t))
				locs = append(locs, resource.NewProperty(z))
				kinds = append(kinds, resource.NewProperty("availability-zone"))
			}
		}
		return resource.PropertyMap{
			"id": resource.NewProperty("offerings"), "instanceTypes": resource.NewProperty(its),
			"locations": resource.NewProperty(locs), "locationTypes": resource.NewProperty(kinds),
		}, nil, true
	case "aws:ec2/getInstanceType:getInstanceType":
		t, known := catalog.LookupEC2(str("instanceType"))
		if !known {
			return nil, fmt.Errorf("reading EC2 Instance Type (%s): couldn't find resource", str("instanceType")), true
		}
		return resource.PropertyMap{
			"id": resource.NewProperty(t.Name), "instanceType": resource.NewProperty(t.Name),
			"supportedArchitectures": resource.NewProperty([]resource.PropertyValue{resource.NewProperty(t.Arch)}),
		}, nil, true
	case "aws:rds/getEngineVersion:getEngineVersion":
		v := str("version")
		major, _, _ := strings.Cut(v, ".")
		if str("engine") != "postgres" || !slices.ContainsFunc(catalog.PostgresMajors, func(m int) bool { return fmt.Sprint(m) == major }) {
			return nil, fmt.Errorf("no RDS engine versions match the criteria and preferred versions: %s %s", str("engine"), v), true
		}
		return resource.PropertyMap{
			"id": resource.NewProperty(v), "engine": resource.NewProperty("postgres"), "version": resource.NewProperty(v),
			"versionActual": resource.NewProperty(v), "parameterGroupFamily": resource.NewProperty("postgres" + major),
			"status": resource.NewProperty("available"),
		}, nil, true
	case "aws:rds/getOrderableDbInstance:getOrderableDbInstance":
		class, known := catalog.LookupRDSClass(str("instanceClass"))
		if !known {
			return nil, fmt.Errorf("no RDS Orderable DB Instance found matching criteria; try different search"), true
		}
		return resource.PropertyMap{
			"id": resource.NewProperty(class.Name), "engine": resource.NewProperty("postgres"),
			"engineVersion": resource.NewProperty(str("engineVersion")), "instanceClass": resource.NewProperty(class.Name),
			"storageType": resource.NewProperty(str("storageType")), "multiAzCapable": resource.NewProperty(true),
			"supportsStorageEncryption": resource.NewProperty(true), "supportsIamDatabaseAuthentication": resource.NewProperty(true),
		}, nil, true
	case "aws:mq/getInstanceTypeOfferings:getInstanceTypeOfferings":
		var options []resource.PropertyValue
		if t, known := catalog.LookupMQInstance(str("hostInstanceType")); known && str("engineType") == "RABBITMQ" {
			modes := []resource.PropertyValue{resource.NewProperty("SINGLE_INSTANCE")}
			if t.Cluster {
				modes = append(modes, resource.NewProperty("CLUSTER_MULTI_AZ"))
			}
			var versions []resource.PropertyValue
			for _, v := range t.Versions {
				versions = append(versions, resource.NewProperty(v))
			}
			options = append(options, resource.NewProperty(resource.PropertyMap{
				"engineType": resource.NewProperty("RABBITMQ"), "hostInstanceType": resource.NewProperty(t.Name),
				"storageType": resource.NewProperty("EBS"), "supportedDeploymentModes": resource.NewProperty(modes),
				"supportedEngineVersions": resource.NewProperty(versions),
				"availabilityZones":       resource.NewProperty([]resource.PropertyValue{}),
			}))
		}
		return resource.PropertyMap{"id": resource.NewProperty("offerings"), "brokerInstanceOptions": resource.NewProperty(options)}, nil, true
	case "aws:eks/getAddonVersion:getAddonVersion":
		v, known := catalog.EKSAddonVersions[str("kubernetesVersion")][str("addonName")]
		if !known {
			return nil, fmt.Errorf("no EKS Add-On version found for %s on Kubernetes %s", str("addonName"), str("kubernetesVersion")), true
		}
		return resource.PropertyMap{
			"id": resource.NewProperty(str("addonName")), "addonName": resource.NewProperty(str("addonName")),
			"kubernetesVersion": resource.NewProperty(str("kubernetesVersion")), "version": resource.NewProperty(v),
		}, nil, true
	}
	return nil, nil, false
}

// WithRefusal makes the mock refuse one data source with AWS's message, as
// AWS does when it offers something in the catalog but not in this region
// or these zones.
func WithRefusal(token, message string) Option {
	return func(r *Recorder) {
		if r.refusals == nil {
			r.refusals = map[string]string{}
		}
		r.refusals[token] = message
	}
}

// WithoutOfferings makes EC2 offer none of the instance types in any zone,
// as it answers for a type the region does not have.
func WithoutOfferings() Option {
	return func(r *Recorder) { r.noEC2Offerings = true }
}

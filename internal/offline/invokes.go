package offline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// invoke answers the data sources the program calls. Unknown tokens are an
// error, so a new invoke cannot slip into the program untested.
func invoke(r *Recorder, token string, args resource.PropertyMap) (resource.PropertyMap, bool) {
	switch token {
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		// The account's zone names map to zone IDs in order (a to az1, b to
		// az2, ...): one of the mappings AWS hands out, and in us-east-1 one
		// that puts us-east-1c on use1-az3, which EKS refuses, so the plan
		// shows the exclusion at work.
		var exclude []string
		if v, ok := args["excludeZoneIds"]; ok && v.IsArray() {
			for _, e := range v.ArrayValue() {
				if e.IsString() {
					exclude = append(exclude, e.StringValue())
				}
			}
		}
		var names, ids []resource.PropertyValue
		for i, suffix := range zoneLetters(r.Region) {
			id := fmt.Sprintf("%s-az%d", zoneIDPrefix(r.Region), i+1)
			if slices.Contains(exclude, id) {
				continue
			}
			names = append(names, resource.NewProperty(r.Region+suffix))
			ids = append(ids, resource.NewProperty(id))
		}
		return resource.PropertyMap{
			"id":         resource.NewProperty(r.Region),
			"names":      resource.NewProperty(names),
			"zoneIds":    resource.NewProperty(ids),
			"state":      resource.NewProperty("available"),
			"groupNames": resource.NewProperty([]resource.PropertyValue{resource.NewProperty(r.Region)}),
		}, true
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.PropertyMap{
			"accountId": resource.NewProperty(r.AccountID),
			"arn":       resource.NewProperty(assumedRoleARN(r.Identity)),
			"id":        resource.NewProperty(r.AccountID),
			"userId":    resource.NewProperty("AROAOFFLINE:offline-plan"),
		}, true
	case "aws:iam/getSessionContext:getSessionContext":
		arn := ""
		if v, ok := args["arn"]; ok && v.IsString() {
			arn = v.StringValue()
		}
		out := resource.PropertyMap{"arn": resource.NewProperty(arn), "id": resource.NewProperty(arn), "issuerArn": resource.NewProperty(arn)}
		if arn == assumedRoleARN(r.Identity) {
			out["issuerArn"] = resource.NewProperty(r.Identity)
			out["issuerName"] = resource.NewProperty(r.Identity[strings.LastIndex(r.Identity, "/")+1:])
			out["sessionName"] = resource.NewProperty("offline-plan")
		}
		return out, true
	case "aws:iam/getRoles:getRoles":
		// A fresh account: no role matches (the Auto Scaling service-linked
		// role included, so the plan shows it created).
		return resource.PropertyMap{
			"arns":  resource.NewProperty([]resource.PropertyValue{}),
			"names": resource.NewProperty([]resource.PropertyValue{}),
			"id":    resource.NewProperty("roles"),
		}, true
	case "aws:index/getRegion:getRegion":
		return resource.PropertyMap{
			"name":        resource.NewProperty(r.Region),
			"id":          resource.NewProperty(r.Region),
			"endpoint":    resource.NewProperty("ec2." + r.Region + ".amazonaws.com"),
			"description": resource.NewProperty(r.Region),
		}, true
	case "aws:index/getPartition:getPartition":
		return resource.PropertyMap{
			"partition":        resource.NewProperty("aws"),
			"dnsSuffix":        resource.NewProperty("amazonaws.com"),
			"reverseDnsPrefix": resource.NewProperty("com.amazonaws"),
			"id":               resource.NewProperty("aws"),
		}, true
	}
	_ = args
	return nil, false
}

// assumedRoleARN is the STS ARN of a session of roleARN.
func assumedRoleARN(roleARN string) string {
	i := strings.Index(roleARN, ":role/")
	if i < 0 {
		return roleARN
	}
	name := roleARN[strings.LastIndex(roleARN, "/")+1:]
	return strings.Replace(roleARN[:i], ":iam:", ":sts:", 1) + ":assumed-role/" + name + "/offline-plan"
}

// zoneIDPrefix returns the zone-ID prefix of a region: "use1" for us-east-1,
// "cac1" for ca-central-1, "apne1" for ap-northeast-1.
func zoneIDPrefix(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 {
		return region
	}
	dir := parts[1]
	abbrev := map[string]string{"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw", "central": "c"}[dir]
	if abbrev == "" {
		abbrev = dir[:1]
	}
	return parts[0] + abbrev + parts[2]
}

// zoneLetters returns the letters of a region's availability zones that need
// no opt-in, as AWS has them (us-east-1 has six, us-west-1 two: b and c).
func zoneLetters(region string) []string {
	switch region {
	case "us-east-1":
		return []string{"a", "b", "c", "d", "e", "f"}
	case "us-west-1":
		return []string{"b", "c"}
	case "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1":
		return []string{"a", "b", "c", "d"}[:3+boolToInt(region == "us-west-2" || region == "ap-northeast-1")]
	default:
		return []string{"a", "b", "c"}
	}
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

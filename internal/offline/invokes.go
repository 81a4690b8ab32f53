package offline

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// invoke answers the data sources the program calls. Unknown tokens are an
// error, so a new invoke cannot slip into the program untested.
func invoke(r *Recorder, token string, args resource.PropertyMap) (resource.PropertyMap, bool) {
	switch token {
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		var names, ids []resource.PropertyValue
		for i, suffix := range zoneLetters(r.Region) {
			names = append(names, resource.NewProperty(r.Region+suffix))
			ids = append(ids, resource.NewProperty(fmt.Sprintf("use1-az%d", i+1)))
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
			"arn":       resource.NewProperty(fmt.Sprintf("arn:aws:iam::%s:role/offline", r.AccountID)),
			"id":        resource.NewProperty(r.AccountID),
			"userId":    resource.NewProperty("AROAOFFLINE"),
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

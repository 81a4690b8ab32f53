package offline

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Identity is the AWS principal an offline run assumes it deploys as: what
// getCallerIdentity and getSessionContext answer. With real credentials it
// is whoever runs `pulumi`; offline it is an assumption the plan states.
type Identity struct {
	AccountID string
	// RoleARN is the IAM role the session was issued by, e.g.
	// arn:aws:iam::111122223333:role/platform-deploy-dev.
	RoleARN string
	// Session is the role session name.
	Session string
}

// DefaultIdentity is what component tests run as: a role in the
// documentation account of the tests.
var DefaultIdentity = Identity{
	AccountID: "123456789012",
	RoleARN:   "arn:aws:iam::123456789012:role/offline",
	Session:   "offline",
}

// IdentityFromRole is the session of a role ARN
// ("arn:aws:iam::111122223333:role/path/name"), or an error saying what is
// wrong with it.
func IdentityFromRole(roleARN, session string) (Identity, error) {
	parts := strings.SplitN(roleARN, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") || len(parts[4]) != 12 {
		return Identity{}, fmt.Errorf("%q is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)", roleARN)
	}
	return Identity{AccountID: parts[4], RoleARN: roleARN, Session: session}, nil
}

// RoleName is the role's name, without its path.
func (i Identity) RoleName() string { return lastSegment(i.RoleARN) }

// CallerARN is the ARN getCallerIdentity reports for the role's session:
// arn:aws:sts::<account>:assumed-role/<role name>/<session>.
func (i Identity) CallerARN() string {
	partition := "aws"
	if parts := strings.SplitN(i.RoleARN, ":", 3); len(parts) == 3 {
		partition = parts[1]
	}
	return fmt.Sprintf("arn:%s:sts::%s:assumed-role/%s/%s", partition, i.AccountID, i.RoleName(), i.Session)
}

// UserID is the caller's user ID: the role's unique ID and the session.
func (i Identity) UserID() string { return i.roleID() + ":" + i.Session }

// roleID is a stable role unique ID (AROA and 17 characters).
func (i Identity) roleID() string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(i.RoleARN))
	return fmt.Sprintf("AROA%017X", h.Sum64())[:21]
}

func lastSegment(arn string) string {
	return arn[strings.LastIndex(arn, "/")+1:]
}

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
		id := r.Identity
		return resource.PropertyMap{
			"accountId": resource.NewProperty(id.AccountID),
			"arn":       resource.NewProperty(id.CallerARN()),
			"id":        resource.NewProperty(id.AccountID),
			"userId":    resource.NewProperty(id.UserID()),
		}, true
	case "aws:iam/getSessionContext:getSessionContext":
		// The issuer of an assumed-role session is its role; any other
		// ARN is its own issuer (the data source's documented behavior).
		arn, _ := GetString(args, "arn")
		id := r.Identity
		if arn != id.CallerARN() {
			return resource.PropertyMap{
				"arn": resource.NewProperty(arn), "id": resource.NewProperty(arn),
				"issuerArn": resource.NewProperty(arn), "issuerId": resource.NewProperty(""),
				"issuerName": resource.NewProperty(lastSegment(arn)), "sessionName": resource.NewProperty(""),
			}, true
		}
		return resource.PropertyMap{
			"arn": resource.NewProperty(arn), "id": resource.NewProperty(arn),
			"issuerArn": resource.NewProperty(id.RoleARN), "issuerId": resource.NewProperty(id.roleID()),
			"issuerName": resource.NewProperty(id.RoleName()), "sessionName": resource.NewProperty(id.Session),
		}, true
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
	return nil, false
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

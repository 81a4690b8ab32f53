package offline

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// cacheState computes what AWS returns for the redis component (ElastiCache),
// and what the random provider returns for the passwords, tokens and suffixes
// the components draw (the cache was the first to need them).
var cacheState = map[string]stateFunc{
	"aws:elasticache/replicationGroup:ReplicationGroup": func(r *Recorder, name, id string, s resource.PropertyMap) {
		// replicationGroupId is auto-named (lower case) when not given.
		rgID := str(s, "replicationGroupId")
		if rgID == "" {
			rgID = strings.ToLower(name + "-" + shortHash(name))
			s["replicationGroupId"] = resource.NewProperty(rgID)
		}
		s["arn"] = resource.NewProperty(fmt.Sprintf("arn:aws:elasticache:%s:%s:replicationgroup:%s", r.Region, r.AccountID, rgID))
		host := fmt.Sprintf("%s.%s.%s.cache.amazonaws.com", rgID, shortHash(id)[:6], regionCode(r.Region))
		setDefault(s, "primaryEndpointAddress", resource.NewProperty("master."+host))
		setDefault(s, "readerEndpointAddress", resource.NewProperty("replica."+host))
		setDefault(s, "port", resource.NewProperty(6379.0))
		setDefault(s, "engine", resource.NewProperty("redis"))
		setDefault(s, "clusterEnabled", resource.NewProperty(false))
		setDefault(s, "clusterMode", resource.NewProperty("disabled"))
		if v := str(s, "engineVersion"); v != "" {
			setDefault(s, "engineVersionActual", resource.NewProperty(v+".0"))
		}
		n := 1
		if v, ok := s["numCacheClusters"]; ok && v.IsNumber() {
			n = int(v.NumberValue())
		}
		var members []resource.PropertyValue
		for i := 1; i <= n; i++ {
			members = append(members, resource.NewProperty(fmt.Sprintf("%s-%03d", rgID, i)))
		}
		setDefault(s, "memberClusters", resource.NewProperty(members))
	},
	"aws:elasticache/parameterGroup:ParameterGroup": func(_ *Recorder, _, _ string, s resource.PropertyMap) {
		// ElastiCache stores parameter and subnet group names in lower case.
		s["name"] = resource.NewProperty(strings.ToLower(str(s, "name")))
	},
	"aws:elasticache/subnetGroup:SubnetGroup": func(_ *Recorder, _, _ string, s resource.PropertyMap) {
		s["name"] = resource.NewProperty(strings.ToLower(str(s, "name")))
		setDefault(s, "vpcId", resource.NewProperty("vpc-offline"))
	},
	"random:index/randomPassword:RandomPassword": func(r *Recorder, name, id string, s resource.PropertyMap) {
		randomString(r, name, id, s)
		// The provider declares a password's result secret, so the engine
		// returns it as one.
		s["result"] = resource.MakeSecret(s["result"])
	},
	"random:index/randomString:RandomString": randomString,
	"random:index/randomId:RandomId": func(_ *Recorder, name, _ string, s resource.PropertyMap) {
		n := 8
		if v, ok := s["byteLength"]; ok && v.IsNumber() {
			n = int(v.NumberValue())
		}
		b := stableBytes(name, n)
		prefix := str(s, "prefix")
		s["hex"] = resource.NewProperty(prefix + hex.EncodeToString(b))
		s["b64Url"] = resource.NewProperty(prefix + base64.RawURLEncoding.EncodeToString(b))
		s["b64Std"] = resource.NewProperty(prefix + base64.StdEncoding.EncodeToString(b))
		s["dec"] = resource.NewProperty(prefix + new(big.Int).SetBytes(b).String())
	},
}

// randomString returns a stable value of the requested length from the
// requested character classes.
func randomString(_ *Recorder, name, _ string, s resource.PropertyMap) {
	length := 16
	if v, ok := s["length"]; ok && v.IsNumber() {
		length = int(v.NumberValue())
	}
	alphabet := ""
	for _, class := range []struct{ key, chars string }{
		{"lower", "abcdefghijklmnopqrstuvwxyz"},
		{"upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{"numeric", "0123456789"},
	} {
		if v, ok := s[resource.PropertyKey(class.key)]; !ok || !v.IsBool() || v.BoolValue() {
			alphabet += class.chars
		}
	}
	if v, ok := s["special"]; !ok || !v.IsBool() || v.BoolValue() {
		special := "!@#$%&*()-_=+[]{}<>:?"
		if o := str(s, "overrideSpecial"); o != "" {
			special = o
		}
		alphabet += special
	}
	if alphabet == "" {
		alphabet = "abcdefghijklmnopqrstuvwxyz"
	}
	raw := stableBytes(name, length)
	out := make([]byte, length)
	for i, b := range raw {
		out[i] = alphabet[int(b)%len(alphabet)]
	}
	s["result"] = resource.NewProperty(string(out))
}

// stableBytes derives n bytes from seed, the same on every run.
func stableBytes(seed string, n int) []byte {
	var out []byte
	for i := 0; len(out) < n; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", seed, i)))
		out = append(out, sum[:]...)
	}
	return out[:n]
}

// regionCode shortens a region the way ElastiCache host names do
// ("us-east-1" → "use1").
func regionCode(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 {
		return region
	}
	dir := parts[1]
	if len(dir) > 1 {
		dir = dir[:1]
	}
	return parts[0] + dir + parts[2]
}

package catalog

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// randomString draws a stable value of the requested length from the
// requested character classes: the same on every run, never the same for
// two resources. It is unknown in a preview of a new resource.
func randomString(s *State) {
	length := 16
	if v, ok := Num(s.Props, "length"); ok {
		length = int(v)
	}
	alphabet := ""
	for _, class := range []struct{ key, chars string }{
		{"lower", "abcdefghijklmnopqrstuvwxyz"},
		{"upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{"numeric", "0123456789"},
	} {
		if v, ok := s.Props[resource.PropertyKey(class.key)]; !ok || !v.IsBool() || v.BoolValue() {
			alphabet += class.chars
		}
	}
	if v, ok := s.Props["special"]; !ok || !v.IsBool() || v.BoolValue() {
		special := "!@#$%&*()-_=+[]{}<>:?"
		if o := s.Str("overrideSpecial"); o != "" {
			special = o
		}
		alphabet += special
	}
	if alphabet == "" {
		alphabet = "abcdefghijklmnopqrstuvwxyz"
	}
	raw := stableBytes(s.Name, length)
	out := make([]byte, length)
	for i, b := range raw {
		out[i] = alphabet[int(b)%len(alphabet)]
	}
	s.Computed("result", resource.NewProperty(string(out)))
}

// randomID draws stable bytes and returns them in each encoding.
func randomID(s *State) {
	n := 8
	if v, ok := Num(s.Props, "byteLength"); ok {
		n = int(v)
	}
	b := stableBytes(s.Name, n)
	prefix := s.Str("prefix")
	s.Computed("hex", resource.NewProperty(prefix+hex.EncodeToString(b)))
	s.Computed("b64Url", resource.NewProperty(prefix+base64.RawURLEncoding.EncodeToString(b)))
	s.Computed("b64Std", resource.NewProperty(prefix+base64.StdEncoding.EncodeToString(b)))
	s.Computed("dec", resource.NewProperty(prefix+new(big.Int).SetBytes(b).String()))
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

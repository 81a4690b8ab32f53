package monitoring

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// subscriptionKey names a subscription's resource after its protocol and a
// hash of its endpoint, not its position: removing one subscription from the
// list leaves the others (and their confirmations) alone.
func subscriptionKey(s Subscription) string {
	sum := sha256.Sum256([]byte(s.Endpoint))
	return s.Protocol + "-" + hex.EncodeToString(sum[:])[:8]
}

// cacheClusterID is the ID of a replication group's n-th member cluster
// (1-based), which ElastiCache names "<group>-001", "<group>-002", ... and
// under which it publishes the node's metrics.
func cacheClusterID(group string, n int) string {
	return fmt.Sprintf("%s-%03d", group, n)
}

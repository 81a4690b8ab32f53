package monitoring_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/monitoring"
)

func TestSubscriptionKey(t *testing.T) {
	t.Parallel()
	a := monitoring.Subscription{Protocol: "email", Endpoint: "a@example.com"}
	b := monitoring.Subscription{Protocol: "email", Endpoint: "b@example.com"}
	require.Regexp(t, `^email-[0-9a-f]{8}$`, monitoring.SubscriptionKey(a))
	require.Equal(t, monitoring.SubscriptionKey(a), monitoring.SubscriptionKey(a), "stable across runs")
	require.NotEqual(t, monitoring.SubscriptionKey(a), monitoring.SubscriptionKey(b))
}

func TestCacheClusterID(t *testing.T) {
	t.Parallel()
	require.Equal(t, "cache-1a2b3c4-001", monitoring.CacheClusterID("cache-1a2b3c4", 1))
	require.Equal(t, "cache-1a2b3c4-006", monitoring.CacheClusterID("cache-1a2b3c4", 6))
}

package redis_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/redis"
)

func TestParameterFamily(t *testing.T) {
	t.Parallel()
	tests := []struct {
		engine, version, want, wantErr string
	}{
		{engine: "redis", version: "7.1", want: "redis7"},
		{engine: "redis", version: "7.0", want: "redis7"},
		{engine: "valkey", version: "7.2", want: "valkey7"},
		{engine: "valkey", version: "8.0", want: "valkey8"},
		{engine: "redis", version: "7.1.0", wantErr: `must be major.minor such as "7.1"`},
		{engine: "redis", version: "7.x", wantErr: `must be major.minor`},
		{engine: "redis", version: "", wantErr: `must be major.minor`},
		{engine: "redis", version: "6.2", wantErr: `redis must be 7.0 or 7.1`},
		{engine: "redis", version: "8.0", wantErr: `redis must be 7.0 or 7.1`},
		{engine: "valkey", version: "7.1", wantErr: `valkey must be 7.2 or later`},
		{engine: "memcached", version: "1.6", wantErr: `unknown engine "memcached"`},
	}
	for _, tt := range tests {
		t.Run(tt.engine+"-"+tt.version, func(t *testing.T) {
			t.Parallel()
			got, err := redis.ParameterFamily(tt.engine, tt.version)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestNodeTypeProblem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		nodeType string
		nodes    int
		want     string // "" means acceptable
	}{
		{"cache.t4g.micro", 1, ""},
		{"cache.t4g.small", 3, ""},
		{"cache.r7g.large", 2, ""},
		{"cache.m7g.12xlarge", 6, ""},
		{"cache.t2.micro", 1, ""},
		{"cache.t2.micro", 2, "no automatic failover"},
		{"cache.t1.micro", 1, "cannot keep snapshots"},
		{"cache.r6gd.xlarge", 1, "data-tiering node type"},
		{"t4g.small", 1, "must be an ElastiCache node type"},
		{"cache.t4g", 1, "must be an ElastiCache node type"},
		{"cache.T4G.small", 1, "must be an ElastiCache node type"},
		{"db.t4g.small", 1, "must be an ElastiCache node type"},
		{"cache.t4g.huge", 1, "must be an ElastiCache node type"},
	}
	for _, tt := range tests {
		t.Run(tt.nodeType, func(t *testing.T) {
			t.Parallel()
			got := redis.NodeTypeProblem(tt.nodeType, tt.nodes)
			if tt.want == "" {
				require.Empty(t, got)
				return
			}
			require.Contains(t, got, tt.want)
		})
	}
}

func TestNameProblem(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"cache", "sessions-cache", "c1", strings.Repeat("a", 32)} {
		require.Empty(t, redis.NameProblem(ok), ok)
	}
	for _, bad := range []string{"", "Cache", "1cache", "cache-", "ca--che", "ca_che", strings.Repeat("a", 33)} {
		require.Contains(t, redis.NameProblem(bad), "lower-case letters, digits and single hyphens", bad)
	}
}

func TestFinalSnapshotName(t *testing.T) {
	t.Parallel()
	tests := []struct{ physical, suffix, want string }{
		{"platform-prod-cache", "1a2b3c4d", "platform-prod-cache-final-1a2b3c4d"},
		{"platform-my_stack.v2-cache", "00ff", "platform-my-stack-v2-cache-final-00ff"},
		{"Platform--Dev-cache-", "ab", "platform-dev-cache-final-ab"},
		{"1-cache", "ab", "cache-1-cache-final-ab"},
		{"", "ab", "cache-final-ab"},
	}
	for _, tt := range tests {
		got := redis.FinalSnapshotName(tt.physical, tt.suffix)
		require.Equal(t, tt.want, got)
		require.NotContains(t, got, "--")
	}
	long := redis.FinalSnapshotName(strings.Repeat("a", 300), "12345678")
	require.LessOrEqual(t, len(long), 255, "ElastiCache snapshot names are at most 255 characters")
}

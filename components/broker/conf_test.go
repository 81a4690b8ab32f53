package broker_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/broker"
)

// The configuration versioned in the repository is one Amazon MQ accepts.
func TestRepositoryConfIsAccepted(t *testing.T) {
	t.Parallel()
	conf, err := broker.ParseConf(broker.RabbitMQConf)
	require.NoError(t, err)
	require.Equal(t, "1800000", conf["consumer_timeout"], "unacknowledged deliveries time out after 30 minutes")
	require.Equal(t, "60", conf["heartbeat"])
	require.Equal(t, "true", conf["management.restrictions.operator_policy_changes.disabled"])
}

func TestParseConfRejects(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, data, wantErr string }{
		{"unknown key", "vm_memory_high_watermark.relative = 0.6", `line 1: Amazon MQ does not accept the key "vm_memory_high_watermark.relative"`},
		{"no value", "# c\n\nheartbeat =", `line 3: want "key = value", got "heartbeat ="`},
		{"no equals", "heartbeat 60", `line 1: want "key = value"`},
		{"heartbeat too short", "heartbeat = 10", `line 1: heartbeat must be a whole number between 60 and 3600, got "10"`},
		{"timeout not a number", "consumer_timeout = 30m", `consumer_timeout must be a whole number between 0 and 2147483647, got "30m"`},
		{"not a boolean", "secure.management.http.headers.enabled = yes", `must be true or false, got "yes"`},
		{"twice", "heartbeat = 60\nheartbeat = 120", `line 2: "heartbeat" is set twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := broker.ParseConf(tt.data)
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
	conf, err := broker.ParseConf("  consumer_timeout=0  \n# comment = ignored\n")
	require.NoError(t, err)
	require.Equal(t, map[string]string{"consumer_timeout": "0"}, conf)
}

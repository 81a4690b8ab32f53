package broker_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/mq"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/broker"
)

func subnetList(n int) []pulumi.StringInput {
	var out []pulumi.StringInput
	for i := range n {
		out = append(out, pulumi.String(string(rune('a'+i))))
	}
	return out
}

func TestSubnetsFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode    string
		have    int
		want    int
		wantErr string
	}{
		{broker.SingleInstance, 1, 1, ""},
		{broker.SingleInstance, 3, 1, ""},
		{broker.ClusterMultiAZ, 3, 3, ""},
		{broker.ClusterMultiAZ, 6, 3, ""},
		{broker.SingleInstance, 0, 0, "subnetIds: deploymentMode SINGLE_INSTANCE needs 1 private subnets in different zones, got 0"},
		{broker.ClusterMultiAZ, 2, 0, "subnetIds: deploymentMode CLUSTER_MULTI_AZ needs 3 private subnets in different zones, got 2"},
		{"ACTIVE_STANDBY_MULTI_AZ", 2, 0, `deploymentMode: unknown deployment mode "ACTIVE_STANDBY_MULTI_AZ"`},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			have := subnetList(tt.have)
			got, err := broker.SubnetsFor(tt.mode, have)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, have[:tt.want], got, "the first subnets, in zone order")
		})
	}
	_, err := broker.SubnetsFor(broker.SingleInstance, []pulumi.StringInput{nil})
	require.EqualError(t, err, "subnetIds[0]: is nil")
}

func TestAMQPSEndpointsAndConsole(t *testing.T) {
	t.Parallel()
	console := "https://b-1.mq.eu-west-1.amazonaws.com"
	insts := []mq.BrokerInstance{
		{ConsoleUrl: &console, Endpoints: []string{"amqps://b-1.mq.eu-west-1.amazonaws.com:5671", "wss://b-1:61619"}},
		{Endpoints: []string{"amqps://b-1.mq.eu-west-1.amazonaws.com:5671", "amqps://b-2.mq.eu-west-1.amazonaws.com:5671"}},
	}
	require.Equal(t, []string{"amqps://b-1.mq.eu-west-1.amazonaws.com:5671", "amqps://b-2.mq.eu-west-1.amazonaws.com:5671"}, broker.AMQPSEndpoints(insts))
	require.Equal(t, []string{}, broker.AMQPSEndpoints(nil), "empty, not nil, before the broker reports any")
	require.Equal(t, console, broker.ConsoleURL(insts))
	require.Empty(t, broker.ConsoleURL(insts[1:]))
}

func TestHost(t *testing.T) {
	t.Parallel()
	h, err := broker.Host("amqps://b-1.mq.eu-west-1.amazonaws.com:5671")
	require.NoError(t, err)
	require.Equal(t, "b-1.mq.eu-west-1.amazonaws.com", h)
	for _, bad := range []string{"", "b-1.mq.eu-west-1.amazonaws.com:5671", "https://b-1.mq.eu-west-1.amazonaws.com", "amqps://:5671"} {
		_, err := broker.Host(bad)
		require.ErrorContains(t, err, "not an amqps:// endpoint", bad)
	}
}

func TestGeneralLogGroupName(t *testing.T) {
	t.Parallel()
	require.Equal(t, "/aws/amazonmq/broker/b-1234/general", broker.GeneralLogGroupName("b-1234"))
}

package cluster_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/cluster"
)

// kubeconfig is the part of a kubeconfig the tests read.
type kubeconfig struct {
	APIVersion     string `json:"apiVersion"`
	Kind           string `json:"kind"`
	CurrentContext string `json:"current-context"`
	Clusters       []struct {
		Name    string
		Cluster struct {
			Server string `json:"server"`
			CAData string `json:"certificate-authority-data"`
		}
	}
	Contexts []struct {
		Name    string
		Context struct{ Cluster, User string }
	}
	Users []struct {
		Name string
		User map[string]json.RawMessage
	}
}

type execConfig struct {
	APIVersion      string   `json:"apiVersion"`
	Command         string   `json:"command"`
	Args            []string `json:"args"`
	InteractiveMode string   `json:"interactiveMode"`
}

func parseKubeconfig(t *testing.T, doc string) (kubeconfig, execConfig) {
	t.Helper()
	var kc kubeconfig
	require.NoError(t, json.Unmarshal([]byte(doc), &kc))
	require.Len(t, kc.Users, 1)
	require.Len(t, kc.Users[0].User, 1, "the user has exec and nothing else (no token, no client key)")
	var ex execConfig
	require.NoError(t, json.Unmarshal(kc.Users[0].User["exec"], &ex))
	return kc, ex
}

func TestRenderKubeconfigUsesExecAuthentication(t *testing.T) {
	t.Parallel()
	doc, err := cluster.RenderKubeconfig(cluster.KubeconfigArgs{
		ClusterName:          "platform-dev-eks",
		Endpoint:             "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
		CertificateAuthority: "Q0E=",
		Region:               "eu-west-1",
	})
	require.NoError(t, err)
	kc, ex := parseKubeconfig(t, doc)
	require.Equal(t, "v1", kc.APIVersion)
	require.Equal(t, "Config", kc.Kind)
	require.Equal(t, "platform-dev-eks", kc.CurrentContext)
	require.Equal(t, "https://ABC.gr7.eu-west-1.eks.amazonaws.com", kc.Clusters[0].Cluster.Server)
	require.Equal(t, "Q0E=", kc.Clusters[0].Cluster.CAData)
	require.Equal(t, "platform-dev-eks", kc.Contexts[0].Context.User)
	require.Equal(t, "client.authentication.k8s.io/v1beta1", ex.APIVersion)
	require.Equal(t, "aws", ex.Command)
	require.Equal(t, []string{"eks", "get-token", "--cluster-name", "platform-dev-eks", "--region", "eu-west-1", "--output", "json"}, ex.Args)
	require.Equal(t, "Never", ex.InteractiveMode)
	require.NotContains(t, strings.ToLower(doc), "token\":", "no static token")
}

func TestRenderKubeconfigNeedsEveryFact(t *testing.T) {
	t.Parallel()
	_, err := cluster.RenderKubeconfig(cluster.KubeconfigArgs{ClusterName: "c", Endpoint: "https://x", Region: "us-east-1"})
	require.ErrorContains(t, err, "certificate authority")
}

package offline

import (
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// fakeCA is what the offline cluster presents as its certificate authority:
// a PEM shape, not a real certificate.
const fakeCA = "-----BEGIN CERTIFICATE-----\nTUlJT0ZGTElORUVLU0NMVVNURVJDQQ==\n-----END CERTIFICATE-----\n"

// clusterState computes what AWS returns for the cluster component (EKS, IAM, Kubernetes).
var clusterState = map[string]stateFunc{
	// A local command's output is what it printed; the commands the
	// cluster runs print nothing the program reads but "ready".
	"command:local:Command": func(_ *Recorder, _, _ string, s resource.PropertyMap) {
		out := ""
		if strings.HasSuffix(str(s, "create"), "echo ready") {
			out = "ready"
		}
		setDefault(s, "stdout", resource.NewProperty(out))
		setDefault(s, "stderr", resource.NewProperty(""))
	},
	"aws:iam/serviceLinkedRole:ServiceLinkedRole": func(r *Recorder, _, _ string, s resource.PropertyMap) {
		svc := str(s, "awsServiceName")
		s["arn"] = resource.NewProperty(r.ARN("iam", "role/aws-service-role/"+svc+"/AWSServiceRoleForAutoScaling"))
		s["name"] = resource.NewProperty("AWSServiceRoleForAutoScaling")
	},
	"aws:eks/cluster:Cluster": func(r *Recorder, name, id string, s resource.PropertyMap) {
		clusterName := str(s, "name")
		if clusterName == "" {
			clusterName = name
			setDefault(s, "name", resource.NewProperty(clusterName))
		}
		hash := hashOf(clusterName)
		s["arn"] = resource.NewProperty(r.ARN("eks", "cluster/"+clusterName))
		setDefault(s, "endpoint", resource.NewProperty(fmt.Sprintf("https://%s.gr7.%s.eks.amazonaws.com", hash, r.Region)))
		ca := resource.NewProperty(resource.PropertyMap{
			"data": resource.NewProperty(base64.StdEncoding.EncodeToString([]byte(fakeCA))),
		})
		setDefault(s, "certificateAuthority", ca)
		setDefault(s, "certificateAuthorities", resource.NewProperty([]resource.PropertyValue{ca}))
		setDefault(s, "identities", resource.NewProperty([]resource.PropertyValue{
			resource.NewProperty(resource.PropertyMap{
				"oidcs": resource.NewProperty([]resource.PropertyValue{
					resource.NewProperty(resource.PropertyMap{
						"issuer": resource.NewProperty(fmt.Sprintf("https://oidc.eks.%s.amazonaws.com/id/%s", r.Region, hash)),
					}),
				}),
			}),
		}))
		if v, ok := s["vpcConfig"]; ok && v.IsObject() {
			vc := v.ObjectValue().Copy()
			setDefault(vc, "clusterSecurityGroupId", resource.NewProperty("sg-eks-"+strings.ToLower(hash[:12])))
			setDefault(vc, "vpcId", resource.NewProperty("vpc-offline"))
			s["vpcConfig"] = resource.NewProperty(vc)
		}
		setDefault(s, "version", resource.NewProperty("1.33"))
		setDefault(s, "platformVersion", resource.NewProperty("eks.1"))
		setDefault(s, "status", resource.NewProperty("ACTIVE"))
		setDefault(s, "clusterId", resource.NewProperty(id))
	},
	"aws:iam/openIdConnectProvider:OpenIdConnectProvider": func(r *Recorder, _, _ string, s resource.PropertyMap) {
		url := strings.TrimPrefix(str(s, "url"), "https://")
		s["arn"] = resource.NewProperty(r.ARN("iam", "oidc-provider/"+url))
	},
	"aws:eks/nodeGroup:NodeGroup": func(_ *Recorder, name, _ string, s resource.PropertyMap) {
		setDefault(s, "nodeGroupName", resource.NewProperty(name))
		setDefault(s, "status", resource.NewProperty("ACTIVE"))
		setDefault(s, "resources", resource.NewProperty([]resource.PropertyValue{
			resource.NewProperty(resource.PropertyMap{
				"autoscalingGroups": resource.NewProperty([]resource.PropertyValue{
					resource.NewProperty(resource.PropertyMap{
						"name": resource.NewProperty("eks-" + name + "-" + hashOf(name)[:8]),
					}),
				}),
			}),
		}))
	},
	"aws:ec2/launchTemplate:LaunchTemplate": func(_ *Recorder, _, _ string, s resource.PropertyMap) {
		setDefault(s, "latestVersion", resource.NewProperty(1.0))
		setDefault(s, "defaultVersion", resource.NewProperty(1.0))
	},
	"aws:eks/addon:Addon": func(r *Recorder, _, _ string, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(r.ARN("eks", "addon/"+str(s, "clusterName")+"/"+str(s, "addonName")+"/offline"))
	},
}

// hashOf returns a stable upper-case hex string derived from s, shaped like
// the IDs EKS puts in endpoints and issuer URLs.
func hashOf(s string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	v := h.Sum64()
	return strings.ToUpper(fmt.Sprintf("%016X%016X", v, v^0x9E3779B97F4A7C15))
}

package catalog

// EKSAddonVersions are the newest build of each EKS add-on the platform
// installs, per Kubernetes minor version. Sources, the EKS user guide's
// "latest version of the Amazon EKS add-on type for each Kubernetes version"
// tables: kube-proxy v1.35.3-eksbuild.13 and CoreDNS v1.14.3-eksbuild.3
// (managing-kube-proxy and managing-coredns, their 1.35 rows); the VPC CNI
// table lists v1.20.4-eksbuild.1 for every version it covers (CNI builds are
// not tied to a Kubernetes minor); the Pod Identity agent and the EBS CSI
// driver are the builds their projects release for every supported
// Kubernetes version (aws-ebs-csi-driver README: "compatible with all
// Kubernetes versions supported by ... Amazon EKS"). With real credentials
// the preflight asks EKS itself (eks.GetAddonVersion, mostRecent) instead;
// offline, the mock answers from this table.
var EKSAddonVersions = map[string]map[string]string{
	"1.35": {
		"vpc-cni":                "v1.20.4-eksbuild.1",
		"kube-proxy":             "v1.35.3-eksbuild.13",
		"eks-pod-identity-agent": "v1.3.8-eksbuild.2",
		"coredns":                "v1.14.3-eksbuild.3",
		"aws-ebs-csi-driver":     "v1.48.0-eksbuild.1",
	},
}

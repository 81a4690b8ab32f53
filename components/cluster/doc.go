// Package cluster provides the platform's EKS cluster in two components.
//
// Cluster (platform:compute:Cluster) is everything on the AWS side: a
// private control plane (public endpoint only by explicit CIDR list) with
// Kubernetes secrets envelope-encrypted under a customer-managed key, all
// five control-plane log types in an encrypted log group with retention,
// API-mode access entries for the configured admin roles and nobody else,
// the OIDC provider for IAM roles for service accounts, pinned managed
// add-ons (vpc-cni and the EBS CSI driver with their own IRSA roles), a node
// security group, and managed AL2023 node groups whose launch templates
// require IMDSv2 and encrypt the root volume under a second key. When the
// Cluster Autoscaler is enabled, node groups ignore desiredSize after
// creation and the autoscaler gets a role that can only resize this
// cluster's tagged groups.
//
// System (platform:compute:ClusterSystem) is the in-cluster layer, created
// with the Kubernetes provider the stack builds from Cluster.Kubeconfig
// (exec authentication, no static token): the platform-system namespace and
// the workload namespaces under the "restricted" Pod Security Standard, the
// Cluster Autoscaler and metrics-server Helm releases, and the default
// encrypted gp3 StorageClass. Components never build providers, hence two.
package cluster

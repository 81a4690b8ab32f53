package offline

// clusterState computes what AWS returns for the cluster component (EKS, IAM, Kubernetes).
var clusterState = map[string]stateFunc{}

package cluster

// What the package's external tests (package cluster_test) reach that the
// program has no use for outside the package.

const (
	AccessPropagationSeconds = accessPropagationSeconds
	SafeToEvictLocalVolumes  = safeToEvictLocalVolumes
	SystemTypeToken          = systemTypeToken
	TypeToken                = typeToken
)

type KubeconfigArgs = kubeconfigArgs

var (
	AddressCount              = addressCount
	AutoScalingServiceRoleARN = autoScalingServiceRoleARN
	AutoscalerPolicy          = autoscalerPolicy
	AutoscalerTags            = autoscalerTags
	ClusterAdminPolicyARN     = clusterAdminPolicyARN
	ClusterKeyPolicy          = clusterKeyPolicy
	LogGroupName              = logGroupName
	LogTypes                  = logTypes
	LookupVersion             = lookupVersion
	NodeTrust                 = nodeTrust
	RenderKubeconfig          = renderKubeconfig
	ValidClusterName          = validClusterName
	VersionsAsOf              = versionsAsOf
	VolumeKeyStatements       = volumeKeyStatements
	VolumeKeyUserPolicy       = volumeKeyUserPolicy
)

func (a APIAccess) HasPath() bool { return a.hasPath() }

func (g NodeGroup) Desired() int { return g.desired() }

package catalog

import (
	"maps"
	"slices"
	"strings"
)

// Architectures of EC2 instance types, as EC2 DescribeInstanceTypes reports
// them (ProcessorInfo.SupportedArchitectures) and as the EKS AMI types need
// them (AL2023_x86_64_* on x86_64, AL2023_ARM_64_* on arm64).
const (
	X86 = "x86_64"
	ARM = "arm64"
)

// ec2Families are the general-purpose, compute and memory families the
// node groups may use, with their architecture: Graviton families (a "g" in
// the generation suffix) are arm64, the Intel and AMD ones x86_64. Source:
// Amazon EC2 Instance Types guide, "Specifications for general purpose /
// compute optimized / memory optimized instances".
var ec2Families = map[string]string{
	"t3": X86, "t3a": X86, "t4g": ARM,
	"m5": X86, "m5a": X86, "m6i": X86, "m6a": X86, "m7i": X86, "m7a": X86, "m8i": X86, "m6g": ARM, "m7g": ARM, "m8g": ARM,
	"c5": X86, "c5a": X86, "c6i": X86, "c6a": X86, "c7i": X86, "c7a": X86, "c6g": ARM, "c7g": ARM, "c8g": ARM,
	"r5": X86, "r5a": X86, "r6i": X86, "r6a": X86, "r7i": X86, "r7a": X86, "r6g": ARM, "r7g": ARM, "r8g": ARM,
}

// burstableSizes and standardSizes are the sizes of those families (the T
// families from nano, the others from large; same guide).
var (
	burstableSizes = []string{"nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"}
	standardSizes  = []string{"medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge", "48xlarge", "metal"}
)

// EC2Architecture returns the architecture of an instance type the table
// knows, and whether it knows it.
func EC2Architecture(instanceType string) (string, bool) {
	family, size, ok := strings.Cut(instanceType, ".")
	if !ok {
		return "", false
	}
	arch, ok := ec2Families[family]
	if !ok {
		return "", false
	}
	sizes := standardSizes
	if strings.HasPrefix(family, "t") {
		sizes = burstableSizes
	}
	if !slices.Contains(sizes, size) {
		return "", false
	}
	return arch, true
}

// RDSClass is a DB instance class and its memory.
type RDSClass struct {
	Name      string
	MemoryGiB float64
}

// rdsFamilies are the classes RDS for PostgreSQL runs on, with the memory of
// their large size (each size up doubles it). Source: Amazon RDS User Guide,
// "Hardware specifications for DB instance classes" and "Supported DB
// engines for DB instance classes" (PostgreSQL column).
var rdsFamilies = map[string]struct {
	sizes    []string
	largeGiB float64
}{
	"db.t3":  {[]string{"micro", "small", "medium", "large", "xlarge", "2xlarge"}, 8},
	"db.t4g": {[]string{"micro", "small", "medium", "large", "xlarge", "2xlarge"}, 8},
	"db.m5":  {[]string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"}, 8},
	"db.m6i": {[]string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"}, 8},
	"db.m6g": {[]string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"}, 8},
	"db.m7g": {[]string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"}, 8},
	"db.m7i": {[]string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"}, 8},
	"db.r5":  {[]string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"}, 16},
	"db.r6i": {[]string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"}, 16},
	"db.r6g": {[]string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"}, 16},
	"db.r7g": {[]string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"}, 16},
	"db.r7i": {[]string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"}, 16},
}

// sizeFactor is a size's memory relative to large.
var sizeFactor = map[string]float64{
	"nano": 1.0 / 16, "micro": 1.0 / 8, "small": 1.0 / 4, "medium": 1.0 / 2, "large": 1, "xlarge": 2, "2xlarge": 4,
	"4xlarge": 8, "8xlarge": 16, "12xlarge": 24, "16xlarge": 32, "24xlarge": 48, "32xlarge": 64, "48xlarge": 96,
}

// LookupRDSClass returns a PostgreSQL DB instance class the table knows.
func LookupRDSClass(class string) (RDSClass, bool) {
	i := strings.LastIndex(class, ".")
	if i < 0 {
		return RDSClass{}, false
	}
	fam, ok := rdsFamilies[class[:i]]
	if !ok || !slices.Contains(fam.sizes, class[i+1:]) {
		return RDSClass{}, false
	}
	return RDSClass{Name: class, MemoryGiB: fam.largeGiB * sizeFactor[class[i+1:]]}, true
}

// RDSMaxConnections is RDS for PostgreSQL's default max_connections for a
// class: LEAST({DBInstanceClassMemory/9531392}, 5000) (Amazon RDS User
// Guide, "Maximum number of database connections"). DBInstanceClassMemory
// is somewhat below the class's memory, so this is an upper bound.
func RDSMaxConnections(c RDSClass) int {
	n := int(c.MemoryGiB * (1 << 30) / 9531392)
	return min(n, 5000)
}

// PostgresMajors are the PostgreSQL major versions RDS offers new instances
// of (Amazon RDS User Guide, "Supported PostgreSQL major versions on Amazon
// RDS", release calendar).
var PostgresMajors = []int{13, 14, 15, 16, 17, 18}

// CacheNode is an ElastiCache node type and its memory.
type CacheNode struct {
	Name      string
	MemoryGiB float64
}

// cacheNodes are the current-generation node types. Source: Amazon
// ElastiCache User Guide, "Supported node types" (memory column).
var cacheNodes = map[string]float64{
	"cache.t3.micro": 0.5, "cache.t3.small": 1.37, "cache.t3.medium": 3.09,
	"cache.t4g.micro": 0.5, "cache.t4g.small": 1.37, "cache.t4g.medium": 3.09,
	"cache.m5.large": 6.38, "cache.m5.xlarge": 12.93, "cache.m5.2xlarge": 26.04, "cache.m5.4xlarge": 52.26,
	"cache.m6g.large": 6.38, "cache.m6g.xlarge": 12.93, "cache.m6g.2xlarge": 26.04, "cache.m6g.4xlarge": 52.26,
	"cache.m7g.large": 6.38, "cache.m7g.xlarge": 12.93, "cache.m7g.2xlarge": 26.04, "cache.m7g.4xlarge": 52.26,
	"cache.r5.large": 13.07, "cache.r5.xlarge": 26.32, "cache.r5.2xlarge": 52.82, "cache.r5.4xlarge": 105.81,
	"cache.r6g.large": 13.07, "cache.r6g.xlarge": 26.32, "cache.r6g.2xlarge": 52.82, "cache.r6g.4xlarge": 105.81,
	"cache.r7g.large": 13.07, "cache.r7g.xlarge": 26.32, "cache.r7g.2xlarge": 52.82, "cache.r7g.4xlarge": 105.81,
}

// LookupCacheNode returns an ElastiCache node type the table knows.
func LookupCacheNode(nodeType string) (CacheNode, bool) {
	m, ok := cacheNodes[nodeType]
	return CacheNode{Name: nodeType, MemoryGiB: m}, ok
}

// CacheEngineVersions are the engine versions ElastiCache offers, per engine
// (Amazon ElastiCache User Guide, "Supported engines and versions").
var CacheEngineVersions = map[string][]string{
	"redis":  {"6.2", "7.0", "7.1"},
	"valkey": {"7.2", "8.0", "8.1"},
}

// MQInstance is an Amazon MQ broker instance type for RabbitMQ: the engine
// versions it runs and whether it can be a cluster.
type MQInstance struct {
	Name     string
	Versions []string
	Cluster  bool
}

// mqInstances are the RabbitMQ broker instance types. Source: Amazon MQ
// Developer Guide, "Broker instance types" (RabbitMQ) and "Amazon MQ for
// RabbitMQ version management": mq.t3.micro runs single-instance brokers
// only; RabbitMQ 4.2 runs on mq.m7g only.
var mqInstances = map[string]MQInstance{
	"mq.t3.micro":     {"mq.t3.micro", []string{"3.13"}, false},
	"mq.m5.large":     {"mq.m5.large", []string{"3.13"}, true},
	"mq.m5.xlarge":    {"mq.m5.xlarge", []string{"3.13"}, true},
	"mq.m5.2xlarge":   {"mq.m5.2xlarge", []string{"3.13"}, true},
	"mq.m5.4xlarge":   {"mq.m5.4xlarge", []string{"3.13"}, true},
	"mq.m7g.medium":   {"mq.m7g.medium", []string{"3.13", "4.2"}, false},
	"mq.m7g.large":    {"mq.m7g.large", []string{"3.13", "4.2"}, true},
	"mq.m7g.xlarge":   {"mq.m7g.xlarge", []string{"3.13", "4.2"}, true},
	"mq.m7g.2xlarge":  {"mq.m7g.2xlarge", []string{"3.13", "4.2"}, true},
	"mq.m7g.4xlarge":  {"mq.m7g.4xlarge", []string{"3.13", "4.2"}, true},
	"mq.m7g.8xlarge":  {"mq.m7g.8xlarge", []string{"3.13", "4.2"}, true},
	"mq.m7g.12xlarge": {"mq.m7g.12xlarge", []string{"3.13", "4.2"}, true},
	"mq.m7g.16xlarge": {"mq.m7g.16xlarge", []string{"3.13", "4.2"}, true},
}

// LookupMQInstance returns a RabbitMQ broker instance type the table knows.
func LookupMQInstance(t string) (MQInstance, bool) {
	m, ok := mqInstances[t]
	return m, ok
}

// MQInstances returns every RabbitMQ broker instance type, sorted.
func MQInstances() []MQInstance {
	out := make([]MQInstance, 0, len(mqInstances))
	for _, k := range slices.Sorted(maps.Keys(mqInstances)) {
		out = append(out, mqInstances[k])
	}
	return out
}

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

// Accelerators an EKS AMI type needs on the instance: the NVIDIA AMIs run
// on NVIDIA GPU instances, the Neuron AMI on Inferentia and Trainium.
const (
	NVIDIA = "nvidia"
	Neuron = "neuron"
)

// EC2Type is an EC2 instance type the node groups may use.
type EC2Type struct {
	Name string
	// Arch is X86 or ARM, ProcessorInfo.SupportedArchitectures.
	Arch string
	// Accelerator is NVIDIA, Neuron or "" (none).
	Accelerator string
}

var (
	tSizes      = []string{"nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"}
	gravitonG2  = []string{"medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"}
	gravitonG4  = []string{"medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge", "metal-24xl", "metal-48xl"}
	intel5      = []string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "metal"}
	amd5        = []string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"}
	intel6      = []string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge", "metal"}
	amd6        = []string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge", "48xlarge", "metal"}
	intel7      = []string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge", "metal-24xl", "metal-48xl"}
	amd7        = []string{"medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge", "48xlarge", "metal-48xl"}
	c5Sizes     = []string{"large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge", "metal"}
	nvidiaSizes = []string{"xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"}
	g4dnSizes   = []string{"xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"}
	g5gSizes    = []string{"xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge", "metal"}
)

// ec2Families are the instance families the node groups may use, with
// their architecture, accelerator and sizes: general purpose (T, M),
// compute optimized (C), memory optimized (R), and the accelerated families
// the NVIDIA and Neuron AMI types are for. Sources: Amazon EC2 Instance
// Types guide, "Specifications for Amazon EC2 general purpose / compute
// optimized / memory optimized / accelerated computing instances" (instance
// sizes, processor architecture, accelerators), as of AsOf.
var ec2Families = map[string]struct {
	arch, accel string
	sizes       []string
}{
	"t3": {X86, "", tSizes}, "t3a": {X86, "", tSizes}, "t4g": {ARM, "", tSizes},
	"m5": {X86, "", intel5}, "m5a": {X86, "", amd5}, "m6i": {X86, "", intel6}, "m6a": {X86, "", amd6},
	"m7i": {X86, "", intel7}, "m7a": {X86, "", amd7}, "m6g": {ARM, "", gravitonG2}, "m7g": {ARM, "", gravitonG2}, "m8g": {ARM, "", gravitonG4},
	"c5": {X86, "", c5Sizes}, "c5a": {X86, "", amd5}, "c6i": {X86, "", intel6}, "c6a": {X86, "", amd6},
	"c7i": {X86, "", intel7}, "c7a": {X86, "", amd7}, "c6g": {ARM, "", gravitonG2}, "c7g": {ARM, "", gravitonG2}, "c8g": {ARM, "", gravitonG4},
	"r5": {X86, "", intel5}, "r5a": {X86, "", amd5}, "r6i": {X86, "", intel6}, "r6a": {X86, "", amd6},
	"r7i": {X86, "", intel7}, "r7a": {X86, "", amd7}, "r6g": {ARM, "", gravitonG2}, "r7g": {ARM, "", gravitonG2}, "r8g": {ARM, "", gravitonG4},
	"g4dn": {X86, NVIDIA, g4dnSizes}, "g5": {X86, NVIDIA, nvidiaSizes}, "g6": {X86, NVIDIA, nvidiaSizes},
	"g5g": {ARM, NVIDIA, g5gSizes}, "p4d": {X86, NVIDIA, []string{"24xlarge"}}, "p5": {X86, NVIDIA, []string{"48xlarge"}},
	"inf2": {X86, Neuron, []string{"xlarge", "8xlarge", "24xlarge", "48xlarge"}}, "trn1": {X86, Neuron, []string{"2xlarge", "32xlarge"}},
}

// LookupEC2 returns an instance type the table knows.
func LookupEC2(instanceType string) (EC2Type, bool) {
	family, size, ok := strings.Cut(instanceType, ".")
	if !ok {
		return EC2Type{}, false
	}
	f, ok := ec2Families[family]
	if !ok || !slices.Contains(f.sizes, size) {
		return EC2Type{}, false
	}
	return EC2Type{Name: instanceType, Arch: f.arch, Accelerator: f.accel}, true
}

// EC2Families lists the families LookupEC2 knows, sorted.
func EC2Families() []string { return slices.Sorted(maps.Keys(ec2Families)) }

// AMIRequirement is what an EKS AMI type needs of the instance type:
// its architecture, and an accelerator or none in particular. Source: Amazon
// EKS API reference, Nodegroup amiType, and the EKS User Guide, "Create
// nodes with optimized Amazon Linux AMIs" (x86_64 AMIs on x86_64 types,
// ARM_64 on Graviton; NVIDIA on GPU instances; NEURON on Inferentia and
// Trainium).
func AMIRequirement(amiType string) (arch, accel string) {
	switch {
	case strings.Contains(amiType, "ARM_64"):
		arch = ARM
	default:
		arch = X86
	}
	switch {
	case strings.HasSuffix(amiType, "_NVIDIA"):
		accel = NVIDIA
	case strings.HasSuffix(amiType, "_NEURON"):
		accel = Neuron
	}
	return arch, accel
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

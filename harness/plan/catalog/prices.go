package catalog

// The monthly on-demand price table of the cost estimate: AWS list prices,
// Linux, no reserved capacity, savings plans, free tier or credits. A month
// is 730 hours, as on AWS's own pricing pages and calculator.
//
// Each group of prices names the AWS pricing page it comes from, the date it
// is known to hold and on what basis. The estimate's price date is the
// oldest of the groups it used.
// A type, class or region missing here is reported as unpriced, never
// guessed. To update: check the page, change the price, change the date.

// HoursPerMonth is AWS's convention for monthly figures.
const HoursPerMonth = 730

// PriceSource is where one group of prices comes from.
type PriceSource struct {
	Group string // "ec2"
	Page  string // the AWS pricing page to check them against
	// AsOf is the date the prices are known to hold: that of the most
	// recent dated source read that states them. Where no dated source
	// was found it is the date the prices were entered, and Basis says so.
	AsOf  string
	Basis string
}

// entered is the date the prices without a dated second source were
// entered, from the AWS pages as known to their author.
const entered = "2026-12-03"

// Sources are the pages of the price table, by group.
var Sources = map[string]PriceSource{
	"eks": {
		Group: "eks", Page: "https://aws.amazon.com/eks/pricing/", AsOf: "2026-04-01",
		Basis: "$0.10 per cluster-hour in standard support, $0.60 in extended support from the April 2024 billing cycle " +
			"(AWS Containers blog, \"Amazon EKS extended support for Kubernetes versions pricing\"); the same rates " +
			"in cloudburn.io's \"Amazon EKS pricing\" (2026-04-01, US East rates of March 2026)",
	},
	"vpc": {
		Group: "vpc", Page: "https://aws.amazon.com/vpc/pricing/", AsOf: "2026-02-24",
		Basis: "NAT gateway $0.045/h and $0.045/GB processed, public IPv4 address $0.005/h (charged since 2024-02-01): " +
			"cloudburn.io \"AWS NAT Gateway pricing\" (2026-02-24); US West (Oregon) at the same rates in " +
			"cloudpipelines \"AWS NAT Gateway pricing 2026\"",
	},
	"privatelink": {
		Group: "privatelink", Page: "https://aws.amazon.com/privatelink/pricing/", AsOf: "2026-06-13",
		Basis: "billed per endpoint per Availability Zone-hour (the AWS page); $0.01 per AZ-hour and $0.01/GB for the " +
			"first PB in factualminds.com \"Amazon VPC pricing\" (2026-06-13)",
	},
	"ec2": {
		Group: "ec2", Page: "https://aws.amazon.com/ec2/pricing/on-demand/", AsOf: "2026-04-17",
		Basis: "Linux on-demand rates of us-east-1; t3.medium $0.0416/h and t3.large $0.0832/h in hacecuentas.com's " +
			"EC2 calculator (reviewed 2026-04-17 against the AWS page), m7g.large $0.0816/h in factualminds.com " +
			"(2026-06-17); the other types as listed on the AWS page when entered (" + entered + "). Spot: " +
			"\"up to 90% off\" On-Demand (https://aws.amazon.com/ec2/spot/pricing/) and a Spot request's default " +
			"maximum price is the On-Demand price, hence a range from 10% to 100% of On-Demand",
	},
	"ebs": {
		Group: "ebs", Page: "https://aws.amazon.com/ebs/pricing/", AsOf: entered,
		Basis: "gp3 $0.08 per GB-month in us-east-1 and us-west-2 with 3,000 IOPS and 125 MB/s included, as listed " +
			"on the AWS page when entered; no dated second source found",
	},
	"rds": {
		Group: "rds", Page: "https://aws.amazon.com/rds/postgresql/pricing/", AsOf: "2026-06-01",
		Basis: "RDS for PostgreSQL Single-AZ on-demand rates of us-east-1: db.t4g.micro $0.016/h, db.t4g.small " +
			"$0.032/h, db.t4g.medium $0.065/h in infratally.com \"AWS RDS pricing explained 2026\"; gp3 storage " +
			"$0.115 per GB-month in usage.ai's RDS pricing calculator guide (US East, June 2026); the other classes " +
			"as listed on the AWS page when entered (" + entered + "). Multi-AZ with one standby bills the " +
			"instance and its storage twice (AWS RDS user guide, \"On-Demand DB instances for Amazon RDS\")",
	},
	"elasticache": {
		Group: "elasticache", Page: "https://aws.amazon.com/elasticache/pricing/", AsOf: entered,
		Basis: "node-based Redis OSS on-demand rates of us-east-1 as listed on the AWS page when entered; Valkey " +
			"nodes are priced 20% lower than Redis OSS nodes (AWS, ElastiCache for Valkey launch, 2024-10). No " +
			"dated second source for the node rates was found",
	},
	"mq": {
		Group: "mq", Page: "https://aws.amazon.com/amazon-mq/pricing/", AsOf: entered,
		Basis: "broker instance-hours of us-east-1 as listed on the AWS page when entered; a RabbitMQ cluster " +
			"deployment runs three broker nodes (Amazon MQ developer guide, \"Broker\"). No dated second source " +
			"was found: check these first when updating",
	},
	"kms": {
		Group: "kms", Page: "https://aws.amazon.com/kms/pricing/", AsOf: "2026-06-13",
		Basis: "$1 per customer managed key per month (the AWS page; factualminds.com \"AWS KMS pricing\", " +
			"2026-06-13). Each automatic rotation adds $1/month for a key's first two rotations; a key's first " +
			"rotation comes a year after its creation, so the estimate leaves it out",
	},
	"secretsmanager": {
		Group: "secretsmanager", Page: "https://aws.amazon.com/secrets-manager/pricing/", AsOf: entered,
		Basis: "$0.40 per secret per month and $0.05 per 10,000 API calls, as listed on the AWS page when entered",
	},
	"cloudwatch": {
		Group: "cloudwatch", Page: "https://aws.amazon.com/cloudwatch/pricing/", AsOf: entered,
		Basis: "standard-resolution alarm $0.10 per alarm metric per month, high resolution $0.30; dashboard $3 per " +
			"month (the free tier's three dashboards left out), as listed on the AWS page when entered",
	},
}

// Prices are the list prices of one region.
type Prices struct {
	EKSClusterHour         float64
	EKSExtendedClusterHour float64
	NATGatewayHour         float64
	PublicIPv4Hour         float64
	InterfaceEndpointHour  float64 // per endpoint per AZ
	EC2Hour                map[string]float64
	GP3GBMonth             float64
	RDSPostgresHour        map[string]float64 // Single-AZ
	RDSGP3GBMonth          float64            // Single-AZ
	ElastiCacheHour        map[string]float64 // Redis OSS node
	MQHour                 map[string]float64 // per broker instance
	KMSKeyMonth            float64
	SecretMonth            float64
	AlarmMonth             float64
	HighResAlarmMonth      float64
	DashboardMonth         float64
}

// SpotDiscountMax is the largest Spot discount AWS advertises ("up to 90%
// off"): the low end of a Spot node's range.
const SpotDiscountMax = 0.90

// ValkeyDiscount is how much less a Valkey node costs than a Redis OSS node
// of the same type.
const ValkeyDiscount = 0.20

// usEast1 are the prices of us-east-1 (and, for everything listed here,
// us-west-2).
var usEast1 = Prices{
	EKSClusterHour:         0.10,
	EKSExtendedClusterHour: 0.60,
	NATGatewayHour:         0.045,
	PublicIPv4Hour:         0.005,
	InterfaceEndpointHour:  0.01,
	EC2Hour: map[string]float64{
		"t3.medium": 0.0416, "t3.large": 0.0832, "t3.xlarge": 0.1664,
		"t3a.medium": 0.0376, "t3a.large": 0.0752, "t3a.xlarge": 0.1504,
		"m5.large": 0.096, "m5.xlarge": 0.192, "m5.2xlarge": 0.384,
		"m6i.large": 0.096, "m6i.xlarge": 0.192, "m6i.2xlarge": 0.384, "m6i.4xlarge": 0.768,
		"m6a.large": 0.0864, "m6a.xlarge": 0.1728,
		"m7i.large": 0.1008, "m7i.xlarge": 0.2016, "m7i.2xlarge": 0.4032, "m7i.4xlarge": 0.8064,
		"m7g.large": 0.0816, "m7g.xlarge": 0.1632,
		"c6i.large": 0.085, "c6i.xlarge": 0.17,
		"r6i.large": 0.126, "r6i.xlarge": 0.252,
	},
	GP3GBMonth: 0.08,
	RDSPostgresHour: map[string]float64{
		"db.t4g.micro": 0.016, "db.t4g.small": 0.032, "db.t4g.medium": 0.065, "db.t4g.large": 0.129,
		"db.m7g.large": 0.168, "db.m7g.xlarge": 0.337,
		"db.r6g.large": 0.225, "db.r6g.xlarge": 0.45, "db.r6g.2xlarge": 0.899,
		"db.r7g.large": 0.239, "db.r7g.xlarge": 0.478,
	},
	RDSGP3GBMonth: 0.115,
	ElastiCacheHour: map[string]float64{
		"cache.t4g.micro": 0.016, "cache.t4g.small": 0.032, "cache.t4g.medium": 0.065,
		"cache.m7g.large": 0.158, "cache.m7g.xlarge": 0.315,
		"cache.r7g.large": 0.219, "cache.r7g.xlarge": 0.437,
	},
	MQHour: map[string]float64{
		"mq.t3.micro": 0.03, "mq.m5.large": 0.288, "mq.m5.xlarge": 0.576, "mq.m5.2xlarge": 1.152, "mq.m5.4xlarge": 2.304,
	},
	KMSKeyMonth:       1.00,
	SecretMonth:       0.40,
	AlarmMonth:        0.10,
	HighResAlarmMonth: 0.30,
	DashboardMonth:    3.00,
}

// priceTable holds the regions the estimate knows. US East (Ohio) and US
// West (Oregon) had the same list prices as US East (N. Virginia) for every
// item here when they were entered (the NAT gateway rates of all three are
// also in cloudpipelines "AWS NAT Gateway pricing 2026"). Other regions are
// unpriced until their prices are entered.
var priceTable = map[string]*Prices{
	"us-east-1": &usEast1,
	"us-east-2": &usEast1,
	"us-west-2": &usEast1,
}

// PricesFor returns the prices of a region.
func PricesFor(region string) (*Prices, bool) {
	p, ok := priceTable[region]
	return p, ok
}

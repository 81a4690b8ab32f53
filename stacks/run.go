package stacks

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/components/backup"
	"github.com/acme/platform/components/broker"
	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/components/monitoring"
	"github.com/acme/platform/components/network"
	"github.com/acme/platform/components/postgres"
	"github.com/acme/platform/components/redis"
	"github.com/acme/platform/internal/catalog"
)

// Platform is what Deploy built: the components, and the stack outputs.
type Platform struct {
	Network  *network.Vpc
	Cluster  *cluster.Cluster
	System   *cluster.System
	Database *postgres.Database
	Cache    *redis.Cache
	Broker   *broker.Broker
	// Outputs are the stack outputs Run exports. Credentials among them are
	// secret outputs.
	Outputs pulumi.Map
}

// Run is the program: load the configuration, deploy, export.
func Run(ctx *pulumi.Context) error {
	_, err := Program(ctx)
	return err
}

// Program is Run that also returns what it built, for tools that run the
// program offline and need the stack outputs (which the engine would keep).
func Program(ctx *pulumi.Context) (*Platform, error) {
	cfg, err := Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("invalid stack configuration:\n%w", err)
	}
	env, err := Preflight(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("the stack configuration does not fit the AWS account:\n%w", err)
	}
	p, err := Deploy(ctx, cfg, env)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(p.Outputs))
	for k := range p.Outputs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ctx.Export(k, p.Outputs[k])
	}
	return p, nil
}

// Deploy composes the components for a loaded configuration and what the
// preflight learned.
func Deploy(ctx *pulumi.Context, cfg Config, env Environment) (*Platform, error) {
	acct := env.Account

	vpc, err := network.NewVpc(ctx, "vpc", &network.VpcArgs{
		Config:  cfg.Network,
		Account: acct,
		Protect: cfg.Protect,
		Zones:   env.Zones,
	})
	if err != nil {
		return nil, err
	}

	privateSubnets := vpc.SubnetIDList(network.Private)
	zoneSubnets := make([]cluster.ZoneSubnet, len(vpc.Zones))
	for i, z := range vpc.Zones {
		zoneSubnets[i] = cluster.ZoneSubnet{Zone: z, SubnetID: privateSubnets[i]}
	}
	eks, err := cluster.NewCluster(ctx, "eks", &cluster.ClusterArgs{
		Config:                       cfg.Cluster,
		Account:                      acct,
		VPCID:                        vpc.VPCID,
		SubnetIDs:                    vpc.PrivateSubnetIDs,
		ZoneSubnets:                  zoneSubnets,
		NodeDependsOn:                vpc.EgressReady,
		InstanceTags:                 cfg.DefaultTags,
		CreateAutoScalingServiceRole: !env.AutoScalingServiceRole,
		CLI:                          cfg.CLI,
		Protect:                      cfg.Protect,
	})
	if err != nil {
		return nil, err
	}

	// The in-cluster layer goes through this provider: built from the
	// cluster's outputs, authenticating with `aws eks get-token` as the AWS
	// provider's identity.
	var system *cluster.System
	var bootstrap *postgres.BootstrapArgs
	var dbOpts []pulumi.ResourceOption
	if cfg.Cluster.InClusterLayer {
		k8s, err := kubernetes.NewProvider(ctx, "k8s", &kubernetes.ProviderArgs{
			Kubeconfig: eks.Kubeconfig,
		})
		if err != nil {
			return nil, fmt.Errorf("kubernetes provider: %w", err)
		}
		system, err = cluster.NewSystem(ctx, "eks-system", &cluster.SystemArgs{
			Config:            cfg.Cluster,
			ClusterName:       eks.ClusterName,
			Region:            eks.Region,
			AutoscalerRoleARN: eks.AutoscalerRoleARN,
			VolumeKMSKeyARN:   eks.VolumeKMSKeyARN,
			DependsOn:         eks.PodsReady,
		}, pulumi.Provider(k8s))
		if err != nil {
			return nil, err
		}
		bootstrap = &postgres.BootstrapArgs{
			Namespace:       system.PlatformNamespace,
			OIDCProviderARN: eks.OIDCProviderARN,
			OIDCIssuerURL:   eks.OIDCIssuerURL,
			// The Job's pod needs a node to run on and cluster DNS to
			// resolve the database's endpoint; nothing else.
			DependsOn:  eks.PodsReady,
			Scheduling: cfg.Cluster.SystemScheduling(),
		}
		dbOpts = append(dbOpts, pulumi.Providers(k8s))
	}

	// Who may reach the data stores: workloads on the cluster's nodes, which
	// all carry the node security group. Not the EKS-managed cluster
	// security group: EKS puts it on the control plane's interfaces and
	// whatever else it creates (EKS UG sec-group-reqs.adoc), which need no
	// data. Each source becomes a separate rule resource, so no data store
	// waits for the cluster to exist.
	clients := map[string]pulumi.StringInput{
		"eks-nodes": eks.NodeSecurityGroupID,
	}

	db, err := postgres.NewDatabase(ctx, "db", &postgres.DatabaseArgs{
		Config:      cfg.Database,
		Account:     acct,
		VPCID:       vpc.VPCID,
		SubnetIDs:   vpc.DataSubnetIDs,
		IngressFrom: clients,
		Protect:     cfg.Protect,
		Bootstrap:   bootstrap,
	}, dbOpts...)
	if err != nil {
		return nil, err
	}

	cache, err := redis.NewCache(ctx, "cache", &redis.CacheArgs{
		Config:      cfg.Cache,
		Account:     acct,
		VPCID:       vpc.VPCID,
		SubnetIDs:   vpc.DataSubnetIDs,
		IngressFrom: clients,
		Protect:     cfg.Protect,
	})
	if err != nil {
		return nil, err
	}

	mq, err := broker.NewBroker(ctx, "broker", &broker.BrokerArgs{
		Config:      cfg.Broker,
		Account:     acct,
		VPCID:       vpc.VPCID,
		SubnetIDs:   vpc.SubnetIDList(network.Private),
		IngressFrom: clients,
		Protect:     cfg.Protect,
	})
	if err != nil {
		return nil, err
	}

	// Backups beyond RDS's own: an AWS Backup plan, and in stacks that name
	// a DR region, copies there through a second provider.
	var dr *backup.DRArgs
	if region := cfg.Backup.DRRegion; region != "" {
		provider, err := aws.NewProvider(ctx, "dr", &aws.ProviderArgs{
			Region:      pulumi.String(region),
			DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(cfg.DefaultTags)},
		})
		if err != nil {
			return nil, fmt.Errorf("DR region provider: %w", err)
		}
		drAccount := acct
		drAccount.Region = region
		dr = &backup.DRArgs{Provider: provider, Account: drAccount}
	}
	backups, err := backup.NewBackup(ctx, "backup", &backup.BackupArgs{
		Config:      cfg.Backup,
		Account:     acct,
		DatabaseARN: db.InstanceARN,
		DR:          dr,
		Protect:     cfg.Protect,
	})
	if err != nil {
		return nil, err
	}

	var groups []monitoring.NodeGroupWatch
	for _, g := range eks.Groups {
		groups = append(groups, monitoring.NodeGroupWatch{Name: g.Name, ASGName: g.ASGName, MinSize: g.MinSize, MaxSize: g.MaxSize})
	}
	mon, err := monitoring.NewMonitoring(ctx, "monitoring", &monitoring.MonitoringArgs{
		Config:                  cfg.Monitoring,
		Account:                 acct,
		DatabaseInstanceID:      db.Identifier,
		DatabaseConnectionLimit: connectionLimit(cfg.Database.InstanceClass),
		CacheReplicationGroupID: cache.ReplicationGroupID,
		CacheNodeCount:          cfg.Cache.NodeCount,
		BrokerName:              mq.BrokerName,
		NATGatewayIDs:           vpc.NATGatewayIDList(),
		NodeGroups:              groups,
		BackupJobs:              true,
		Protect:                 cfg.Protect,
	})
	if err != nil {
		return nil, err
	}

	outputs := pulumi.Map{
		"vpcId":             vpc.VPCID,
		"vpcCidr":           vpc.CIDRBlock,
		"availabilityZones": vpc.AvailabilityZones,
		"publicSubnetIds":   vpc.PublicSubnetIDs,
		"privateSubnetIds":  vpc.PrivateSubnetIDs,
		"dataSubnetIds":     vpc.DataSubnetIDs,
		"natPublicIps":      vpc.NATPublicIPs,
		"flowLogGroupName":  vpc.FlowLogGroupName,

		"clusterName":            eks.ClusterName,
		"clusterEndpoint":        eks.Endpoint,
		"oidcProviderArn":        eks.OIDCProviderARN,
		"nodeSecurityGroupId":    eks.NodeSecurityGroupID,
		"clusterSecurityGroupId": eks.ClusterSecurityGroupID,
		"kubeconfig":             pulumi.ToSecret(eks.Kubeconfig),

		"dbEndpoint":           db.Endpoint,
		"dbAddress":            db.Address,
		"dbPort":               db.Port,
		"dbName":               db.DatabaseName,
		"dbMasterSecretArn":    db.MasterSecretARN,
		"dbMigratorSecretArn":  db.MigratorSecretARN,
		"dbReadWriteSecretArn": db.ReadWriteSecretARN,
		"dbReadOnlySecretArn":  db.ReadOnlySecretARN,
		"dbSecurityGroupId":    db.SecurityGroupID,

		"cacheEndpoint":         cache.PrimaryEndpoint,
		"cacheReaderEndpoint":   cache.ReaderEndpoint,
		"cachePort":             cache.Port,
		"cacheSecretArn":        cache.SecretARN,
		"brokerAmqpsEndpoints":  mq.AMQPSEndpoints,
		"brokerConsoleUrl":      mq.ConsoleURL,
		"brokerSecretArn":       mq.SecretARN,
		"brokerGeneralLogGroup": mq.GeneralLogGroup,

		"backupVaultName":     backups.VaultName,
		"backupDrVaultName":   backups.DRVaultName,
		"alarmTopicArn":       mon.TopicARN,
		"monitoringDashboard": mon.DashboardName,
	}
	if system != nil {
		outputs["platformNamespace"] = system.PlatformNamespace
	}
	return &Platform{
		Network:  vpc,
		Cluster:  eks,
		System:   system,
		Database: db,
		Cache:    cache,
		Broker:   mq,
		Outputs:  outputs,
	}, nil
}

// connectionLimit is RDS's default max_connections for the instance class,
// from the catalog (the class was checked against it when the configuration
// loaded).
func connectionLimit(class string) int {
	c, _ := catalog.LookupRDSClass(class)
	return catalog.RDSMaxConnections(c)
}

package postgres

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// typeToken is the component's type; changing it needs pulumi.Aliases.
const typeToken = "platform:data:Postgres"

// logExports are the PostgreSQL logs RDS exports to CloudWatch Logs, each
// into a log group this component creates first (with retention and our
// key) so RDS does not create an unencrypted, never-expiring one. With IAM
// authentication on, failed token logins go to "iam-db-auth-error" (RDS API
// CreateDBInstance, EnableCloudwatchLogsExports: "RDS for PostgreSQL -
// postgresql | upgrade | iam-db-auth-error"), which is exported too.
func (c Config) logExports() []string {
	logs := []string{"postgresql", "upgrade"}
	if c.IAMAuth {
		logs = append(logs, "iam-db-auth-error")
	}
	return logs
}

// LogGroupName is the fixed log group RDS writes one export of an instance
// to.
func LogGroupName(identifier, log string) string {
	return "/aws/rds/instance/" + identifier + "/" + log
}

func logGroupNames(identifier string, logs []string) []string {
	out := make([]string, len(logs))
	for i, l := range logs {
		out[i] = LogGroupName(identifier, l)
	}
	return out
}

// DatabaseArgs configures a Database.
type DatabaseArgs struct {
	// Config holds the settings of the instance and its roles: start from
	// DefaultConfig (see Config for each field's default) and check it with
	// Config.Validate; NewDatabase uses it as given.
	Config
	// Account is where the database is created; required.
	Account parts.Account
	// VPCID is the VPC of the database's security group; required.
	VPCID pulumi.StringInput
	// SubnetIDs are the data-tier subnets of the DB subnet group (two or
	// more zones); required.
	SubnetIDs pulumi.StringArrayInput
	// IngressFrom names the security groups that may connect on the
	// database port (the stack passes "eks-nodes": the nodes' group only,
	// not the EKS-managed cluster group); each becomes its own rule
	// resource, so the database never waits for them. Keys are lower-case
	// letters, digits and hyphens. Default none (nothing can connect).
	IngressFrom map[string]pulumi.StringInput
	// Protect makes the engine refuse to delete or replace the instance, its
	// KMS key and the role secrets; default false.
	Protect bool
	// Tags are added to every AWS resource; default none.
	Tags map[string]string
	// Bootstrap runs the Kubernetes Job that creates the database roles;
	// default nil (no Job: the roles' secrets exist, the roles do not). The
	// Kubernetes provider comes from the component's options
	// (pulumi.Providers).
	Bootstrap *BootstrapArgs
}

// BootstrapArgs connects the role bootstrap Job to the cluster it runs on.
type BootstrapArgs struct {
	// Namespace is the name output of the namespace the Job runs in (so the
	// Job waits for it); required. It must resolve to
	// Config.BootstrapNamespace.
	Namespace pulumi.StringInput
	// OIDCProviderARN and OIDCIssuerURL are the cluster's IAM OIDC provider
	// and issuer, for the Job's own IAM role; required.
	OIDCProviderARN pulumi.StringInput
	OIDCIssuerURL   pulumi.StringInput
	// DependsOn are the resources the Job's pod needs before it can run and
	// resolve the database's name (the cluster's PodsReady: nodes and
	// CoreDNS); default none.
	DependsOn []pulumi.Resource
	// Scheduling places the Job's pod (on the system node group, when the
	// cluster has one); default anywhere.
	Scheduling parts.Scheduling
}

// Database is the platform's PostgreSQL database.
type Database struct {
	pulumi.ResourceState

	// Identifier is the RDS instance identifier.
	Identifier pulumi.StringOutput `pulumi:"identifier"`
	// Endpoint is "<address>:<port>".
	Endpoint pulumi.StringOutput `pulumi:"endpoint"`
	Address  pulumi.StringOutput `pulumi:"address"`
	Port     pulumi.IntOutput    `pulumi:"port"`
	// DatabaseName is the application database.
	DatabaseName pulumi.StringOutput `pulumi:"databaseName"`
	// ResourceID is the instance's resource ID, for IAM policies granting
	// rds-db:connect on "dbuser:<resourceId>/<role>_iam".
	ResourceID  pulumi.StringOutput `pulumi:"resourceId"`
	InstanceARN pulumi.StringOutput `pulumi:"instanceArn"`
	// MasterSecretARN is the RDS-managed secret of the master user.
	MasterSecretARN pulumi.StringOutput `pulumi:"masterSecretArn"`
	// MigratorSecretARN, ReadWriteSecretARN and ReadOnlySecretARN are the
	// login roles' secrets: JSON {engine, host, port, dbname, username,
	// password, masterarn, dbInstanceIdentifier}.
	MigratorSecretARN  pulumi.StringOutput `pulumi:"migratorSecretArn"`
	ReadWriteSecretARN pulumi.StringOutput `pulumi:"readWriteSecretArn"`
	ReadOnlySecretARN  pulumi.StringOutput `pulumi:"readOnlySecretArn"`
	SecurityGroupID    pulumi.StringOutput `pulumi:"securityGroupId"`
	// KMSKeyARN is the key encrypting storage, Performance Insights, logs
	// and secrets; readers of the secrets need kms:Decrypt on it.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
	// BootstrapJobName is the name of the Job that applied the roles, or ""
	// without Bootstrap.
	BootstrapJobName pulumi.StringOutput `pulumi:"bootstrapJobName"`

	// Roles are the database roles, as created by the bootstrap SQL.
	Roles roleSpec
}

// Role kinds, used in child resource names and secret outputs.
const (
	kindMigrator  = "migrator"
	kindReadWrite = "readwrite"
	kindReadOnly  = "readonly"
)

var (
	// RDS instance identifiers: a letter, then letters, digits and single
	// hyphens, not ending in a hyphen, at most 63.
	identifierRE = regexp.MustCompile(`^[a-z](-?[a-z0-9])*$`)
	dnsLabelRE   = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
)

// maxBootstrapName keeps "<name>-bootstrap-<hash>" within the 63 characters
// of a Job name.
const maxBootstrapName = 63 - len("-bootstrap-") - jobHashLength

// NewDatabase creates the database, its roles' secrets and, with Bootstrap,
// the Job that creates the roles.
func NewDatabase(ctx *pulumi.Context, name string, args *DatabaseArgs, opts ...pulumi.ResourceOption) (*Database, error) {
	if args == nil {
		return nil, fmt.Errorf("postgres %q: args are required", name)
	}
	cfg := args.Config
	identifier := parts.PhysicalName(ctx, name, 63)
	if err := errors.Join(args.Account.Validate(), validateArgs(name, identifier, args)); err != nil {
		return nil, fmt.Errorf("postgres %q: %w", name, err)
	}

	c := &Database{Roles: cfg.rolesSpec()}
	if err := ctx.RegisterComponentResource(typeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("postgres %q: %w", name, err)
	}
	b := &builder{ctx: ctx, name: name, identifier: identifier, cfg: cfg, args: args, c: c, parent: pulumi.Parent(c)}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("postgres %q: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"identifier":         c.Identifier,
		"endpoint":           c.Endpoint,
		"address":            c.Address,
		"port":               c.Port,
		"databaseName":       c.DatabaseName,
		"resourceId":         c.ResourceID,
		"instanceArn":        c.InstanceARN,
		"masterSecretArn":    c.MasterSecretARN,
		"migratorSecretArn":  c.MigratorSecretARN,
		"readWriteSecretArn": c.ReadWriteSecretARN,
		"readOnlySecretArn":  c.ReadOnlySecretARN,
		"securityGroupId":    c.SecurityGroupID,
		"kmsKeyArn":          c.KMSKeyARN,
		"bootstrapJobName":   c.BootstrapJobName,
	}); err != nil {
		return nil, fmt.Errorf("postgres %q: registering outputs: %w", name, err)
	}
	return c, nil
}

// validateArgs checks what Config.Validate cannot: the inputs from other
// components and the names derived from the component's name.
func validateArgs(name, identifier string, args *DatabaseArgs) error {
	var p check.Problems
	if args.VPCID == nil {
		p.Addf("vpcId", "is required")
	}
	if args.SubnetIDs == nil {
		p.Addf("subnetIds", "is required (the data-tier subnets)")
	}
	p.Merge("", parts.ValidateSources(args.IngressFrom))
	if len(identifier) > 63 || !identifierRE.MatchString(identifier) {
		p.Addf("name", "the instance identifier %q (\"<project>-<stack>-<name>\") must start with a letter and hold only lower-case letters, digits and single hyphens, not ending in one; rename the component or the stack", identifier)
	}
	if bs := args.Bootstrap; bs != nil {
		for _, f := range []struct {
			path string
			set  bool
		}{{"namespace", bs.Namespace != nil}, {"oidcProviderArn", bs.OIDCProviderARN != nil}, {"oidcIssuerUrl", bs.OIDCIssuerURL != nil}} {
			if !f.set {
				p.Addf("bootstrap."+f.path, "is required")
			}
		}
		if len(name) > maxBootstrapName || !dnsLabelRE.MatchString(name) {
			p.Addf("name", "with bootstrap, %q must be a DNS label of at most %d characters (it names the Job \"<name>-bootstrap-<hash>\")", name, maxBootstrapName)
		}
	}
	return p.Err()
}

type builder struct {
	ctx        *pulumi.Context
	name       string
	identifier string
	cfg        Config
	args       *DatabaseArgs
	c          *Database
	parent     pulumi.ResourceOption
}

func (b *builder) tags(suffix string) pulumi.StringMap {
	return parts.TagsFor(b.ctx, b.name+suffix, b.args.Tags)
}

func (b *builder) build() error {
	ctx, name, cfg, acct := b.ctx, b.name, b.cfg, b.args.Account
	key, err := parts.NewKey(ctx, name+"-key", parts.KeyArgs{
		Account:       acct,
		Description:   "PostgreSQL " + b.identifier + ": storage, Performance Insights, logs and credentials",
		LogGroupNames: logGroupNames(b.identifier, cfg.logExports()),
		Protect:       b.args.Protect,
		Tags:          b.args.Tags,
	}, b.parent)
	if err != nil {
		return err
	}
	b.c.KMSKeyARN = key.ARN

	// RDS writes to fixed log-group names; creating them first gives them a
	// retention and our key (RDS would create them with neither).
	var logGroups []pulumi.Resource
	for _, log := range cfg.logExports() {
		lg, err := parts.NewLogGroup(ctx, name+"-"+log, parts.LogGroupArgs{
			Name:          LogGroupName(b.identifier, log),
			RetentionDays: cfg.LogRetentionDays,
			KMSKeyARN:     key.ARN,
			Tags:          b.args.Tags,
		}, b.parent)
		if err != nil {
			return err
		}
		logGroups = append(logGroups, lg)
	}

	// The description is fixed: changing it replaces the security group.
	sg, err := parts.NewSecurityGroup(ctx, name+"-sg", b.args.VPCID,
		"PostgreSQL "+b.identifier+": the database port from named security groups only", b.args.Tags, b.parent)
	if err != nil {
		return err
	}
	b.c.SecurityGroupID = sg.ID().ToStringOutput()
	if err := parts.AllowFrom(ctx, name+"-sg", sg.ID(), []parts.Port{{Number: cfg.Port, Description: "PostgreSQL"}}, b.args.IngressFrom, b.parent); err != nil {
		return err
	}

	subnets, err := rds.NewSubnetGroup(ctx, name+"-subnets", &rds.SubnetGroupArgs{
		Description: pulumi.String("Data-tier subnets of PostgreSQL " + b.identifier),
		SubnetIds:   b.args.SubnetIDs,
		Tags:        b.tags("-subnets"),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("subnet group: %w", err)
	}

	params, err := b.parameterGroup()
	if err != nil {
		return err
	}
	monitoringRole, monitoringAttachment, err := b.monitoringRole()
	if err != nil {
		return err
	}

	var finalSnapshot pulumi.StringPtrInput
	if !cfg.SkipFinalSnapshot {
		// A random suffix per instance lifetime: a second destroy after a
		// re-create does not collide with the first final snapshot.
		suffix, err := random.NewRandomId(ctx, name+"-final-snapshot", &random.RandomIdArgs{
			ByteLength: pulumi.Int(4),
			Keepers:    pulumi.StringMap{"identifier": pulumi.String(b.identifier)},
		}, b.parent)
		if err != nil {
			return fmt.Errorf("final snapshot suffix: %w", err)
		}
		finalSnapshot = pulumi.Sprintf("%s-final-%s", b.identifier, suffix.Hex).ToStringPtrOutput()
	}

	lifecycle := "open-source-rds-extended-support-disabled"
	if cfg.ExtendedSupport {
		lifecycle = "open-source-rds-extended-support"
	}
	exports := pulumi.StringArray{}
	for _, l := range cfg.logExports() {
		exports = append(exports, pulumi.String(l))
	}
	inst, err := rds.NewInstance(ctx, name, &rds.InstanceArgs{
		Identifier:               pulumi.String(b.identifier),
		Engine:                   pulumi.String("postgres"),
		EngineVersion:            pulumi.String(cfg.EngineVersion),
		EngineLifecycleSupport:   pulumi.String(lifecycle),
		AllowMajorVersionUpgrade: pulumi.Bool(cfg.AllowMajorVersionUpgrade),
		AutoMinorVersionUpgrade:  pulumi.Bool(true),
		ApplyImmediately:         pulumi.Bool(cfg.ApplyImmediately),
		InstanceClass:            pulumi.String(cfg.InstanceClass),

		StorageType:         pulumi.String("gp3"),
		AllocatedStorage:    pulumi.Int(cfg.AllocatedStorageGiB),
		MaxAllocatedStorage: pulumi.Int(cfg.MaxAllocatedStorageGiB),
		StorageEncrypted:    pulumi.Bool(true),
		KmsKeyId:            key.ARN,

		DbName:                           pulumi.String(cfg.DatabaseName),
		Username:                         pulumi.String(cfg.MasterUsername),
		ManageMasterUserPassword:         pulumi.Bool(true),
		MasterUserSecretKmsKeyId:         key.ARN,
		IamDatabaseAuthenticationEnabled: pulumi.Bool(cfg.IAMAuth),

		Port:                pulumi.Int(cfg.Port),
		DbSubnetGroupName:   subnets.Name,
		VpcSecurityGroupIds: pulumi.StringArray{sg.ID()},
		PubliclyAccessible:  pulumi.Bool(false),
		MultiAz:             pulumi.Bool(cfg.MultiAZ),
		ParameterGroupName:  params.Name,
		CaCertIdentifier:    pulumi.String(cfg.CACertIdentifier),

		BackupRetentionPeriod:   pulumi.Int(cfg.BackupRetentionDays),
		BackupWindow:            pulumi.String(cfg.BackupWindow),
		MaintenanceWindow:       pulumi.String(cfg.MaintenanceWindow),
		CopyTagsToSnapshot:      pulumi.Bool(true),
		DeleteAutomatedBackups:  pulumi.Bool(false),
		DeletionProtection:      pulumi.Bool(cfg.DeletionProtection),
		SkipFinalSnapshot:       pulumi.Bool(cfg.SkipFinalSnapshot),
		FinalSnapshotIdentifier: finalSnapshot,

		PerformanceInsightsEnabled:         pulumi.Bool(true),
		PerformanceInsightsKmsKeyId:        key.ARN,
		PerformanceInsightsRetentionPeriod: pulumi.Int(cfg.PerformanceInsightsRetentionDays),
		DatabaseInsightsMode:               pulumi.String(cfg.DatabaseInsightsMode),
		MonitoringInterval:                 pulumi.Int(cfg.MonitoringIntervalSeconds),
		MonitoringRoleArn:                  monitoringRole.Arn,
		EnabledCloudwatchLogsExports:       exports,

		Tags: b.tags(""),
	}, b.parent, pulumi.Protect(b.args.Protect),
		// The log groups must exist before RDS starts exporting, and the
		// monitoring role must hold its policy before RDS checks it.
		pulumi.DependsOn(append(logGroups, monitoringAttachment)))
	if err != nil {
		return fmt.Errorf("instance: %w", err)
	}
	b.c.Identifier = inst.Identifier
	b.c.Endpoint = inst.Endpoint
	b.c.Address = inst.Address
	b.c.Port = inst.Port
	b.c.DatabaseName = inst.DbName
	b.c.ResourceID = inst.ResourceId
	b.c.InstanceARN = inst.Arn
	b.c.MasterSecretARN = inst.MasterUserSecrets.Index(pulumi.Int(0)).SecretArn().Elem()

	// Without rotation rules RDS rotates every 7 days; stating them makes the
	// schedule visible and configurable. RDS-managed secrets rotate without
	// a Lambda function.
	if _, err := secretsmanager.NewSecretRotation(ctx, name+"-master-rotation", &secretsmanager.SecretRotationArgs{
		SecretId:          b.c.MasterSecretARN,
		RotateImmediately: pulumi.Bool(false),
		RotationRules: &secretsmanager.SecretRotationRotationRulesArgs{
			AutomaticallyAfterDays: pulumi.Int(cfg.MasterPasswordRotationDays),
		},
	}, b.parent); err != nil {
		return fmt.Errorf("master secret rotation: %w", err)
	}

	verifiers, err := b.roleSecrets(inst, key)
	if err != nil {
		return err
	}
	b.c.BootstrapJobName = pulumi.String("").ToStringOutput()
	if b.args.Bootstrap != nil {
		job, err := b.bootstrap(inst, key, verifiers)
		if err != nil {
			return err
		}
		b.c.BootstrapJobName = job
	}
	return nil
}

// parameterGroup creates the group for the engine's major version. Its
// resource name carries the family, so a major upgrade creates the new
// group before the instance moves to it instead of replacing the group the
// instance is using. The group is retained when it leaves the program: with
// applyImmediately false, RDS moves the instance to the new group only in
// the maintenance window, and until then it refuses to delete the old one,
// which the provider retries for three minutes before failing the update
// (terraform-provider-aws internal/service/rds/parameter_group.go,
// resourceParameterGroupDelete, InvalidDBParameterGroupStateFault). Retained,
// the superseded group stays behind, unused and free, for an operator to
// delete (docs/operations.md, "Major version upgrades").
func (b *builder) parameterGroup() (*rds.ParameterGroup, error) {
	family := b.cfg.family()
	var params rds.ParameterGroupParameterArray
	for _, p := range parameters(b.cfg) {
		params = append(params, rds.ParameterGroupParameterArgs{
			Name:        pulumi.String(p.Name),
			Value:       pulumi.String(p.Value),
			ApplyMethod: pulumi.StringPtrFromPtr(p.ApplyMethod),
		})
	}
	pg, err := rds.NewParameterGroup(b.ctx, b.name+"-"+family, &rds.ParameterGroupArgs{
		Family:      pulumi.String(family),
		Description: pulumi.String(strings.TrimPrefix(family, "postgres") + ": TLS only, SCRAM passwords, connection and slow-query logging, pg_stat_statements preloaded"),
		Parameters:  params,
		Tags:        b.tags("-" + family),
	}, b.parent, pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, fmt.Errorf("parameter group: %w", err)
	}
	return pg, nil
}

// monitoringRole is the role RDS enhanced monitoring publishes metrics with.
func (b *builder) monitoringRole() (*iam.Role, pulumi.Resource, error) {
	trust, err := parts.ServiceTrust(b.args.Account, "monitoring.rds").JSON()
	if err != nil {
		return nil, nil, err
	}
	role, err := iam.NewRole(b.ctx, b.name+"-monitoring", &iam.RoleArgs{
		Description:      pulumi.String("Lets RDS enhanced monitoring of " + b.identifier + " publish metrics"),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             b.tags("-monitoring"),
	}, b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("monitoring role: %w", err)
	}
	att, err := iam.NewRolePolicyAttachment(b.ctx, b.name+"-monitoring", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(parts.ManagedPolicyARN(b.args.Account, "service-role/AmazonRDSEnhancedMonitoringRole")),
	}, b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("monitoring role policy: %w", err)
	}
	return role, att, nil
}

// roleSecrets generates each login role's password, stores it in its own
// Secrets Manager secret, and returns the SCRAM verifiers the bootstrap Job
// sets (keyed by role kind).
func (b *builder) roleSecrets(inst *rds.Instance, key *parts.Key) (map[string]pulumi.StringOutput, error) {
	roles := b.c.Roles
	out := map[string]pulumi.StringOutput{}
	for _, r := range []struct {
		kind string
		role LoginRole
		arn  *pulumi.StringOutput
		what string
	}{
		{kindMigrator, roles.Migrator, &b.c.MigratorSecretARN, "migrator (may change the schema)"},
		{kindReadWrite, roles.ReadWrite, &b.c.ReadWriteSecretARN, "read-write (DML only)"},
		{kindReadOnly, roles.ReadOnly, &b.c.ReadOnlySecretARN, "read-only"},
	} {
		res := b.name + "-" + r.kind
		pw, err := random.NewRandomPassword(b.ctx, res, &random.RandomPasswordArgs{
			Length: pulumi.Int(40),
			// Letters and digits only: nothing to escape in a connection
			// string, a URL, psql or a shell.
			Special:    pulumi.Bool(false),
			MinLower:   pulumi.Int(2),
			MinUpper:   pulumi.Int(2),
			MinNumeric: pulumi.Int(2),
			Keepers: pulumi.StringMap{
				"role":    pulumi.String(r.role.Name),
				"version": pulumi.String(strconv.Itoa(r.role.PasswordVersion)),
			},
		}, b.parent)
		if err != nil {
			return nil, fmt.Errorf("%s password: %w", r.kind, err)
		}
		password := pulumi.ToSecret(pw.Result).(pulumi.StringOutput)
		secret, err := parts.NewSecret(b.ctx, res, parts.SecretArgs{
			Description: "PostgreSQL " + b.identifier + " credentials of " + r.role.Name + ", the " + r.what + " role",
			KMSKeyARN:   key.ARN,
			Value: pulumi.Map{
				"engine":               pulumi.String("postgres"),
				"host":                 inst.Address,
				"port":                 inst.Port,
				"dbname":               pulumi.String(b.cfg.DatabaseName),
				"username":             pulumi.String(r.role.Name),
				"password":             password,
				"masterarn":            b.c.MasterSecretARN,
				"dbInstanceIdentifier": pulumi.String(b.identifier),
			},
			Protect: b.args.Protect,
			Tags:    b.args.Tags,
		}, b.parent)
		if err != nil {
			return nil, err
		}
		*r.arn = secret.ARN
		salt := scramSalt(b.identifier, r.role.Name, r.role.PasswordVersion)
		out[r.kind] = pulumi.ToSecret(password.ApplyT(func(p string) (string, error) {
			return scramVerifier(p, salt, scramIterations)
		})).(pulumi.StringOutput)
	}
	return out, nil
}

package backup

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// typeToken is the component's type; changing it needs pulumi.Aliases.
const typeToken = "platform:reliability:Backup"

// Managed policies of the role AWS Backup assumes: take and copy recovery
// points, and restore them.
const (
	BackupPolicy  = "service-role/AWSBackupServiceRolePolicyForBackup"
	RestorePolicy = "service-role/AWSBackupServiceRolePolicyForRestores"
)

// BackupArgs configures a Backup.
type BackupArgs struct {
	// Config holds the schedules, retentions and switches: start from
	// DefaultConfig (see Config for each field's default) and check it with
	// Config.Validate; NewBackup uses it as given.
	Config
	// Account is where the primary vault, plan and selection are created;
	// required.
	Account parts.Account
	// DatabaseARN is the ARN of the RDS instance to back up (the postgres
	// component's InstanceARN); required. With DR, RDS also replicates its
	// automated backups to the DR region.
	DatabaseARN pulumi.StringInput
	// DR holds the disaster-recovery region's provider; required exactly when
	// Config.DRRegion is set, nil otherwise.
	DR *DRArgs
	// Protect makes the engine refuse to delete or replace the vaults, their
	// locks, their KMS keys and the backup replication; default false.
	Protect bool
	// Tags are added to every resource that takes tags (the providers'
	// default tags apply too); default none.
	Tags map[string]string
}

// DRArgs is the disaster-recovery region. Components never build providers:
// the stack creates the provider from platform:backup.drRegion.
type DRArgs struct {
	// Provider is an aws.Provider for the DR region; required.
	Provider pulumi.ProviderResource
	// Account is the same account in the DR region; required. Its Region must
	// equal Config.DRRegion.
	Account parts.Account
}

// Backup is the platform's AWS Backup vault, plan and selection, and with DR
// their copies in a second region.
type Backup struct {
	pulumi.ResourceState

	// VaultName and VaultARN are the primary vault's.
	VaultName pulumi.StringOutput `pulumi:"vaultName"`
	VaultARN  pulumi.StringOutput `pulumi:"vaultArn"`
	// KMSKeyARN encrypts the primary vault's recovery points of fully
	// managed resource types. RDS snapshots keep the database's own key.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
	// PlanID and PlanARN are the backup plan's.
	PlanID  pulumi.StringOutput `pulumi:"planId"`
	PlanARN pulumi.StringOutput `pulumi:"planArn"`
	// RoleARN is the role AWS Backup uses to back up and restore; pass it
	// to `aws backup start-restore-job --iam-role-arn`.
	RoleARN pulumi.StringOutput `pulumi:"roleArn"`
	// DRVaultName, DRVaultARN and DRKMSKeyARN are the DR region's vault and
	// key; "" without DR.
	DRVaultName pulumi.StringOutput `pulumi:"drVaultName"`
	DRVaultARN  pulumi.StringOutput `pulumi:"drVaultArn"`
	DRKMSKeyARN pulumi.StringOutput `pulumi:"drKmsKeyArn"`
	// ReplicatedBackupsARN is the ARN of the database's automated backups
	// replicated to the DR region (restore-db-instance-to-point-in-time
	// --source-db-instance-automated-backups-arn); "" without DR.
	ReplicatedBackupsARN pulumi.StringOutput `pulumi:"replicatedBackupsArn"`

	// Rules are the plan's rules as planned from the configuration.
	Rules []Rule
}

// vaultNameRE is what AWS Backup accepts as a vault name.
var vaultNameRE = regexp.MustCompile(`^[a-zA-Z0-9_-]{2,50}$`)

// NewBackup creates the vaults, the plan, the selection and, with DR, the
// copies and the automated-backup replication.
func NewBackup(ctx *pulumi.Context, name string, args *BackupArgs, opts ...pulumi.ResourceOption) (*Backup, error) {
	if args == nil {
		return nil, fmt.Errorf("backup %q: args are required", name)
	}
	cfg := args.Config
	vaultName, drVaultName := parts.PhysicalName(ctx, name, 50), parts.PhysicalName(ctx, name+"-dr", 50)
	if err := errors.Join(args.Account.Validate(), validateArgs(cfg, args, vaultName, drVaultName)); err != nil {
		return nil, fmt.Errorf("backup %q: %w", name, err)
	}

	c := &Backup{Rules: cfg.Rules(args.DR != nil)}
	if err := ctx.RegisterComponentResource(typeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("backup %q: %w", name, err)
	}
	b := &builder{ctx: ctx, name: name, vaultName: vaultName, drVaultName: drVaultName, cfg: cfg, args: args, c: c, parent: pulumi.Parent(c)}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("backup %q: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"vaultName":            c.VaultName,
		"vaultArn":             c.VaultARN,
		"kmsKeyArn":            c.KMSKeyARN,
		"planId":               c.PlanID,
		"planArn":              c.PlanARN,
		"roleArn":              c.RoleARN,
		"drVaultName":          c.DRVaultName,
		"drVaultArn":           c.DRVaultARN,
		"drKmsKeyArn":          c.DRKMSKeyARN,
		"replicatedBackupsArn": c.ReplicatedBackupsARN,
	}); err != nil {
		return nil, fmt.Errorf("backup %q: registering outputs: %w", name, err)
	}
	return c, nil
}

// validateArgs checks what Config.Validate cannot: the inputs from other
// components, the DR region against the provider handed in, and the names
// derived from the component's name.
func validateArgs(cfg Config, args *BackupArgs, vaultName, drVaultName string) error {
	var p check.Problems
	if args.DatabaseARN == nil {
		p.Addf("databaseArn", "is required (the RDS instance to back up)")
	}
	if !vaultNameRE.MatchString(vaultName) || !vaultNameRE.MatchString(drVaultName) {
		p.Addf("name", "the vault name %q (\"<project>-<stack>-<name>\") may hold only letters, digits, '-' and '_'; rename the component or the stack", vaultName)
	}
	switch dr := args.DR; {
	case dr == nil && cfg.DRRegion != "":
		p.Addf("drRegion", "is %q but no DR provider was passed (BackupArgs.DR); the stack builds it from this key", cfg.DRRegion)
	case dr != nil && cfg.DRRegion == "":
		p.Addf("drRegion", "is empty but a DR provider was passed (BackupArgs.DR); set drRegion to the provider's region")
	case dr != nil:
		if dr.Provider == nil {
			p.Addf("dr.provider", "is required (an aws.Provider for %q)", cfg.DRRegion)
		}
		if err := dr.Account.Validate(); err != nil {
			p.Addf("dr.account", "%s", err.Error())
		} else if dr.Account.Region != cfg.DRRegion {
			p.Addf("dr.account", "is in %q but drRegion is %q", dr.Account.Region, cfg.DRRegion)
		} else if dr.Account.ID != args.Account.ID || dr.Account.Partition != args.Account.Partition {
			p.Addf("dr.account", "must be the same account and partition as the primary (%s/%s), got %s/%s", args.Account.Partition, args.Account.ID, dr.Account.Partition, dr.Account.ID)
		}
	}
	if cfg.DRRegion != "" && cfg.DRRegion == args.Account.Region {
		p.Addf("drRegion", "must differ from the stack's region %q: a copy in the same region survives no regional outage", args.Account.Region)
	}
	return p.Err()
}

type builder struct {
	ctx         *pulumi.Context
	name        string
	vaultName   string
	drVaultName string
	cfg         Config
	args        *BackupArgs
	c           *Backup
	parent      pulumi.ResourceOption
}

func (b *builder) tags(suffix string) pulumi.StringMap {
	return parts.TagsFor(b.ctx, b.name+suffix, b.args.Tags)
}

func (b *builder) build() error {
	key, v, err := b.vault("", b.args.Account, b.vaultName, "")
	if err != nil {
		return err
	}
	b.c.KMSKeyARN, b.c.VaultName, b.c.VaultARN = key.ARN, v.Name, v.Arn

	empty := pulumi.String("").ToStringOutput()
	b.c.DRVaultName, b.c.DRVaultARN, b.c.DRKMSKeyARN, b.c.ReplicatedBackupsARN = empty, empty, empty, empty
	var drVault *backup.Vault
	if dr := b.args.DR; dr != nil {
		drKey, dv, err := b.vault("-dr", dr.Account, b.drVaultName, " in the DR region", pulumi.Provider(dr.Provider))
		if err != nil {
			return err
		}
		drVault = dv
		b.c.DRKMSKeyARN, b.c.DRVaultName, b.c.DRVaultARN = drKey.ARN, dv.Name, dv.Arn
		if err := b.replicate(drKey); err != nil {
			return err
		}
	}

	role, attachments, err := b.role()
	if err != nil {
		return err
	}
	b.c.RoleARN = role.Arn
	plan, err := b.plan(v, drVault)
	if err != nil {
		return err
	}
	b.c.PlanID, b.c.PlanARN = plan.ID().ToStringOutput(), plan.Arn

	// Selections are immutable: a new database ARN replaces this one, and the
	// fixed name must be free for the new one first (a moment without a
	// selection loses no recovery point).
	if _, err := backup.NewSelection(b.ctx, b.name+"-selection", &backup.SelectionArgs{
		Name:       pulumi.String(parts.PhysicalName(b.ctx, b.name+"-database", 50)),
		PlanId:     plan.ID(),
		IamRoleArn: role.Arn,
		Resources:  pulumi.StringArray{b.args.DatabaseARN},
	}, b.parent, pulumi.DeleteBeforeReplace(true),
		// IAM is eventually consistent: the role must hold its policies
		// before AWS Backup first assumes it for this selection.
		pulumi.DependsOn(attachments)); err != nil {
		return fmt.Errorf("selection: %w", err)
	}
	return nil
}

// vault creates a key, a vault under it and, when configured, the vault's
// lock (governance or compliance mode, vaultLockMode), all in acct's region (opts carry its provider).
func (b *builder) vault(suffix string, acct parts.Account, vaultName, where string, opts ...pulumi.ResourceOption) (*parts.Key, *backup.Vault, error) {
	ctx, name := b.ctx, b.name
	opts = append([]pulumi.ResourceOption{b.parent}, opts...)
	key, err := parts.NewKey(ctx, name+suffix+"-key", parts.KeyArgs{
		Account:     acct,
		Description: "AWS Backup vault " + vaultName + ": recovery points" + where,
		Protect:     b.args.Protect,
		Tags:        b.args.Tags,
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	// A vault that still holds recovery points cannot be deleted (no
	// forceDestroy): destroying the stack stops here instead of losing them.
	v, err := backup.NewVault(ctx, name+suffix+"-vault", &backup.VaultArgs{
		Name:         pulumi.String(vaultName),
		KmsKeyArn:    key.ARN,
		ForceDestroy: pulumi.Bool(false),
		Tags:         b.tags(suffix + "-vault"),
	}, append(opts, pulumi.Protect(b.args.Protect))...)
	if err != nil {
		return nil, nil, fmt.Errorf("vault%s: %w", where, err)
	}
	if b.cfg.VaultLock {
		// changeableForDays is what makes a lock a compliance lock: after
		// it, nobody (not even the account root) can remove it (AWS Backup
		// API PutBackupVaultLockConfiguration: "If you specify this
		// parameter, your vault will be locked in compliance mode"). New
		// bounds replace the lock, and the lock is the vault's one setting:
		// created first, the old lock's deletion would unlock the vault right
		// after the new lock was put.
		lock := &backup.VaultLockConfigurationArgs{
			BackupVaultName:  v.Name,
			MinRetentionDays: pulumi.Int(b.cfg.VaultLockMinRetentionDays),
			MaxRetentionDays: pulumi.Int(b.cfg.VaultLockMaxRetentionDays),
		}
		if b.cfg.VaultLockMode == LockCompliance {
			lock.ChangeableForDays = pulumi.Int(b.cfg.VaultLockChangeableForDays)
		}
		if _, err := backup.NewVaultLockConfiguration(ctx, name+suffix+"-vault-lock", lock,
			append(opts, pulumi.Protect(b.args.Protect), pulumi.DeleteBeforeReplace(true))...); err != nil {
			return nil, nil, fmt.Errorf("vault lock%s: %w", where, err)
		}
	}
	return key, v, nil
}

// replicate has RDS copy the instance's automated backups (snapshots and
// transaction logs, so point-in-time restore) to the DR region. The resource
// lives in the destination region and encrypts with that region's key. Every
// input forces a replacement, and an instance replicates to one region once:
// the old replication must stop before the new one starts.
func (b *builder) replicate(drKey *parts.Key) error {
	r, err := rds.NewInstanceAutomatedBackupsReplication(b.ctx, b.name+"-database-replication", &rds.InstanceAutomatedBackupsReplicationArgs{
		SourceDbInstanceArn: b.args.DatabaseARN,
		KmsKeyId:            drKey.ARN,
		RetentionPeriod:     pulumi.Int(b.cfg.AutomatedBackupReplicationRetentionDays),
	}, b.parent, pulumi.Provider(b.args.DR.Provider), pulumi.Protect(b.args.Protect), pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return fmt.Errorf("automated backups replication: %w", err)
	}
	b.c.ReplicatedBackupsARN = r.ID().ToStringOutput()
	return nil
}

// role is the role AWS Backup assumes to take, copy and restore recovery
// points, with AWS's managed policies for exactly that.
func (b *builder) role() (*iam.Role, []pulumi.Resource, error) {
	// No aws:SourceAccount condition, like AWS's own default backup role: a
	// condition key the service does not send when it assumes the role would
	// make every job fail to start. Only principals of this account can pass
	// the role to AWS Backup.
	trust, err := parts.Policy(parts.Statement{
		Effect:    parts.Allow,
		Principal: &parts.Principal{Service: parts.One(b.args.Account.GlobalServicePrincipal("backup"))},
		Action:    parts.One("sts:AssumeRole"),
	}).JSON()
	if err != nil {
		return nil, nil, err
	}
	role, err := iam.NewRole(b.ctx, b.name+"-role", &iam.RoleArgs{
		Description:      pulumi.String("Lets AWS Backup back up, copy and restore the resources of " + b.vaultName),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             b.tags("-role"),
	}, b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("role: %w", err)
	}
	var out []pulumi.Resource
	for _, p := range []struct{ suffix, policy string }{{"-backup", BackupPolicy}, {"-restore", RestorePolicy}} {
		att, err := iam.NewRolePolicyAttachment(b.ctx, b.name+"-role"+p.suffix, &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.String(parts.ManagedPolicyARN(b.args.Account, p.policy)),
		}, b.parent)
		if err != nil {
			return nil, nil, fmt.Errorf("role policy %s: %w", p.policy, err)
		}
		out = append(out, att)
	}
	return role, out, nil
}

// plan creates the backup plan from the planned rules; each copies to
// drVault when there is one.
func (b *builder) plan(v, drVault *backup.Vault) (*backup.Plan, error) {
	var rules backup.PlanRuleArray
	for _, r := range b.c.Rules {
		lifecycle := &backup.PlanRuleLifecycleArgs{DeleteAfter: pulumi.Int(r.RetentionDays)}
		if r.ColdStorageAfterDays > 0 {
			lifecycle.ColdStorageAfter = pulumi.Int(r.ColdStorageAfterDays)
		}
		rule := backup.PlanRuleArgs{
			RuleName:                   pulumi.String(r.Name),
			TargetVaultName:            v.Name,
			Schedule:                   pulumi.String(r.Schedule),
			ScheduleExpressionTimezone: pulumi.String("Etc/UTC"),
			StartWindow:                pulumi.Int(b.cfg.StartWindowMinutes),
			CompletionWindow:           pulumi.Int(b.cfg.CompletionWindowMinutes),
			Lifecycle:                  lifecycle,
			// Continuous backup stays off: for RDS it would take over the
			// instance's backup retention, which the postgres component owns.
			EnableContinuousBackup: pulumi.Bool(false),
			RecoveryPointTags: pulumi.StringMap{
				"BackupRule": pulumi.String(r.Name),
				"BackupPlan": pulumi.String(b.vaultName),
			},
		}
		if drVault != nil && r.CopyRetentionDays > 0 {
			rule.CopyActions = backup.PlanRuleCopyActionArray{backup.PlanRuleCopyActionArgs{
				DestinationVaultArn: drVault.Arn,
				Lifecycle: &backup.PlanRuleCopyActionLifecycleArgs{
					DeleteAfter: pulumi.Int(r.CopyRetentionDays),
				},
			}}
		}
		rules = append(rules, rule)
	}
	plan, err := backup.NewPlan(b.ctx, b.name+"-plan", &backup.PlanArgs{
		Name:  pulumi.String(b.vaultName),
		Rules: rules,
		Tags:  b.tags("-plan"),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return plan, nil
}

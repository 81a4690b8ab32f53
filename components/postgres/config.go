package postgres

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/acme/platform/internal/catalog"
	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// Config is the part of the database's arguments that decides what is
// created and how. It is what the stack reads from the platform:database
// config object; JSON names are the config keys.
type Config struct {
	// EngineVersion is the PostgreSQL version, "16" (major: RDS picks and
	// then auto-upgrades the minor) or "16.4" (exact; raise it yourself after
	// RDS has applied a newer minor, or the next update tries to go back).
	// Major 14 or later. The parameter group's family follows the major.
	// Default "16".
	EngineVersion string `json:"engineVersion"`
	// AllowMajorVersionUpgrade must be true in the update that raises the
	// major version; default false.
	AllowMajorVersionUpgrade bool `json:"allowMajorVersionUpgrade"`
	// ExtendedSupport enrolls the instance in paid RDS Extended Support once
	// its major version leaves standard support; default false (RDS upgrades
	// the major version instead).
	ExtendedSupport bool `json:"extendedSupport"`
	// InstanceClass is an RDS instance class ("db.t4g.micro",
	// "db.r6g.large"); default "db.t4g.micro".
	InstanceClass string `json:"instanceClass"`
	// AllocatedStorageGiB is the initial gp3 storage, 20 to 65536; default 20.
	AllocatedStorageGiB int `json:"allocatedStorageGiB"`
	// MaxAllocatedStorageGiB is how far storage autoscaling may grow it: at
	// least 10% above AllocatedStorageGiB (an RDS rule), at most 65536;
	// default 100.
	MaxAllocatedStorageGiB int `json:"maxAllocatedStorageGiB"`
	// MultiAZ keeps a synchronous standby in a second zone; default false.
	MultiAZ bool `json:"multiAz"`
	// DatabaseName is the database RDS creates; default "app". Changing it
	// replaces the instance.
	DatabaseName string `json:"databaseName"`
	// MasterUsername is the RDS master user, not "postgres", "admin" or
	// "rdsadmin"; default "platform_admin". Changing it replaces the
	// instance. Its password is generated and rotated by RDS in Secrets
	// Manager.
	MasterUsername string `json:"masterUsername"`
	// MasterPasswordRotationDays is how often Secrets Manager rotates the
	// RDS-managed master password, 1 to 365; default 7 (RDS's own default,
	// now explicit).
	MasterPasswordRotationDays int `json:"masterPasswordRotationDays"`
	// Port is the TCP port, 1150 to 65535; default 5432.
	Port int `json:"port"`
	// BackupRetentionDays is how long automated backups are kept, 1 to 35;
	// default 7.
	BackupRetentionDays int `json:"backupRetentionDays"`
	// BackupWindow is the daily backup window, "hh24:mi-hh24:mi" UTC, at
	// least 30 minutes; default "03:00-04:00".
	BackupWindow string `json:"backupWindow"`
	// MaintenanceWindow is the weekly maintenance window,
	// "ddd:hh24:mi-ddd:hh24:mi" UTC, at least 30 minutes, not overlapping
	// BackupWindow; default "sun:05:00-sun:06:00".
	MaintenanceWindow string `json:"maintenanceWindow"`
	// ApplyImmediately applies modifications now instead of in the next
	// maintenance window; default false.
	ApplyImmediately bool `json:"applyImmediately"`
	// DeletionProtection makes RDS refuse to delete the instance; default
	// true.
	DeletionProtection bool `json:"deletionProtection"`
	// SkipFinalSnapshot deletes the instance without a final snapshot;
	// default false (a snapshot named "<identifier>-final-<random>" is taken).
	SkipFinalSnapshot bool `json:"skipFinalSnapshot"`
	// PerformanceInsightsRetentionDays is 7, a multiple of 31 up to 713, or
	// 731; default 7 (the free tier).
	PerformanceInsightsRetentionDays int `json:"performanceInsightsRetentionDays"`
	// DatabaseInsightsMode is "standard" or "advanced" (which needs
	// performanceInsightsRetentionDays of at least 465); default "standard".
	DatabaseInsightsMode string `json:"databaseInsightsMode"`
	// MonitoringIntervalSeconds is the enhanced-monitoring interval: 1, 5,
	// 10, 15, 30 or 60; default 60.
	MonitoringIntervalSeconds int `json:"monitoringIntervalSeconds"`
	// LogRetentionDays is how long the exported postgresql and upgrade logs
	// are kept; a value CloudWatch Logs accepts; default 30.
	LogRetentionDays int `json:"logRetentionDays"`
	// SlowQueryMs is log_min_duration_statement: statements running longer
	// are logged, 10 to 3600000; default 500.
	SlowQueryMs int `json:"slowQueryMs"`
	// IAMAuth enables IAM database authentication and the "<role>_iam"
	// login roles; default true.
	IAMAuth bool `json:"iamAuth"`
	// CACertIdentifier is the server certificate's CA: "rds-ca-rsa2048-g1",
	// "rds-ca-rsa4096-g1" or "rds-ca-ecc384-g1"; default "rds-ca-rsa2048-g1".
	CACertIdentifier string `json:"caCertIdentifier"`
	// Roles names the application schema and roles and sets their limits;
	// see RolesConfig.
	Roles RolesConfig `json:"roles"`
	// BootstrapNamespace is the Kubernetes namespace of the bootstrap Job;
	// it must be the namespace BootstrapArgs.Namespace names (its IAM role
	// trusts that namespace's service account only). Default
	// "platform-system".
	BootstrapNamespace string `json:"bootstrapNamespace"`
	// BootstrapImage is the PostgreSQL client image the Job runs psql in,
	// with a tag or digest; default
	// "public.ecr.aws/docker/library/postgres:17-alpine" (the official image,
	// mirrored on ECR Public; psql 17 talks to servers 9.2 and later).
	BootstrapImage string `json:"bootstrapImage"`
	// AWSCLIImage is the AWS CLI image the Job's init container fetches the
	// master secret and the RDS certificate bundle with (it needs `aws` and
	// `curl`), with a tag or digest; default
	// "public.ecr.aws/aws-cli/aws-cli:2.36.7" (aws/aws-cli tag 2.36.7,
	// 2026-07-23; its docker/Dockerfile builds on amazonlinux:2023, whose
	// image carries curl-minimal).
	AWSCLIImage string `json:"awsCliImage"`
	// CABundleURL is where the Job downloads the RDS certificate
	// authorities it verifies the server against (sslmode=verify-full), over
	// HTTPS checked against the image's public CAs; default AWS's global
	// bundle, "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"
	// (RDS User Guide, "Using SSL/TLS to encrypt a connection to a DB
	// instance", Certificate bundles for all AWS Regions).
	CABundleURL string `json:"caBundleUrl"`
}

// RolesConfig is the "roles" object of the database configuration.
type RolesConfig struct {
	// Schema is the application schema; default "app".
	Schema string `json:"schema"`
	// Owner is the NOLOGIN role that owns the schema; default "app_owner".
	Owner string `json:"owner"`
	// Migrator may change the schema; default name "app_migrator".
	Migrator LoginRole `json:"migrator"`
	// ReadWrite may read and write rows; default name "app_rw".
	ReadWrite LoginRole `json:"readWrite"`
	// ReadOnly may read rows; default name "app_ro".
	ReadOnly LoginRole `json:"readOnly"`
}

// DefaultConfig returns the configuration of a stack that sets nothing in
// platform:database: the one place its defaults are written. The stack decodes
// the stack file's object over it, so an absent key keeps its default and a
// present one (0 and false included) is meant. A Go caller starts from it and
// changes fields: a Config literal's zero fields are zeros, not defaults.
func DefaultConfig() Config {
	r := defaultRoles()
	return Config{
		EngineVersion:                    "16",
		InstanceClass:                    "db.t4g.micro",
		AllocatedStorageGiB:              20,
		MaxAllocatedStorageGiB:           100,
		DatabaseName:                     "app",
		MasterUsername:                   "platform_admin",
		MasterPasswordRotationDays:       7,
		Port:                             5432,
		BackupRetentionDays:              7,
		BackupWindow:                     "03:00-04:00",
		MaintenanceWindow:                "sun:05:00-sun:06:00",
		DeletionProtection:               true,
		PerformanceInsightsRetentionDays: 7,
		DatabaseInsightsMode:             "standard",
		MonitoringIntervalSeconds:        60,
		LogRetentionDays:                 30,
		SlowQueryMs:                      500,
		IAMAuth:                          r.IAMAuth,
		CACertIdentifier:                 "rds-ca-rsa2048-g1",
		Roles: RolesConfig{
			Schema:    r.Schema,
			Owner:     r.Owner,
			Migrator:  r.Migrator,
			ReadWrite: r.ReadWrite,
			ReadOnly:  r.ReadOnly,
		},
		BootstrapNamespace: "platform-system",
		BootstrapImage:     "public.ecr.aws/docker/library/postgres:17-alpine",
		AWSCLIImage:        "public.ecr.aws/aws-cli/aws-cli:2.36.7",
		CABundleURL:        "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
	}
}

// family returns the parameter-group family of the engine version
// ("postgres16"), or "" if the version is malformed.
func (c Config) family() string {
	major, ok := majorVersion(c.EngineVersion)
	if !ok {
		return ""
	}
	return "postgres" + strconv.Itoa(major)
}

// rolesSpec returns the SQL role specification the configuration describes.
func (c Config) rolesSpec() roleSpec {
	return roleSpec{
		Database:       c.DatabaseName,
		Schema:         c.Roles.Schema,
		Owner:          c.Roles.Owner,
		Migrator:       c.Roles.Migrator,
		ReadWrite:      c.Roles.ReadWrite,
		ReadOnly:       c.Roles.ReadOnly,
		IAMAuth:        c.IAMAuth,
		MasterUsername: c.MasterUsername,
	}
}

var (
	engineVersionRE = regexp.MustCompile(`^(\d+)(\.\d+)?$`)
	instanceClassRE = regexp.MustCompile(`^db\.[a-z0-9-]+\.[a-z0-9]+$`)
	masterUserRE    = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
	namespaceRE     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	// An image reference with an explicit tag or digest.
	imageRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._/:-]*[a-z0-9]((:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})|(@sha256:[a-f0-9]{64}))$`)
)

// minimumMajor is the oldest PostgreSQL major version accepted: the oldest
// still in RDS standard support.
const minimumMajor = 14

func majorVersion(v string) (int, bool) {
	m := engineVersionRE.FindStringSubmatch(v)
	if m == nil {
		return 0, false
	}
	major, err := strconv.Atoi(m[1])
	if err != nil || major < minimumMajor || major > 99 {
		return 0, false
	}
	return major, true
}

// CACertificates are the RDS certificate authorities accepted for the
// server certificate (the current generation).
var CACertificates = []string{"rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"}

// Validate reports every problem with c, each naming its field. The stack runs
// it when it loads platform:database, before anything is registered;
// NewDatabase does not run it again, so a Go caller that builds a Config runs
// it first.
func (c Config) Validate() error {
	var p check.Problems
	switch major, ok := majorVersion(c.EngineVersion); {
	case !ok:
		p.Addf("engineVersion", "must be a PostgreSQL version, major %d or later, such as \"16\" or \"16.4\", got %q", minimumMajor, c.EngineVersion)
	case !slices.Contains(catalog.PostgresMajors, major):
		p.Addf("engineVersion", "PostgreSQL %d is not a major version RDS offers (%s; internal/catalog, as of %s)", major, joinInts(catalog.PostgresMajors), catalog.AsOf)
	}
	switch _, known := catalog.LookupRDSClass(c.InstanceClass); {
	case !instanceClassRE.MatchString(c.InstanceClass):
		p.Addf("instanceClass", "must be an RDS instance class such as \"db.t4g.micro\" or \"db.r6g.large\", got %q", c.InstanceClass)
	case !known:
		p.Addf("instanceClass", "%q is not a DB instance class RDS for PostgreSQL offers (internal/catalog, as of %s): check the name; if AWS offers it, add it to the catalog with its source", c.InstanceClass, catalog.AsOf)
	}
	p.Between("allocatedStorageGiB", c.AllocatedStorageGiB, 20, 65536)
	if minMax := (c.AllocatedStorageGiB*11 + 9) / 10; c.MaxAllocatedStorageGiB < minMax || c.MaxAllocatedStorageGiB > 65536 {
		p.Addf("maxAllocatedStorageGiB", "must be at least 10%% above allocatedStorageGiB (%d), so at least %d, and at most 65536, got %d", c.AllocatedStorageGiB, minMax, c.MaxAllocatedStorageGiB)
	}
	if msg := validDatabaseName(c.DatabaseName); msg != "" {
		p.Addf("databaseName", "%s", msg)
	}
	switch {
	case !masterUserRE.MatchString(c.MasterUsername):
		p.Addf("masterUsername", "must be 1 to 63 lower-case letters, digits or underscores, starting with a letter, got %q", c.MasterUsername)
	case slices.Contains([]string{"postgres", "admin", "rdsadmin", "root", "public"}, c.MasterUsername) ||
		strings.HasPrefix(c.MasterUsername, "rds_") || strings.HasPrefix(c.MasterUsername, "pg_"):
		p.Addf("masterUsername", "must not be a default or reserved name (postgres, admin, rdsadmin, root, public, rds_*, pg_*), got %q", c.MasterUsername)
	}
	p.Between("masterPasswordRotationDays", c.MasterPasswordRotationDays, 1, 365)
	p.Between("port", c.Port, 1150, 65535)
	p.Between("backupRetentionDays", c.BackupRetentionDays, 1, 35)
	p.Windows("backupWindow", c.BackupWindow, "maintenanceWindow", c.MaintenanceWindow, 30)
	if d := c.PerformanceInsightsRetentionDays; d != 7 && d != 731 && (d%31 != 0 || d < 31 || d > 713) {
		p.Addf("performanceInsightsRetentionDays", "must be 7, a multiple of 31 up to 713 (months), or 731, got %d", d)
	}
	p.OneOf("databaseInsightsMode", c.DatabaseInsightsMode, "standard", "advanced")
	if c.DatabaseInsightsMode == "advanced" && c.PerformanceInsightsRetentionDays < 465 {
		p.Addf("databaseInsightsMode", "\"advanced\" needs performanceInsightsRetentionDays of at least 465, got %d", c.PerformanceInsightsRetentionDays)
	}
	p.IntOneOf("monitoringIntervalSeconds", c.MonitoringIntervalSeconds, 1, 5, 10, 15, 30, 60)
	if !parts.ValidRetention(c.LogRetentionDays) {
		p.Addf("logRetentionDays", "must be one of the retention periods CloudWatch Logs accepts (%v), got %d", parts.LogRetentionDays, c.LogRetentionDays)
	}
	p.Between("slowQueryMs", c.SlowQueryMs, 10, 3600000)
	p.OneOf("caCertIdentifier", c.CACertIdentifier, CACertificates...)
	p.Merge("roles", c.rolesSpec().validateRoles())
	if !namespaceRE.MatchString(c.BootstrapNamespace) {
		p.Addf("bootstrapNamespace", "must be a Kubernetes namespace name (lower-case letters, digits and hyphens, at most 63), got %q", c.BootstrapNamespace)
	}
	for _, img := range []struct{ path, v string }{{"bootstrapImage", c.BootstrapImage}, {"awsCliImage", c.AWSCLIImage}} {
		if !imageRE.MatchString(img.v) || strings.HasSuffix(img.v, ":latest") {
			p.Addf(img.path, "must be an image reference with a pinned tag or digest (not \"latest\"), such as \"public.ecr.aws/docker/library/postgres:17-alpine\", got %q", img.v)
		}
	}
	if u, err := url.Parse(c.CABundleURL); err != nil || u.Scheme != "https" || u.Host == "" || strings.ContainsAny(c.CABundleURL, "\"'`$\\ ") {
		p.Addf("caBundleUrl", "must be an https:// URL of a PEM bundle of RDS certificate authorities, such as \"https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem\", got %q", c.CABundleURL)
	}
	return p.Err()
}

func joinInts(ns []int) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = strconv.Itoa(n)
	}
	return strings.Join(out, ", ")
}

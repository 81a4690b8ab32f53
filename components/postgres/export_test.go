package postgres

// What the package's external tests (package postgres_test) reach that the
// program has no use for outside the package.

const (
	FetchSecretScript    = fetchSecretScript
	IAMSuffix            = iamSuffix
	MigratorVerifierEnv  = migratorVerifierEnv
	ReadOnlyVerifierEnv  = readOnlyVerifierEnv
	ReadWriteVerifierEnv = readWriteVerifierEnv
	SCRAMIterations      = scramIterations
	TypeToken            = typeToken
)

type Roles = roleSpec

var (
	DefaultRoles    = defaultRoles
	BootstrapFiles  = bootstrapFiles
	BootstrapScript = bootstrapScript
	JobHash         = jobHash
	Parameters      = parameters
	SCRAMVerifier   = scramVerifier
	SecretFieldAWK  = secretFieldAWK
	ValidRoleName   = validRoleName
)

func (c Config) Family() string { return c.family() }

func (c Config) LogExports() []string { return c.logExports() }

func (c Config) RolesSpec() Roles { return c.rolesSpec() }

func (r roleSpec) Apply() string { return r.apply() }

func (r roleSpec) Rollback() string { return r.rollback() }

func (r roleSpec) RoleNames() []string { return r.roleNames() }

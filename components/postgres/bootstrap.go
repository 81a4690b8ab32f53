package postgres

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	batchv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/batch/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/parts"
)

// bootstrapScript is what the Job's psql container runs: it reads the master
// credentials the init container fetched and applies apply.sql.
//
//go:embed bootstrap/bootstrap.sh
var bootstrapScript string

// secretFieldAWK extracts one string field from the master secret's JSON
// (the images have awk, not jq).
//
//go:embed bootstrap/secret-field.awk
var secretFieldAWK string

// fetchSecretScript is what the Job's init container runs (in the AWS CLI
// image, with the Job's IAM role): it writes the RDS-managed master secret to
// the in-memory volume the psql container reads, readable by the Job's user
// only, and downloads the RDS certificate authorities psql verifies the
// server against. The download is checked against the image's public CAs
// (curl's default), so nothing on the way can substitute its own.
const fetchSecretScript = `set -eu
umask 077
aws secretsmanager get-secret-value --secret-id "$MASTER_SECRET_ARN" --query SecretString --output text >"$MASTER_SECRET_FILE"
test -s "$MASTER_SECRET_FILE"
curl --fail --silent --show-error --proto =https --tlsv1.2 --retry 3 --output "$CA_BUNDLE_FILE" "$CA_BUNDLE_URL"
grep -q 'BEGIN CERTIFICATE' "$CA_BUNDLE_FILE"
`

// Paths inside the Job's pod.
const (
	bootstrapDir     = "/bootstrap"
	masterSecretDir  = "/run/master"
	masterSecretFile = masterSecretDir + "/secret.json"
	caBundleFile     = masterSecretDir + "/rds-ca.pem"
	// bootstrapUID runs both containers: a fixed non-root user, the same for
	// both so the psql container can read what the init container wrote.
	bootstrapUID = 65532
	// jobHashLength is how many hex digits of the content hash the Job's
	// name carries.
	jobHashLength = 10
	// sslMode is how the Job connects: TLS, with the server's certificate
	// checked against the RDS certificate authorities and its name against
	// the instance's address (libpq "verify-full"). "require" would send the
	// master password to anything that answers on the address. The server
	// enforces TLS as well (rds.force_ssl).
	sslMode = "verify-full"
)

// bootstrapFiles are the files of the bootstrap ConfigMap, mounted at
// /bootstrap in the Job: the SQL, its rollback and the scripts. None holds a
// secret.
func bootstrapFiles(r roleSpec) map[string]string {
	return map[string]string{
		"apply.sql":        r.apply(),
		"rollback.sql":     r.rollback(),
		"bootstrap.sh":     bootstrapScript,
		"secret-field.awk": secretFieldAWK,
		"verifiers.sh":     VerifiersScript,
	}
}

// jobHash is the content hash the bootstrap Job's name carries: everything
// that decides what the Job does, including each role's password version, so
// a change to any of them creates a new Job (which runs) instead of leaving
// the completed one in place.
func jobHash(cfg Config, identifier string) string {
	var b strings.Builder
	r := cfg.rolesSpec()
	files := bootstrapFiles(r)
	for _, k := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(&b, "file %s %d\n%s\n", k, len(files[k]), files[k])
	}
	fmt.Fprintf(&b, "fetch %s\n", fetchSecretScript)
	for _, l := range []LoginRole{r.Migrator, r.ReadWrite, r.ReadOnly} {
		fmt.Fprintf(&b, "password %s %d\n", l.Name, l.PasswordVersion)
	}
	fmt.Fprintf(&b, "images %s %s\nnamespace %s\ninstance %s %s %d\nsslmode %s %s\n",
		cfg.BootstrapImage, cfg.AWSCLIImage, cfg.BootstrapNamespace, identifier, cfg.DatabaseName, cfg.Port, sslMode, cfg.CABundleURL)
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])[:jobHashLength]
}

// tolerations renders the scheduling's tolerations for a pod spec.
func tolerations(s parts.Scheduling) corev1.TolerationArray {
	var out corev1.TolerationArray
	for _, t := range s.Tolerations {
		tol := corev1.TolerationArgs{Key: pulumi.String(t.Key), Operator: pulumi.String(t.Operator)}
		if t.Value != "" {
			tol.Value = pulumi.String(t.Value)
		}
		if t.Effect != "" {
			tol.Effect = pulumi.String(t.Effect)
		}
		out = append(out, tol)
	}
	return out
}

// restricted is the security context of both containers: what the
// Kubernetes "restricted" Pod Security Standard asks, plus a read-only root.
func restricted() *corev1.SecurityContextArgs {
	return &corev1.SecurityContextArgs{
		RunAsNonRoot:             pulumi.Bool(true),
		RunAsUser:                pulumi.Int(bootstrapUID),
		RunAsGroup:               pulumi.Int(bootstrapUID),
		ReadOnlyRootFilesystem:   pulumi.Bool(true),
		AllowPrivilegeEscalation: pulumi.Bool(false),
		Privileged:               pulumi.Bool(false),
		Capabilities:             &corev1.CapabilitiesArgs{Drop: pulumi.StringArray{pulumi.String("ALL")}},
		SeccompProfile:           &corev1.SeccompProfileArgs{Type: pulumi.String("RuntimeDefault")},
	}
}

// bootstrap creates the Job that applies the role SQL, with its IAM role,
// service account, ConfigMap and Secret. It returns the Job's name.
func (b *builder) bootstrap(inst *rds.Instance, key *parts.Key, verifiers map[string]pulumi.StringOutput) (pulumi.StringOutput, error) {
	ctx, cfg, bs, acct := b.ctx, b.cfg, b.args.Bootstrap, b.args.Account
	res := b.name + "-bootstrap"
	saName := res
	labels := pulumi.StringMap{
		"app.kubernetes.io/name":       pulumi.String("postgres-bootstrap"),
		"app.kubernetes.io/instance":   pulumi.String(b.name),
		"app.kubernetes.io/managed-by": pulumi.String("pulumi"),
	}
	// The IAM trust names the namespace as plain text, so the namespace the
	// stack passes must be that one; a mismatch fails the update here
	// instead of leaving a Job that cannot assume its role.
	want := cfg.BootstrapNamespace
	ns := bs.Namespace.ToStringOutput().ApplyT(func(got string) (string, error) {
		if got != want {
			return "", fmt.Errorf("bootstrap namespace is %q but bootstrapNamespace is %q; set platform:database.bootstrapNamespace to %q", got, want, got)
		}
		return got, nil
	}).(pulumi.StringOutput)

	// The role can read the master secret whenever something assumes it,
	// not only while the Job runs (audit-deploy-data #5). What bounds that:
	// the trust admits one service account in one namespace (IRSATrust's
	// sub condition), the platform's namespace, which no workload may use
	// (cluster.reservedNamespaces refuses it in platform:cluster.namespaces)
	// and where the platform binds no Role, so only cluster admins can run a
	// pod as that service account; and masterPasswordRotationDays limits
	// how long a leaked password stays good (README.md, "How the roles get
	// into the database", says the same for operators).
	role, err := iam.NewRole(ctx, res, &iam.RoleArgs{
		Description:      pulumi.String("Lets the role bootstrap Job of " + b.identifier + " read the RDS-managed master secret"),
		AssumeRolePolicy: parts.IRSATrust(bs.OIDCProviderARN, bs.OIDCIssuerURL, want, saName),
		Tags:             b.tags("-bootstrap"),
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("bootstrap role: %w", err)
	}
	policy := pulumi.All(b.c.MasterSecretARN, key.ARN).ApplyT(func(v []any) (string, error) {
		return parts.Policy(
			parts.Statement{
				Sid:      "ReadTheMasterSecret",
				Effect:   parts.Allow,
				Action:   parts.List("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
				Resource: parts.One(v[0].(string)),
			},
			parts.Statement{
				Sid:      "DecryptItThroughSecretsManager",
				Effect:   parts.Allow,
				Action:   parts.One("kms:Decrypt"),
				Resource: parts.One(v[1].(string)),
				Condition: parts.Conditions{
					"StringEquals": {"kms:ViaService": parts.One(acct.ServicePrincipal("secretsmanager"))},
				},
			},
		).JSON()
	}).(pulumi.StringOutput)
	rolePolicy, err := iam.NewRolePolicy(ctx, res, &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: policy,
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("bootstrap role policy: %w", err)
	}

	sa, err := corev1.NewServiceAccount(ctx, res, &corev1.ServiceAccountArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name:      pulumi.String(saName),
			Namespace: ns,
			Labels:    labels,
			Annotations: pulumi.StringMap{
				"eks.amazonaws.com/role-arn":               role.Arn,
				"eks.amazonaws.com/sts-regional-endpoints": pulumi.String("true"),
			},
		},
		AutomountServiceAccountToken: pulumi.Bool(false),
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("bootstrap service account: %w", err)
	}

	files := pulumi.StringMap{}
	for k, v := range bootstrapFiles(b.c.Roles) {
		files[k] = pulumi.String(v)
	}
	cm, err := corev1.NewConfigMap(ctx, res, &corev1.ConfigMapArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(res), Namespace: ns, Labels: labels},
		Data:     files,
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("bootstrap config map: %w", err)
	}
	secret, err := corev1.NewSecret(ctx, res, &corev1.SecretArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(res), Namespace: ns, Labels: labels},
		Type:     pulumi.String("Opaque"),
		StringData: pulumi.StringMap{
			migratorVerifierEnv:  verifiers[kindMigrator],
			readWriteVerifierEnv: verifiers[kindReadWrite],
			readOnlyVerifierEnv:  verifiers[kindReadOnly],
		},
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("bootstrap secret: %w", err)
	}

	fromSecret := func(env string) corev1.EnvVarInput {
		return corev1.EnvVarArgs{
			Name: pulumi.String(env),
			ValueFrom: &corev1.EnvVarSourceArgs{SecretKeyRef: &corev1.SecretKeySelectorArgs{
				Name: secret.Metadata.Name().Elem(),
				Key:  pulumi.String(env),
			}},
		}
	}
	env := func(name string, value pulumi.StringInput) corev1.EnvVarInput {
		return corev1.EnvVarArgs{Name: pulumi.String(name), Value: value}
	}
	memory := func(limit string) *corev1.EmptyDirVolumeSourceArgs {
		return &corev1.EmptyDirVolumeSourceArgs{Medium: pulumi.String("Memory"), SizeLimit: pulumi.String(limit)}
	}
	resources := func(cpu, mem, memLimit string) *corev1.ResourceRequirementsArgs {
		return &corev1.ResourceRequirementsArgs{
			Requests: pulumi.StringMap{"cpu": pulumi.String(cpu), "memory": pulumi.String(mem)},
			Limits:   pulumi.StringMap{"memory": pulumi.String(memLimit)},
		}
	}

	jobName := res + "-" + jobHash(cfg, b.identifier)
	job, err := batchv1.NewJob(ctx, res, &batchv1.JobArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name:      pulumi.String(jobName),
			Namespace: ns,
			Labels:    labels,
		},
		Spec: &batchv1.JobSpecArgs{
			// Retries with back-off ride out a database that is still
			// coming up or a security-group rule that is not in place yet.
			BackoffLimit:          pulumi.Int(6),
			ActiveDeadlineSeconds: pulumi.Int(1800),
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: labels},
				Spec: &corev1.PodSpecArgs{
					ServiceAccountName: sa.Metadata.Name().Elem(),
					// The pod never talks to the Kubernetes API; the IAM token
					// is projected by the EKS pod identity webhook on its own.
					AutomountServiceAccountToken: pulumi.Bool(false),
					RestartPolicy:                pulumi.String("Never"),
					NodeSelector:                 pulumi.ToStringMap(bs.Scheduling.NodeSelector),
					Tolerations:                  tolerations(bs.Scheduling),
					SecurityContext: &corev1.PodSecurityContextArgs{
						RunAsNonRoot:   pulumi.Bool(true),
						RunAsUser:      pulumi.Int(bootstrapUID),
						RunAsGroup:     pulumi.Int(bootstrapUID),
						FsGroup:        pulumi.Int(bootstrapUID),
						SeccompProfile: &corev1.SeccompProfileArgs{Type: pulumi.String("RuntimeDefault")},
					},
					Volumes: corev1.VolumeArray{
						corev1.VolumeArgs{Name: pulumi.String("master-secret"), EmptyDir: memory("1Mi")},
						corev1.VolumeArgs{Name: pulumi.String("tmp"), EmptyDir: memory("16Mi")},
						corev1.VolumeArgs{Name: pulumi.String("bootstrap"), ConfigMap: &corev1.ConfigMapVolumeSourceArgs{
							Name:        cm.Metadata.Name().Elem(),
							DefaultMode: pulumi.Int(0o444),
						}},
					},
					InitContainers: corev1.ContainerArray{corev1.ContainerArgs{
						Name:    pulumi.String("fetch-master-secret"),
						Image:   pulumi.String(cfg.AWSCLIImage),
						Command: pulumi.StringArray{pulumi.String("/bin/sh"), pulumi.String("-c"), pulumi.String(fetchSecretScript)},
						Env: corev1.EnvVarArray{
							env("MASTER_SECRET_ARN", b.c.MasterSecretARN),
							env("MASTER_SECRET_FILE", pulumi.String(masterSecretFile)),
							env("CA_BUNDLE_URL", pulumi.String(cfg.CABundleURL)),
							env("CA_BUNDLE_FILE", pulumi.String(caBundleFile)),
							env("AWS_REGION", pulumi.String(acct.Region)),
							env("AWS_STS_REGIONAL_ENDPOINTS", pulumi.String("regional")),
							env("HOME", pulumi.String("/tmp")),
						},
						VolumeMounts: corev1.VolumeMountArray{
							corev1.VolumeMountArgs{Name: pulumi.String("master-secret"), MountPath: pulumi.String(masterSecretDir)},
							corev1.VolumeMountArgs{Name: pulumi.String("tmp"), MountPath: pulumi.String("/tmp")},
						},
						SecurityContext: restricted(),
						Resources:       resources("50m", "128Mi", "256Mi"),
					}},
					Containers: corev1.ContainerArray{corev1.ContainerArgs{
						Name:    pulumi.String("psql"),
						Image:   pulumi.String(cfg.BootstrapImage),
						Command: pulumi.StringArray{pulumi.String("/bin/sh"), pulumi.String(bootstrapDir + "/bootstrap.sh")},
						Env: corev1.EnvVarArray{
							env("PGHOST", b.c.Address),
							env("PGPORT", pulumi.String(strconv.Itoa(cfg.Port))),
							env("PGDATABASE", pulumi.String(cfg.DatabaseName)),
							env("PGSSLMODE", pulumi.String(sslMode)),
							env("PGSSLROOTCERT", pulumi.String(caBundleFile)),
							env("MASTER_SECRET_FILE", pulumi.String(masterSecretFile)),
							env("BOOTSTRAP_DIR", pulumi.String(bootstrapDir)),
							env("HOME", pulumi.String("/tmp")),
							fromSecret(migratorVerifierEnv),
							fromSecret(readWriteVerifierEnv),
							fromSecret(readOnlyVerifierEnv),
						},
						VolumeMounts: corev1.VolumeMountArray{
							corev1.VolumeMountArgs{Name: pulumi.String("master-secret"), MountPath: pulumi.String(masterSecretDir)},
							corev1.VolumeMountArgs{Name: pulumi.String("bootstrap"), MountPath: pulumi.String(bootstrapDir), ReadOnly: pulumi.Bool(true)},
							corev1.VolumeMountArgs{Name: pulumi.String("tmp"), MountPath: pulumi.String("/tmp")},
						},
						SecurityContext: restricted(),
						Resources:       resources("50m", "64Mi", "128Mi"),
					}},
				},
			},
		},
	}, b.parent,
		// The pod needs a node to run on and its IAM role's permissions in
		// place before it asks for the secret.
		pulumi.DependsOn(append(append([]pulumi.Resource{}, bs.DependsOn...), rolePolicy)),
		pulumi.Timeouts(&pulumi.CustomTimeouts{Create: "30m", Update: "30m"}),
	)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("bootstrap job: %w", err)
	}
	return job.Metadata.Name().Elem(), nil
}

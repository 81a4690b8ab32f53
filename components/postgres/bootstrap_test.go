package postgres_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/postgres"
	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/internal/parts"
)

// containerAt returns the path prefix of the container with the given name.
func containerAt(t *testing.T, job *offline.Resource, list, name string) string {
	t.Helper()
	n := len(offlinetest.Prop(t, job, "spec.template.spec."+list).ArrayValue())
	for i := range n {
		p := fmt.Sprintf("spec.template.spec.%s[%d]", list, i)
		if offlinetest.Str(t, job, p+".name") == name {
			return p
		}
	}
	t.Fatalf("no %s %q in the Job", list, name)
	return ""
}

// envOf returns a container's environment: literal values, and for values
// from a Secret "secret:<name>/<key>".
func envOf(t *testing.T, job *offline.Resource, container string) map[string]string {
	t.Helper()
	out := map[string]string{}
	n := len(offlinetest.Prop(t, job, container+".env").ArrayValue())
	for i := range n {
		p := fmt.Sprintf("%s.env[%d]", container, i)
		name := offlinetest.Str(t, job, p+".name")
		if offlinetest.Has(job, p+".valueFrom") {
			out[name] = "secret:" + offlinetest.Str(t, job, p+".valueFrom.secretKeyRef.name") + "/" + offlinetest.Str(t, job, p+".valueFrom.secretKeyRef.key")
			continue
		}
		v := offlinetest.Prop(t, job, p+".value")
		if v.IsString() {
			out[name] = v.StringValue()
		} else {
			out[name] = "<unknown>"
		}
	}
	return out
}

// hasSecret reports whether any value under v is a Pulumi secret.
func hasSecret(v resource.PropertyValue) bool {
	switch {
	case v.IsSecret():
		return true
	case v.IsOutput():
		return v.OutputValue().Secret || hasSecret(v.OutputValue().Element)
	case v.IsObject():
		for _, e := range v.ObjectValue() {
			if hasSecret(e) {
				return true
			}
		}
	case v.IsArray():
		for _, e := range v.ArrayValue() {
			if hasSecret(e) {
				return true
			}
		}
	}
	return false
}

func TestBootstrapJob(t *testing.T) {
	t.Parallel()
	rec, s := run(t, options{bootstrap: true})
	inst := offlinetest.Find(t, rec, instanceType, "db")
	address, _ := offline.GetString(inst.Outputs, "address")
	masterARN, _ := offline.GetString(inst.Outputs, "masterUserSecrets[0].secretArn")
	prov := offlinetest.Find(t, rec, k8sProvider, "k8s")

	job := offlinetest.Find(t, rec, jobType, "db-bootstrap")
	require.True(t, strings.HasPrefix(job.Provider, prov.URN+"::"), "the Job uses the stack's Kubernetes provider, got %q", job.Provider)
	require.Equal(t, "db-bootstrap-"+postgres.JobHash(postgres.DefaultConfig(), identifier), offlinetest.Str(t, job, "metadata.name"))
	require.Equal(t, "platform-system", offlinetest.Str(t, job, "metadata.namespace"))
	require.Equal(t, 6.0, offlinetest.Num(t, job, "spec.backoffLimit"))
	require.False(t, offlinetest.Has(job, "spec.ttlSecondsAfterFinished"), "a completed Job stays, so Pulumi does not recreate it")
	require.False(t, offlinetest.Has(job, "metadata.annotations"), "no skipAwait: pulumi up waits for the Job")
	require.False(t, hasSecret(resource.NewProperty(job.Inputs)), "no credential may be written into the Job")

	pod := "spec.template.spec."
	require.Equal(t, "Never", offlinetest.Str(t, job, pod+"restartPolicy"))
	require.Equal(t, "db-bootstrap", offlinetest.Str(t, job, pod+"serviceAccountName"))
	require.False(t, offlinetest.Bool(t, job, pod+"automountServiceAccountToken"))
	require.True(t, offlinetest.Bool(t, job, pod+"securityContext.runAsNonRoot"))
	require.Equal(t, "RuntimeDefault", offlinetest.Str(t, job, pod+"securityContext.seccompProfile.type"))
	require.Equal(t, "master-secret", offlinetest.Str(t, job, pod+"volumes[0].name"))
	require.Equal(t, "Memory", offlinetest.Str(t, job, pod+"volumes[0].emptyDir.medium"), "the master secret lives in memory only")

	initC := containerAt(t, job, "initContainers", "fetch-master-secret")
	psql := containerAt(t, job, "containers", "psql")
	for _, c := range []string{initC, psql} {
		require.True(t, offlinetest.Bool(t, job, c+".securityContext.runAsNonRoot"), c)
		require.Equal(t, 65532.0, offlinetest.Num(t, job, c+".securityContext.runAsUser"), c)
		require.True(t, offlinetest.Bool(t, job, c+".securityContext.readOnlyRootFilesystem"), c)
		require.False(t, offlinetest.Bool(t, job, c+".securityContext.allowPrivilegeEscalation"), c)
		require.Equal(t, []string{"ALL"}, offlinetest.Strs(t, job, c+".securityContext.capabilities.drop"), c)
		require.Equal(t, "RuntimeDefault", offlinetest.Str(t, job, c+".securityContext.seccompProfile.type"), c)
	}
	require.Equal(t, postgres.DefaultConfig().AWSCLIImage, offlinetest.Str(t, job, initC+".image"))
	require.Equal(t, []string{"/bin/sh", "-c", postgres.FetchSecretScript}, offlinetest.Strs(t, job, initC+".command"))
	require.Equal(t, map[string]string{
		"MASTER_SECRET_ARN":          masterARN,
		"MASTER_SECRET_FILE":         "/run/master/secret.json",
		"CA_BUNDLE_URL":              "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
		"CA_BUNDLE_FILE":             "/run/master/rds-ca.pem",
		"AWS_REGION":                 "us-east-1",
		"AWS_STS_REGIONAL_ENDPOINTS": "regional",
		"HOME":                       "/tmp",
	}, envOf(t, job, initC))

	require.Equal(t, postgres.DefaultConfig().BootstrapImage, offlinetest.Str(t, job, psql+".image"))
	require.Equal(t, []string{"/bin/sh", "/bootstrap/bootstrap.sh"}, offlinetest.Strs(t, job, psql+".command"))
	require.Equal(t, map[string]string{
		"PGHOST":                      address,
		"PGPORT":                      "5432",
		"PGDATABASE":                  "app",
		"PGSSLMODE":                   "verify-full",
		"PGSSLROOTCERT":               "/run/master/rds-ca.pem",
		"MASTER_SECRET_FILE":          "/run/master/secret.json",
		"BOOTSTRAP_DIR":               "/bootstrap",
		"HOME":                        "/tmp",
		postgres.MigratorVerifierEnv:  "secret:db-bootstrap/" + postgres.MigratorVerifierEnv,
		postgres.ReadWriteVerifierEnv: "secret:db-bootstrap/" + postgres.ReadWriteVerifierEnv,
		postgres.ReadOnlyVerifierEnv:  "secret:db-bootstrap/" + postgres.ReadOnlyVerifierEnv,
	}, envOf(t, job, psql))

	// The Job waits for a node, its IAM permissions and its inputs; never
	// the other way round.
	for _, dep := range []string{
		urn(t, s.nodes),
		offlinetest.Find(t, rec, "aws:iam/rolePolicy:RolePolicy", "db-bootstrap").URN,
		offlinetest.Find(t, rec, secretType, "db-bootstrap").URN,
		offlinetest.Find(t, rec, configMapType, "db-bootstrap").URN,
		offlinetest.Find(t, rec, saType, "db-bootstrap").URN,
		inst.URN,
	} {
		require.Contains(t, job.Dependencies, dep)
	}

	cm := offlinetest.Find(t, rec, configMapType, "db-bootstrap")
	require.False(t, hasSecret(resource.NewProperty(cm.Inputs)))
	files := postgres.BootstrapFiles(s.db.Roles)
	require.Len(t, offlinetest.Prop(t, cm, "data").ObjectValue(), len(files))
	for name, content := range files {
		require.Equal(t, content, offlinetest.Str(t, cm, `data["`+name+`"]`), name)
	}
	require.NotRegexp(t, `SCRAM-SHA-256\$\d`, offlinetest.Str(t, cm, `data["apply.sql"]`), "the SQL holds no credential")

	sec := offlinetest.Find(t, rec, secretType, "db-bootstrap")
	require.Equal(t, "Opaque", offlinetest.Str(t, sec, "type"))
	for _, env := range []string{postgres.MigratorVerifierEnv, postgres.ReadWriteVerifierEnv, postgres.ReadOnlyVerifierEnv} {
		require.True(t, offlinetest.IsSecret(t, sec, "stringData."+env), env)
	}

	sa := offlinetest.Find(t, rec, saType, "db-bootstrap")
	role := offlinetest.Find(t, rec, "aws:iam/role:Role", "db-bootstrap")
	roleARN, _ := offline.GetString(role.Outputs, "arn")
	require.Equal(t, roleARN, offlinetest.Str(t, sa, `metadata.annotations["eks.amazonaws.com/role-arn"]`))
	require.False(t, offlinetest.Bool(t, sa, "automountServiceAccountToken"))
	for _, r := range []*offline.Resource{sa, cm, sec, job} {
		require.True(t, strings.HasPrefix(r.Provider, prov.URN+"::"), "%s uses the stack's Kubernetes provider", r.Type)
	}
}

func TestBootstrapIAM(t *testing.T) {
	t.Parallel()
	rec, _ := runUpdate(t, options{bootstrap: true})
	inst := offlinetest.Find(t, rec, instanceType, "db")
	masterARN, _ := offline.GetString(inst.Outputs, "masterUserSecrets[0].secretArn")
	keyARN, _ := offline.GetString(offlinetest.Find(t, rec, "aws:kms/key:Key", "db-key").Outputs, "arn")

	role := offlinetest.Find(t, rec, "aws:iam/role:Role", "db-bootstrap")
	trust := offlinetest.Policy(t, role, "assumeRolePolicy")
	require.Len(t, trust.Statement, 1)
	st := trust.Statement[0]
	require.Equal(t, parts.One("sts:AssumeRoleWithWebIdentity"), st.Action)
	clusterID, _ := offline.GetString(offlinetest.Find(t, rec, "random:index/randomId:RandomId", "cluster").Outputs, "hex")
	issuer := "oidc.eks.us-east-1.amazonaws.com/id/" + clusterID
	require.Equal(t, &parts.Principal{Federated: parts.One("arn:aws:iam::123456789012:oidc-provider/" + issuer)}, st.Principal)
	require.Equal(t, parts.Conditions{"StringEquals": {
		issuer + ":sub": parts.One("system:serviceaccount:platform-system:db-bootstrap"),
		issuer + ":aud": parts.One("sts.amazonaws.com"),
	}}, st.Condition)

	pol := offlinetest.Find(t, rec, "aws:iam/rolePolicy:RolePolicy", "db-bootstrap")
	doc := offlinetest.Policy(t, pol, "policy")
	require.Len(t, doc.Statement, 2)
	require.Equal(t, parts.List("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"), doc.Statement[0].Action)
	require.Equal(t, parts.One(masterARN), doc.Statement[0].Resource, "exactly the RDS-managed master secret")
	require.Nil(t, doc.Statement[0].Condition)
	require.Equal(t, parts.One("kms:Decrypt"), doc.Statement[1].Action)
	require.Equal(t, parts.One(keyARN), doc.Statement[1].Resource)
	require.Equal(t, parts.Conditions{"StringEquals": {"kms:ViaService": parts.One("secretsmanager.us-east-1.amazonaws.com")}}, doc.Statement[1].Condition)

	// The verifiers are SCRAM verifiers, and secret.
	sec := offlinetest.Find(t, rec, secretType, "db-bootstrap")
	for _, env := range []string{postgres.MigratorVerifierEnv, postgres.ReadWriteVerifierEnv, postgres.ReadOnlyVerifierEnv} {
		require.True(t, offlinetest.IsSecret(t, sec, "stringData."+env))
		require.Regexp(t, `^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$`, offlinetest.Str(t, sec, "stringData."+env))
	}
	// Each verifier belongs to the password in the role's Secrets Manager
	// secret: recomputing it from that password and its salt gives it back.
	for env, kind := range map[string]string{postgres.MigratorVerifierEnv: "migrator", postgres.ReadWriteVerifierEnv: "readwrite", postgres.ReadOnlyVerifierEnv: "readonly"} {
		verifier := offlinetest.Str(t, sec, "stringData."+env)
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(offlinetest.Str(t, offlinetest.Find(t, rec, "aws:secretsmanager/secretVersion:SecretVersion", "db-"+kind), "secretString")), &doc))
		salt, err := base64.StdEncoding.DecodeString(strings.Split(strings.Split(verifier, ":")[1], "$")[0])
		require.NoError(t, err)
		again, err := postgres.SCRAMVerifier(doc["password"].(string), salt, postgres.SCRAMIterations)
		require.NoError(t, err)
		require.Equal(t, verifier, again, env)
	}
	require.NotEqual(t, offlinetest.Str(t, sec, "stringData."+postgres.ReadWriteVerifierEnv), offlinetest.Str(t, sec, "stringData."+postgres.ReadOnlyVerifierEnv),
		"each role has its own salt")
}

func TestBootstrapNamespaceMismatch(t *testing.T) {
	t.Parallel()
	_, err := offlinetest.RunErr(program(options{bootstrap: true, mutate: func(a *postgres.DatabaseArgs) {
		a.Bootstrap.Namespace = pulumi.String("kube-system")
	}}, nil))
	require.ErrorContains(t, err, `bootstrap namespace is "kube-system" but bootstrapNamespace is "platform-system"`)
}

func TestJobHash(t *testing.T) {
	t.Parallel()
	base := postgres.DefaultConfig()
	h := postgres.JobHash(base, identifier)
	require.Regexp(t, `^[0-9a-f]{10}$`, h)
	require.Equal(t, h, postgres.JobHash(base, identifier), "stable")

	changes := map[string]func(c *postgres.Config){
		"password version": func(c *postgres.Config) { c.Roles.ReadWrite.PasswordVersion = 2 },
		"role name":        func(c *postgres.Config) { c.Roles.ReadOnly.Name = "reader" },
		"connection limit": func(c *postgres.Config) { c.Roles.ReadOnly.ConnectionLimit = 3 },
		"iam auth":         func(c *postgres.Config) { c.IAMAuth = false },
		"psql image":       func(c *postgres.Config) { c.BootstrapImage = "postgres:16.4-alpine" },
		"aws cli image":    func(c *postgres.Config) { c.AWSCLIImage = "amazon/aws-cli:2.27.1" },
		"database":         func(c *postgres.Config) { c.DatabaseName = "orders" },
	}
	for name, change := range changes {
		c := base
		c.Roles = base.Roles
		change(&c)
		require.NotEqual(t, h, postgres.JobHash(c, identifier), "%s must re-run the Job", name)
	}
	same := map[string]func(c *postgres.Config){
		"instance class": func(c *postgres.Config) { c.InstanceClass = "db.r6g.large" },
		"retention":      func(c *postgres.Config) { c.BackupRetentionDays = 30 },
		"multi-az":       func(c *postgres.Config) { c.MultiAZ = true },
	}
	for name, change := range same {
		c := base
		change(&c)
		require.Equal(t, h, postgres.JobHash(c, identifier), "%s must not re-run the Job", name)
	}
	require.NotEqual(t, h, postgres.JobHash(base, "platform-prod-db"))
}

func TestBootstrapPasswordVersionRenamesJob(t *testing.T) {
	t.Parallel()
	rec1, _ := run(t, options{bootstrap: true})
	rec2, _ := run(t, options{bootstrap: true, mutate: func(a *postgres.DatabaseArgs) { a.Roles.Migrator.PasswordVersion = 2 }})
	n1 := offlinetest.Str(t, offlinetest.Find(t, rec1, jobType, "db-bootstrap"), "metadata.name")
	n2 := offlinetest.Str(t, offlinetest.Find(t, rec2, jobType, "db-bootstrap"), "metadata.name")
	require.NotEqual(t, n1, n2)
	require.Equal(t, "2", offlinetest.Str(t, offlinetest.Find(t, rec2, "random:index/randomPassword:RandomPassword", "db-migrator"), "keepers.version"),
		"a new version generates a new password")
}

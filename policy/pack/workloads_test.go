package pack_test

import "testing"

func TestKubernetesWorkloadHardening(t *testing.T) {
	t.Parallel()
	job := "db-bootstrap-3f9a2c1b"
	pod := "spec.template.spec"
	c0 := pod + ".containers[0]"
	runCases(t, "kubernetes-workload-args-no-plain-credentials", []ruleCase{
		{name: "compliant (a password file, a host)"},
		{name: "flag with a value", edits: []edit{set(job, c0+".args", []any{"--db-password=hunter2"})}, want: `Container "psql" ` + "`args`" + ` holds flag --db-password with a literal value`, on: job},
		{name: "flag then value", edits: []edit{set(job, c0+".args", []any{"--api-token", "abc123"})}, want: "flag --api-token"},
		{name: "short form", edits: []edit{set(job, c0+".args", []any{"--redis-pw", "abc123"})}, want: "flag --redis-pw"},
		{name: "URL with a password", edits: []edit{set(job, c0+".args", []any{"--url", "postgres://app:hunter2@db/app"})}, want: "a URL with a password"},
		{name: "JWT in a command", edits: []edit{set(job, c0+".command", []any{"curl", "-H", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"})}, want: "a JSON Web Token"},
		{name: "assignment in a shell script", edits: []edit{set(job, c0+".command", []any{"/bin/sh", "-c", "PGPASSWORD=hunter2 psql"})}, want: "a value assigned to PGPASSWORD"},
		{name: "an environment reference", edits: []edit{set(job, c0+".args", []any{"--db-password", "$(DB_PASSWORD)"})}},
		{name: "reference names", edits: []edit{set(job, c0+".args", []any{"--secret-id", "arn:aws:secretsmanager:us-east-1:1:secret:x", "--token-file=/var/run/token"})}},
		{name: "init container", edits: []edit{set(job, pod+".initContainers[0].args", []any{"--token=abc123"})}, want: `"fetch-master"`},
		{name: "computed", edits: []edit{set(job, c0+".args", []any{"--db-password", unknown})}},
		{name: "other type ignored", edits: []edit{set(job, c0+".args", []any{"--db-password=hunter2"}), retype(job, otherType)}},
	})
	runCases(t, "kubernetes-workload-env-no-plain-credentials", []ruleCase{
		{name: "short form name", edits: []edit{set(job, c0+".env[2]", map[string]any{"name": "DB_PW", "value": "hunter2"})}, want: "DB_PW"},
		{name: "AWS key by shape", edits: []edit{set(job, c0+".env[2]", map[string]any{"name": "AWS_ID", "value": "AKIAABCDEFGHIJKLMNOP"})}, want: "an AWS access key"},
		{name: "private key by shape", edits: []edit{set(job, c0+".env[2]", map[string]any{"name": "TLS", "value": "-----BEGIN EC PRIVATE KEY-----\nMHcC"})}, want: "a private key"},
		{name: "a KMS key ID is not a credential", edits: []edit{set(job, c0+".env[2]", map[string]any{"name": "KMS_KEY", "value": "alias/platform"})}},
	})
	runCases(t, "kubernetes-core-configmap-no-credentials", []ruleCase{
		{name: "short form key", edits: []edit{set("db-bootstrap-sql", "data.REDIS_PASS", "hunter2")}, want: `"REDIS_PASS"`},
		{name: "DSN key", edits: []edit{set("db-bootstrap-sql", "data.DB_DSN", "host=db user=app")}, want: `"DB_DSN"`},
		{name: "JWT by shape", edits: []edit{set("db-bootstrap-sql", "data.config", "auth: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")}, want: "a JSON Web Token"},
		{name: "a script named for secrets is judged by its content", edits: []edit{set("db-bootstrap-sql", "data", map[string]any{"secret-field.awk": "{ print $2 }"})}},
	})
	runCases(t, "kubernetes-workload-no-privileged", []ruleCase{
		{name: "compliant"},
		{name: "privileged", edits: []edit{set(job, c0+".securityContext.privileged", true)}, want: `Container "psql" is privileged`, on: job},
		{name: "privileged init container", edits: []edit{set(job, pod+".initContainers[0].securityContext.privileged", true)}, want: `"fetch-master"`},
		{name: "computed", edits: []edit{set(job, c0+".securityContext.privileged", unknown)}},
		{name: "wrong shape", edits: []edit{set(job, c0+".securityContext.privileged", "yes")}, want: "must be false"},
		{name: "deployment", edits: []edit{set(job, c0+".securityContext.privileged", true), retype(job, "kubernetes:apps/v1:Deployment")}, want: "privileged"},
		{name: "other type ignored", edits: []edit{set(job, c0+".securityContext.privileged", true), retype(job, otherType)}},
	})
	runCases(t, "kubernetes-workload-no-host-namespaces", []ruleCase{
		{name: "compliant"},
		{name: "host network", edits: []edit{set(job, pod+".hostNetwork", true)}, want: "`hostNetwork` is true", on: job},
		{name: "host PID and IPC", edits: []edit{set(job, pod+".hostPID", true), set(job, pod+".hostIPC", true)}, want: "shares the node's namespace", nWant: 2},
		{name: "explicitly off", edits: []edit{set(job, pod+".hostNetwork", false)}},
		{name: "computed", edits: []edit{set(job, pod+".hostNetwork", unknown)}},
		{name: "daemon set", edits: []edit{set(job, pod+".hostPID", true), retype(job, "kubernetes:apps/v1:DaemonSet")}, want: "hostPID"},
		{name: "other type ignored", edits: []edit{set(job, pod+".hostNetwork", true), retype(job, otherType)}},
	})
	runCases(t, "kubernetes-workload-non-root", []ruleCase{
		{name: "compliant (pod and containers non-root)"},
		{name: "pod-level only", edits: []edit{del(job, c0+".securityContext.runAsNonRoot"), del(job, pod+".initContainers[0].securityContext.runAsNonRoot")}},
		{name: "unset everywhere", edits: []edit{del(job, c0+".securityContext.runAsNonRoot"), del(job, pod+".securityContext.runAsNonRoot")}, want: `Container "psql" may run as root`, on: job},
		{name: "root user", edits: []edit{set(job, c0+".securityContext.runAsUser", 0)}, want: "runs as user 0"},
		{name: "runAsNonRoot false", edits: []edit{set(job, c0+".securityContext.runAsNonRoot", false)}, want: "may run as root"},
		{name: "computed", edits: []edit{set(job, c0+".securityContext", unknown)}},
		{name: "stateful set", edits: []edit{set(job, c0+".securityContext.runAsUser", 0), retype(job, "kubernetes:apps/v1:StatefulSet")}, want: "user 0"},
		{name: "a patch that leaves it unset", edits: []edit{del(job, c0+".securityContext.runAsNonRoot"), del(job, pod+".securityContext.runAsNonRoot"), retype(job, "kubernetes:batch/v1:JobPatch")}},
		{name: "a patch to root", edits: []edit{set(job, c0+".securityContext.runAsUser", 0), retype(job, "kubernetes:apps/v1:DeploymentPatch")}, want: "user 0"},
		{name: "other type ignored", edits: []edit{set(job, c0+".securityContext.runAsUser", 0), retype(job, otherType)}},
	})
	runCases(t, "kubernetes-workload-no-added-capabilities", []ruleCase{
		{name: "compliant (drops ALL)"},
		{name: "NET_ADMIN", edits: []edit{set(job, c0+".securityContext.capabilities.add", []any{"NET_ADMIN"})}, want: "`NET_ADMIN`", on: job},
		{name: "CAP_ prefix", edits: []edit{set(job, c0+".securityContext.capabilities.add", []any{"CAP_SYS_ADMIN"})}, want: "CAP_SYS_ADMIN"},
		{name: "NET_BIND_SERVICE is allowed", edits: []edit{set(job, c0+".securityContext.capabilities.add", []any{"NET_BIND_SERVICE"})}},
		{name: "allowed by config", edits: []edit{set(job, c0+".securityContext.capabilities.add", []any{"NET_RAW"})}, props: map[string]any{"allowedCapabilities": []any{"NET_BIND_SERVICE", "NET_RAW"}}},
		{name: "computed", edits: []edit{set(job, c0+".securityContext.capabilities.add", unknown)}},
		{name: "other type ignored", edits: []edit{set(job, c0+".securityContext.capabilities.add", []any{"SYS_ADMIN"}), retype(job, otherType)}},
	})
	runCases(t, "kubernetes-workload-no-host-path", []ruleCase{
		{name: "compliant (ConfigMap and emptyDir volumes)"},
		{name: "hostPath", edits: []edit{set(job, pod+".volumes[1]", map[string]any{"name": "docker", "hostPath": map[string]any{"path": "/var/run/docker.sock"}})}, want: `Volume "docker" mounts the node's /var/run/docker.sock`, on: job},
		{name: "computed volumes", edits: []edit{set(job, pod+".volumes", unknown)}},
		{name: "pod", edits: []edit{add(res{typ: "kubernetes:core/v1:Pod", name: "debug", props: map[string]any{"spec": map[string]any{"volumes": []any{map[string]any{"name": "root", "hostPath": map[string]any{"path": "/"}}}}}})}, want: `"root"`},
		{name: "other type ignored", edits: []edit{set(job, pod+".volumes[1]", map[string]any{"name": "h", "hostPath": map[string]any{"path": "/"}}), retype(job, otherType)}},
	})
	ns := "platform-system"
	runCases(t, "kubernetes-core-namespace-pod-security-enforced", []ruleCase{
		{name: "compliant (restricted)"},
		{name: "baseline is allowed", edits: []edit{set(ns, "metadata.labels", map[string]any{"pod-security.kubernetes.io/enforce": "baseline"})}},
		{name: "no label", edits: []edit{del(ns, "metadata.labels")}, want: "enforces no Pod Security Standard", on: ns},
		{name: "warn only", edits: []edit{set(ns, "metadata.labels", map[string]any{"pod-security.kubernetes.io/warn": "restricted"})}, want: "enforces no Pod Security Standard"},
		{name: "privileged", edits: []edit{set(ns, "metadata.labels", map[string]any{"pod-security.kubernetes.io/enforce": "privileged"})}, want: `enforces "privileged"`},
		{name: "restricted only by config", edits: []edit{set(ns, "metadata.labels", map[string]any{"pod-security.kubernetes.io/enforce": "baseline"})}, props: map[string]any{"allowedLevels": []any{"restricted"}}, want: "baseline"},
		{name: "computed", edits: []edit{set(ns, "metadata.labels", unknown)}},
		{name: "other type ignored", edits: []edit{del(ns, "metadata.labels"), retype(ns, otherType)}},
	})
	sc := "gp3-encrypted"
	runCases(t, "kubernetes-storage-storageclass-encrypted", []ruleCase{
		{name: "compliant"},
		{name: "unencrypted default", edits: []edit{del(sc, "parameters.encrypted")}, want: "The default StorageClass provisions unencrypted volumes", on: sc},
		{name: "unencrypted EBS class", edits: []edit{del(sc, "metadata.annotations"), set(sc, "parameters.encrypted", "false")}, want: "The StorageClass provisions"},
		{name: "in-tree provisioner", edits: []edit{set(sc, "provisioner", "kubernetes.io/aws-ebs"), del(sc, "parameters.encrypted")}, want: "unencrypted"},
		{name: "non-default EFS class is another matter", edits: []edit{del(sc, "metadata.annotations"), set(sc, "provisioner", "efs.csi.aws.com"), del(sc, "parameters.encrypted")}},
		{name: "computed", edits: []edit{set(sc, "parameters.encrypted", unknown)}},
		{name: "other type ignored", edits: []edit{del(sc, "parameters.encrypted"), retype(sc, otherType)}},
	})
}

func TestDatastoreHygiene(t *testing.T) {
	t.Parallel()
	pg := "db-postgres16"
	runCases(t, "aws-rds-parametergroup-no-md5-passwords", []ruleCase{
		{name: "compliant (scram-sha-256)"},
		{name: "md5", edits: []edit{set(pg, "parameters[1].value", "md5")}, want: "`password_encryption` is md5", on: pg},
		{name: "PostgreSQL 16 defaults to SCRAM", edits: []edit{set(pg, "parameters", []any{map[string]any{"name": "rds.force_ssl", "value": "1"}})}},
		{name: "PostgreSQL 13 defaults to md5", edits: []edit{set(pg, "family", "postgres13"), set(pg, "parameters", []any{map[string]any{"name": "rds.force_ssl", "value": "1"}})}, want: "Family postgres13 stores passwords as MD5"},
		{name: "not PostgreSQL", edits: []edit{set(pg, "family", "mysql8.0"), set(pg, "parameters[1].value", "md5")}},
		{name: "computed", edits: []edit{set(pg, "parameters[1].value", unknown)}},
		{name: "other type ignored", edits: []edit{set(pg, "parameters[1].value", "md5"), retype(pg, otherType)}},
	})
	runCases(t, "aws-rds-instance-in-subnet-group", []ruleCase{
		{name: "the default subnet group", edits: []edit{set("db", "dbSubnetGroupName", "default")}, want: `"default"`, on: "db"},
	})
	runCases(t, "aws-elasticache-replicationgroup-log-delivery", []ruleCase{
		{name: "compliant (slow and engine logs)"},
		{name: "slow log only", edits: []edit{set("cache", "logDeliveryConfigurations", []any{map[string]any{"logType": "slow-log", "destination": "x"}})}, want: "`engine-log`", on: "cache"},
		{name: "none", edits: []edit{del("cache", "logDeliveryConfigurations")}, want: "`slow-log`, `engine-log`"},
		{name: "slow log is enough by config", edits: []edit{set("cache", "logDeliveryConfigurations", []any{map[string]any{"logType": "slow-log"}})}, props: map[string]any{"requiredLogTypes": []any{"slow-log"}}},
		{name: "computed", edits: []edit{set("cache", "logDeliveryConfigurations", unknown)}},
		{name: "other type ignored", edits: []edit{del("cache", "logDeliveryConfigurations"), retype("cache", otherType)}},
	})
	runCases(t, "aws-eks-cluster-no-creator-admin", []ruleCase{
		{name: "compliant (off)"},
		{name: "on", edits: []edit{set("eks", "accessConfig.bootstrapClusterCreatorAdminPermissions", true)}, want: "cluster-admin outside this stack", on: "eks"},
		{name: "unset means on", edits: []edit{del("eks", "accessConfig")}, want: "true or unset"},
		{name: "computed", edits: []edit{set("eks", "accessConfig.bootstrapClusterCreatorAdminPermissions", unknown)}},
		{name: "other type ignored", edits: []edit{del("eks", "accessConfig"), retype("eks", otherType)}},
	})
}

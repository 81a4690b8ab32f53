package postgres

import (
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
)

// parameters returns the parameter group's settings for a configuration,
// sorted by name. Static parameters use pending-reboot (RDS rejects
// immediate for them); for dynamic ones pending-reboot is accepted too and
// used where the docs differ between versions.
func parameters(cfg Config) []rds.ParameterGroupParameter {
	immediate, reboot := "immediate", "pending-reboot"
	p := func(name, value, method string) rds.ParameterGroupParameter {
		return rds.ParameterGroupParameter{Name: name, Value: value, ApplyMethod: &method}
	}
	return []rds.ParameterGroupParameter{
		p("log_connections", "1", immediate),
		p("log_disconnections", "1", immediate),
		p("log_lock_waits", "1", immediate),
		p("log_min_duration_statement", strconv.Itoa(cfg.SlowQueryMs), immediate),
		// DDL only. The bootstrap's role passwords reach the server as COPY
		// data, never in a statement's text (roleSpec.apply), so neither this
		// nor log_min_duration_statement can write them to the log.
		p("log_statement", "ddl", immediate),
		p("password_encryption", "scram-sha-256", immediate),
		p("rds.force_ssl", "1", reboot),
		p("shared_preload_libraries", "pg_stat_statements", reboot),
	}
}

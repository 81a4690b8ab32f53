// Package redis provides the platform's cache (platform:data:Cache): an
// ElastiCache replication group running Redis OSS (or Valkey) with cluster
// mode disabled, in the data-tier subnets.
//
// Everything is on by default: encryption at rest under a customer-managed KMS
// key, TLS-only connections, an AUTH token drawn by random.RandomPassword and
// kept in Secrets Manager as {host, port, tls, token}, daily snapshots with a
// final snapshot on deletion, slow and engine logs in encrypted CloudWatch log
// groups, and a security group that admits port 6379 only from the security
// groups the caller names. With two or more nodes the group gets automatic
// failover and Multi-AZ; with one it gets neither (AWS rejects both).
//
// The version-to-family and naming rules are pure functions (naming.go) with
// their own tests. README.md is the operator's guide: how applications read
// the secret and how to rotate the AUTH token without downtime.
package redis

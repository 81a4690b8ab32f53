// Package backup provides the platform's backups beyond what each data store
// keeps for itself (platform:reliability:Backup): an AWS Backup vault under a
// customer-managed key, a plan with a daily rule and optional weekly and
// monthly rules, and a selection covering the PostgreSQL instance.
//
// With a disaster-recovery region (DRArgs, built by the stack from
// platform:backup.drRegion) every rule also copies its recovery point to a
// vault in that region under that region's own key, and RDS replicates the
// instance's automated backups (point-in-time restore) there too. A
// governance-mode vault lock, a config switch, keeps recovery points from
// being deleted before their minimum retention.
//
// The rules are planned by a pure function (Config.Rules), which the
// validation and the component share.
package backup

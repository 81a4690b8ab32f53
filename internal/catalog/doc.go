// Package catalog holds what AWS offers, as dated tables with their sources:
// regions, EC2 instance types and their architectures, RDS instance classes
// and PostgreSQL versions, ElastiCache node types and engine versions, Amazon
// MQ broker instance types. The configuration is checked against them
// offline; with real credentials the same checks ask AWS through the
// provider's data sources, and the offline harness answers those data
// sources from these tables, so both paths report in one format.
//
// A table can be older than AWS: a value AWS offers that is missing here is
// refused offline (add it, with its source), never deployed blindly.
package catalog

// Package monitoring provides the platform's alarms and dashboard
// (platform:observability:Monitoring): an SNS topic encrypted with a
// customer-managed key that CloudWatch may use, its subscriptions, one
// CloudWatch alarm per signal and a dashboard showing the same signals.
//
// The signals are planned by a pure, generic function (signalsFor) over the
// watched resources' identifiers: the alarms are built from it with the
// identifiers as outputs, the dashboard body (dashboardBody) with them
// resolved, so both always show the same metrics and thresholds.
//
// signalsFor: the database's CPU, free storage, freeable memory, connections
// and read/write latency at p95; each cache node's engine CPU, memory,
// evictions and (with replicas) replication lag; the broker's memory and
// disk against RabbitMQ's own limits; port-allocation errors per NAT
// gateway; and node groups that reached their maximum size (the cluster
// autoscaler can add no more nodes).
package monitoring

// Package network provides the platform's VPC (platform:network:Vpc): three
// subnet tiers per availability zone (public, private, and a data tier with no
// route to the internet), NAT in one of three modes, gateway and interface
// endpoints, encrypted flow logs, and a default security group with no rules.
//
// Subnets are keyed by availability-zone name and carved by a pure function
// (planSubnets), so raising the AZ count only ever adds subnets.
package network

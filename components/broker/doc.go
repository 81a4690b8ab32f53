// Package broker provides the platform's message broker
// (platform:messaging:Broker): an Amazon MQ for RabbitMQ broker in the private
// subnets, either a single instance (one subnet) or a three-node cluster
// across three zones.
//
// The broker is never publicly accessible; its security group admits AMQPS
// (5671) and the management console (443) only from the security groups the
// caller names, one rule per source and port. TLS is the only listener.
// RabbitMQ brokers are encrypted at rest with AWS-owned keys only: Amazon MQ
// does not accept a customer-managed key for this engine, so the component's
// own KMS key protects the connection secret, not the broker's storage.
//
// The administrator's password is drawn by random.RandomPassword and kept in
// Secrets Manager as {host, port, username, password, vhost}. General logs go
// to CloudWatch; broker settings come from rabbitmq.conf in this directory
// (checked by parseConf). README.md is the operator's guide.
package broker

package broker

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

// rabbitMQConf is the broker configuration versioned in the repository
// (rabbitmq.conf), sent as the data of the aws:mq/configuration resource.
//
//go:embed rabbitmq.conf
var rabbitMQConf string

// confKeys are the rabbitmq.conf keys Amazon MQ accepts (developer guide,
// "Configurable values for RabbitMQ on Amazon MQ", all available from 3.13),
// each with a check of its value. Amazon MQ rejects a configuration revision
// with any other key, at deployment time; this catches it in review.
var confKeys = map[string]func(string) error{
	"consumer_timeout": intBetween(0, 2147483647),
	"heartbeat":        intBetween(60, 3600),
	"management.restrictions.operator_policy_changes.disabled":          boolean,
	"quorum_queue.property_equivalence.relaxed_checks_on_redeclaration": boolean,
	"secure.management.http.headers.enabled":                            boolean,
}

// parseConf reads a rabbitmq.conf ("key = value" lines, # comments) and
// checks every key and value against what Amazon MQ accepts.
func parseConf(data string) (map[string]string, error) {
	out := map[string]string{}
	for i, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || key == "" || value == "" {
			return nil, fmt.Errorf("rabbitmq.conf line %d: want \"key = value\", got %q", i+1, line)
		}
		check, known := confKeys[key]
		if !known {
			return nil, fmt.Errorf("rabbitmq.conf line %d: Amazon MQ does not accept the key %q", i+1, key)
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("rabbitmq.conf line %d: %q is set twice", i+1, key)
		}
		if err := check(value); err != nil {
			return nil, fmt.Errorf("rabbitmq.conf line %d: %s %w", i+1, key, err)
		}
		out[key] = value
	}
	return out, nil
}

func intBetween(lo, hi int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be a whole number between %d and %d, got %q", lo, hi, v)
		}
		return nil
	}
}

func boolean(v string) error {
	if v != "true" && v != "false" {
		return fmt.Errorf("must be true or false, got %q", v)
	}
	return nil
}

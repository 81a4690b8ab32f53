package offline

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// brokerState computes what AWS returns for the broker component (Amazon MQ).
var brokerState = map[string]stateFunc{
	"aws:mq/broker:Broker": func(r *Recorder, name, id string, s resource.PropertyMap) {
		// brokerName is auto-named when not given.
		brokerName := str(s, "brokerName")
		if brokerName == "" {
			brokerName = name + "-" + shortHash(name)
			s["brokerName"] = resource.NewProperty(brokerName)
		}
		s["arn"] = resource.NewProperty(fmt.Sprintf("arn:aws:mq:%s:%s:broker:%s:%s", r.Region, r.AccountID, brokerName, id))
		host := fmt.Sprintf("%s.mq.%s.amazonaws.com", id, r.Region)
		// RabbitMQ reports one instance in either deployment mode: a cluster's
		// three nodes sit behind one endpoint. RabbitMQ instances have no IP
		// address of their own.
		instance := resource.PropertyMap{
			"consoleUrl": resource.NewProperty("https://" + host),
			"endpoints":  resource.NewProperty([]resource.PropertyValue{resource.NewProperty("amqps://" + host + ":5671")}),
		}
		setDefault(s, "instances", resource.NewProperty([]resource.PropertyValue{resource.NewProperty(instance)}))
		setDefault(s, "deploymentMode", resource.NewProperty("SINGLE_INSTANCE"))
		setDefault(s, "authenticationStrategy", resource.NewProperty("simple"))
		setDefault(s, "storageType", resource.NewProperty("ebs"))
		setDefault(s, "publiclyAccessible", resource.NewProperty(false))
		setDefault(s, "encryptionOptions", resource.NewProperty(resource.PropertyMap{
			"useAwsOwnedKey": resource.NewProperty(true),
		}))
	},
	"aws:mq/configuration:Configuration": func(r *Recorder, _, id string, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(fmt.Sprintf("arn:aws:mq:%s:%s:configuration:%s", r.Region, r.AccountID, id))
		setDefault(s, "latestRevision", resource.NewProperty(1.0))
		setDefault(s, "authenticationStrategy", resource.NewProperty("simple"))
	},
}

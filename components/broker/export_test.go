package broker

// What the package's external tests (package broker_test) reach that the
// program has no use for outside the package.

const TypeToken = typeToken

var (
	AMQPSEndpoints      = amqpsEndpoints
	ConsoleURL          = consoleURL
	GeneralLogGroupName = generalLogGroupName
	Host                = host
	ParseConf           = parseConf
	RabbitMQConf        = rabbitMQConf
	SubnetsFor          = subnetsFor
)

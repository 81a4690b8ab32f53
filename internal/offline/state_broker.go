package offline

// brokerState computes what AWS returns for the broker component (Amazon MQ).
var brokerState = map[string]stateFunc{}

package offline

// reliabilityState computes what AWS returns for backups and monitoring.
var reliabilityState = map[string]stateFunc{}

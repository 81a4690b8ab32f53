package offline

// databaseState computes what AWS returns for the postgres component (RDS).
var databaseState = map[string]stateFunc{}

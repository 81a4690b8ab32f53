package offline

// cacheState computes what AWS returns for the redis component (ElastiCache).
var cacheState = map[string]stateFunc{}

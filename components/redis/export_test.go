package redis

// What the package's external tests (package redis_test) reach that the
// program has no use for outside the package.

const TypeToken = typeToken

var (
	FinalSnapshotName = finalSnapshotName
	NameProblem       = nameProblem
	NodeTypeProblem   = nodeTypeProblem
	ParameterFamily   = parameterFamily
)

// AWSGuard with every policy at its default level, as `new AwsGuard()`
// serves it: the comparison in policy/bench_test.go drives it over the
// Analyzer protocol next to the platform pack.
const { AwsGuard } = require("@pulumi/awsguard");
new AwsGuard({ all: "advisory" });

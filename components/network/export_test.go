package network

// What the package's external tests (package network_test) reach that the
// program has no use for outside the package.

const TypeToken = typeToken

type (
	LayoutArgs    = layoutArgs
	PlannedSubnet = plannedSubnet
)

var (
	AZSlot      = azSlot
	CheckLayout = checkLayout
	PlanSubnets = planSubnets
)

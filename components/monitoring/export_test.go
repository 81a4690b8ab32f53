package monitoring

// What the package's external tests (package monitoring_test) reach that the
// program has no use for outside the package.

const (
	Above        = above
	AtOrAbove    = atOrAbove
	Below        = below
	Missing      = missing
	NotBreaching = notBreaching
	TypeToken    = typeToken
)

type (
	Dimension[V any]       = dimension[V]
	Metric[V any]          = metric[V]
	NodeGroupTarget[V any] = nodeGroupTarget[V]
	Signal[V any]          = signal[V]
	Targets[V any]         = watchTargets[V]
	TopicPublishers        = topicPublishers
)

var (
	CacheClusterID  = cacheClusterID
	DashboardBody   = dashboardBody
	SubscriptionKey = subscriptionKey
	TopicPolicy     = topicPolicy
)

func MapTargets[A, B any](t Targets[A], f func(A) B) Targets[B] { return mapTargets(t, f) }

func Signals[V any](c Config, t Targets[V]) []Signal[V] { return signalsFor(c, t) }

func (s signal[V]) Percentile() bool { return s.percentile() }

package broker

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/acme/platform/internal/catalog"
	"github.com/acme/platform/internal/check"
)

// Days are the values of MaintenanceDay.
var Days = []string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"}

// Config is the part of the broker's arguments that decides what is created.
// It is what the stack reads from the platform:broker config object; JSON
// names are the config keys.
type Config struct {
	// EngineVersion is the RabbitMQ major.minor, 3.13 or later; default
	// "3.13". Amazon MQ applies patches itself (and requires automatic minor
	// upgrades from 3.13), so a pinned patch would show a diff forever.
	EngineVersion string `json:"engineVersion"`
	// HostInstanceType is the broker's instance type; default "mq.m5.large".
	// mq.t3.micro runs only as a single instance; RabbitMQ 4 runs only on
	// mq.m7g.
	HostInstanceType string `json:"hostInstanceType"`
	// DeploymentMode is "SINGLE_INSTANCE" (one node in the first private
	// subnet) or "CLUSTER_MULTI_AZ" (three nodes in the first three); default
	// "CLUSTER_MULTI_AZ". Changing it replaces the broker.
	DeploymentMode string `json:"deploymentMode"`
	// AdminUsername is the broker's administrator (its password is drawn and
	// kept in Secrets Manager); default "platform-admin". Fixed at creation.
	AdminUsername string `json:"adminUsername"`
	// MaintenanceDay is the day of the weekly maintenance window, "MONDAY" to
	// "SUNDAY"; default "SUNDAY".
	MaintenanceDay string `json:"maintenanceDay"`
	// MaintenanceTime is when the maintenance window starts, "hh:mm" in UTC;
	// default "04:00".
	MaintenanceTime string `json:"maintenanceTime"`
	// ApplyImmediately reboots the broker to apply a change (instance type,
	// version, configuration) now instead of in the maintenance window;
	// default false.
	ApplyImmediately bool `json:"applyImmediately"`
}

// DefaultConfig returns the configuration of a stack that sets nothing in
// platform:broker: the one place its defaults are written. The stack decodes
// the stack file's object over it, so an absent key keeps its default and a
// present one (0 and false included) is meant. A Go caller starts from it and
// changes fields: a Config literal's zero fields are zeros, not defaults.
func DefaultConfig() Config {
	return Config{
		EngineVersion:    "3.13",
		HostInstanceType: "mq.m5.large",
		DeploymentMode:   ClusterMultiAZ,
		AdminUsername:    "platform-admin",
		MaintenanceDay:   "SUNDAY",
		MaintenanceTime:  "04:00",
	}
}

var (
	versionRE      = regexp.MustCompile(`^(\d+)\.(\d+)$`)
	patchVersionRE = regexp.MustCompile(`^(\d+)\.(\d+)\.\d+$`)
	instanceTypeRE = regexp.MustCompile(`^mq\.([a-z][a-z0-9]*)\.([0-9]*(micro|small|medium|large|xlarge))$`)
	usernameRE     = regexp.MustCompile(`^[A-Za-z0-9._~-]{2,100}$`)
	timeOfDayRE    = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)
)

// Validate reports every problem with c, each naming its field. The stack runs
// it when it loads platform:broker, before anything is registered; NewBroker
// does not run it again, so a Go caller that builds a Config runs it first.
func (c Config) Validate() error {
	var p check.Problems
	switch c.DeploymentMode {
	case SingleInstance, ClusterMultiAZ:
	case "ACTIVE_STANDBY_MULTI_AZ":
		p.Addf("deploymentMode", "ACTIVE_STANDBY_MULTI_AZ is for ActiveMQ; RabbitMQ takes %q or %q", SingleInstance, ClusterMultiAZ)
	default:
		p.Addf("deploymentMode", "must be one of %q, %q, got %q", SingleInstance, ClusterMultiAZ, c.DeploymentMode)
	}

	major, minor, versionOK := parseVersion(c.EngineVersion)
	switch {
	case patchVersionRE.MatchString(c.EngineVersion):
		m := patchVersionRE.FindStringSubmatch(c.EngineVersion)
		p.Addf("engineVersion", "must be major.minor only (%s.%s): Amazon MQ applies patch versions itself, and a pinned patch shows a diff forever; got %q", m[1], m[2], c.EngineVersion)
	case !versionOK:
		p.Addf("engineVersion", "must be a RabbitMQ major.minor such as \"3.13\", got %q", c.EngineVersion)
	case major < 3 || (major == 3 && minor < 13):
		p.Addf("engineVersion", "must be 3.13 or later, got %q", c.EngineVersion)
	}

	family := ""
	if m := instanceTypeRE.FindStringSubmatch(c.HostInstanceType); m == nil {
		p.Addf("hostInstanceType", "must be an Amazon MQ instance type such as \"mq.m5.large\" or \"mq.m7g.large\", got %q", c.HostInstanceType)
	} else {
		family = m[1]
	}
	switch it, known := catalog.LookupMQInstance(c.HostInstanceType); {
	case family == "":
	case !known:
		var names []string
		for _, t := range catalog.MQInstances() {
			names = append(names, t.Name)
		}
		p.Addf("hostInstanceType", "%q is not a RabbitMQ broker instance type Amazon MQ offers (%s; internal/catalog, as of %s)", c.HostInstanceType, strings.Join(names, ", "), catalog.AsOf)
	case c.DeploymentMode == ClusterMultiAZ && !it.Cluster:
		p.Addf("hostInstanceType", "%s runs only as %s; a %s broker needs e.g. mq.m5.large or mq.m7g.large", c.HostInstanceType, SingleInstance, ClusterMultiAZ)
	case versionOK && !slices.Contains(it.Versions, c.EngineVersion):
		p.Addf("hostInstanceType", "%s runs RabbitMQ %s only, not %s (RabbitMQ 4 runs on mq.m7g instance types only)", c.HostInstanceType, strings.Join(it.Versions, ", "), c.EngineVersion)
	}

	switch {
	case !usernameRE.MatchString(c.AdminUsername):
		p.Addf("adminUsername", "must be 2 to 100 letters, digits or . _ ~ -, got %q", c.AdminUsername)
	case strings.EqualFold(c.AdminUsername, "guest"):
		p.Addf("adminUsername", "must not be \"guest\": Amazon MQ deletes that user")
	}
	p.OneOf("maintenanceDay", c.MaintenanceDay, Days...)
	if !timeOfDayRE.MatchString(c.MaintenanceTime) {
		p.Addf("maintenanceTime", "must be hh:mm in UTC such as \"04:00\", got %q", c.MaintenanceTime)
	}
	return p.Err()
}

func parseVersion(v string) (major, minor int, ok bool) {
	m := versionRE.FindStringSubmatch(v)
	if m == nil {
		return 0, 0, false
	}
	major, _ = strconv.Atoi(m[1]) // the expression admits digits only
	minor, _ = strconv.Atoi(m[2])
	return major, minor, true
}

// describe is the broker's one-line description, for resource descriptions.
func (c Config) describe() string {
	return fmt.Sprintf("RabbitMQ %s %s on %s", c.EngineVersion, strings.ToLower(strings.ReplaceAll(c.DeploymentMode, "_", "-")), c.HostInstanceType)
}

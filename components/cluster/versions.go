package cluster

import (
	"fmt"
	"strconv"
	"time"
)

// KubernetesVersion is one Kubernetes minor version as Amazon EKS offers it.
type KubernetesVersion struct {
	// Minor is "1.NN".
	Minor string
	// EndOfStandardSupport is the first day the version is billed at the
	// extended-support rate (EKS counts in UTC+0).
	EndOfStandardSupport time.Time
	// EndOfExtendedSupport is the day EKS stops offering the version and
	// upgrades remaining control planes.
	EndOfExtendedSupport time.Time
}

// versionsAsOf is the day KubernetesVersions was last checked against AWS's
// release calendar.
var versionsAsOf = day(2026, time.December, 3)

// KubernetesVersions is the Amazon EKS release calendar for the versions EKS
// still offers, newest first. Standard support lasts 14 months from the EKS
// release, extended support 12 more ("Understand the Kubernetes version
// lifecycle on EKS", docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html,
// section "Amazon EKS Kubernetes release calendar"; the dates of 1.29–1.34 are
// that table's, as stored in awsdocs/amazon-eks-user-guide
// latest/ug/versioning/kubernetes-versions.adoc; 1.35's are the same
// calendar's as endoflife.date/amazon-eks mirrors it (EKS release
// 2026-01-28); 1.36's end of standard support is the one AWS's own samples
// quote (aws-samples/sample-aws-genai-ops-demos PR #86: "standard support
// until 2027-08-02"), with extended support 12 months later by the rule
// above). Check `aws eks describe-cluster-versions` when a version is added.
var KubernetesVersions = []KubernetesVersion{
	{"1.36", day(2027, time.August, 2), day(2028, time.August, 2)},
	{"1.35", day(2027, time.March, 27), day(2028, time.March, 27)},
	{"1.34", day(2026, time.December, 2), day(2027, time.December, 2)},
	{"1.33", day(2026, time.July, 29), day(2027, time.July, 29)},
	{"1.32", day(2026, time.March, 23), day(2027, time.March, 23)},
	{"1.31", day(2025, time.November, 26), day(2026, time.November, 26)},
	{"1.30", day(2025, time.July, 23), day(2026, time.July, 23)},
	{"1.29", day(2025, time.March, 23), day(2026, time.March, 23)},
}

// Now is the clock Validate judges support windows by; tests set it.
var Now = time.Now

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// lookupVersion returns the calendar entry of a "1.NN" version.
func lookupVersion(minor string) (KubernetesVersion, bool) {
	for _, v := range KubernetesVersions {
		if v.Minor == minor {
			return v, true
		}
	}
	return KubernetesVersion{}, false
}

// supportProblem says why a version cannot be used with the given support
// type at t, or "" when it can.
func supportProblem(minor, supportType string, t time.Time) string {
	v, ok := lookupVersion(minor)
	if !ok {
		offered := make([]string, 0, len(KubernetesVersions))
		for _, k := range KubernetesVersions {
			if !t.Before(k.EndOfExtendedSupport) {
				continue
			}
			offered = append(offered, strconv.Quote(k.Minor))
		}
		return fmt.Sprintf("%q is not a version Amazon EKS offers (as of %s it offers %v)", minor, versionsAsOf.Format(time.DateOnly), offered)
	}
	switch {
	case !t.Before(v.EndOfExtendedSupport):
		return fmt.Sprintf("Kubernetes %s left extended support on %s; EKS no longer creates or runs it", minor, v.EndOfExtendedSupport.Format(time.DateOnly))
	case supportType == SupportStandard && !t.Before(v.EndOfStandardSupport):
		return fmt.Sprintf("Kubernetes %s left EKS standard support on %s, so upgradeSupportType %q cannot keep it (EKS would upgrade the control plane on its own); choose a version in standard support%s, or set upgradeSupportType to %q and pay for extended support",
			minor, v.EndOfStandardSupport.Format(time.DateOnly), SupportStandard, newestStandard(t), SupportExtended)
	}
	return ""
}

// newestStandard returns ", such as \"1.NN\"" naming the newest version in
// standard support at t, or "".
func newestStandard(t time.Time) string {
	for _, v := range KubernetesVersions {
		if t.Before(v.EndOfStandardSupport) {
			return fmt.Sprintf(" such as %q", v.Minor)
		}
	}
	return ""
}

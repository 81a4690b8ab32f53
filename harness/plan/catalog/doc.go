// Package catalog is what the offline plan knows about each resource type,
// one record per type token: what replacing or deleting one loses, which
// input changes make the provider replace it (with the provider source that
// says so), whether it updates in place at all, which inputs are unordered
// sets, how long it typically takes to create, which inputs a reviewer wants
// to see, what the offline mock returns for it, and what it costs per month.
//
// It sits below both the recording mock (harness/offline, which asks it for
// the mock state of each registration) and the plan (harness/plan, which
// asks it everything else), so it imports neither.
package catalog

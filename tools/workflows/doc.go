// Package workflows holds no code: its tests check what a company adopting
// the repository runs and reviews besides the program. The GitHub
// workflows (actionlint with shellcheck, pinned actions, least permissions,
// no long-lived secrets, the deploy, preview and drift rules); Renovate's
// configuration (its JSON schema, and that its managers find every pin);
// the release files (versions that agree, the changelog's form); and the
// `pulumi new` template in Pulumi.yaml.
package workflows

// Package workflows holds no code: its tests check the teams' GitHub
// workflows in .github/workflows with actionlint and with the house rules
// (least permissions, pinned actions, no long-lived secrets, one concurrency
// group per stack for updates).
package workflows

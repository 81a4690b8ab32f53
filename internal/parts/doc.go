// Package parts holds the building blocks several components assemble in the
// same way: customer-managed KMS keys, encrypted log groups, typed IAM policy
// documents (trust, permission and key policies), security-group rules and
// Secrets Manager secrets. Each function creates plain resources under the
// parent passed in its options; none is a component.
package parts

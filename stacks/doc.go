// Package stacks turns a stack's configuration into the platform: Load reads
// and validates the typed configuration of every component, Deploy composes
// the components and wires their outputs together, and Run (the program's
// entry point) does both and exports the stack outputs.
//
// Nothing here branches on the stack's name: dev and prod differ only in
// their Pulumi.<stack>.yaml.
package stacks

//go:build tools

// Package tools pins the upstream Pulumi CLI; build.sh runs
// `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi` in this module.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"

//go:build tools

// Package tools pins the upstream .NET language host (used by `pulumi package gen-sdk
// --language dotnet`); build.sh builds it from this module.
package tools

import _ "github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3"

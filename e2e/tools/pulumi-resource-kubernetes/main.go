// The Kubernetes resource provider, served the way upstream's cmd/pulumi-resource-kubernetes does.
// Upstream embeds schema-embed.json and terraform-mapping-embed.json, generated at build time from
// the schema.json and terraform-mapping.json that ship in the provider module; build.sh produces
// the same two files (see generate.go) in a staging copy of this folder before `go build`.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}

//go:build ignore

// Usage: go run generate.go <provider module dir> <version>
// Writes schema-embed.json (the module's schema.json with its version set) and
// terraform-mapping-embed.json (the module's terraform-mapping.json, compacted), as upstream's
// cmd/pulumi-resource-kubernetes/generate.go does.
package main

import (
	"encoding/json"
	"log"
	"os"
	"path/filepath"
)

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: go run generate.go <provider module dir> <version>")
	}
	dir := filepath.Join(os.Args[1], "cmd", "pulumi-resource-kubernetes")
	var schema map[string]any
	read(filepath.Join(dir, "schema.json"), &schema)
	schema["version"] = os.Args[2]
	write("schema-embed.json", schema)
	var mapping any
	read(filepath.Join(dir, "terraform-mapping.json"), &mapping)
	write("terraform-mapping-embed.json", mapping)
}

func read(path string, v any) {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
}

func write(path string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		log.Fatal(err)
	}
}

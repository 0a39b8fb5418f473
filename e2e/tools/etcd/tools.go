//go:build tools

// Package tools pins etcd; build.sh runs `go build go.etcd.io/etcd/server/v3` (its main package)
// in this module.
package tools

import _ "go.etcd.io/etcd/server/v3"

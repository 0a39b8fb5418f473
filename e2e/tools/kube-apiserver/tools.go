//go:build tools

// Package tools pins Kubernetes; build.sh runs `go build k8s.io/kubernetes/cmd/kube-apiserver` in
// this module.
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"

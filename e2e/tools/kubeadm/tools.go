//go:build tools

// Package tools pins Kubernetes for kubeadm (the release build.sh names in KUBEADM_VERSION);
// build.sh runs `go build k8s.io/kubernetes/cmd/kubeadm` in this module. The e2e suite runs
// `kubeadm config validate` on the self-managed clusters' generated kubeadm configurations.
package tools

import _ "k8s.io/kubernetes/cmd/kubeadm"

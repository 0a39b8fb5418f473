#!/usr/bin/env bash
# Builds the end-to-end toolchain from Go modules into a cache directory keyed by versions:
#
#   ${KUBEPLAT_E2E_CACHE:-$HOME/.cache/kubeplat-e2e}/<key>/bin
#
#   bash e2e/tools/build.sh            build what is missing (progress on stderr); a second run
#                                      finds every binary and exits at once
#   bash e2e/tools/build.sh --bin-dir  print the bin directory (one line on stdout), build nothing
#
# Each binary comes from a wrapper module of our own in e2e/tools/<name>/ (go.mod + go.sum pinning
# the upstream release, upstream's replace directives turned into published versions). Nothing
# upstream is committed here: `go` fetches the modules from the module proxy. Builds run one at a
# time with `-p=2` (CI machines have 2 cores), `-trimpath` and `-ldflags=-s -w` (smaller binaries).
#
# pulumi-language-nodejs is not built: the module proxy refuses that module (see FINDINGS.md).
set -euo pipefail

TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# One place for every version built. The wrapper go.mod files pin the same versions; a mismatch
# is caught below (require_version) before anything is built.
PULUMI_VERSION=v3.248.0                 # = @pulumi/pulumi in package-lock.json
DOTNET_HOST_VERSION=v3.107.3            # the pulumi-language-dotnet release built on pulumi v3.248.0
K8S_PROVIDER_VERSION=4.25.0             # release of the commit below
K8S_PROVIDER_MODULE_VERSION=v4.0.0-20260115033456-f47bc2d6f199
KUBERNETES_VERSION=v1.34.4
# kubeadm follows the self-managed clusters' default Kubernetes version (plan/src/versions.ts,
# DEFAULT_KUBERNETES_VERSION.kubeadm): kubeadm refuses configurations for a control plane more
# than one minor older than itself, so the e2e suite validates with the release users deploy.
KUBEADM_VERSION=v1.37.2
ETCD_VERSION=v3.6.16

BINARIES=(pulumi pulumi-language-dotnet pulumi-resource-kubernetes kube-apiserver etcd kubeadm)
# The wrappers hashed into the main key, in the order a glob lists them. kubeadm is not among
# them: it arrived later and has a key directory of its own (kubeadm_dir), so adding it did not
# turn every cached toolchain stale.
MAIN_WRAPPERS=(etcd kube-apiserver pulumi-language-dotnet pulumi-resource-kubernetes pulumi)

# The key names the versions and hashes the wrapper modules (go.mod, go.sum, Go files), so a change
# to what is built lands in a new directory instead of reusing stale binaries. (A change to the
# build flags below needs a bump of BUILD_REVISION.)
BUILD_REVISION=1
wrapper_files() { # <wrapper dir>...: go.mod files, then go.sum files, then Go files
  local d
  for d in "$@"; do cat "./$d/go.mod"; done
  for d in "$@"; do cat "./$d/go.sum"; done
  for d in "$@"; do cat "./$d/"*.go; done
}
key() {
  local hash
  hash="$( (cd "$TOOLS_DIR" && echo "$BUILD_REVISION" && wrapper_files "${MAIN_WRAPPERS[@]}") | sha256sum | cut -c1-10)"
  printf 'pulumi-%s_dotnet-%s_k8sprovider-%s_kube-%s_etcd-%s_%s\n' \
    "${PULUMI_VERSION#v}" "${DOTNET_HOST_VERSION#v}" "$K8S_PROVIDER_VERSION" \
    "${KUBERNETES_VERSION#v}" "${ETCD_VERSION#v}" "$hash"
}

CACHE_ROOT="${KUBEPLAT_E2E_CACHE:-$HOME/.cache/kubeplat-e2e}"
KEY_DIR="$CACHE_ROOT/$(key)"
BIN_DIR="$KEY_DIR/bin"
# kubeadm is built into its own key directory and linked into BIN_DIR, so the suite finds every
# tool in one place.
kubeadm_dir() {
  local hash
  hash="$( (cd "$TOOLS_DIR" && echo "$BUILD_REVISION" && wrapper_files kubeadm) | sha256sum | cut -c1-10)"
  printf '%s/kubeadm-%s_%s\n' "$CACHE_ROOT" "${KUBEADM_VERSION#v}" "$hash"
}
KUBEADM_BIN_DIR="$(kubeadm_dir)/bin"

if [[ "${1:-}" == "--bin-dir" ]]; then
  echo "$BIN_DIR"
  exit 0
elif [[ $# -gt 0 ]]; then
  echo "usage: $0 [--bin-dir]" >&2
  exit 2
fi

log() { echo "[e2e-tools] $*" >&2; }

missing=()
for b in "${BINARIES[@]}"; do
  if [[ "$b" == kubeadm ]]; then
    # kubeadm lives under its own key; the link in BIN_DIR may point at an older key's build.
    if [[ -x "$KUBEADM_BIN_DIR/kubeadm" ]]; then
      mkdir -p "$BIN_DIR"
      [[ "$(readlink "$BIN_DIR/kubeadm" || true)" == "$KUBEADM_BIN_DIR/kubeadm" ]] ||
        ln -sfn "$KUBEADM_BIN_DIR/kubeadm" "$BIN_DIR/kubeadm"
    else
      missing+=("$b")
    fi
  else
    [[ -x "$BIN_DIR/$b" ]] || missing+=("$b")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  log "all binaries present in $BIN_DIR"
  exit 0
fi

command -v go >/dev/null || { log "Go is required to build the e2e toolchain (go not on PATH)"; exit 1; }

require_version() { # <wrapper dir> <module> <version>: the wrapper go.mod must pin what we report
  if ! grep -Eq "^[[:space:]]*(require[[:space:]]+)?$2 $3( |\$)" "$TOOLS_DIR/$1/go.mod"; then
    log "$1/go.mod does not require $2 $3; update the version in build.sh or the go.mod"
    exit 1
  fi
}
require_version pulumi github.com/pulumi/pulumi/pkg/v3 "$PULUMI_VERSION"
require_version pulumi github.com/pulumi/pulumi/sdk/v3 "$PULUMI_VERSION"
require_version pulumi-language-dotnet github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3 "$DOTNET_HOST_VERSION"
require_version pulumi-resource-kubernetes github.com/pulumi/pulumi-kubernetes/provider/v4 "$K8S_PROVIDER_MODULE_VERSION"
require_version kube-apiserver k8s.io/kubernetes "$KUBERNETES_VERSION"
require_version etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
require_version kubeadm k8s.io/kubernetes "$KUBEADM_VERSION"

mkdir -p "$BIN_DIR"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-p=2 -trimpath -mod=readonly"
# Binaries that never run cgo link statically and start on any Linux.
export CGO_ENABLED=0

# go_build <name> <module dir> <package> <extra ldflags>: builds into a temporary file and renames
# it, so an interrupted build never leaves a binary that looks complete.
# The time line gives wall-clock and CPU seconds: on a busy machine the CPU time, halved for two
# cores, is the better estimate of an idle machine's wall-clock time.
go_build() {
  local name="$1" dir="$2" pkg="$3" ldflags="$4"
  log "building $name ($pkg) ..."
  local TIMEFORMAT="[e2e-tools] built $name in %0R s (CPU %0U s user, %0S s system)"
  time (cd "$dir" && go build -ldflags="-s -w $ldflags" -o "$BIN_DIR/.$name.tmp" "$pkg")
  mv "$BIN_DIR/.$name.tmp" "$BIN_DIR/$name"
}

# kube_ldflags <version>: the version a Kubernetes binary reports (`kube-apiserver --version`,
# `kubeadm version`; kubeadm also judges version skew by it).
kube_ldflags() {
  local version="$1" pkgpath flags="" minor
  minor="${version#v1.}"
  minor="${minor%%.*}"
  for pkgpath in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    flags+=" -X $pkgpath.gitVersion=$version -X $pkgpath.gitMajor=1"
    flags+=" -X $pkgpath.gitMinor=$minor -X $pkgpath.gitTreeState=clean"
  done
  printf '%s' "$flags"
}

for b in "${missing[@]}"; do
  case "$b" in
    pulumi)
      go_build pulumi "$TOOLS_DIR/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
        "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
      ;;
    pulumi-language-dotnet)
      go_build pulumi-language-dotnet "$TOOLS_DIR/pulumi-language-dotnet" \
        github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3 \
        "-X github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3/version.Version=${DOTNET_HOST_VERSION#v}"
      ;;
    pulumi-resource-kubernetes)
      # Upstream's main embeds files generated from the schema that ships in the provider module;
      # generate them in a staging copy of the wrapper so the work tree stays clean.
      stage="$KEY_DIR/src/pulumi-resource-kubernetes"
      rm -rf "$stage" && mkdir -p "$stage"
      cp "$TOOLS_DIR/pulumi-resource-kubernetes/"{go.mod,go.sum,main.go,generate.go} "$stage/"
      (
        cd "$stage"
        go mod download github.com/pulumi/pulumi-kubernetes/provider/v4
        provider_dir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi-kubernetes/provider/v4)"
        go run generate.go "$provider_dir" "$K8S_PROVIDER_VERSION"
      )
      go_build pulumi-resource-kubernetes "$stage" . \
        "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$K8S_PROVIDER_VERSION"
      ;;
    kube-apiserver)
      go_build kube-apiserver "$TOOLS_DIR/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver "$(kube_ldflags "$KUBERNETES_VERSION")"
      ;;
    etcd)
      go_build etcd "$TOOLS_DIR/etcd" go.etcd.io/etcd/server/v3 ""
      ;;
    kubeadm)
      (BIN_DIR="$KUBEADM_BIN_DIR" && mkdir -p "$BIN_DIR" && \
        go_build kubeadm "$TOOLS_DIR/kubeadm" k8s.io/kubernetes/cmd/kubeadm "$(kube_ldflags "$KUBEADM_VERSION")")
      ln -sfn "$KUBEADM_BIN_DIR/kubeadm" "$BIN_DIR/kubeadm"
      ;;
  esac
done

{
  echo "pulumi ${PULUMI_VERSION} (github.com/pulumi/pulumi/pkg/v3)"
  echo "pulumi-language-dotnet ${DOTNET_HOST_VERSION} (github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3)"
  echo "pulumi-resource-kubernetes ${K8S_PROVIDER_VERSION} (github.com/pulumi/pulumi-kubernetes/provider/v4@${K8S_PROVIDER_MODULE_VERSION})"
  echo "kube-apiserver ${KUBERNETES_VERSION} (k8s.io/kubernetes)"
  echo "etcd ${ETCD_VERSION} (go.etcd.io/etcd/server/v3)"
  echo "kubeadm ${KUBEADM_VERSION} (k8s.io/kubernetes)"
} > "$KEY_DIR/VERSIONS"
log "toolchain ready in $BIN_DIR"

# Entry points for people and CI. Every target installs what it needs first.
ENV ?= dev
NPM_CI_STAMP := node_modules/.package-lock.json

APT_PACKAGES := $(shell cat .ci/apt-packages.txt 2>/dev/null)

.PHONY: install system-deps test lint plan preview up build bench policy-config pulumi-cli e2e e2e-tools

# npm's output goes to stderr, so `make plan ARGS=--json > plan.json` holds only the JSON.
$(NPM_CI_STAMP): package-lock.json
	@npm ci --no-audit --no-fund >&2

install: $(NPM_CI_STAMP)

build: install
	npm run build

# Debian tools the tests run for real: ignition-validate, ostree, sgdisk and qemu-img (node
# images and their disk step), chromium
# (the plan picture's layout, headless), openssl (the e2e kubeadm test's CA).
# --no-install-recommends keeps chromium's share small.
system-deps:
	@missing=""; command -v ignition-validate >/dev/null || missing="$$missing ignition"; \
	command -v ostree >/dev/null || missing="$$missing ostree"; \
	command -v sgdisk >/dev/null || missing="$$missing gdisk"; \
	command -v qemu-img >/dev/null || missing="$$missing qemu-utils"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	fi

test: install system-deps
	npm test

# End-to-end: the real Pulumi engine, Kubernetes provider and API server (built from Go modules
# into a cache by e2e-tools), the cloud simulator for AWS and Alibaba Cloud. See e2e/README.md.
e2e: build system-deps e2e-tools
	npm run e2e

lint: install
	npm run lint

# The offline view of an environment: no cloud, no Pulumi CLI. ARGS="--json" for JSON.
# Silent: stdout holds only the report (`make plan ENV=dev ARGS=--json > dev.json`). make itself
# exits 2 on any failure; the line on stderr gives kubeplat's own code (1 a mandatory violation,
# 2 bad usage or file, 70 internal). Scripts that need that code run `npx kubeplat plan` directly.
plan: install
	@node_modules/.bin/kubeplat plan $(ENV) $(ARGS) || { code=$$?; echo "make plan: kubeplat plan exited $$code" >&2; exit $$code; }

# The real thing: needs the Pulumi CLI, a logged-in backend and cloud credentials. The policy
# pack gets the settings this environment implies (raised quotas, budget, connected ranges,
# tenants, production or not), written by the offline preview.
POLICY_CONFIG := .pulumi/policy-$(ENV).json

policy-config: install
	@mkdir -p .pulumi
	@node_modules/.bin/kubeplat plan $(ENV) --plan-only --policy-config $(POLICY_CONFIG) > /dev/null

# Before building anything: is the Pulumi CLI there?
pulumi-cli:
	@command -v pulumi >/dev/null 2>&1 || { \
	  echo "make: the Pulumi CLI (pulumi) is not on PATH; preview and up need it." >&2; \
	  echo "  install it: curl -fsSL https://get.pulumi.com | sh   (or brew install pulumi/tap/pulumi;" >&2; \
	  echo "  see https://www.pulumi.com/docs/install/), then pulumi login." >&2; \
	  echo "  Without it, make plan ENV=$(ENV) previews offline." >&2; \
	  exit 127; }

# Prerequisites run in order: pulumi-cli fails first, before the build.
preview: pulumi-cli build policy-config
	pulumi preview --stack $(ENV) --policy-pack policy --policy-pack-config $(POLICY_CONFIG) --diff

up: pulumi-cli build policy-config
	pulumi up --stack $(ENV) --policy-pack policy --policy-pack-config $(POLICY_CONFIG)

bench: install
	npm run bench:policy
	npm run bench:preview

# The end-to-end toolchain (Pulumi CLI, language host, Kubernetes provider, kube-apiserver, etcd),
# built from Go modules into a cache keyed by versions; instant when the cache has it.
e2e-tools:
	bash e2e/tools/build.sh

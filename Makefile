# Entry points for people and CI. Every target installs what it needs first.
ENV ?= dev
NPM_CI_STAMP := node_modules/.package-lock.json

APT_PACKAGES := $(shell cat .ci/apt-packages.txt 2>/dev/null)

.PHONY: install system-deps test lint plan preview up build bench policy-config

$(NPM_CI_STAMP): package-lock.json
	npm ci --no-audit --no-fund

install: $(NPM_CI_STAMP)

build: install
	npm run build

# Debian tools the node-image tests run for real (ignition-validate, ostree).
system-deps:
	@missing=""; command -v ignition-validate >/dev/null || missing="$$missing ignition"; \
	command -v ostree >/dev/null || missing="$$missing ostree"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

test: install system-deps
	npm test

lint: install
	npm run lint

# The offline view of an environment: no cloud, no Pulumi CLI. ARGS="--json" for JSON.
plan: install
	npm run --silent plan -- $(ENV) $(ARGS)

# The real thing: needs the Pulumi CLI, a logged-in backend and cloud credentials. The policy
# pack gets the settings this environment implies (raised quotas, budget, connected ranges,
# tenants, production or not), written by the offline preview.
POLICY_CONFIG := .pulumi/policy-$(ENV).json

policy-config: install
	@mkdir -p .pulumi
	npm run --silent plan -- $(ENV) --plan-only --policy-config $(POLICY_CONFIG) > /dev/null

preview: build policy-config
	pulumi preview --stack $(ENV) --policy-pack policy --policy-pack-config $(POLICY_CONFIG) --diff

up: build policy-config
	pulumi up --stack $(ENV) --policy-pack policy --policy-pack-config $(POLICY_CONFIG)

bench: install
	npm run bench:policy
	npm run bench:preview

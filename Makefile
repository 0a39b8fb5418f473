# Entry points for people and CI. Every target installs what it needs first.
ENV ?= dev
NPM_CI_STAMP := node_modules/.package-lock.json

APT_PACKAGES := $(shell cat .ci/apt-packages.txt 2>/dev/null)

.PHONY: install system-deps test lint plan preview up build bench

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

# The real thing: needs the Pulumi CLI, a logged-in backend and cloud credentials.
preview: build
	pulumi preview --stack $(ENV) --policy-pack policy

up: build
	pulumi up --stack $(ENV) --policy-pack policy

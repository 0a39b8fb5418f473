# Entry points for people and CI. Every target installs what it needs first.
ENV ?= dev
NPM_CI_STAMP := node_modules/.package-lock.json

.PHONY: install test lint plan preview up build bench

$(NPM_CI_STAMP): package-lock.json
	npm ci --no-audit --no-fund

install: $(NPM_CI_STAMP)

build: install
	npm run build

test: install
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

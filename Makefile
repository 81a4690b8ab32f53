# Targets are named like the CI steps in .ci/run and .github/workflows.
# Three Go modules: the program (.), the policy pack (policy/) and the checks
# of the workflows and release files (tools/); every target covers all three.

GO       ?= go
MODULES  := . policy tools
PKGS     := ./...
GOLANGCI ?= $(shell command -v golangci-lint 2>/dev/null || echo $(shell $(GO) env GOPATH)/bin/golangci-lint)

.PHONY: all fmt fmt-check vet lint test tidy-check plan bench bench-plan bench-pack awsguard fuzz FORCE

all: fmt-check vet lint test

## fmt: rewrite Go files with gofmt
fmt:
	gofmt -w $$(git ls-files '*.go')

## fmt-check: fail if any Go file is not gofmt-clean
fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## vet: go vet every module
vet:
	@for m in $(MODULES); do (cd $$m && $(GO) vet $(PKGS)) || exit 1; done

## lint: golangci-lint (v2, config in .golangci.yml) on every module
lint:
	@for m in $(MODULES); do (cd $$m && $(GOLANGCI) run --config $(CURDIR)/.golangci.yml $(PKGS)) || exit 1; done

## test: the test command of the README (every module, with the race
## detector). The output is go test's, followed by every skipped test and why
## (cmd/testreport): without a PostgreSQL server the SQL tests skip, and a
## plain "ok" would hide it. CI=true turns those skips into failures.
TESTREPORT := bin/testreport
TESTFLAGS  ?= -race
test:
	@$(GO) build -o $(TESTREPORT) ./cmd/testreport
	@bash -o pipefail -c '{ rc=0; for m in $(MODULES); do (cd $$m && $(GO) test -json $(TESTFLAGS) $(PKGS)) || rc=1; done; exit $$rc; } | $(TESTREPORT)'

## bench: the performance benchmarks of docs/performance.md (both below)
BENCHTIME ?= 5x
bench: bench-plan bench-pack

## bench-plan: the program, the offline plan and the pack in process
bench-plan:
	$(GO) test ./harness/plan/ -run '^$$' -bench . -benchtime $(BENCHTIME) -benchmem

## bench-pack: the built policy pack over gRPC as the engine drives it, with
## the floor pack (and AWSGuard, when `make awsguard` installed it) in the same run
bench-pack:
	cd policy && $(GO) test . -run '^$$' -bench . -benchtime $(BENCHTIME) -timeout 60m

## awsguard: install Pulumi's AWSGuard (npm) outside the repository for bench-pack
AWSGUARD_DIR ?= $(HOME)/.cache/platform-awsguard
awsguard:
	mkdir -p $(AWSGUARD_DIR)
	cp policy/testdata/awsguard/package.json policy/testdata/awsguard/index.js policy/testdata/awsguard/PulumiPolicy.yaml $(AWSGUARD_DIR)/
	cd $(AWSGUARD_DIR) && npm install --no-audit --no-fund --ignore-scripts

## bin/plan: build the offline plan; run it directly to keep its exit status
## (0 pass, 1 a gate fails, 2 no plan): `go run` and make report every failure
## as 1 and 2
bin/plan: FORCE
	$(GO) build -o bin/plan ./cmd/plan

## plan: the offline plan of a stack with its policy config (make plan STACK=prod)
STACK ?= dev
plan: bin/plan
	./bin/plan --stack $(STACK) --policy-pack-config policy/config/$(STACK).json

FORCE:

## fuzz: explore configuration values from the seeds (make fuzz FUZZTIME=10m)
FUZZTIME ?= 2m
fuzz:
	$(GO) test ./stacks/ -run '^$$' -fuzz FuzzLoad -fuzztime $(FUZZTIME)

## tidy-check: fail if go.mod/go.sum of any module are not tidy
tidy-check:
	@for m in $(MODULES); do (cd $$m && $(GO) mod tidy -diff) || { echo "run 'go mod tidy' in $$m"; exit 1; }; done

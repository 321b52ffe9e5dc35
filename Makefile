# Every Go module in the repo: the library and the test-only modules.
MODULES := $(shell find . -name go.mod -not -path './.git/*' -exec dirname {} \; | sort)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GO ?= go

FUZZTIME ?= 10s

.PHONY: test lint bench bench-root binsize cover fuzz interop

## test: go vet and go test -race in every module
test:
	@set -e; for m in $(MODULES); do \
		echo "== $$m"; \
		(cd $$m && $(GO) vet ./... && $(GO) test -race -count=1 ./...); \
	done

## lint: gofmt check and staticcheck in every module
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@set -e; for m in $(MODULES); do \
		echo "== staticcheck $$m"; \
		(cd $$m && $(GO) run $(STATICCHECK) ./...); \
	done

## fuzz: every fuzz target of every module, each for FUZZTIME (default 10s).
## A run that fails only with a bare "context deadline exceeded" and writes no
## failing input is Go's own fuzz coordinator racing its -fuzztime deadline
## (go.dev/issue/75804, fixed in Go 1.27, present in 1.26): it is run once more,
## and fails the target only if it happens again or anything else fails.
fuzz:
	@set -e; for m in $(MODULES); do \
		for p in $$(cd $$m && $(GO) list ./...); do \
			for f in $$(cd $$m && $(GO) test -list '^Fuzz' $$p | grep '^Fuzz' || true); do \
				for try in 1 2; do \
					echo "== fuzz $$p $$f ($(FUZZTIME))"; \
					if out=$$(cd $$m && $(GO) test -run '^$$' -fuzz "^$${f}\$$" -fuzztime $(FUZZTIME) $$p 2>&1); then echo "$$out"; break; fi; \
					echo "$$out"; \
					if [ $$try = 2 ] || echo "$$out" | grep -q 'Failing input written' || \
						[ "$$(echo "$$out" | grep -c -e '^--- FAIL' -e '^    context deadline exceeded$$')" != 2 ]; then exit 1; fi; \
					echo "== $$f: only Go's fuzz deadline race (go.dev/issue/75804), no failing input: running it again"; \
				done; \
			done; \
		done; \
	done

## bench-root: the root module's own benchmarks
bench-root:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# The interop module: official clients next to ours (see internal/interop).
INTEROP := internal/interop
BENCHSTAT := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
# One test binary, run BENCH_PASSES times: each pass runs every benchmark once,
# so that ours and official are measured under the same load even on a busy
# machine, and benchstat gets BENCH_PASSES samples of each.
BENCH_PASSES ?= 10
BENCH_FLAGS := -test.run '^$$' -test.bench . -test.benchmem -test.timeout 60m
BENCH_CMD := $(GO) test -c -o interop.test . && for i in \$$(seq $(BENCH_PASSES)); do ./interop.test $(BENCH_FLAGS); done
# The programs of internal/interop/cmd/binsize, built as a user would ship them.
BINSIZE_PROGRAMS := floor ours official ours-one-op official-one-op
BINSIZE_BUILD := $(GO) build -trimpath -ldflags='-s -w'
BINSIZE_OUT ?= /dev/null

## bench: ours vs aws-sdk-go-v2 in one interleaved run, plus binary sizes,
## summarised into BENCHMARKS.md
bench:
	@set -e; dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	echo "== cd $(INTEROP) && $(GO) test -c, then $(BENCH_PASSES) passes of every benchmark  (several minutes)"; \
	(cd $(INTEROP) && $(GO) test -c -o "$$dir/interop.test" .); \
	for i in $$(seq $(BENCH_PASSES)); do \
		(cd $(INTEROP) && "$$dir/interop.test" $(BENCH_FLAGS)) >> "$$dir/bench.txt" || { cat "$$dir/bench.txt"; exit 1; }; \
	done; \
	cat "$$dir/bench.txt"; \
	(cd "$$dir" && $(GO) run $(BENCHSTAT) bench.txt) > "$$dir/benchstat.txt"; \
	cat "$$dir/benchstat.txt"; \
	$(MAKE) --no-print-directory binsize BINSIZE_OUT="$$dir/binsize.txt"; \
	(cd $(INTEROP) && $(GO) run ./cmd/benchreport -raw "$$dir/bench.txt" -stat "$$dir/benchstat.txt" \
		-gomod go.mod -out $(CURDIR)/BENCHMARKS.md \
		-cmd "cd $(INTEROP) && { $(BENCH_CMD); } > bench.txt" -statcmd "go run $(BENCHSTAT) bench.txt" \
		-binsize "$$dir/binsize.txt" \
		-binsizecmd "cd $(INTEROP) && for p in $(BINSIZE_PROGRAMS); do $(BINSIZE_BUILD) -o \$$p ./cmd/binsize/\$$p && wc -c < \$$p; done"); \
	echo "== wrote BENCHMARKS.md"

## binsize: build the programs of internal/interop/cmd/binsize and print
## "program bytes" for each (also into BINSIZE_OUT)
binsize:
	@set -e; dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	for p in $(BINSIZE_PROGRAMS); do \
		(cd $(INTEROP) && $(BINSIZE_BUILD) -o "$$dir/$$p" ./cmd/binsize/$$p); \
		echo "$$p $$(wc -c < "$$dir/$$p")"; \
	done | tee $(BINSIZE_OUT)

## interop: real AWS clients against kmstest: the AWS CLI and the JavaScript
## SDK v3 (installed here when missing) and the official Go client
interop:
	@set -e; \
	fail() { echo "make interop: $$*" >&2; exit 1; }; \
	sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	aws_cli=; \
	for c in "$$(command -v aws || true)" /usr/bin/aws /usr/local/bin/aws; do \
		if [ -n "$$c" ] && [ -x "$$c" ] && "$$c" --version >/dev/null 2>&1; then aws_cli=$$c; break; fi; \
	done; \
	need=; [ -n "$$aws_cli" ] || need="awscli"; \
	command -v node >/dev/null 2>&1 || need="$$need nodejs"; \
	command -v npm >/dev/null 2>&1 || need="$$need npm"; \
	if [ -n "$$need" ]; then \
		echo "== apt-get install -y $$need"; \
		$$sudo apt-get update -q || fail "apt-get update failed"; \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q $$need || fail "apt-get install $$need failed"; \
	fi; \
	if [ -z "$$aws_cli" ]; then \
		aws_cli=/usr/bin/aws; \
		"$$aws_cli" --version >/dev/null 2>&1 || fail "$$aws_cli does not run after installing awscli"; \
	fi; \
	echo "== $$("$$aws_cli" --version 2>&1) ($$aws_cli)"; \
	node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || \
		fail "node $$(node --version) is too old: @aws-sdk/client-kms needs node >= 20"; \
	echo "== node $$(node --version); npm ci in $(INTEROP)/js"; \
	(cd $(INTEROP)/js && npm ci --no-audit --no-fund) || fail "npm ci failed"; \
	cd $(INTEROP) && INTEROP_AWS_CLI="$$aws_cli" $(GO) test -race -count=1 -tags interop_external ./...

## cover: coverage of the root module, summary on stdout
cover:
	$(GO) test -coverprofile=coverage.out ./...
	$(GO) tool cover -func=coverage.out | tail -1

# Every Go module in the repo: the library and the test-only modules.
MODULES := $(shell find . -name go.mod -not -path './.git/*' -exec dirname {} \; | sort)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GO ?= go

FUZZTIME ?= 10s

.PHONY: test lint bench cover fuzz

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

## fuzz: every fuzz target of every module, each for FUZZTIME (default 10s)
fuzz:
	@set -e; for m in $(MODULES); do \
		for p in $$(cd $$m && $(GO) list ./...); do \
			for f in $$(cd $$m && $(GO) test -list '^Fuzz' $$p | grep '^Fuzz' || true); do \
				echo "== fuzz $$p $$f ($(FUZZTIME))"; \
				(cd $$m && $(GO) test -run '^$$' -fuzz "^$${f}\$$" -fuzztime $(FUZZTIME) $$p); \
			done; \
		done; \
	done

## bench: the root module's benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## cover: coverage of the root module, summary on stdout
cover:
	$(GO) test -coverprofile=coverage.out ./...
	$(GO) tool cover -func=coverage.out | tail -1

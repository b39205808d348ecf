# msgsim — the two commands a newcomer needs are `make demo` and `make test`.
# Go comes from PATH, or from /usr/local/go where this machine class installs it.
export PATH := $(PATH):/usr/local/go/bin
GO      ?= go
BIN     := bin/msgsim
PKGS    := ./...

.PHONY: all build test validate bench bench-peers demo lint fuzz clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/msgsim

# vet, the race-checked short test suite, then the fast queueing-theory validations
# without the race detector (they are CPU-bound and the detector slows them ten-fold).
test: lint
	$(GO) vet $(PKGS)
	$(GO) test -race -short -count=1 $(PKGS)
	$(GO) test -short -count=1 -run 'Validation' ./models/service/

# the long validations against closed forms (minutes); CI runs them when time allows
validate:
	MSGSIM_VALIDATE=1 $(GO) test -count=1 -timeout 60m -run 'Validation' $(PKGS)

# benchmarks with allocation counts; figures are printed, never asserted
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 $(PKGS)

demo: build
	$(BIN) run --arrival-rate 8 --servers 10 --service '{dist: exponential, mean: 1s}' --customers 1000000 --seed 1

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

clean:
	rm -rf bin out

# msgsim — the two commands a newcomer needs are `make demo` and `make test`.
# Go comes from PATH, or from /usr/local/go where this machine class installs it.
export PATH := $(PATH):/usr/local/go/bin
GO      ?= go
BIN     := bin/msgsim
PKGS    := ./...

.PHONY: all build test validate bench bench-engine bench-peers bench-scale pgo demo lint fuzz clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/msgsim

# vet, the race-checked short test suite, then the fast queueing-theory validations
# without the race detector (they are CPU-bound and the detector slows them ten-fold).
# Vet and tests build without the profile of cmd/msgsim/default.pgo (-pgo=off): it changes
# no result, and on a cold build cache it made this target rebuild every dependency of the
# CLI with it once more for vet and twice for the tests (423 s; 347 s with only the tests
# off; 249 s with vet off too, against 246 s with no profile in the tree).
test: lint
	$(GO) vet -pgo=off $(PKGS)
	$(GO) test -pgo=off -race -short -count=1 $(PKGS)
	$(GO) test -pgo=off -short -count=1 -run 'Validation' ./models/service/ ./cmd/msgsim/

# the long validations against closed forms (minutes); CI runs them when time allows
validate:
	MSGSIM_VALIDATE=1 $(GO) test -pgo=off -count=1 -timeout 60m -run 'Validation' $(PKGS)
	$(GO) test -pgo=off -count=1 -tags calendarqueue ./sim/

# benchmarks with allocation counts; figures are printed, never asserted. Includes the
# scenario-scale runs (cmd/msgsim BenchmarkScale: e-commerce at 1,000 orders/s for 1 h and
# 4 h, minutes each, hence the timeout; MSGSIM_SCALE_HOURS=1 for one run only).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 -timeout 60m $(PKGS)

# the engine and M/M/c benchmarks COUNT times each (default 10): fastest, median and slowest
# ns per op, for a machine whose speed varies; raw output in out/bench/engine.txt
COUNT ?= 10
bench-engine:
	GO=$(GO) COUNT=$(COUNT) cmd/benchpeers/bench-engine.sh

# the same scale runs through the whole CLI, timed by /usr/bin/time -v (peak RSS);
# HOURS="1 4" by default; also out/bench/scale.csv
bench-scale: build
	cmd/benchpeers/bench-scale.sh $(BIN)

# cmd/msgsim/default.pgo, the profile every `go build` and `go test` of cmd/msgsim optimises
# with (profile-guided inlining and devirtualisation: 5.8% fewer instructions on the scale run,
# wall time 0.92x, median of 11 alternating 1 h runs): a CPU profile of 1 simulated hour of the
# e-commerce scenario at 1,000 orders/s. Regenerate after large changes to the hot paths.
pgo:
	MSGSIM_SCALE_HOURS=1 $(GO) test -run '^$$' -bench '^BenchmarkScale$$' -benchtime 1x -count=1 \
		-timeout 20m -o $${TMPDIR:-/tmp}/msgsim-pgo.test -cpuprofile $(CURDIR)/cmd/msgsim/default.pgo ./cmd/msgsim

# msgsim next to SimPy (and, for M/M/10, a hand-written Go loop) on the four peer models:
# one table, also out/bench/peers.csv. Installs nothing; prints the apt line if SimPy is
# missing. CUSTOMERS=1e5 for a quick run; REPEAT alternating runs of msgsim and the hand-written
# loop for M/M/10 (the fastest of each counts: a busy machine only ever slows a run).
CUSTOMERS ?= 1e6
REPEAT ?= 5
bench-peers:
	$(GO) run ./cmd/benchpeers -customers $(CUSTOMERS) -seed 1 -repeat $(REPEAT)

# the canonical e-commerce order flow: summary on stdout, files, plots and report.html in
# out/ecommerce-order-flow/ (exit 1 would mean a threshold failed)
demo: build
	$(BIN) run ecommerce-order-flow -o out/ecommerce-order-flow

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# every fuzz target for FUZZTIME each (default 20s): the YAML loader, the SNS filter and
# EventBridge pattern compilers and matchers, distributions, schedules, thresholds, flags.
# New failing inputs land in the package's testdata/fuzz and then run in make test.
FUZZTIME ?= 20s
fuzz:
	@set -e; for t in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
		for f in $$(grep -h '^func Fuzz' $$t/*_test.go | sed -E 's/^func (Fuzz[A-Za-z0-9_]*).*/\1/' | sort -u); do \
			echo "== $$t $$f"; $(GO) test -pgo=off -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$t; \
		done; \
	done

clean:
	rm -rf bin out

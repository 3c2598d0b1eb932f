# The two commands: `make demo` and `make test` (see README.md).
.PHONY: demo test bench setup build build-small

demo:
	@scripts/demo.sh

test:
	@scripts/test.sh

bench:
	@scripts/bench.sh

setup:
	@scripts/setup.sh

build:
	@scripts/build.sh

# Opt-in: nightly, std rebuilt with panics that abort at once (bench/README.md, ledger).
build-small:
	@scripts/build-small.sh

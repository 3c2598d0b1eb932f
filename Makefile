# The two commands: `make demo` and `make test` (see README.md).
.PHONY: demo test bench setup build

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

# ltnb — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
SWIFT ?= swift
RELEASE_BIN := .build/release/ltnb
NOTEBOOKS := $(wildcard notebooks/*.ltnb)

.PHONY: all deps build run sweep test repl bench fuzz docs clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	scripts/build-release.sh >/dev/null

# Render every notebook in notebooks/ into output/ (HTML reports, figures and tables).
run: build
	@mkdir -p output
	$(RELEASE_BIN) run $(NOTEBOOKS) -o output/ --figures output/figures

# The paper's tables over three seeds, each number mean ± sd: output/sweep/index.html
# (and summary.csv, summary.tex); see docs/sweep.md.
sweep: build
	$(RELEASE_BIN) sweep notebooks/paper.ltnb -p seed=0,1,2 -o output/sweep

# Build, unit and golden tests, then end-to-end checks of the built binary, then
# `ltnb sweep --backend slurm` against a one-node Slurm started on localhost.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build 2>&1 | tee .build/test.log; test $${PIPESTATUS[0]} -eq 0
	scripts/e2e.sh .build/debug/ltnb
	scripts/slurm-test.sh .build/debug/ltnb
	scripts/jupyter-tests.sh .build/debug/ltnb

repl: build
	$(RELEASE_BIN)

bench: build
	bash bench/tensor/run.sh
	bash bench/learn/run.sh
	bash bench/boundary/run.sh
	bash bench/scale/run.sh
	bench/interp/run.sh
	bash bench/startup/run.sh

# libFuzzer for FUZZ_SECONDS per target: TARGET=lang (programs), files (the tensor file
# readers) or all (default, each in turn).
TARGET ?= all
fuzz:
	FUZZ_TARGET=$(TARGET) scripts/fuzz.sh

docs: build
	$(RELEASE_BIN) help --markdown > docs/builtins.md

clean:
	rm -rf .build output/*.html output/*.txt

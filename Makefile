# The one entry point: `make help` lists the targets.

CARGO ?= cargo
CARGO_FLAGS ?= --locked

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: build
build: ## build the library in release mode
	$(CARGO) build $(CARGO_FLAGS) --release

.PHONY: lint
lint: ## formatting, clippy with warnings as errors, documentation without warnings
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy $(CARGO_FLAGS) --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc $(CARGO_FLAGS) --no-deps

.PHONY: test-rust
test-rust: ## the Rust unit, case, path and property tests
	$(CARGO) test $(CARGO_FLAGS)

.PHONY: test
test: lint test-rust ## everything, as CI runs it

.PHONY: clean
clean: ## remove build products
	$(CARGO) clean

# The one entry point: `make help` lists the targets.

CARGO ?= cargo
CARGO_FLAGS ?= --locked
CC ?= cc
VALGRIND ?= valgrind

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
SONAME := libsendfile.so.1

C_BUILD := target/c
C_LIB := $(C_BUILD)/lib
C_FLAGS := -std=c11 -Wall -Wextra -Werror -g -Iinclude
C_LINK := -L$(C_LIB) -lsendfile -Wl,-rpath,$(abspath $(C_LIB)) -lpthread

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

.PHONY: build
build: ## build the library in release mode (libsendfile.so, .a, rlib)
	$(CARGO) build $(CARGO_FLAGS) --release

.PHONY: lint
lint: ## formatting, clippy with warnings as errors, documentation without warnings
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy $(CARGO_FLAGS) --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc $(CARGO_FLAGS) --no-deps

.PHONY: test-rust
test-rust: ## the Rust unit, case, path, property and send tests
	$(CARGO) test $(CARGO_FLAGS)

.PHONY: check-header
check-header: ## fail if include/sendfile.h differs from what src/ffi generates
	$(CARGO) build $(CARGO_FLAGS)
	git ls-files --error-unmatch include/sendfile.h >/dev/null
	git diff --exit-code -- include/sendfile.h || \
		{ echo "include/sendfile.h is stale: commit the regenerated header" >&2; exit 1; }

# The debug library under its soname, as a program linked with -lsendfile loads it.
.PHONY: c-lib
c-lib:
	$(CARGO) build $(CARGO_FLAGS)
	mkdir -p $(C_LIB)
	ln -sf ../../debug/libsendfile.so $(C_LIB)/libsendfile.so
	ln -sf ../../debug/libsendfile.so $(C_LIB)/$(SONAME)

$(C_BUILD)/%: tests/c/%.c include/sendfile.h c-lib
	$(CC) $(C_FLAGS) $< -o $@ $(C_LINK)

$(C_BUILD)/server: examples/c/server.c include/sendfile.h c-lib
	$(CC) $(C_FLAGS) $< -o $@ $(C_LINK)

# valgrind 3.19 does not know openat2 and answers ENOSYS, so under it the library takes its
# portable path walk: the C tests cover that path, the Rust tests the openat2 one.
.PHONY: test-c
test-c: $(C_BUILD)/test_api $(C_BUILD)/server ## C tests of the ABI under valgrind, the example server under curl, install with pkg-config
	$(VALGRIND) -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible $(C_BUILD)/test_api
	tests/c/example_server.sh $(C_BUILD)/server
	tests/c/install.sh

.PHONY: test
test: lint test-rust check-header test-c ## everything, as CI runs it

.PHONY: install
install: build ## install the library, header and sendfile.pc under DESTDIR/PREFIX
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 target/release/libsendfile.so $(DESTDIR)$(LIBDIR)/libsendfile.so.$(VERSION)
	ln -sf libsendfile.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libsendfile.so
	install -m 0644 target/release/libsendfile.a $(DESTDIR)$(LIBDIR)/libsendfile.a
	install -m 0644 include/sendfile.h $(DESTDIR)$(INCLUDEDIR)/sendfile.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' sendfile.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/sendfile.pc

.PHONY: uninstall
uninstall: ## remove what install put under DESTDIR/PREFIX
	rm -f $(DESTDIR)$(LIBDIR)/libsendfile.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) \
		$(DESTDIR)$(LIBDIR)/libsendfile.so $(DESTDIR)$(LIBDIR)/libsendfile.a \
		$(DESTDIR)$(INCLUDEDIR)/sendfile.h $(DESTDIR)$(PKGCONFIGDIR)/sendfile.pc

.PHONY: clean
clean: ## remove build products
	$(CARGO) clean

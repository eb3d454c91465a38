# The one entry point: `make help` lists the targets.

SHELL := bash
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
# The C ABI's version (Cargo.toml, [package.metadata.capi]); build.rs reads the same line.
ABI_VERSION := $(shell sed -n 's/^abi-version = "\(.*\)"/\1/p' Cargo.toml)
SONAME := libsendfile.so.$(firstword $(subst ., ,$(ABI_VERSION)))

C_BUILD := target/c
C_LIB := $(C_BUILD)/lib
C_FLAGS := -std=c11 -Wall -Wextra -Werror -g -Iinclude
C_LINK := -L$(C_LIB) -lsendfile -Wl,-rpath,$(abspath $(C_LIB)) -lpthread

PYTHON ?= python3
VENVS := .venv
TOOLS := $(VENVS)/tools
# The Django releases the one abi3 wheel is tested under, each on a Python it supports:
# the oldest pair (Django 4.2, past its end of support, on Python 3.9, the oldest the
# wheel supports), the long-term 5.2, and the current 6.0 and 6.1 (Python 3.12 or newer).
DJANGO_VERSIONS := 4.2 5.2 6.0 6.1
PYTHON_FOR_DJANGO_4.2 := 3.9
PYTHON_FOR_DJANGO_5.2 := 3.11
PYTHON_FOR_DJANGO_6.0 := 3.13
PYTHON_FOR_DJANGO_6.1 := 3.13
PYENV_ROOT ?= $(HOME)/.pyenv
# The interpreter for Python version $(1): pyenv's build of it, or pythonX.Y on PATH.
python_of = $(or $(firstword $(wildcard $(PYENV_ROOT)/versions/$(1).*/bin/python$(1))),$(shell command -v python$(1)))
# The newest Django's environment also runs the real servers, mypy and stubtest.
LATEST := $(VENVS)/django-$(lastword $(DJANGO_VERSIONS))
WHEELS := target/wheels
DEMO_PORT ?= 8000

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-24s %s\n", $$1, $$2}'

.PHONY: build
build: ## build the library in release mode (libsendfile.so, .a, rlib)
	$(CARGO) build $(CARGO_FLAGS) --release

.PHONY: lint
lint: ## formatting, clippy with warnings as errors, documentation without warnings
	$(CARGO) fmt --all -- --check
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml -- --check
	$(CARGO) clippy $(CARGO_FLAGS) --workspace --all-targets -- -D warnings
	$(CARGO) clippy $(CARGO_FLAGS) --all-targets $(WITHOUT_STORE) -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc $(CARGO_FLAGS) --no-deps

# The C library without object stores (the store feature): 20 crates instead of 50.
WITHOUT_STORE := --no-default-features --features capi

.PHONY: test-rust
test-rust: ## the Rust unit, case, path, property and send tests, with and without object stores
	$(CARGO) test $(CARGO_FLAGS)
	$(CARGO) test $(CARGO_FLAGS) $(WITHOUT_STORE)

.PHONY: check-header
check-header: ## fail if include/sendfile.h differs from what src/ffi generates
	$(CARGO) build $(CARGO_FLAGS)
	git ls-files --error-unmatch include/sendfile.h >/dev/null
	git diff --exit-code -- include/sendfile.h || \
		{ echo "include/sendfile.h is stale: commit the regenerated header" >&2; exit 1; }

# The debug library under its soname, as a program linked with -lsendfile loads it.
.PHONY: c-lib
c-lib: ## the debug library under its soname in target/c/lib, as a program linked with -lsendfile loads it
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

# The library built with Rust's AddressSanitizer (RUSTC_BOOTSTRAP: the flag is nightly-only,
# and this is the one stable toolchain), the C tests and the example server with GCC's
# AddressSanitizer and UndefinedBehaviorSanitizer; any report stops the run. Unlike
# valgrind these see openat2, so this run covers the kernel's resolution from C.
HOST := $(shell rustc -vV | sed -n 's/^host: //p')
ASAN := target/asan
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_LINK := -L$(ASAN)/lib -lsendfile -Wl,-rpath,$(abspath $(ASAN)/lib) -lpthread

.PHONY: test-c-sanitizers
test-c-sanitizers: ## the C tests and example server under AddressSanitizer and UBSan, the library instrumented too
	RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zsanitizer=address" $(CARGO) build $(CARGO_FLAGS) \
		--target $(HOST) --target-dir $(ASAN)
	mkdir -p $(ASAN)/lib
	ln -sf ../$(HOST)/debug/libsendfile.so $(ASAN)/lib/libsendfile.so
	ln -sf ../$(HOST)/debug/libsendfile.so $(ASAN)/lib/$(SONAME)
	$(CC) $(C_FLAGS) $(SANITIZE) tests/c/test_api.c -o $(ASAN)/test_api $(ASAN_LINK)
	$(CC) $(C_FLAGS) $(SANITIZE) examples/c/server.c -o $(ASAN)/server $(ASAN_LINK)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(ASAN)/test_api
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/c/example_server.sh $(ASAN)/server

# Miri runs the parts that do no system calls it cannot model (the parsers, the headers,
# the path text, the FFI's panic boundary); opening files and sendfile(2) are covered
# natively and under the sanitizers. Miri needs a nightly toolchain with miri and rust-src
# (.ci/run adds them); elsewhere the target says so and stops.
MIRI_TESTS := http:: path::normalize handover::encoding options:: ffi::

.PHONY: test-miri
test-miri: ## the pure parts of the Rust tests under Miri (needs rustup's nightly with miri)
	@cargo +nightly miri --version >/dev/null 2>&1 || { echo "Miri is not installed:" \
		"rustup toolchain install nightly --profile minimal --component miri,rust-src" >&2; exit 1; }
	PROPTEST_CASES=8 MIRIFLAGS=-Zmiri-disable-isolation \
		$(CARGO) +nightly miri test $(CARGO_FLAGS) --lib -- $(MIRI_TESTS)

$(TOOLS)/.ready: Makefile
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q --disable-pip-version-check "maturin==1.16.0" "ruff==0.17.6" \
		"mkdocs==1.6.1"
	touch $@

$(VENVS)/django-%/.ready: tests/python/requirements.txt
	@python=$(call python_of,$(PYTHON_FOR_DJANGO_$*)); [ -n "$$python" ] || { echo "Django $*" \
		"is tested on Python $(PYTHON_FOR_DJANGO_$*), which is not installed:" \
		"pyenv install $(PYTHON_FOR_DJANGO_$*)" >&2; exit 1; }; \
		rm -rf $(VENVS)/django-$* && $$python -m venv $(VENVS)/django-$*
	$(VENVS)/django-$*/bin/pip install -q --disable-pip-version-check "Django==$*.*" \
		-r tests/python/requirements.txt
	touch $@

$(LATEST)/.servers: $(LATEST)/.ready Makefile
	$(LATEST)/bin/pip install -q --disable-pip-version-check "gunicorn==27.0.1" "uwsgi==2.0.31" \
		"uvicorn==0.54.0" "granian==2.8.9" "daphne==4.2.3" "hypercorn==0.18.0" "anycorn==0.20.1" \
		"starlette==1.10.0" "fastapi==0.165.0" \
		"mypy==1.18.2" "django-stubs==6.1.2" typing_extensions
	# nonecorn installs as the package hypercorn: beside the environment, not in it.
	$(LATEST)/bin/pip install -q --disable-pip-version-check --no-deps --upgrade \
		--target $(LATEST)/nonecorn "nonecorn==0.18.0"
	# mypy reads sendfile_rs.flask and sendfile_rs.quart, and the manual's Flask and Quart
	# blocks run here (tests/python/test_docs.py); make test-flask has their own environments.
	$(LATEST)/bin/pip install -q --disable-pip-version-check "flask==3.1.3" "quart==0.23.1"
	# A real caller that rewrites the headers after the backend: Wagtail's document view
	# (tests/python/test_callers.py). Wagtail 8 needs Django 5.2 or newer.
	$(LATEST)/bin/pip install -q --disable-pip-version-check "wagtail==8.0.1"
	touch $@

.PHONY: wheel
wheel: $(TOOLS)/.ready ## build the Python wheel (abi3, Python 3.9+) into target/wheels
	rm -f $(WHEELS)/sendfile_rs-*.whl
	$(TOOLS)/bin/maturin build --release --locked --quiet --out $(WHEELS)

# The compatibility packages, pure Python, for libraries hard-wired to the import of a
# package sendfile_rs replaces: django-sendfile-rs-compat provides django_sendfile
# (django-sendfile2's), django-sendfile-rs-compat-sendfile provides sendfile (the original
# django-sendfile's), a distribution of its own because pysendfile's module is called
# sendfile too.
COMPAT_WHEEL_SOURCE := shim/django-sendfile-rs-compat
COMPAT_SENDFILE_WHEEL_SOURCE := shim/django-sendfile-rs-compat-sendfile

.PHONY: compat-wheel
compat-wheel: $(TOOLS)/.ready ## build the compatibility packages (django_sendfile and sendfile on sendfile_rs) into target/wheels
	rm -f $(WHEELS)/django_sendfile_rs_compat-*.whl $(WHEELS)/django_sendfile_rs_compat_sendfile-*.whl
	$(TOOLS)/bin/pip wheel -q --no-deps -w $(WHEELS) $(COMPAT_WHEEL_SOURCE) \
		$(COMPAT_SENDFILE_WHEEL_SOURCE)

# Their tests run real libraries, each in an environment of its own on Python 3.13:
# django-privates 4 (imports django_sendfile; needs Python 3.12 or newer) and django-wiki
# 0.13 (imports sendfile), with the requirements in tests/compat/<library>/.
COMPAT := $(VENVS)/compat
COMPAT_WIKI := $(VENVS)/compat-wiki
PYTHON_FOR_COMPAT := 3.13

# The recipe of a compatibility test environment: $(1) its folder, $(2) its requirements.
define compat_venv
	@python=$(call python_of,$(PYTHON_FOR_COMPAT)); [ -n "$$python" ] || { echo "The" \
		"compatibility packages are tested on Python $(PYTHON_FOR_COMPAT), which is not" \
		"installed: pyenv install $(PYTHON_FOR_COMPAT)" >&2; exit 1; }; \
		rm -rf $(1) && $$python -m venv $(1)
	$(1)/bin/pip install -q --disable-pip-version-check -r $(2)
	touch $(1)/.ready
endef

$(COMPAT)/.ready: tests/compat/privates/requirements.txt
	$(call compat_venv,$(COMPAT),$<)

$(COMPAT_WIKI)/.ready: tests/compat/wiki/requirements.txt
	$(call compat_venv,$(COMPAT_WIKI),$<)

# pysendfile, whose C extension is a top-level sendfile module as well, in a folder of its
# own (built from its sdist: a C compiler): the sendfile package's refusal beside it is
# tested by putting the two in one folder.
$(COMPAT_WIKI)/.pysendfile: $(COMPAT_WIKI)/.ready
	rm -rf $(COMPAT_WIKI)/pysendfile
	$(COMPAT_WIKI)/bin/pip install -q --disable-pip-version-check --no-deps \
		--target $(COMPAT_WIKI)/pysendfile "pysendfile==2.0.1"
	touch $@

# The manual, docs/ as a site (mkdocs.yml): strict, so a broken link, a missing anchor or
# a page left out of nav fails.
.PHONY: docs
docs: $(TOOLS)/.ready ## the documentation site, built strictly into target/site
	$(TOOLS)/bin/mkdocs build --strict

.PHONY: lint-python
lint-python: $(TOOLS)/.ready ## ruff (lint and format)
	$(TOOLS)/bin/ruff check python tests examples bench shim
	$(TOOLS)/bin/ruff format --check python tests examples bench shim

# Tests that need gunicorn, uWSGI or the ASGI servers (real servers, faults while serving,
# load, callers that rewrite the headers) carry the pytest marker "servers": the newest
# Django runs them, the others and make check leave them.
WITHOUT_SERVERS := -m "not servers"

.PHONY: test-compat test-compat-privates test-compat-wiki
test-compat: test-compat-privates test-compat-wiki ## the compatibility packages under libraries that import them: django-privates (test-compat-privates), django-wiki (test-compat-wiki)

test-compat-privates: wheel compat-wheel $(COMPAT)/.ready ## django-sendfile-rs-compat with django-privates, a library that imports django_sendfile
	@# The README's migration: django-privates brought django-sendfile2, which goes
	@# before the compatibility package takes its place.
	if $(COMPAT)/bin/pip show -q django-sendfile2 >/dev/null 2>&1; then \
		$(COMPAT)/bin/pip uninstall -q -y django-sendfile2; fi
	$(COMPAT)/bin/pip install -q --force-reinstall --no-deps $(WHEELS)/sendfile_rs-*.whl \
		$(WHEELS)/django_sendfile_rs_compat-*.whl
	echo "django-sendfile-rs-compat with django-privates:" && \
		$(COMPAT)/bin/python -m pytest -q -p no:cacheprovider tests/compat/privates

test-compat-wiki: wheel compat-wheel $(COMPAT_WIKI)/.ready $(COMPAT_WIKI)/.pysendfile ## django-sendfile-rs-compat-sendfile with django-wiki, whose downloads import sendfile; its refusal beside pysendfile
	$(COMPAT_WIKI)/bin/pip install -q --force-reinstall --no-deps $(WHEELS)/sendfile_rs-*.whl \
		$(WHEELS)/django_sendfile_rs_compat_sendfile-*.whl
	echo "django-sendfile-rs-compat-sendfile with django-wiki:" && \
		$(COMPAT_WIKI)/bin/python -m pytest -q -p no:cacheprovider tests/compat/wiki

.PHONY: test-python
test-python: wheel test-compat $(addprefix $(VENVS)/django-,$(addsuffix /.ready,$(DJANGO_VERSIONS))) $(LATEST)/.servers ## pytest under Django 4.2 (Python 3.9), 5.2, 6.0 and 6.1 (Python 3.13); gunicorn, uWSGI and the ASGI servers (real servers, faults, 5,000 requests of load, Wagtail); the compatibility packages (test-compat); mypy, stubtest
	for version in $(DJANGO_VERSIONS); do \
		servers=($(WITHOUT_SERVERS)); \
		[ "$$version" = "$(lastword $(DJANGO_VERSIONS))" ] && servers=(); \
		$(VENVS)/django-$$version/bin/pip install -q --disable-pip-version-check --force-reinstall --no-deps $(WHEELS)/sendfile_rs-*.whl && \
		echo "Django $$version, $$($(VENVS)/django-$$version/bin/python -V):" && \
		$(VENVS)/django-$$version/bin/python -m pytest -q -p no:cacheprovider "$${servers[@]}" tests/python || exit 1; \
	done
	cd python && ../$(LATEST)/bin/python -m mypy --config-file ../pyproject.toml sendfile_rs
	cd $(COMPAT_WHEEL_SOURCE) && ../../$(LATEST)/bin/python -m mypy --strict django_sendfile
	cd $(COMPAT_SENDFILE_WHEEL_SOURCE) && ../../$(LATEST)/bin/python -m mypy --strict sendfile
	$(LATEST)/bin/python -m mypy.stubtest sendfile_rs._native

# Flask and Quart (sendfile_rs.flask, sendfile_rs.quart), each release in an environment
# of its own: the current Flask 3.1 (Werkzeug 3.1) on Python 3.13 and the oldest still
# tested, 3.0 (Werkzeug 3.0), on Python 3.11, with the versions tests/flask/requirements-*.txt
# pin. Werkzeug's tests/test_send_file.py and Flask's send_file and static-file tests, from
# the sdists of those releases, run against sendfile_rs (tests/flask/oracle_shim.py).
FLASK_VERSIONS := 3.0 3.1
PYTHON_FOR_FLASK_3.0 := 3.11
PYTHON_FOR_FLASK_3.1 := 3.13
FLASK_ORACLE := target/flask-oracle
FLASK_ORACLE_TESTS := tests/test_helpers.py::TestSendfile tests/test_blueprints.py \
	tests/test_basic.py -k "static or Sendfile"

$(VENVS)/flask-%/.ready: tests/flask/requirements-%.txt
	@python=$(call python_of,$(PYTHON_FOR_FLASK_$*)); [ -n "$$python" ] || { echo "Flask $*" \
		"is tested on Python $(PYTHON_FOR_FLASK_$*), which is not installed:" \
		"pyenv install $(PYTHON_FOR_FLASK_$*)" >&2; exit 1; }; \
		rm -rf $(VENVS)/flask-$* && $$python -m venv $(VENVS)/flask-$*
	$(VENVS)/flask-$*/bin/pip install -q --disable-pip-version-check -r $<
	touch $@

# The sources of Flask and Werkzeug as released, for their tests.
$(FLASK_ORACLE)/%/.ready: tests/flask/requirements-%.txt $(VENVS)/flask-%/.ready
	rm -rf $(FLASK_ORACLE)/$* && mkdir -p $(FLASK_ORACLE)/$*
	$(VENVS)/flask-$*/bin/pip download -q --disable-pip-version-check --no-deps \
		--no-binary :all: -d $(FLASK_ORACLE)/$* $$(grep -E '^(flask|werkzeug)==' $<)
	for sdist in $(FLASK_ORACLE)/$*/*.tar.gz; do tar -xzf $$sdist -C $(FLASK_ORACLE)/$*; done
	touch $@

.PHONY: test-flask
test-flask: wheel $(foreach version,$(FLASK_VERSIONS),$(VENVS)/flask-$(version)/.ready $(FLASK_ORACLE)/$(version)/.ready) ## Flask and Quart: sendfile_rs.flask and .quart under Flask 3.0 (Python 3.11) and 3.1, gunicorn, uvicorn, hypercorn; Werkzeug's and Flask's own send_file tests against them
	for version in $(FLASK_VERSIONS); do \
		python=$(abspath $(VENVS))/flask-$$version/bin/python; \
		$$python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps $(WHEELS)/sendfile_rs-*.whl && \
		echo "Flask $$version, $$($$python -V):" && \
		$$python -m pytest -q -p no:cacheprovider tests/flask && \
		echo "Werkzeug's and Flask's own tests against sendfile_rs.flask:" && \
		(cd $(FLASK_ORACLE)/$$version/werkzeug-*/ && PYTHONPATH=$(abspath tests/flask) \
			$$python -m pytest -q -p no:cacheprovider -p oracle_shim tests/test_send_file.py) && \
		(cd $(FLASK_ORACLE)/$$version/flask-*/ && PYTHONPATH=$(abspath tests/flask) \
			$$python -m pytest -q -p no:cacheprovider -p oracle_shim $(FLASK_ORACLE_TESTS)) || exit 1; \
	done

# Debian's mod_wsgi embeds the system Python 3.11, on which the newest Django no longer
# runs: its end-to-end test takes Django from the environment of this release.
MOD_WSGI_DJANGO := 5.2
MOD_WSGI_SITE_PACKAGES := $(VENVS)/django-$(MOD_WSGI_DJANGO)/lib/python$(PYTHON_FOR_DJANGO_$(MOD_WSGI_DJANGO))/site-packages
# The Flask application inside mod_wsgi takes Flask from make test-flask's Flask 3.0
# environment, on the same Python 3.11.
MOD_WSGI_FLASK := 3.0
MOD_WSGI_FLASK_SITE_PACKAGES := $(VENVS)/flask-$(MOD_WSGI_FLASK)/lib/python$(PYTHON_FOR_FLASK_$(MOD_WSGI_FLASK))/site-packages

.PHONY: test-e2e
test-e2e: wheel $(LATEST)/.servers $(VENVS)/django-$(MOD_WSGI_DJANGO)/.ready $(VENVS)/flask-$(MOD_WSGI_FLASK)/.ready s3s-fs ## real front servers (nginx, lighttpd, Apache with mod_xsendfile and mod_wsgi, Caddy) in front of Django and Flask; objects in s3s-fs and in a one-node Ceph RGW, behind nginx and by redirect
	$(LATEST)/bin/pip install -q --force-reinstall --no-deps $(WHEELS)/sendfile_rs-*.whl
	MOD_WSGI_SITE_PACKAGES=$(abspath $(MOD_WSGI_SITE_PACKAGES)) \
		FLASK_MOD_WSGI_SITE_PACKAGES=$(abspath $(MOD_WSGI_FLASK_SITE_PACKAGES)) \
		$(LATEST)/bin/python -m pytest -q -p no:cacheprovider tests/e2e

FUZZ_TARGETS := range preconditions disposition path capi_plan archive_names
FUZZ_SECONDS ?= 60

# cargo-fuzz compiles with nightly-only flags (sanitizer, coverage); RUSTC_BOOTSTRAP lets
# the one stable toolchain accept them. New inputs go to target/fuzz-corpus, the
# committed seeds in fuzz/seeds stay as they are; a finding is saved in fuzz/artifacts and
# printed in base64, so a CI log alone is enough to replay it.
.PHONY: fuzz
fuzz: ## run each fuzz target for FUZZ_SECONDS (default 60) from the committed seeds
	command -v cargo-fuzz >/dev/null || $(CARGO) install --locked cargo-fuzz@0.13.2
	for target in $(FUZZ_TARGETS); do \
		mkdir -p target/fuzz-corpus/$$target && \
		RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run --fuzz-dir fuzz $$target \
			target/fuzz-corpus/$$target fuzz/seeds/$$target -- \
			-max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 2>&1 | \
			awk '/panicked/ { print; getline; print; next } /^(stat::number_of_executed_units|stat::peak_rss_mb|Done|SUMMARY)/' | \
			sed "s/^/$$target: /"; \
		[ "$${PIPESTATUS[0]}" -eq 0 ] || { \
			for found in fuzz/artifacts/$$target/*; do echo "$$target: input (base64) $$(base64 -w0 $$found)"; done; \
			exit 1; }; \
	done

.PHONY: stress
stress: wheel $(LATEST)/.servers ## the load test with 50,000 mixed requests through gunicorn (make test sends 5,000)
	$(LATEST)/bin/pip install -q --force-reinstall --no-deps $(WHEELS)/sendfile_rs-*.whl
	LOAD_REQUESTS=50000 $(LATEST)/bin/python -m pytest -q -s -p no:cacheprovider tests/python/test_load.py

# A real S3 server for the object-store tests, built once into cargo's bin folder.
.PHONY: s3s-fs
s3s-fs: ## build s3s-fs 0.14.1 (the S3 server of the object-store tests) with cargo install; quick when there
	tools/install-s3s-fs

.PHONY: deps
deps: ## install what the tests need besides this repository (Debian packages, Rust components, Miri); quick when all is there
	tools/install-deps

# The test that drops privileges runs its own binary as nobody: from a clone in a folder
# nobody cannot enter (a home folder, any mktemp -d) it must still pass.
.PHONY: test-clone-0700
test-clone-0700: ## clone HEAD into a 0700 folder and run the test that drops privileges there
	clone=$$(mktemp -d) && trap 'rm -rf "$$clone"' EXIT && chmod 0700 "$$clone" && \
		git clone -q . "$$clone/sendfile_rs" && \
		cd "$$clone/sendfile_rs" && $(CARGO) test $(CARGO_FLAGS) --test paths -- unreadable_file_is_permission_denied

.PHONY: check
check: $(TOOLS)/.ready $(LATEST)/.ready ## the fast loop: formatting, lints, cargo test, one wheel, pytest on the newest Django without servers
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy $(CARGO_FLAGS) --workspace --all-targets -- -D warnings
	$(TOOLS)/bin/ruff check python tests examples bench shim
	$(TOOLS)/bin/ruff format --check python tests examples bench shim
	$(CARGO) test $(CARGO_FLAGS)
	$(MAKE) wheel
	$(LATEST)/bin/pip install -q --disable-pip-version-check --force-reinstall --no-deps $(WHEELS)/sendfile_rs-*.whl
	$(LATEST)/bin/python -m pytest -q -p no:cacheprovider $(WITHOUT_SERVERS) tests/python

.PHONY: test
test: deps lint lint-python docs test-rust test-clone-0700 test-miri check-header test-c test-c-sanitizers test-python test-flask test-e2e ## everything, as CI runs it (installs what it needs first)

BENCH_OUT := target/bench

.PHONY: bench
bench: deps wheel $(LATEST)/.servers s3s-fs ## benchmarks, not part of test: plan cost, C ABI, Django overhead, served throughput under WSGI and ASGI (figures in target/bench)
	mkdir -p $(BENCH_OUT)/lib
	BENCH_OUT=$(BENCH_OUT) $(CARGO) bench $(CARGO_FLAGS) --bench plan
	$(CARGO) build $(CARGO_FLAGS) --release
	ln -sf ../../release/libsendfile.so $(BENCH_OUT)/lib/libsendfile.so
	ln -sf ../../release/libsendfile.so $(BENCH_OUT)/lib/$(SONAME)
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror -Iinclude bench/c/plans.c -o $(BENCH_OUT)/plans \
		-L$(BENCH_OUT)/lib -lsendfile -Wl,-rpath,$(abspath $(BENCH_OUT)/lib)
	root=$$(mktemp -d) && head -c 1024 /dev/zero > $$root/small.txt && \
		$(BENCH_OUT)/plans $$root | tee $(BENCH_OUT)/c.txt; status=$$?; rm -rf $$root; exit $$status
	$(LATEST)/bin/pip install -q --force-reinstall --no-deps $(WHEELS)/sendfile_rs-*.whl
	$(LATEST)/bin/python bench/django_overhead.py $(BENCH_OUT)
	$(LATEST)/bin/python bench/served.py $(BENCH_OUT)
	$(LATEST)/bin/python bench/asgi.py $(BENCH_OUT)
	$(LATEST)/bin/python bench/flask.py $(BENCH_OUT)
	$(LATEST)/bin/python bench/served_store.py $(BENCH_OUT)
	@# Many files as one ZIP: sendfile_rs against zipstream-ng, the streaming-zip package.
	$(LATEST)/bin/pip install -q --disable-pip-version-check "zipstream-ng==1.9.3"
	$(LATEST)/bin/python bench/archive.py $(BENCH_OUT)

BACKEND ?= simple

.PHONY: demo
demo: wheel $(LATEST)/.ready ## the example Django app on 127.0.0.1:8000 (DEMO_PORT=...); BACKEND=nginx puts nginx in front
	$(LATEST)/bin/pip install -q --force-reinstall --no-deps $(WHEELS)/sendfile_rs-*.whl
	$(LATEST)/bin/python examples/protected_downloads/manage.py prepare_demo
ifeq ($(BACKEND),nginx)
	$(LATEST)/bin/python examples/protected_downloads/serve_behind_nginx.py $(DEMO_PORT)
else ifeq ($(BACKEND),simple)
	@echo
	@echo "  Open http://127.0.0.1:$(DEMO_PORT)/ and log in as demo / demo."
	@echo "  Files are served from examples/protected_downloads/var/files with the simple backend."
	@echo
	$(LATEST)/bin/python examples/protected_downloads/manage.py runserver --noreload 127.0.0.1:$(DEMO_PORT)
else
	$(error BACKEND must be simple or nginx, not $(BACKEND))
endif

.PHONY: install
install: build ## install the library, header and sendfile.pc under DESTDIR/PREFIX
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 target/release/libsendfile.so $(DESTDIR)$(LIBDIR)/libsendfile.so.$(ABI_VERSION)
	ln -sf libsendfile.so.$(ABI_VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libsendfile.so
	install -m 0644 target/release/libsendfile.a $(DESTDIR)$(LIBDIR)/libsendfile.a
	install -m 0644 include/sendfile.h $(DESTDIR)$(INCLUDEDIR)/sendfile.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' sendfile.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/sendfile.pc

.PHONY: uninstall
uninstall: ## remove what install put under DESTDIR/PREFIX
	rm -f $(DESTDIR)$(LIBDIR)/libsendfile.so.$(ABI_VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) \
		$(DESTDIR)$(LIBDIR)/libsendfile.so $(DESTDIR)$(LIBDIR)/libsendfile.a \
		$(DESTDIR)$(INCLUDEDIR)/sendfile.h $(DESTDIR)$(PKGCONFIGDIR)/sendfile.pc

.PHONY: clean
clean: ## remove build products and the Python environments
	$(CARGO) clean
	rm -rf $(VENVS) examples/protected_downloads/var fuzz/target fuzz/artifacts

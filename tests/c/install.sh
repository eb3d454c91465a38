#!/usr/bin/env bash
# Installs the library into a temporary prefix, builds the README's C example (that of
# docs/c-api.md too) against it with nothing but `pkg-config --cflags --libs sendfile`,
# runs it; then checks a DESTDIR install and uninstall. Run from the repository root.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() { # check DESCRIPTION EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then passed=$((passed + 1)); else
        failed=$((failed + 1)); echo "FAIL: $1: expected [$2], got [$3]" >&2; fi
}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
abi=$(sed -n 's/^abi-version = "\(.*\)"/\1/p' Cargo.toml)

make -s install PREFIX="$work/usr" >/dev/null
lib="$work/usr/lib"
check "ABI version" "1.0.0" "$abi"
check "real file carries the soname's major" "libsendfile.so.1.0.0" "$(basename "$(readlink -f "$lib/libsendfile.so")")"
check "soname link" "libsendfile.so.1.0.0" "$(readlink "$lib/libsendfile.so.1")"
check "development link" "libsendfile.so.1" "$(readlink "$lib/libsendfile.so")"
check "soname" "libsendfile.so.1" "$(readelf -d "$lib/libsendfile.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
check "only sf_ symbols" "" "$(nm -D --defined-only "$lib/libsendfile.so" | awk '{print $3}' | grep -v '^sf_' || true)"
check "static library" yes "$([ -f "$lib/libsendfile.a" ] && echo yes)"
export PKG_CONFIG_PATH="$lib/pkgconfig"
check "pkg-config version" "$version" "$(pkg-config --modversion sendfile)"

# The C example of the README and of docs/c-api.md is examples/c/hello.c, verbatim (each
# file's one C block; tests/python/test_docs.py checks that no other file has one).
for document in README.md docs/c-api.md; do
    sed -n '/^```c$/,/^```$/p' "$document" | sed '1d;$d' > "$work/example.c"
    check "$document's example is examples/c/hello.c" "" "$(diff "$work/example.c" examples/c/hello.c)"
done
sed -n '/^```c$/,/^```$/p' README.md | sed '1d;$d' > "$work/readme.c"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror "$work/readme.c" -o "$work/hello" $(pkg-config --cflags --libs sendfile)
mkdir -p "$work/files"
printf 'x' > "$work/files/report.pdf"
check "example output" "Status: 200
Content-Type: application/pdf
Content-Disposition: inline; filename=\"report.pdf\"
X-Accel-Redirect: /protected/report.pdf" "$(LD_LIBRARY_PATH="$lib" "$work/hello" "$work/files" report.pdf)"
check "example refuses traversal" "plan: outside root: '..' climbs above the root" \
    "$(LD_LIBRARY_PATH="$lib" "$work/hello" "$work/files" ../x 2>&1 || true)"
# Static: the archive, and the system libraries pkg-config lists for it.
private_libs=$(pkg-config --static --libs-only-l sendfile | sed 's/-lsendfile//')
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags sendfile) "$work/readme.c" "$lib/libsendfile.a" \
    $private_libs -o "$work/hello-static"
check "static binary needs no libsendfile.so" "" "$(ldd "$work/hello-static" | grep sendfile || true)"
check "static link runs" "Status: 200" "$("$work/hello-static" "$work/files" report.pdf | head -n1)"

make -s install DESTDIR="$work/stage" PREFIX=/opt/sf >/dev/null
check "destdir header" yes "$([ -f "$work/stage/opt/sf/include/sendfile.h" ] && echo yes)"
check "pc file keeps the real prefix" "prefix=/opt/sf" "$(head -n1 "$work/stage/opt/sf/lib/pkgconfig/sendfile.pc")"
make -s uninstall DESTDIR="$work/stage" PREFIX=/opt/sf >/dev/null
check "uninstall leaves no file" "" "$(find "$work/stage" -type f -o -type l)"

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Drives examples/c/server.c with curl: a whole file, a range, a conditional request,
# HEAD, a missing file and traversal attempts. Usage: example_server.sh SERVER_BINARY
set -euo pipefail
server_binary=$1
work=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/root/sub"
head -c 200000 /dev/urandom > "$work/root/data.bin"
printf 'secret\n' > "$work/secret.txt"
printf 'inner\n' > "$work/root/sub/na me.txt"

"$server_binary" 0 "$work/root" > "$work/port" 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$work/port")"

passed=0 failed=0
check() { # check DESCRIPTION EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then passed=$((passed + 1)); else
        failed=$((failed + 1)); echo "FAIL: $1: expected [$2], got [$3]" >&2; fi
}
fetch() { rm -f "$work/body"; touch "$work/body"; curl -s --path-as-is -o "$work/body" -D "$work/headers" -w '%{http_code}' "$@"; }
header() { grep -i "^$1:" "$work/headers" | head -n1 | cut -d' ' -f2- | tr -d '\r'; }

check "whole file status" 200 "$(fetch "$base/data.bin")"
check "whole file bytes" "$(sha256sum < "$work/root/data.bin")" "$(sha256sum < "$work/body")"
check "content length" 200000 "$(header Content-Length)"
etag=$(header ETag)

check "range status" 206 "$(fetch -H 'Range: bytes=100-199' "$base/data.bin")"
check "range bytes" "$(tail -c +101 "$work/root/data.bin" | head -c 100 | sha256sum)" "$(sha256sum < "$work/body")"
check "content range" "bytes 100-199/200000" "$(header Content-Range)"

check "multipart status" 206 "$(fetch -H 'Range: bytes=0-0,-1' "$base/data.bin")"
check "multipart type" "multipart/byteranges" "$(header Content-Type | cut -d';' -f1)"
check "multipart length" "$(header Content-Length)" "$(stat -c %s "$work/body")"

check "if-none-match" 304 "$(fetch -H "If-None-Match: $etag" "$base/data.bin")"
check "304 has no body" 0 "$(stat -c %s "$work/body")"
check "stale if-range sends all" 200 "$(fetch -H 'If-Range: "old"' -H 'Range: bytes=0-0' "$base/data.bin")"

check "head status" 200 "$(fetch -I "$base/data.bin")"
check "head length" 200000 "$(header Content-Length)"

check "encoded name" 200 "$(fetch "$base/sub/na%20me.txt")"
check "encoded name bytes" "inner" "$(cat "$work/body")"
check "missing file" 404 "$(fetch "$base/nothing.txt")"
check "dot dot" 404 "$(fetch "$base/../secret.txt")"
check "encoded dot dot" 404 "$(fetch "$base/%2e%2e/secret.txt")"
check "absolute path" 404 "$(fetch "$base/$work/secret.txt")"
check "folder" 404 "$(fetch "$base/sub")"
check "post" 405 "$(fetch -X POST "$base/data.bin")"
check "traversal logged" yes "$(grep -q "outside root: '..' climbs above the root" "$work/server.log" && echo yes)"
check "log never names the root" 0 "$(grep -c "$work/root" "$work/server.log" || true)"

echo "example server: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

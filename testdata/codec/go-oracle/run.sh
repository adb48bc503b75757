#!/usr/bin/env bash
# Cross-check hr_gojson_write_float / hr_gojson_write_string against a real
# Go toolchain's encoding/json.  Not part of ctest (CI has no Go); run by
# hand after changing src/codec/gojson_write.c:
#   bash testdata/codec/go-oracle/run.sh [BUILD_DIR] [GO]
# gen.c prints ~250k lines "KEY<TAB>helmrec output" (KEY = F <float64 bits>
# or S <hex bytes>); oracle.go prints "KEY<TAB>json.Marshal output"; the two
# must be identical.  Strings are written with HR_GOJSON_GO_PRE122 when the
# Go used is older than 1.22 (it writes \u0008/\u000c for \b/\f).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
go=${2:-go}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gover=$("$go" env GOVERSION)
flags=HR_GOJSON_GO_PRE122
case "$gover" in go1.1[0-9]*|go1.2[01]*) ;; *) flags=0 ;; esac
sed "s/HR_GOJSON_GO_PRE122/$flags/" "$here/gen.c" > "$tmp/gen.c"
cc -O2 -I"$here/../../../src" "$tmp/gen.c" "$build/libhelmrec.a" -o "$tmp/gen" \
	$(pkg-config --cflags --libs json-c libdeflate zlib libcrypto) -lpthread -lm
"$tmp/gen" > "$tmp/ours.txt"
GOCACHE="$tmp/gocache" GOPATH="$tmp/gopath" "$go" build -o "$tmp/oracle" "$here/oracle.go"
"$tmp/oracle" < "$tmp/ours.txt" > "$tmp/go.txt"
if diff "$tmp/ours.txt" "$tmp/go.txt" > "$tmp/diff"; then
	echo "go-oracle: $(wc -l < "$tmp/ours.txt") cases identical ($gover)"
else
	echo "go-oracle: differences ($gover):"; head -20 "$tmp/diff"; exit 1
fi

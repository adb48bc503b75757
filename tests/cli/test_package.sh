#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` in the build directory; dpkg-deb shows
# the binary, a man page per command, the completions in the standard places
# and a Depends computed from the shared libraries; the binary unpacked into a
# throw-away root runs --version; the man pages render with man -l.
# Skips (77) without cpack, dpkg-deb, dpkg-shlibdeps or man.
. "$(dirname "$0")/lib.sh"
for t in cpack dpkg-deb dpkg-shlibdeps man; do
	command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
BUILD=$(cd "$(dirname "$BIN")" && pwd)
[ -f "$BUILD/CPackConfig.cmake" ] || { echo "SKIP: $BUILD is not a CMake build directory"; exit 77; }
(cd "$BUILD" && rm -f helmrec_*.deb && cpack -G DEB -B "$TMP/pkg" >"$TMP/cpack.log" 2>&1) ||
	{ echo "FAIL cpack: $(tail -5 "$TMP/cpack.log")"; exit 1; }
deb=$(ls "$TMP"/pkg/helmrec_*.deb 2>/dev/null | head -1)
ok "a .deb was built" test -f "$deb"
dpkg-deb -c "$deb" | awk '{print $6}' >"$TMP/files"
dpkg-deb -f "$deb" >"$TMP/fields"
for f in ./usr/bin/helmrec ./usr/share/man/man1/helmrec.1 \
	./usr/share/bash-completion/completions/helmrec ./usr/share/zsh/site-functions/_helmrec \
	./usr/share/fish/vendor_completions.d/helmrec.fish ./usr/share/doc/helmrec/copyright; do
	ok "package has $f" grep -qx "$f" "$TMP/files"
done
for c in $("$BIN" --help | awk '/^Commands:/{f=1; next} f && /^  [a-z]/{print $1}'); do
	ok "package has helmrec-$c.1" grep -qx "./usr/share/man/man1/helmrec-$c.1" "$TMP/files"
done
ok "Package: helmrec" grep -qx "Package: helmrec" "$TMP/fields"
ok "Depends computed (libsqlite3, libc6)" grep -Eq '^Depends: .*libsqlite3.*' "$TMP/fields"
ok "Depends names libc6" grep -Eq '^Depends: .*libc6' "$TMP/fields"
dpkg -x "$deb" "$TMP/root"
expect_status "unpacked binary runs --version" 0 "$TMP/root/usr/bin/helmrec" --version
ok "--version names the version" grep -q "^helmrec $(sed -n 's/^Version: //p' "$TMP/fields") " "$TMP/out"
MANWIDTH=80 man -l "$TMP/root/usr/share/man/man1/helmrec-export.1" >"$TMP/man.txt" 2>"$TMP/man.err"
ok "man -l renders helmrec-export(1)" grep -q "helmrec-export" "$TMP/man.txt"
ok "page has EXAMPLES" grep -q "^EXAMPLES" "$TMP/man.txt"
ok "page has ENVIRONMENT" grep -q "HELMREC_HELM_COMPAT" "$TMP/man.txt"
ok "man -l renders helmrec(1)" sh -c "man -l '$TMP/root/usr/share/man/man1/helmrec.1' | grep -q SYNOPSIS"
ok "completion file is the binary's" cmp -s "$TMP/root/usr/share/bash-completion/completions/helmrec" <("$BIN" completion bash)
finish

#!/usr/bin/env bash
# test_banned.sh — fail when src/ calls a banned C library function.
#
# Banned (docs/conventions.md § Banned calls): sprintf, vsprintf, strcpy,
# strcat, strtok, strtok_r, atoi, atol, atoll, gets, and sscanf with a
# numeric conversion (%d, %u, %x, %f, ... — or a format not on the call's
# line, which cannot be checked and so counts).  Use hr_buf_printf() or
# snprintf(), memcpy() with a known length, strtol()/strtoull() with errno
# and end-pointer checks, and hand-written scanners instead.
#
# Comments and string literals are ignored, so a comment may name a banned
# call.  Every hit is printed as file:line: text; the test fails if there is
# one.  Usage: test_banned.sh [ROOT]   (default: src of this checkout)
# HR_LINT_ALL=1 ignores the exceptions below (to see what is left).
# A self-check on a generated file runs first, so a broken pattern cannot
# pass silently.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

# Paths (relative to the checked root's parent, shell globs) that are not
# checked.  Empty: every file under src/ is checked.
exceptions=()
[ "${HR_LINT_ALL:-0}" = 1 ] && exceptions=()

banned='sprintf|vsprintf|strcpy|strcat|strtok|strtok_r|atoi|atol|atoll|gets'

# scan FILE...: print FILE:LINE: TEXT for each banned call.
scan() {
	awk -v banned="$banned" '
	# Blank out comments and the contents of string and character literals,
	# keeping the line structure; `raw` keeps the line as written.
	FNR == 1 { incomment = 0 }
	{
		raw = $0; out = ""; i = 1; n = length($0)
		while (i <= n) {
			c = substr($0, i, 1); c2 = substr($0, i, 2)
			if (incomment) {
				if (c2 == "*/") { incomment = 0; i += 2; out = out "  " } else { out = out " "; i++ }
				continue
			}
			if (c2 == "/*") { incomment = 1; out = out "  "; i += 2; continue }
			if (c2 == "//") break
			if (c == "\"" || c == "\047") {
				q = c; out = out q; i++
				while (i <= n && substr($0, i, 1) != q) {
					if (substr($0, i, 1) == "\\") { i++; out = out " " }
					out = out " "; i++
				}
				out = out q; i++
				continue
			}
			out = out c; i++
		}
		code = out
		hit = 0
		if (match(code, "(^|[^A-Za-z0-9_.>])(" banned ")[ \t]*\\("))
			hit = 1
		else if (match(code, "(^|[^A-Za-z0-9_.>])sscanf[ \t]*\\(")) {
			# a numeric conversion in the format, or no format on this line
			if (raw !~ /"/ || raw ~ /%[*]?[0-9]*(hh|h|ll|l|j|z|t|L)?[diouxXaAeEfFgGn]/)
				hit = 1
		}
		if (hit)
			printf "%s:%d: %s\n", FILENAME, FNR, raw
	}' "$@"
}

# Self-check: each marked line must be reported, no other.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/probe.c" <<'PROBE'
/* a comment may say sprintf(buf, ...) or atoi(s) */
static const char *doc = "strcpy(a, b) in a string is fine";
int f(char *b, const char *s, char *save) {
	int x = atoi(s);                         /* HIT */
	sprintf(b, "%d", x);                     /* HIT */
	strcpy(b, s); strcat(b, s);              /* HIT */
	(void)strtok_r(b, ",", &save);           /* HIT */
	sscanf(s, "%4d-%2d", &x, &x);            /* HIT */
	snprintf(b, 4, "%d", x);
	hr_buf_sprintf(b, s); my_atoi(s); o->atoi(s);
	sscanf(s, "%s", b);
	return x + (int)strtol(s, NULL, 10);     // strtok(b) in a comment
}
PROBE
want=$(grep -n 'HIT' "$tmp/probe.c" | cut -d: -f1 | tr '\n' ' ')
got=$(scan "$tmp/probe.c" | cut -d: -f2 | tr '\n' ' ')
if [ "$want" != "$got" ]; then
	echo "test_banned.sh self-check failed: expected hits on lines [$want], got [$got]" >&2
	exit 2
fi

root=${1:-$top/src}
base=$(cd "$root/.." && pwd)
files=()
while IFS= read -r f; do
	rel=${f#"$base"/}
	skip=0
	for pat in "${exceptions[@]}"; do
		# shellcheck disable=SC2053
		if [[ $rel == $pat ]]; then skip=1; break; fi
	done
	[ "$skip" = 1 ] || files+=("$f")
done < <(find "$root" -type f \( -name '*.c' -o -name '*.h' -o -name '*.inc' \) | LC_ALL=C sort)

if [ "${#files[@]}" = 0 ]; then
	echo "test_banned.sh: no source files under $root" >&2
	exit 2
fi
hits=$(cd "$base" && scan "${files[@]#"$base"/}" || true)
if [ -n "$hits" ]; then
	printf '%s\n' "$hits"
	echo "banned calls: $(printf '%s\n' "$hits" | wc -l) (see docs/conventions.md § Banned calls)" >&2
	exit 1
fi
echo "no banned calls in ${#files[@]} files under ${root#"$top"/} (${#exceptions[@]} paths excepted)"

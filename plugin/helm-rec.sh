#!/bin/sh
# helm-rec.sh — the `helm rec` plugin's entry point: run helmrec with helm's
# environment mapped onto helmrec's flags.
#   HELM_NAMESPACE  helm strips -n/--namespace from a plugin's arguments and
#                   passes it here; unless it is "default" (helm's value when
#                   no -n was given, which helmrec tries first anyway) or the
#                   command has -n/-A already, it becomes -n NS.
#   HELM_DRIVER     the default --driver of `export` (and `rollback`).
#   HELM_DEBUG      (helm --debug) notes on stderr: which binary, which args.
# The binary: helmrec on PATH, else the one installed beside this script
# (bin/helmrec or helmrec in the plugin directory).
set -eu
dir=${HELM_PLUGIN_DIR:-$(cd "$(dirname "$0")" && pwd)}
debug() { case "${HELM_DEBUG:-}" in true|1) printf 'helm rec: %s\n' "$*" >&2 ;; esac; }

bin=$(command -v helmrec 2>/dev/null || true)
if [ -z "$bin" ]; then
	for b in "$dir/bin/helmrec" "$dir/helmrec"; do
		if [ -x "$b" ]; then bin=$b; break; fi
	done
fi
if [ -z "$bin" ]; then
	echo "Error: helm rec: helmrec not found on PATH nor in $dir/bin (install it, or put the binary there)" >&2
	exit 1
fi

cmd=""
has_ns=0 has_driver=0
for a in "$@"; do
	case "$a" in
	-n|-n*|--namespace|--namespace=*|-A|--all-namespaces) has_ns=1 ;;
	--driver|--driver=*) has_driver=1 ;;
	-*) ;;
	*) [ -n "$cmd" ] || cmd=$a ;;
	esac
done

# Build the argument list: the command word first, then what helm adds, then the rest.
if [ -n "$cmd" ]; then
	extra=""
	case "$cmd" in
	chart|diff|export|get|history|hist|list|ls|rollback|status)
		if [ "$has_ns" = 0 ] && [ -n "${HELM_NAMESPACE:-}" ] && [ "$HELM_NAMESPACE" != default ]; then
			set -- "$@" -n "$HELM_NAMESPACE"
			extra="-n $HELM_NAMESPACE"
		fi ;;
	esac
	case "$cmd" in
	export|rollback)
		if [ "$has_driver" = 0 ] && [ -n "${HELM_DRIVER:-}" ]; then
			d=$(printf '%s' "$HELM_DRIVER" | tr 'A-Z' 'a-z')
			case "$d" in secrets) d=secret ;; configmaps) d=configmap ;; esac
			set -- "$@" --driver "$d"
			extra="$extra --driver $d"
		fi ;;
	esac
	[ -z "$extra" ] || debug "from helm's environment:$extra"
fi
debug "running $bin $*"
exec "$bin" "$@"

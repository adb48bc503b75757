#!/usr/bin/env bash
# Set up, build, and run helmrec's main job on the bundled sample: index a
# real kubectl dump (written by helm 4.1.4 / 3.17.1 / 3.12.1), list every
# release, and show the history of the release whose upgrade failed and was
# rolled back.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh build
db=$(mktemp -d)/demo.db
sample=testdata/corpus/dumps/all-secrets-configmaps.yaml
echo "\$ helmrec scan $sample --db $db"
build/helmrec scan "$sample" --db "$db"
echo
echo "\$ helmrec list -A --db $db"
build/helmrec list -A --db "$db"
echo
echo "\$ helmrec history web -n shop --db $db"
build/helmrec history web -n shop --db "$db"

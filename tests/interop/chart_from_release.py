#!/usr/bin/env python3
"""Write the chart stored in a release body back out as a chart directory,
so that `helm upgrade` can be run on a restored release.

Usage: chart_from_release.py RELEASE.json OUTDIR

RELEASE.json is one release body (or a memory-driver array, of which the
element with the highest `version` is used).  Chart.yaml is written as the
JSON of chart.metadata (JSON is YAML), values.yaml as chart.values,
templates/files/values.schema.json from their base64 data.  Sub-charts are
not stored in a release (see formats/helm-memory-driver.md), so
`dependencies` are dropped from Chart.yaml: the regenerated chart renders
the parent's own templates only.
"""
import base64
import json
import os
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        rel = json.load(f)
    if isinstance(rel, list):
        rel = max(rel, key=lambda r: r.get("version", 0))
    chart = rel.get("chart") or {}
    meta = dict(chart.get("metadata") or {})
    if not meta:
        sys.exit("chart_from_release: release has no chart metadata")
    meta.pop("dependencies", None)
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)

    def put(rel_path, data):
        path = os.path.normpath(os.path.join(out, rel_path))
        if not path.startswith(os.path.normpath(out) + os.sep):
            sys.exit("chart_from_release: refusing path %r" % rel_path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    put("Chart.yaml", json.dumps(meta, indent=1).encode())
    put("values.yaml", json.dumps(chart.get("values") or {}, indent=1).encode())
    if chart.get("schema"):
        put("values.schema.json", base64.b64decode(chart["schema"]))
    for group in ("templates", "files"):
        for f in chart.get(group) or []:
            put(f["name"], base64.b64decode(f.get("data") or ""))


if __name__ == "__main__":
    main()

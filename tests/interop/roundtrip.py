#!/usr/bin/env python3
"""Check an export of Secrets (JSON List) against the objects it came from.

Usage: roundtrip.py EXPORT.json ORIGINAL-DUMP.json [--sql PG-INSERTS.sql]
                    [--map-ns OLD=NEW,...] [--rename OLD=NEW,...]

Originals are the helm records of the kubectl dump (JSON) and, with --sql,
the rows of a `pg_dump --column-inserts` of helm's SQL tables.

For every exported object, the original is found by reversing the maps.
 - a release that kept its namespace and name: the payload is byte-identical
   to the original's;
 - a moved one: the payload decodes (base64, base64, gunzip) to exactly the
   bytes Go's encoding/json would write for the original release with
   `name`/`namespace` replaced (the original itself is first checked to be
   reproduced by the same model, so the model is not taken on faith), and
   the gzip header is Go's (payload prefix H4sIAAAAAAAC/);
 - labels: name/version/status agree with the body, owner=helm, custom
   labels carried over, createdAt/modifiedAt as found; nothing a cluster
   assigns (uid, resourceVersion, creationTimestamp, managedFields,
   ownerReferences, selfLink) is present.
Every original helm record must be accounted for.  Exit 1 on any problem.
"""
import base64
import gzip
import json
import re
import sys
from collections import OrderedDict


def parse_map(s):
    return dict(p.split("=", 1) for p in filter(None, (s or "").split(",")))


def sql_records(path):
    """Helm's SQL rows as dump-like objects (kind SQL, data.release = the Helm string)."""
    rows, labels = {}, {}
    q = r"'((?:[^']|'')*)'"
    with open(path) as f:
        for line in f:
            m = re.match(r"INSERT INTO public\.releases_v1 \(key, type, body, name, namespace, version, status, "
                         r"owner, createdat, modifiedat\) VALUES \(%s, %s, %s, %s, %s, (\d+), %s, %s," % ((q,) * 5 + (q, q)), line)
            if m:
                key, _t, body, name, ns, ver, status, owner = m.groups()
                rows[(ns, key)] = {"kind": "SQL", "metadata": {"namespace": ns, "name": key, "labels": {
                    "name": name, "owner": owner, "status": status, "version": ver}}, "data": {"release": body}}
                continue
            m = re.match(r"INSERT INTO public\.custom_labels_v1 \(releasekey, releasenamespace, key, value\) "
                         r"VALUES \(%s, %s, %s, %s\);" % (q, q, q, q), line)
            if m:
                labels.setdefault((m.group(2), m.group(1)), {})[m.group(3)] = m.group(4)
    for k, extra in labels.items():
        if k in rows:
            rows[k]["metadata"]["labels"].update(extra)
    return rows


def go_dumps(obj):
    """json.Marshal's bytes for a decoded-then-re-encoded value (HTML-safe escaping)."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")).encode()


def main():
    args = sys.argv[1:]
    opts = {"--map-ns": "", "--rename": "", "--sql": ""}
    pos = []
    while args:
        a = args.pop(0)
        if a in opts:
            opts[a] = args.pop(0)
        else:
            pos.append(a)
    nsmap, rename = parse_map(opts["--map-ns"]), parse_map(opts["--rename"])
    rns = {v: k for k, v in nsmap.items()}
    rname = {v: k for k, v in rename.items()}
    with open(pos[0]) as f:
        exported = json.load(f)["items"]
    with open(pos[1]) as f:
        orig = {(o["metadata"]["namespace"], o["metadata"]["name"]): o for o in json.load(f)["items"]
                if (o["metadata"].get("labels") or {}).get("owner") == "helm"}
    if opts["--sql"]:
        orig.update(sql_records(opts["--sql"]))
    problems = []
    seen = set()
    for o in exported:
        m = o["metadata"]
        lab = m.get("labels", {})
        ns, name, ver = m["namespace"], lab.get("name"), lab.get("version")
        ons, oname = rns.get(ns, ns), rname.get(name, name)
        key = (ons, "sh.helm.release.v1.%s.v%s" % (oname, ver))
        where = "%s/%s" % (ns, m["name"])
        if m["name"] != "sh.helm.release.v1.%s.v%s" % (name, ver):
            problems.append("%s: object name does not match labels" % where)
        src = orig.get(key)
        if src is None:
            problems.append("%s: no original %s/%s" % (where, key[0], key[1]))
            continue
        seen.add(key)
        for bad in ("uid", "resourceVersion", "creationTimestamp", "managedFields", "ownerReferences", "selfLink"):
            if bad in m:
                problems.append("%s: metadata.%s must not be exported" % (where, bad))
        helm = o["data"]["release"].encode()
        if o["kind"] == "Secret":
            helm = base64.b64decode(helm)
        body = gzip.decompress(base64.b64decode(helm))
        rel = json.loads(body, object_pairs_hook=OrderedDict)
        if (rel["name"], rel["namespace"]) != (name, ns):
            problems.append("%s: body says %s/%s" % (where, rel["namespace"], rel["name"]))
        if lab.get("status") != rel["info"]["status"] or lab.get("owner") != "helm" or str(rel["version"]) != ver:
            problems.append("%s: system labels %s disagree with the body" % (where, lab))
        olab = src["metadata"].get("labels") or {}
        for k, v in olab.items():
            if k in ("name",):
                continue
            if lab.get(k) != v:
                problems.append("%s: label %s=%r, original %r" % (where, k, lab.get(k), v))
        ohelm = src["data"]["release"].encode()
        if src["kind"] == "Secret":
            ohelm = base64.b64decode(ohelm)
        if (ons, oname) == (ns, name):
            if helm != ohelm:
                problems.append("%s: unchanged release but payload bytes differ" % where)
            continue
        obody = gzip.decompress(base64.b64decode(ohelm))
        orel = json.loads(obody, object_pairs_hook=OrderedDict)
        if go_dumps(orel) != obody:
            problems.append("%s: (test model) cannot reproduce the original JSON bytes" % where)
            continue
        orel["name"], orel["namespace"] = name, ns
        if go_dumps(orel) != body:
            problems.append("%s: re-encoded JSON differs from Go's encoding of the edited original" % where)
        if not helm.startswith(b"H4sIAAAAAAAC/"):
            problems.append("%s: gzip header is not Go's" % where)
    for key in sorted(set(orig) - seen):
        problems.append("original %s/%s missing from the export" % key)
    for p in problems:
        print("FAIL roundtrip: " + p)
    print("roundtrip: %d exported object(s), %d problem(s)" % (len(exported), len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Hand-edited Helm records, made from the corpus dump, for the identity tests.

Each case reproduces what issue 14 found in real-world records (objects
copied to another namespace, renamed, relabelled, a body held twice, a body
without `version`), built from testdata/corpus so nothing external is kept:

  moved/      crd/gizmo v2's object copied into namespace `elsewhere`
              (body still says namespace crd, name gizmo)
  twice/      shop/web v6's object copied as key web.v7 (same body held twice)
  relabel/    staging/web v2's object copied as key web2.v2, label name=web2
  rekey/      pruned/cache v6's object renamed to key cache.v2 (body = v6)
  zero/       a body with no `version` (object zero.v1, body name zero)
  old122/     a body written as Go < 1.22 does (`\u0008` `\u000c` escapes)

Usage: doctor.py DUMP OUT.json   (writes a kind: List of Secrets)
The payloads of unchanged bodies are kept byte for byte; changed bodies are
re-encoded as helm does (json.Marshal order kept, gzip, base64).
"""
import base64
import copy
import gzip
import json
import sys


def body_of(obj):
    raw = base64.b64decode(base64.b64decode(obj["data"]["release"]))
    return json.loads(gzip.decompress(raw))


def encode(body, pre122=False):
    js = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    if pre122:
        js = js.replace('"a\\bb\\fc"', '"a\\u0008b\\u000cc"')
    js = js.encode()
    gz = gzip.compress(js, compresslevel=9, mtime=0)
    return base64.b64encode(base64.b64encode(gz)).decode()


def find(items, ns, name):
    for o in items:
        if o["kind"] == "Secret" and o["metadata"]["namespace"] == ns and o["metadata"]["name"] == name:
            return o
    raise SystemExit("doctor: %s/%s not in the dump" % (ns, name))


def clone(obj, ns=None, name=None, labels=None):
    o = copy.deepcopy(obj)
    md = o["metadata"]
    for k in ("uid", "resourceVersion", "creationTimestamp", "managedFields", "selfLink"):
        md.pop(k, None)
    if ns:
        md["namespace"] = ns
    if name:
        md["name"] = name
    if labels:
        md.setdefault("labels", {}).update(labels)
    return o


def main():
    items = json.load(open(sys.argv[1]))["items"]
    out = []
    key = "sh.helm.release.v1."
    # moved: only the copy exists, in another namespace.
    out.append(clone(find(items, "crd", key + "gizmo.v2"), ns="elsewhere"))
    # twice: the whole shop/web history plus v6 held again under key v7.
    for v in range(1, 7):
        out.append(clone(find(items, "shop", key + "web.v%d" % v)))
    out.append(clone(find(items, "shop", key + "web.v6"), name=key + "web.v7", labels={"version": "7"}))
    # relabel: staging/web v2 also under name web2.
    out.append(clone(find(items, "staging", key + "web.v2")))
    out.append(clone(find(items, "staging", key + "web.v2"), name=key + "web2.v2", labels={"name": "web2"}))
    # rekey: pruned/cache v4, v5 and v6 stored under key v2.
    out.append(clone(find(items, "pruned", key + "cache.v4")))
    out.append(clone(find(items, "pruned", key + "cache.v5")))
    out.append(clone(find(items, "pruned", key + "cache.v6"), name=key + "cache.v2"))
    # zero: a body without version.
    z = clone(find(items, "stuck", key + "hung.v1"), ns="zero", name=key + "zero.v1",
              labels={"name": "zero", "version": "1"})
    b = body_of(z)
    b.pop("version", None)
    b["name"] = "zero"
    b["namespace"] = "zero"
    z["data"]["release"] = encode(b)
    out.append(z)
    # old122: Go < 1.22 escapes in a value.
    g = clone(find(items, "platform", key + "plat.v1"), ns="old122")
    b = body_of(g)
    b["namespace"] = "old122"
    b.setdefault("config", {})["bell"] = "a\bb\fc"
    g["data"]["release"] = encode(b, pre122=True)
    out.append(g)
    json.dump({"apiVersion": "v1", "kind": "List", "items": out}, open(sys.argv[2], "w"), indent=1)


main()

#!/usr/bin/env python3
"""export_copies.py - the export benchmark's input: COPIES revisions of one big
release as Secrets (kubectl JSON List), each a consistent record helm wrote
(body version i, object key .vi, labels), so that export keeps every payload.

Usage: export_copies.py PAYLOAD COPIES OUT.json
PAYLOAD is a bare Helm string (base64 of gzip of the release JSON), e.g. a
`kubectl get secret ... -o jsonpath='{.data.release}' | base64 -d` of a big
release.  With PAYLOAD "-" a ~6 MB release is synthesized from the corpus
(shop/web v6 with its manifest repeated).
"""
import base64
import gzip
import json
import sys

src, copies, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if src == "-":
    items = json.load(open("testdata/corpus/dumps/all-secrets-configmaps.json"))["items"]
    o = [x for x in items if x["metadata"]["name"] == "sh.helm.release.v1.web.v6"][0]
    body = json.loads(gzip.decompress(base64.b64decode(base64.b64decode(o["data"]["release"]))))
    body["manifest"] = (body["manifest"] + "\n") * max(1, 6_000_000 // len(body["manifest"]))
else:
    body = json.loads(gzip.decompress(base64.b64decode(open(src, "rb").read().strip())))
name, ns = body["name"], body.get("namespace") or "default"
res = []
for i in range(1, copies + 1):
    body["version"] = i
    body["info"]["status"] = "deployed" if i == copies else "superseded"
    js = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    helm = base64.b64encode(gzip.compress(js, compresslevel=6, mtime=0))
    res.append({"apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
                "metadata": {"name": "sh.helm.release.v1.%s.v%d" % (name, i), "namespace": ns,
                             "labels": {"name": name, "owner": "helm", "status": body["info"]["status"],
                                        "version": str(i)}},
                "data": {"release": base64.b64encode(helm).decode()}})
json.dump({"apiVersion": "v1", "kind": "List", "items": res}, open(out, "w"))
print("%s/%s: %d revisions, %d bytes of JSON each" % (ns, name, copies, len(js)))

#!/usr/bin/env python3
"""Create the objects of a JSON file (one object, or a `kind: List`) on the
API server named by a kubeconfig's first cluster, with plain POSTs — the
request `kubectl create -f` sends.  Used by the interop tests to load an
export into kubeapi.py.  Exit 1 with the server's message on any failure.

Usage: kubecreate.py KUBECONFIG FILE...
"""
import json
import re
import sys
import urllib.error
import urllib.request

PLURALS = {"Secret": "secrets", "ConfigMap": "configmaps", "Namespace": "namespaces",
           "CustomResourceDefinition": "customresourcedefinitions"}


def server_of(kubeconfig):
    with open(kubeconfig) as f:
        m = re.search(r"server:\s*(\S+)", f.read())
    if not m:
        sys.exit("kubecreate: no server in %s" % kubeconfig)
    return m.group(1).rstrip("/")


def create(server, obj):
    api = obj.get("apiVersion", "")
    kind = obj.get("kind", "")
    plural = PLURALS.get(kind)
    if not plural:
        sys.exit("kubecreate: kind %s not supported" % kind)
    base = "/api/v1" if api == "v1" else "/apis/" + api
    ns = (obj.get("metadata") or {}).get("namespace")
    path = base + ("/namespaces/%s" % ns if ns and kind not in ("Namespace", "CustomResourceDefinition") else "") \
        + "/" + plural
    req = urllib.request.Request(server + path, data=json.dumps(obj).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            r.read()
    except urllib.error.HTTPError as e:
        msg = e.read().decode(errors="replace")
        try:
            msg = json.loads(msg).get("message", msg)
        except ValueError:
            pass
        sys.exit("kubecreate: %s %s/%s: %s" % (kind, ns, obj["metadata"].get("name"), msg))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    server = server_of(sys.argv[1])
    n = 0
    for path in sys.argv[2:]:
        with open(path) as f:
            doc = json.load(f)
        items = doc["items"] if doc.get("kind", "").endswith("List") else [doc]
        for obj in items:
            create(server, obj)
            n += 1
    print("kubecreate: created %d object(s)" % n, file=sys.stderr)


if __name__ == "__main__":
    main()

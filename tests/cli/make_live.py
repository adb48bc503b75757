#!/usr/bin/env python3
"""Build a backup with live objects for tests/cli/test_drift.sh.

From the public corpus (CORPUS = testdata/corpus) write into OUT:
  dump.json    the corpus `kubectl get secrets,configmaps -A -o json` dump with
               planted changes: ConfigMap pruned/cache-webapp-settings deleted,
               Secret cm/cfg-webapp-credentials password edited (kubectl-edit);
  live.json    a kubectl List of the other objects of every deployed manifest,
               as the API server returns them: defaults, status, uid,
               resourceVersion, Helm's ownership annotations, managedFields;
               planted: shop/web Deployment image set by `kubectl set image`
               (manager kubectl-set), labels/api Deployment replicas scaled by
               an HPA (manager horizontal-pod-autoscaler), staging/web
               Deployment with a sidecar and an annotation a mutating webhook
               added (fields the manifest does not set), and an orphaned
               Service shop/web-webapp-old carrying release web's annotations;
  velero.tar.gz the same objects (dump + live) in Velero's layout, each object
               twice (plain and v1-preferredversion folders).
Deterministic: the same corpus gives the same bytes.
"""
import base64
import copy
import glob
import hashlib
import io
import json
import os
import sys
import tarfile

import yaml

CORPUS, OUT = sys.argv[1], sys.argv[2]
T0 = "2026-11-24T00:00:00Z"
T1 = "2026-11-24T01:00:00Z"
CLUSTER_KINDS = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
                 "PriorityClass", "StorageClass", "PersistentVolume"}
PLURAL = {"Deployment": "deployments.apps", "Service": "services", "ServiceAccount": "serviceaccounts",
          "Secret": "secrets", "ConfigMap": "configmaps", "Widget": "widgets.example.com",
          "Job": "jobs.batch", "Pod": "pods"}
rv = [5000]


def next_rv():
    rv[0] += 1
    return str(rv[0])


def uid(*parts):
    h = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])


def fields(node):
    """fieldsV1 of what `node` sets (lists of objects keyed by name, else by index)."""
    if isinstance(node, dict):
        return {"f:" + k: fields(v) for k, v in node.items()}
    if isinstance(node, list) and node and all(isinstance(e, dict) for e in node):
        out = {}
        for i, e in enumerate(node):
            key = "k:" + json.dumps({"name": e["name"]}, separators=(",", ":")) if "name" in e else "i:%d" % i
            sub = fields(e)
            sub["."] = {}
            out[key] = sub
        return out
    return {}


def drop_path(fv, path):
    """Remove one field path (list of fieldsV1 keys) from a fieldsV1 tree."""
    for k in path[:-1]:
        fv = fv[k]
    fv.pop(path[-1], None)


def with_defaults(kind, obj, ns, name):
    spec = obj.setdefault("spec", {}) if kind in ("Deployment", "Service") else None
    if kind == "Deployment":
        spec.setdefault("replicas", 1)
        spec.setdefault("progressDeadlineSeconds", 600)
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("strategy", {"type": "RollingUpdate",
                                     "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
        tpl = spec.setdefault("template", {})
        tpl.setdefault("metadata", {})["creationTimestamp"] = None
        ps = tpl.setdefault("spec", {})
        for k, v in (("dnsPolicy", "ClusterFirst"), ("restartPolicy", "Always"),
                     ("schedulerName", "default-scheduler"), ("securityContext", {}),
                     ("terminationGracePeriodSeconds", 30)):
            ps.setdefault(k, v)
        for c in ps.get("containers", []):
            c.setdefault("imagePullPolicy", "IfNotPresent")
            c.setdefault("resources", {})
            c.setdefault("terminationMessagePath", "/dev/termination-log")
            c.setdefault("terminationMessagePolicy", "File")
            for p in c.get("ports", []):
                p.setdefault("protocol", "TCP")
            for probe in ("livenessProbe", "readinessProbe"):
                if probe in c:
                    for k, v in (("failureThreshold", 3), ("periodSeconds", 10), ("successThreshold", 1),
                                 ("timeoutSeconds", 1)):
                        c[probe].setdefault(k, v)
                    c[probe].get("httpGet", {}).setdefault("scheme", "HTTP")
        n = spec["replicas"]
        obj["status"] = {"availableReplicas": n, "observedGeneration": 1, "readyReplicas": n,
                         "replicas": n, "updatedReplicas": n,
                         "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                                         "lastTransitionTime": T0, "lastUpdateTime": T0}]}
        obj["metadata"]["generation"] = 1
    elif kind == "Service":
        h = int(hashlib.sha256((ns + name).encode()).hexdigest()[:4], 16)
        ip = "10.96.%d.%d" % (h >> 8, h & 255)
        spec.setdefault("type", "ClusterIP")
        spec["clusterIP"] = ip
        spec["clusterIPs"] = [ip]
        spec.setdefault("internalTrafficPolicy", "Cluster")
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")
        spec.setdefault("sessionAffinity", "None")
        for p in spec.get("ports", []):
            p.setdefault("protocol", "TCP")
            p.setdefault("targetPort", p.get("port"))
        obj["status"] = {"loadBalancer": {}}
    return obj


def live_object(doc, rel, ns):
    kind, name = doc["kind"], doc["metadata"]["name"]
    obj = copy.deepcopy(doc)
    md = obj["metadata"]
    obj_ns = None if kind in CLUSTER_KINDS else md.get("namespace", ns)
    if obj_ns:
        md["namespace"] = obj_ns
    md.setdefault("annotations", {}).update({"meta.helm.sh/release-name": rel,
                                             "meta.helm.sh/release-namespace": ns})
    applied = copy.deepcopy(doc)
    applied["metadata"]["annotations"] = dict(md["annotations"])
    fv = fields({k: v for k, v in applied.items() if k not in ("apiVersion", "kind")})
    fv.get("f:metadata", {}).pop("f:name", None)
    fv.get("f:metadata", {}).pop("f:namespace", None)
    md["creationTimestamp"] = T0
    md["uid"] = uid(kind, obj_ns or "", name)
    md["resourceVersion"] = next_rv()
    md["managedFields"] = [{"manager": "helm", "operation": "Update", "apiVersion": doc["apiVersion"],
                            "time": T0, "fieldsType": "FieldsV1", "fieldsV1": fv}]
    with_defaults(kind, obj, obj_ns, name)
    if "status" in obj and kind == "Deployment":
        md["managedFields"].append({"manager": "kube-controller-manager", "operation": "Update",
                                    "apiVersion": doc["apiVersion"], "time": T0, "fieldsType": "FieldsV1",
                                    "subresource": "status",
                                    "fieldsV1": {"f:status": {k: {} for k in ("f:availableReplicas",
                                                                               "f:readyReplicas", "f:replicas",
                                                                               "f:updatedReplicas")}}})
    return obj


def deployed_releases():
    best = {}
    for f in sorted(glob.glob(os.path.join(CORPUS, "decoded", "*", "*", "*.json"))):
        d = json.load(open(f))
        if d.get("info", {}).get("status") != "deployed":
            continue
        key = (d["namespace"], d["name"])
        if key not in best or d["version"] > best[key]["version"]:
            best[key] = d
    return [best[k] for k in sorted(best)]


def plant_image(obj):
    c = obj["spec"]["template"]["spec"]["containers"][0]
    c["image"] = "nginx:1.27.0-hotfix"
    helm = obj["metadata"]["managedFields"][0]["fieldsV1"]
    ck = 'k:{"name":"%s"}' % c["name"]
    drop_path(helm, ["f:spec", "f:template", "f:spec", "f:containers", ck, "f:image"])
    obj["metadata"]["managedFields"].append({
        "manager": "kubectl-set", "operation": "Update", "apiVersion": "apps/v1", "time": T1,
        "fieldsType": "FieldsV1",
        "fieldsV1": {"f:spec": {"f:template": {"f:spec": {"f:containers": {ck: {"f:image": {}}}}}}}})


def plant_hpa(obj):
    obj["spec"]["replicas"] = 7
    drop_path(obj["metadata"]["managedFields"][0]["fieldsV1"], ["f:spec", "f:replicas"])
    obj["metadata"]["managedFields"].append({
        "manager": "horizontal-pod-autoscaler", "operation": "Update", "apiVersion": "apps/v1", "time": T1,
        "fieldsType": "FieldsV1", "subresource": "scale", "fieldsV1": {"f:spec": {"f:replicas": {}}}})


def plant_webhook(obj):
    # what a sidecar injector adds at admission: fields the manifest never sets
    tpl = obj["spec"]["template"]
    tpl["metadata"].setdefault("annotations", {})["sidecar.example.com/status"] = "injected"
    tpl["spec"]["containers"].append({"name": "proxy-sidecar", "image": "example/proxy:1.0",
                                      "imagePullPolicy": "IfNotPresent", "resources": {},
                                      "terminationMessagePath": "/dev/termination-log",
                                      "terminationMessagePolicy": "File"})


def orphan_service():
    doc = {"apiVersion": "v1", "kind": "Service",
           "metadata": {"name": "web-webapp-old", "namespace": "shop",
                        "labels": {"app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/instance": "web"}},
           "spec": {"type": "ClusterIP", "ports": [{"name": "http", "port": 8080, "targetPort": "http"}],
                    "selector": {"app.kubernetes.io/instance": "web"}}}
    return live_object(doc, "web", "shop")


def main():
    os.makedirs(OUT, exist_ok=True)
    live = []
    for rel in deployed_releases():
        for doc in yaml.safe_load_all(rel.get("manifest", "")):
            if not isinstance(doc, dict) or not doc.get("kind"):
                continue
            if doc["kind"] in ("Secret", "ConfigMap"):
                continue        # those are in the corpus dump already
            obj = live_object(doc, rel["name"], rel["namespace"])
            key = (rel["namespace"], rel["name"], doc["kind"])
            if key == ("shop", "web", "Deployment"):
                plant_image(obj)
            elif key == ("labels", "api", "Deployment"):
                plant_hpa(obj)
            elif key == ("staging", "web", "Deployment"):
                plant_webhook(obj)
            live.append(obj)
    live.append(orphan_service())

    dump = json.load(open(os.path.join(CORPUS, "dumps", "all-secrets-configmaps.json")))
    items = []
    for it in dump["items"]:
        md = it["metadata"]
        if (md.get("namespace"), md["name"]) == ("pruned", "cache-webapp-settings"):
            continue            # deleted by hand
        if (md.get("namespace"), md["name"]) == ("cm", "cfg-webapp-credentials"):
            it = copy.deepcopy(it)
            it["data"]["password"] = base64.b64encode(b"hand-edited-s3cret").decode()
            it["metadata"]["managedFields"] = [
                {"manager": "helm", "operation": "Update", "apiVersion": "v1", "time": T0,
                 "fieldsType": "FieldsV1",
                 "fieldsV1": {"f:data": {"f:api-token": {}, "f:username": {}}, "f:type": {}}},
                {"manager": "kubectl-edit", "operation": "Update", "apiVersion": "v1", "time": T1,
                 "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {"f:password": {}}}}]
        items.append(it)
    dump["items"] = items
    with open(os.path.join(OUT, "dump.json"), "w") as f:
        json.dump(dump, f, indent=2)
    with open(os.path.join(OUT, "live.json"), "w") as f:
        json.dump({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": live}, f,
                  indent=2)

    # Velero layout: every object twice, compact sorted JSON, as Velero writes them
    with tarfile.open(os.path.join(OUT, "velero.tar.gz"), "w:gz", format=tarfile.PAX_FORMAT) as tar:
        def add(path, data):
            ti = tarfile.TarInfo(path)
            ti.size = len(data)
            ti.mode = 0o755
            ti.mtime = 1795000000
            tar.addfile(ti, io.BytesIO(data))
        add("metadata/version", b"1.1.0\n")
        for obj in items + live:
            md = obj["metadata"]
            plural = PLURAL.get(obj["kind"], obj["kind"].lower() + "s")
            data = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
            where = "namespaces/%s" % md["namespace"] if md.get("namespace") else "cluster"
            add("resources/%s/%s/%s.json" % (plural, where, md["name"]), data)
            add("resources/%s/v1-preferredversion/%s/%s.json" % (plural, where, md["name"]), data)


main()

#!/usr/bin/env python3
"""A minimal Kubernetes API server emulator for helmrec's interop tests.

The real helm (and kubectl) talk to it through their normal client code:
discovery (/version, /api, /apis, resource lists), list with label and field
selectors, get, create, update, patch (merge, strategic-merge as a merge,
JSON patch, server-side apply as create-or-merge), delete and watch.  Objects
live in memory; Jobs and Pods are marked finished on creation so that helm's
hook and test waits end at once; Deployments and StatefulSets report
themselves rolled out.

It listens on 127.0.0.1 only, plain HTTP, no authentication.  It is a test
double, not a cluster: there are no controllers, no admission, no
validation beyond what helm's behaviour depends on (AlreadyExists,
NotFound, resourceVersion must not be set on create).

Usage:
  kubeapi.py --port-file FILE [--port N] [--log FILE] [--kubeconfig FILE]
             [--dump FILE]

--port 0 (default) picks a free port, written to --port-file when ready.
--kubeconfig writes a kubeconfig pointing at the server.  On SIGTERM or
SIGINT, --dump writes every stored object as one JSON `kind: List` (sorted by
namespace, kind, name) so tests can inspect what helm wrote.
"""

import argparse
import base64
import copy
import datetime
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

K8S_VERSION = {"major": "1", "minor": "32", "gitVersion": "v1.32.3",
               "gitCommit": "0000000000000000000000000000000000000000",
               "gitTreeState": "clean", "buildDate": "2025-03-11T00:00:00Z",
               "goVersion": "go1.23.6", "compiler": "gc", "platform": "linux/amd64"}

# (group, version, kind, plural, namespaced, short names)
BUILTIN = [
    ("", "v1", "Namespace", "namespaces", False, ["ns"]),
    ("", "v1", "Secret", "secrets", True, []),
    ("", "v1", "ConfigMap", "configmaps", True, ["cm"]),
    ("", "v1", "Service", "services", True, ["svc"]),
    ("", "v1", "ServiceAccount", "serviceaccounts", True, ["sa"]),
    ("", "v1", "Pod", "pods", True, ["po"]),
    ("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", True, ["pvc"]),
    ("", "v1", "Endpoints", "endpoints", True, ["ep"]),
    ("", "v1", "Event", "events", True, ["ev"]),
    ("apps", "v1", "Deployment", "deployments", True, ["deploy"]),
    ("apps", "v1", "StatefulSet", "statefulsets", True, ["sts"]),
    ("apps", "v1", "DaemonSet", "daemonsets", True, ["ds"]),
    ("apps", "v1", "ReplicaSet", "replicasets", True, ["rs"]),
    ("batch", "v1", "Job", "jobs", True, []),
    ("batch", "v1", "CronJob", "cronjobs", True, ["cj"]),
    ("networking.k8s.io", "v1", "Ingress", "ingresses", True, ["ing"]),
    ("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", True, ["netpol"]),
    ("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", True, ["pdb"]),
    ("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", True, ["hpa"]),
    ("rbac.authorization.k8s.io", "v1", "Role", "roles", True, []),
    ("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", True, []),
    ("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", False, []),
    ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", False, []),
    ("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", False, ["crd", "crds"]),
]
VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class ApiError(Exception):
    def __init__(self, code, reason, message, details=None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details or {}

    def status(self):
        return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": self.message, "reason": self.reason, "details": self.details,
                "code": self.code}


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch; keys starting with '$' (strategic-merge
    directives) are dropped, so a strategic patch applies as a merge."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if not isinstance(target, dict):
        target = {}
    out = dict(target)
    for k, v in patch.items():
        if k.startswith("$"):
            continue
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict):
            out[k] = merge_patch(out.get(k), v)
        elif isinstance(v, list):
            out[k] = [strip_directives(x) for x in v]
        else:
            out[k] = v
    return out


def strip_directives(v):
    if isinstance(v, dict):
        return {k: strip_directives(x) for k, x in v.items() if not k.startswith("$")}
    if isinstance(v, list):
        return [strip_directives(x) for x in v]
    return v


def json_patch(doc, ops):
    """RFC 6902, the operations clients send (add, replace, remove, test)."""
    doc = copy.deepcopy(doc)
    for op in ops:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in op["path"].split("/")[1:]]
        parent = doc
        for p in parts[:-1]:
            parent = parent[int(p)] if isinstance(parent, list) else parent.setdefault(p, {})
        last = parts[-1] if parts else None
        kind = op["op"]
        if kind in ("add", "replace"):
            if isinstance(parent, list):
                if last == "-":
                    parent.append(op["value"])
                elif kind == "add":
                    parent.insert(int(last), op["value"])
                else:
                    parent[int(last)] = op["value"]
            else:
                parent[last] = op["value"]
        elif kind == "remove":
            if isinstance(parent, list):
                del parent[int(last)]
            else:
                parent.pop(last, None)
        elif kind == "test":
            cur = parent[int(last)] if isinstance(parent, list) else parent.get(last)
            if cur != op.get("value"):
                raise ApiError(422, "Invalid", "json patch test failed at %s" % op["path"])
        else:
            raise ApiError(415, "UnsupportedMediaType", "json patch op %s not supported" % kind)
    return doc


def parse_selector(sel):
    """Label selector: k=v, k==v, k!=v, k, !k, k in (a,b), k notin (a,b)."""
    reqs = []
    if not sel:
        return reqs
    for part in re.findall(r'[^,()]+(?:\([^)]*\))?', sel):
        part = part.strip()
        if not part:
            continue
        m = re.match(r'^(\S+)\s+(in|notin)\s+\(([^)]*)\)$', part)
        if m:
            vals = {x.strip() for x in m.group(3).split(",")}
            reqs.append((m.group(1), m.group(2), vals))
        elif "!=" in part:
            k, v = part.split("!=", 1)
            reqs.append((k.strip(), "!=", v.strip()))
        elif "==" in part:
            k, v = part.split("==", 1)
            reqs.append((k.strip(), "=", v.strip()))
        elif "=" in part:
            k, v = part.split("=", 1)
            reqs.append((k.strip(), "=", v.strip()))
        elif part.startswith("!"):
            reqs.append((part[1:].strip(), "!exists", None))
        else:
            reqs.append((part, "exists", None))
    return reqs


def labels_match(labels, reqs):
    for k, op, v in reqs:
        has = k in labels
        if op == "=" and (not has or labels[k] != v):
            return False
        if op == "!=" and has and labels[k] == v:
            return False
        if op == "exists" and not has:
            return False
        if op == "!exists" and has:
            return False
        if op == "in" and (not has or labels[k] not in v):
            return False
        if op == "notin" and has and labels[k] in v:
            return False
    return True


def fields_match(obj, sel):
    if not sel:
        return True
    for part in sel.split(","):
        if not part:
            continue
        neg = "!=" in part
        k, v = part.split("!=" if neg else "=", 1)
        k = k.strip()
        v = v.strip().lstrip("=")
        cur = obj
        for p in k.split("."):
            cur = cur.get(p) if isinstance(cur, dict) else None
        cur = "" if cur is None else str(cur)
        if (cur == v) == neg:
            return False
    return True


# --- Kubernetes protobuf (the typed clientset sends Secrets/ConfigMaps so) --
# Envelope: "k8s\0" + runtime.Unknown{1: TypeMeta{1: apiVersion, 2: kind},
# 2: raw, 3: contentEncoding, 4: contentType}; raw is the object message.

def pb_fields(b):
    """Yield (field number, wire type, value) of one protobuf message."""
    i, n = 0, len(b)

    def varint():
        nonlocal i
        shift = v = 0
        while True:
            if i >= n:
                raise ApiError(400, "BadRequest", "truncated protobuf")
            c = b[i]
            i += 1
            v |= (c & 0x7F) << shift
            shift += 7
            if c < 0x80:
                return v
    while i < n:
        key = varint()
        num, wt = key >> 3, key & 7
        if wt == 0:
            yield num, wt, varint()
        elif wt == 2:
            ln = varint()
            yield num, wt, b[i:i + ln]
            i += ln
        elif wt == 1:
            yield num, wt, b[i:i + 8]
            i += 8
        elif wt == 5:
            yield num, wt, b[i:i + 4]
            i += 4
        else:
            raise ApiError(400, "BadRequest", "protobuf wire type %d not supported" % wt)


def pb_map(b, as_bytes=False):
    k = v = None
    for num, _wt, val in pb_fields(b):
        if num == 1:
            k = val.decode()
        elif num == 2:
            v = base64.b64encode(val).decode() if as_bytes else val.decode()
    return k, (v if v is not None else "")


def pb_meta(b):
    meta = {}
    names = {1: "name", 2: "generateName", 3: "namespace", 4: "selfLink", 5: "uid", 6: "resourceVersion"}
    for num, _wt, val in pb_fields(b):
        if num in names:
            meta[names[num]] = val.decode()
        elif num in (11, 12):
            k, v = pb_map(val)
            meta.setdefault("labels" if num == 11 else "annotations", {})[k] = v
        elif num == 14:
            meta.setdefault("finalizers", []).append(val.decode())
    return meta


def pb_object(raw):
    if raw[:4] != b"k8s\0":
        raise ApiError(415, "UnsupportedMediaType", "protobuf body without the k8s envelope")
    api = kind = ""
    body = b""
    for num, _wt, val in pb_fields(raw[4:]):
        if num == 1:
            for n2, _w2, v2 in pb_fields(val):
                if n2 == 1:
                    api = v2.decode()
                elif n2 == 2:
                    kind = v2.decode()
        elif num == 2:
            body = val
    obj = {"apiVersion": api, "kind": kind, "metadata": {}}
    for num, wt, val in pb_fields(body):
        if num == 1:
            obj["metadata"] = pb_meta(val)
        elif kind == "Secret" and num in (2, 4):
            k, v = pb_map(val, as_bytes=(num == 2))
            if num == 4:
                v = base64.b64encode(v.encode()).decode()
            obj.setdefault("data", {})[k] = v
        elif kind == "Secret" and num == 3:
            obj["type"] = val.decode()
        elif kind == "ConfigMap" and num == 2:
            k, v = pb_map(val)
            obj.setdefault("data", {})[k] = v
        elif kind == "ConfigMap" and num == 3:
            k, v = pb_map(val, as_bytes=True)
            obj.setdefault("binaryData", {})[k] = v
        elif num in (4, 5) and wt == 0 and kind in ("Secret", "ConfigMap"):
            obj["immutable"] = bool(val)
        elif kind not in ("Secret", "ConfigMap"):
            raise ApiError(415, "UnsupportedMediaType", "protobuf body for %s not supported" % kind)
    return obj


class Store:
    def __init__(self):
        self.lock = threading.Condition()
        self.rv = 1000
        self.objects = {}      # (group, plural, ns, name) -> obj
        self.events = []       # (rv, type, group, plural, ns, obj)
        self.types = {}        # (group, version, plural) -> type tuple
        self.kinds = {}        # (group, kind) -> type tuple
        for t in BUILTIN:
            self.add_type(t)

    def add_type(self, t):
        g, v, kind, plural, namespaced, short = t
        self.types[(g, v, plural)] = t
        self.kinds[(g, kind)] = t

    def groups(self):
        out = {}
        for (g, v, _p) in self.types:
            out.setdefault(g, [])
            if v not in out[g]:
                out[g].append(v)
        return out

    def next_rv(self):
        self.rv += 1
        return str(self.rv)

    def record(self, etype, t, ns, obj):
        self.events.append((int(obj["metadata"]["resourceVersion"]), etype, t[0], t[3], ns,
                            copy.deepcopy(obj)))
        self.lock.notify_all()

    # CRDs add their kinds to discovery, as the API server does.
    def crd_changed(self, obj, deleted=False):
        spec = obj.get("spec", {})
        g = spec.get("group", "")
        names = spec.get("names", {})
        for ver in spec.get("versions", []):
            key = (g, ver.get("name"), names.get("plural"))
            if deleted:
                self.types.pop(key, None)
                self.kinds.pop((g, names.get("kind")), None)
            else:
                self.add_type((g, ver.get("name"), names.get("kind"), names.get("plural"),
                               spec.get("scope", "Namespaced") == "Namespaced",
                               names.get("shortNames", [])))


def fake_status(t, obj):
    """Make workloads look finished/ready, since nothing runs here."""
    kind = t[2]
    meta = obj["metadata"]
    ts = now_rfc3339()
    if kind == "Job":
        obj["status"] = {"startTime": ts, "completionTime": ts, "succeeded": 1, "ready": 0,
                         "conditions": [
                             {"type": "SuccessCriteriaMet", "status": "True", "lastProbeTime": ts,
                              "lastTransitionTime": ts},
                             {"type": "Complete", "status": "True", "lastProbeTime": ts,
                              "lastTransitionTime": ts}]}
    elif kind == "Pod":
        obj["status"] = {"phase": "Succeeded", "startTime": ts,
                         "conditions": [{"type": "Ready", "status": "False", "reason": "PodCompleted"}]}
    elif kind in ("Deployment", "StatefulSet", "ReplicaSet"):
        n = (obj.get("spec") or {}).get("replicas", 1)
        obj["status"] = {"observedGeneration": meta.get("generation", 1), "replicas": n,
                         "readyReplicas": n, "updatedReplicas": n, "availableReplicas": n,
                         "currentReplicas": n,
                         "conditions": [{"type": "Available", "status": "True"},
                                        {"type": "Progressing", "status": "True",
                                         "reason": "NewReplicaSetAvailable"}]}
        if kind == "StatefulSet":
            obj["status"]["currentRevision"] = obj["status"]["updateRevision"] = "r1"
    elif kind == "DaemonSet":
        obj["status"] = {"observedGeneration": meta.get("generation", 1), "desiredNumberScheduled": 1,
                         "currentNumberScheduled": 1, "numberReady": 1, "updatedNumberScheduled": 1,
                         "numberAvailable": 1}
    elif kind == "CustomResourceDefinition":
        obj["status"] = {"conditions": [{"type": "Established", "status": "True"},
                                        {"type": "NamesAccepted", "status": "True"}],
                         "acceptedNames": (obj.get("spec") or {}).get("names", {})}
    elif kind == "Namespace":
        obj["status"] = {"phase": "Active"}
    elif kind == "PersistentVolumeClaim":
        obj["status"] = {"phase": "Bound"}
    elif kind == "Service":
        obj.setdefault("status", {"loadBalancer": {}})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kubeapi-emulator"
    store = None
    logf = None
    port = 0

    def log_message(self, fmt, *args):
        if self.logf:
            self.logf.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))
            self.logf.flush()

    # --- plumbing -------------------------------------------------------
    def send_json(self, code, obj):
        body = json.dumps(obj, separators=(",", ":")).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(size)
                self.rfile.readline()
            return data
        return self.rfile.read(n) if n else b""

    def body_json(self):
        raw = self.read_body()
        ctype = self.headers.get("Content-Type", "")
        if "protobuf" in ctype:
            return pb_object(raw)
        try:
            return json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError as e:
            raise ApiError(400, "BadRequest", "request body is not JSON: %s" % e)

    def handle_any(self, method):
        try:
            u = urllib.parse.urlsplit(self.path)
            q = {k: v[-1] for k, v in urllib.parse.parse_qs(u.query, keep_blank_values=True).items()}
            self.route(method, [p for p in u.path.split("/") if p], q)
        except ApiError as e:
            self.send_json(e.code, e.status())
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as e:  # a bug here must show up in the test log
            self.log_message("internal error: %r", e)
            self.send_json(500, ApiError(500, "InternalError", "emulator: %r" % e).status())

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_DELETE(self):
        self.handle_any("DELETE")

    # --- routing --------------------------------------------------------
    def route(self, method, parts, q):
        st = self.store
        if method == "GET" and parts == ["version"]:
            return self.send_json(200, K8S_VERSION)
        if method == "GET" and parts in (["healthz"], ["readyz"], ["livez"]):
            body = b"ok"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            return self.wfile.write(body)
        if method == "GET" and parts == ["openapi", "v2"]:
            # An empty OpenAPI v2 document (protobuf encoding of no fields):
            # clients then know no schemas and skip client-side validation.
            self.send_response(200)
            self.send_header("Content-Type", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if method == "GET" and parts == ["api"]:
            return self.send_json(200, {"kind": "APIVersions", "versions": ["v1"],
                                        "serverAddressByClientCIDRs": [
                                            {"clientCIDR": "0.0.0.0/0",
                                             "serverAddress": "127.0.0.1:%d" % self.port}]})
        if method == "GET" and parts == ["apis"]:
            with st.lock:
                groups = st.groups()
            items = []
            for g in sorted(k for k in groups if k):
                vs = [{"groupVersion": "%s/%s" % (g, v), "version": v} for v in groups[g]]
                items.append({"name": g, "versions": vs, "preferredVersion": vs[0]})
            return self.send_json(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": items})
        if parts and parts[0] == "api":
            group, rest = "", parts[1:]
        elif parts and parts[0] == "apis" and len(parts) >= 2:
            group, rest = parts[1], parts[2:]
        else:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if not rest:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        version, rest = rest[0], rest[1:]
        if not rest:
            if method != "GET":
                raise ApiError(405, "MethodNotAllowed", "method not allowed")
            return self.send_json(200, self.resource_list(group, version))
        ns = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            ns, rest = rest[1], rest[2:]
        plural, name, sub = rest[0], (rest[1] if len(rest) > 1 else None), (rest[2] if len(rest) > 2 else None)
        with st.lock:
            t = st.types.get((group, version, plural))
        if t is None:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if ns is None and t[4] and name is not None:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if name is None:
            if method == "GET":
                if q.get("watch") in ("true", "1"):
                    return self.watch(t, version, ns, q)
                return self.list(t, version, ns, q)
            if method == "POST":
                return self.create(t, version, ns, self.body_json(), q)
            raise ApiError(405, "MethodNotAllowed", "method not allowed")
        if sub not in (None, "status"):
            raise ApiError(404, "NotFound", "subresource %s not supported" % sub)
        if method == "GET":
            return self.send_json(200, self.get(t, version, ns, name))
        if method == "PUT":
            return self.update(t, version, ns, name, self.body_json(), q)
        if method == "PATCH":
            return self.patch(t, version, ns, name, q)
        if method == "DELETE":
            self.read_body()
            return self.delete(t, version, ns, name)
        raise ApiError(405, "MethodNotAllowed", "method not allowed")

    def resource_list(self, group, version):
        st = self.store
        res = []
        with st.lock:
            types = [t for (g, v, _p), t in st.types.items() if g == group and v == version]
        if not types:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        for t in sorted(types, key=lambda x: x[3]):
            res.append({"name": t[3], "singularName": t[2].lower(), "namespaced": t[4], "kind": t[2],
                        "verbs": VERBS, "shortNames": t[5] or None})
            if t[2] in ("Deployment", "StatefulSet", "Job", "Pod", "CustomResourceDefinition"):
                res.append({"name": t[3] + "/status", "singularName": "", "namespaced": t[4],
                            "kind": t[2], "verbs": ["get", "patch", "update"]})
        for r in res:
            if r.get("shortNames") is None:
                r.pop("shortNames", None)
        gv = version if not group else "%s/%s" % (group, version)
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": res}

    # --- verbs ----------------------------------------------------------
    def details(self, t, name):
        return {"name": name, "group": t[0], "kind": t[3]}

    def key(self, t, ns, name):
        return (t[0], t[3], ns if t[4] else "", name)

    def api_version(self, t, version):
        return version if not t[0] else "%s/%s" % (t[0], version)

    def get(self, t, version, ns, name):
        st = self.store
        with st.lock:
            obj = st.objects.get(self.key(t, ns, name))
            if obj is None and t[2] == "Namespace":
                return self.implicit_namespace(name)
            if obj is None:
                raise ApiError(404, "NotFound", '%s "%s" not found' % (t[3] if not t[0] else
                                                                     "%s.%s" % (t[3], t[0]), name),
                               self.details(t, name))
            obj = copy.deepcopy(obj)
        obj["apiVersion"] = self.api_version(t, version)
        return obj

    def implicit_namespace(self, name):
        # Every namespace exists here: helm's targets do not create them.
        return {"kind": "Namespace", "apiVersion": "v1",
                "metadata": {"name": name, "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, name)),
                             "resourceVersion": "1", "creationTimestamp": "2025-01-01T00:00:00Z",
                             "labels": {"kubernetes.io/metadata.name": name}},
                "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}

    def matching(self, t, ns, q):
        st = self.store
        reqs = parse_selector(q.get("labelSelector", ""))
        out = []
        for (g, p, ons, _n), obj in sorted(st.objects.items()):
            if g != t[0] or p != t[3]:
                continue
            if ns is not None and t[4] and ons != ns:
                continue
            if not labels_match(obj["metadata"].get("labels") or {}, reqs):
                continue
            if not fields_match(obj, q.get("fieldSelector", "")):
                continue
            out.append(obj)
        return out

    def list(self, t, version, ns, q):
        st = self.store
        with st.lock:
            items = [copy.deepcopy(o) for o in self.matching(t, ns, q)]
            rv = str(st.rv)
        for o in items:
            o["apiVersion"] = self.api_version(t, version)
        self.send_json(200, {"kind": t[2] + "List", "apiVersion": self.api_version(t, version),
                             "metadata": {"resourceVersion": rv}, "items": items})

    def watch(self, t, version, ns, q):
        st = self.store
        since = int(q.get("resourceVersion") or 0)
        timeout = min(float(q.get("timeoutSeconds") or 30), 30.0)
        reqs = parse_selector(q.get("labelSelector", ""))
        fsel = q.get("fieldSelector", "")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def chunk(b):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(b), b))
            self.wfile.flush()

        deadline = time.time() + timeout
        pos = 0
        with st.lock:
            if since == 0 or q.get("sendInitialEvents") == "true":
                # No resourceVersion (or a streaming list): the current state as ADDED.
                pending = [("ADDED", copy.deepcopy(o)) for o in self.matching(t, ns, q)]
                pos = len(st.events)
                since = 0
                if q.get("sendInitialEvents") == "true":
                    # The end of the initial state is a bookmark so annotated.
                    pending.append(("BOOKMARK", {
                        "kind": t[2], "apiVersion": self.api_version(t, version),
                        "metadata": {"resourceVersion": str(st.rv),
                                     "annotations": {"k8s.io/initial-events-end": "true"}}}))
            else:
                pending = []
        try:
            while True:
                for etype, obj in pending:
                    chunk(json.dumps({"type": etype, "object": obj}).encode() + b"\n")
                pending = []
                with st.lock:
                    while pos >= len(st.events):
                        left = deadline - time.time()
                        if left <= 0:
                            break
                        st.lock.wait(min(left, 0.5))
                    if pos >= len(st.events) and time.time() >= deadline:
                        break
                    while pos < len(st.events):
                        rv, etype, g, p, ons, obj = st.events[pos]
                        pos += 1
                        if rv <= since or g != t[0] or p != t[3]:
                            continue
                        if ns is not None and t[4] and ons != ns:
                            continue
                        if not labels_match(obj["metadata"].get("labels") or {}, reqs):
                            continue
                        if not fields_match(obj, fsel):
                            continue
                        pending.append((etype, copy.deepcopy(obj)))
            chunk(b"")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def finish_write(self, t, version, ns, obj, old, q):
        """Common part of create/update/patch: metadata, status, event."""
        st = self.store
        meta = obj.setdefault("metadata", {})
        name = meta.get("name")
        if t[4]:
            if meta.get("namespace") not in (None, "", ns):
                raise ApiError(400, "BadRequest", "the namespace of the provided object does not match "
                               "the namespace sent on the request")
            meta["namespace"] = ns
        else:
            meta.pop("namespace", None)
        obj["apiVersion"] = self.api_version(t, version)
        obj["kind"] = t[2]
        if old is None:
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = now_rfc3339()
            meta["generation"] = 1
        else:
            for k in ("uid", "creationTimestamp"):
                meta[k] = old["metadata"][k]
            gen = old["metadata"].get("generation", 1)
            if obj.get("spec") != old.get("spec"):
                gen += 1
            meta["generation"] = gen
        meta.pop("managedFields", None)
        meta.pop("selfLink", None)
        if t[2] == "Secret" and "stringData" in obj:
            data = obj.setdefault("data", {})
            for k, v in obj.pop("stringData").items():
                data[k] = base64.b64encode(v.encode()).decode()
        if t[2] == "Secret":
            obj.setdefault("type", "Opaque")
            for k, v in (obj.get("data") or {}).items():
                try:
                    base64.b64decode(v, validate=True)
                except Exception:
                    raise ApiError(400, "BadRequest", "secret data %s is not base64" % k)
        total = sum(len(v) for v in (obj.get("data") or {}).values())
        if t[2] in ("Secret", "ConfigMap") and total > 1048576 * (4 / 3 if t[2] == "Secret" else 1):
            raise ApiError(422, "Invalid", '%s "%s" is invalid: data: Too long: must have at most '
                           '1048576 bytes' % (t[2], name))
        fake_status(t, obj)
        dry = q.get("dryRun") == "All"
        if not dry:
            meta["resourceVersion"] = st.next_rv()
            st.objects[self.key(t, ns, name)] = obj
            st.record("ADDED" if old is None else "MODIFIED", t, meta.get("namespace", ""), obj)
            if t[2] == "CustomResourceDefinition":
                st.crd_changed(obj)
        else:
            meta["resourceVersion"] = old["metadata"]["resourceVersion"] if old else "0"
        return copy.deepcopy(obj)

    def create(self, t, version, ns, obj, q):
        st = self.store
        meta = obj.get("metadata") or {}
        name = meta.get("name")
        if not name and meta.get("generateName"):
            name = meta["generateName"] + uuid.uuid4().hex[:5]
            meta["name"] = name
        if not name:
            raise ApiError(422, "Invalid", "metadata.name: Required value: name or generateName is required")
        if meta.get("resourceVersion"):
            raise ApiError(500, "InternalError", "resourceVersion should not be set on objects to be created")
        if t[2] == "Namespace":
            ns = None
        with st.lock:
            if self.key(t, ns, name) in st.objects:
                raise ApiError(409, "AlreadyExists", '%s "%s" already exists' %
                               (t[3] if not t[0] else "%s.%s" % (t[3], t[0]), name),
                               self.details(t, name))
            out = self.finish_write(t, version, ns, obj, None, q)
        self.send_json(201, out)

    def update(self, t, version, ns, name, obj, q):
        st = self.store
        with st.lock:
            old = st.objects.get(self.key(t, ns, name))
            if old is None:
                raise ApiError(404, "NotFound", '%s "%s" not found' % (t[3], name), self.details(t, name))
            rv = (obj.get("metadata") or {}).get("resourceVersion")
            if rv and rv != old["metadata"]["resourceVersion"]:
                raise ApiError(409, "Conflict", 'Operation cannot be fulfilled on %s "%s": the object has '
                               'been modified; please apply your changes to the latest version and try '
                               'again' % (t[3], name), self.details(t, name))
            out = self.finish_write(t, version, ns, obj, old, q)
        self.send_json(200, out)

    def patch(self, t, version, ns, name, q):
        st = self.store
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip()
        body = self.body_json()
        with st.lock:
            old = st.objects.get(self.key(t, ns, name))
            if ctype == "application/apply-patch+yaml":
                base = copy.deepcopy(old) if old else {}
                obj = merge_patch(base, body)
                obj.setdefault("metadata", {})["name"] = name
                if old is None:
                    obj["metadata"].pop("resourceVersion", None)
                out = self.finish_write(t, version, ns, obj, old, q)
                code = 201 if old is None else 200
            else:
                if old is None:
                    raise ApiError(404, "NotFound", '%s "%s" not found' % (t[3], name), self.details(t, name))
                if ctype == "application/json-patch+json":
                    obj = json_patch(old, body)
                elif ctype in ("application/merge-patch+json", "application/strategic-merge-patch+json"):
                    obj = merge_patch(copy.deepcopy(old), body)
                else:
                    raise ApiError(415, "UnsupportedMediaType", "patch type %s not supported" % ctype)
                out = self.finish_write(t, version, ns, obj, old, q)
                code = 200
        self.send_json(code, out)

    def delete(self, t, version, ns, name):
        st = self.store
        with st.lock:
            k = self.key(t, ns, name)
            old = st.objects.pop(k, None)
            if old is None:
                raise ApiError(404, "NotFound", '%s "%s" not found' % (t[3], name), self.details(t, name))
            old = copy.deepcopy(old)
            old["metadata"]["resourceVersion"] = st.next_rv()
            st.record("DELETED", t, old["metadata"].get("namespace", ""), old)
            if t[2] == "CustomResourceDefinition":
                st.crd_changed(old, deleted=True)
        old["apiVersion"] = self.api_version(t, version)
        self.send_json(200, old)


def write_kubeconfig(path, port):
    text = """apiVersion: v1
kind: Config
clusters:
- name: emulator
  cluster:
    server: http://127.0.0.1:%d
contexts:
- name: emulator
  context:
    cluster: emulator
    user: tester
    namespace: default
current-context: emulator
users:
- name: tester
  user:
    token: not-a-secret
""" % port
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def dump(store, path):
    with store.lock:
        items = []
        for (g, p, ns, n), obj in sorted(store.objects.items()):
            items.append(obj)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"apiVersion": "v1", "kind": "List", "items": items}, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--kubeconfig")
    ap.add_argument("--log")
    ap.add_argument("--dump")
    a = ap.parse_args()
    Handler.store = Store()
    Handler.logf = open(a.log, "a") if a.log else None
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    Handler.port = srv.server_address[1]

    def stop(_sig, _frm):
        if a.dump:
            dump(Handler.store, a.dump)
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if a.kubeconfig:
        write_kubeconfig(a.kubeconfig, Handler.port)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % Handler.port)
    os.replace(tmp, a.port_file)
    srv.serve_forever()
    if a.dump:
        dump(Handler.store, a.dump)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""make_hostile.py CORPUS OUT.json -- a kubectl List (JSON) for
tests/cli/test_hostile_text.sh: two revisions of one Helm release whose
release name, namespace, labels, chart, template file names, manifest object
names and keys hold terminal controls (ESC, BEL, CR, DEL, C1 U+0085 and
U+009B) and invalid UTF-8 (a lone 0x9b, 0xff), plus the live objects of the
deployed manifest with planted drift (values and a manager name with
controls) and an orphan, so `drift`, `rollback`, `export`, `chart` and
`repair` all have record-derived text to print.

Starts from the corpus record web/shop v6 (its chart and templates).  JSON
cannot carry invalid UTF-8 in a string, so the bytes are spliced in after
encoding: json.dumps writes the placeholders, then they are replaced by the
raw bytes (json-c reads them as they are, as the API server's Go decoder
would not: a hand-edited record)."""
import base64, gzip, json, re, sys

CORPUS, OUT = sys.argv[1], sys.argv[2]
BAD = "@BAD@"                    # placeholder for raw invalid UTF-8
RAW = b"\x9b\xff"                # a lone 8-bit CSI and a byte no UTF-8 has
NEL = "\u0085"                  # the one C1 control YAML prints
C1 = "\u0085\u009b"              # NEL, CSI as UTF-8 (C2 85, C2 9B)
CTL = "\x1b[31m\x07\r\x7f" + C1
NAME = "w" + CTL + BAD           # release name
NS = "s" + CTL + BAD             # namespace
OBJ = "cm\x1b]0;t\x07\u0085"     # manifest object name (YAML: no invalid UTF-8)
T0 = "2026-11-24T00:00:00Z"

d = open(CORPUS + "/dumps/single-record.yaml", "rb").read()
body = json.loads(gzip.decompress(base64.b64decode(base64.b64decode(re.search(rb"release: (\S+)", d).group(1)))))


def yq(s):
    """s as a YAML double-quoted scalar (JSON's escapes are YAML's; YAML also wants DEL escaped)."""
    return json.dumps(s).replace("\x7f", "\\x7f")


def manifest(version):
    return ("---\n# Source: webapp/templates/cm.yaml\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + yq(OBJ) + "\n"
            "data:\n  " + yq("k\x1b[1m\u009b") + ": " + yq("stored\x1b]0;x\x07\r\x7f") + "\n"
            "  plain: " + yq("%d\x1b[%dm" % (version, version)) + "\n")
hooks = [{"name": "hook" + CTL, "kind": "Job", "path": "webapp/templates/hook" + CTL + ".yaml",
          "manifest": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: " + yq("hook" + CTL) + "\n",
          "events": ["pre-rollback", "post-rollback"], "last_run": {"started_at": "", "completed_at": "",
                                                                  "phase": ""}}]


def record(version, status):
    b = dict(body)
    b.update(name=NAME, namespace=NS, version=version, manifest=manifest(version), hooks=hooks,
             config={"k" + CTL: "v" + CTL + BAD + str(version)})
    b["info"] = dict(body["info"], status=status, description="Upgrade" + CTL + BAD, notes="notes" + CTL)
    chart = dict(body["chart"])
    # file names may not hold C0 controls or DEL (helmrec chart refuses them), Chart.yaml
    # (rebuilt as go-yaml writes it) no control at all: C1 and bad bytes where they can be
    chart["metadata"] = dict(chart["metadata"], name="webapp" + NEL,
                             dependencies=[{"name": "dep" + NEL, "version": "1.0.0",
                                            "repository": "https://example.com/charts"}])
    chart["templates"] = chart["templates"] + [
        {"name": "files/f" + C1 + BAD + ".txt", "data": base64.b64encode(b"x: 1\n").decode()}]
    b["chart"] = chart
    raw = json.dumps(b).encode().replace(BAD.encode(), RAW)
    rel = base64.b64encode(base64.b64encode(gzip.compress(raw, mtime=0))).decode()
    return {"apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
            "metadata": {"name": "sh.helm.release.v1." + NAME + ".v%d" % version, "namespace": NS,
                         "creationTimestamp": T0,
                         "labels": {"owner": "helm", "name": NAME, "status": status, "version": str(version),
                                    "k" + CTL: "v" + CTL + BAD}},
            "data": {"release": rel}}


def live(name, data, manager):
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": NS, "creationTimestamp": T0, "uid": "u-" + str(len(name)),
                         "resourceVersion": "7",
                         "labels": {"app.kubernetes.io/managed-by": "Helm"},
                         "annotations": {"meta.helm.sh/release-name": NAME, "meta.helm.sh/release-namespace": NS},
                         "managedFields": [{"manager": manager, "operation": "Update", "apiVersion": "v1",
                                            "time": T0, "fieldsType": "FieldsV1",
                                            "fieldsV1": {"f:data": {"f:" + k: {} for k in data}}}]},
            "data": data}


items = [record(1, "superseded"), record(2, "deployed"),
         live(OBJ, {"k\x1b[1m\u009b": "live\x1b[5m\u0085" + BAD, "plain": "2\x1b[2m"}, "kubectl" + CTL),
         live("orphan" + CTL, {"a": "b"}, "helm")]
out = json.dumps({"apiVersion": "v1", "kind": "List", "items": items}, indent=1).encode()
open(OUT, "wb").write(out.replace(BAD.encode(), RAW))

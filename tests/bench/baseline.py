#!/usr/bin/env python3
"""baseline.py - baseline A: what a user writes today to index a dump.

Reads a kubectl YAML/JSON List, a multi-document YAML, or a Velero tarball,
decodes every Helm release record (Secret: base64 -> base64 -> gunzip -> JSON;
ConfigMap: base64 -> gunzip -> JSON) and inserts one row per revision into
SQLite, all in one transaction.  Written the way a competent user would:
PyYAML's C loader (yaml.CSafeLoader) when available, the stdlib for the
rest, no per-record process spawning.  Prints a one-line JSON summary.

  baseline.py INPUT --db FILE
"""

import argparse
import base64
import gzip
import hashlib
import json
import os
import sqlite3
import sys
import tarfile

SCHEMA = """
CREATE TABLE revision (
	namespace TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
	status TEXT, chart_name TEXT, chart_version TEXT, app_version TEXT,
	description TEXT, first_deployed TEXT, last_deployed TEXT,
	json_sha256 TEXT NOT NULL, payload BLOB, json_size INTEGER,
	object_name TEXT, driver TEXT,
	UNIQUE(namespace, name, version, json_sha256));
"""


def objects(path):
	"""Yield Kubernetes objects (dicts) from INPUT, whatever its layout."""
	if path.endswith((".tar.gz", ".tgz", ".tar")):
		with tarfile.open(path, "r|*") as tar:
			for m in tar:
				p = m.name.split("/")
				# resources/{secrets,configmaps}/namespaces/NS/NAME.json only
				# (v1-preferredversion/ holds the same objects again).
				if m.isfile() and len(p) == 5 and p[0] == "resources" and \
				   p[1] in ("secrets", "configmaps") and p[2] == "namespaces":
					yield json.load(tar.extractfile(m))
		return
	with open(path, "rb") as f:
		head = f.read(1)
		f.seek(0)
		if head == b"{":
			docs = [json.load(f)]
		else:
			import yaml
			loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
			docs = yaml.load_all(f, Loader=loader)
		for d in docs:
			if not d:
				continue
			if d.get("kind") == "List" or "items" in d:
				yield from d.get("items") or []
			else:
				yield d


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("input")
	ap.add_argument("--db", required=True)
	a = ap.parse_args()
	if os.path.exists(a.db):
		os.unlink(a.db)
	db = sqlite3.connect(a.db)
	db.executescript(SCHEMA)
	n = skipped = 0
	with db:
		for o in objects(a.input):
			md = o.get("metadata") or {}
			labels = md.get("labels") or {}
			data = o.get("data") or {}
			if labels.get("owner") != "helm" or "release" not in data:
				continue
			try:
				if o.get("kind") == "Secret":
					payload = base64.b64decode(data["release"])
					driver = "secret"
				else:
					payload = data["release"].encode()
					driver = "configmap"
				raw = gzip.decompress(base64.b64decode(payload))
				rel = json.loads(raw)
			except Exception as e:  # noqa: BLE001 - report and go on
				print("warning: %s/%s: %s" % (md.get("namespace"), md.get("name"), e), file=sys.stderr)
				skipped += 1
				continue
			info = rel.get("info") or {}
			cm = (rel.get("chart") or {}).get("metadata") or {}
			db.execute("INSERT OR IGNORE INTO revision VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
				rel.get("namespace"), rel.get("name"), rel.get("version"), info.get("status"),
				cm.get("name"), cm.get("version"), cm.get("appVersion"), info.get("description"),
				info.get("first_deployed"), info.get("last_deployed"),
				hashlib.sha256(raw).hexdigest(), payload, len(raw), md.get("name"), driver))
			n += 1
	db.close()
	print(json.dumps({"records": n, "skipped": skipped}))


if __name__ == "__main__":
	main()

#!/usr/bin/env python3
"""Run the real helm against restored release records and compare its
answers with the corpus goldens (helm's own answers about the originals).

Usage:
  helmcheck.py --helm BIN --goldens DIR --releases NS/NAME,... [--map-ns OLD=NEW,...]
               [--rename OLD=NEW,...] [--all-revisions] [--no-labels] [--list]

The environment (HELM_DRIVER, KUBECONFIG, HELM_MEMORY_DRIVER_DATA,
HELM_DRIVER_SQL_CONNECTION_STRING...) is the caller's.  For each release
(given by its ORIGINAL namespace/name) it runs, under the mapped
namespace/name, `helm history` (table and -o json), `helm get all` and
`helm get metadata -o json` for the newest revision (every revision with
--all-revisions), and with --list `helm list -A -o json` once.  Expected
output = the golden with only what a move changes mapped: the NAME and
NAMESPACE header lines of `get all`, name/namespace fields of JSON.
--no-labels ignores custom labels in metadata (the memory driver cannot
hold them).  Prints one line per check; exit 1 if any differs.
"""
import argparse
import difflib
import json
import os
import subprocess
import sys


def parse_map(s):
    out = {}
    for part in filter(None, (s or "").split(",")):
        a, b = part.split("=", 1)
        out[a] = b
    return out


class Checker:
    def __init__(self, a):
        self.a = a
        self.fails = 0
        self.checks = 0
        self.nsmap = parse_map(a.map_ns)
        self.rename = parse_map(a.rename)
        self.v3 = "/helm-v3" in a.goldens.rstrip("/") + "/" or os.path.basename(a.goldens.rstrip("/")).startswith("helm-v3")

    def helm(self, *args):
        env = dict(os.environ, TZ="UTC", NO_COLOR="1")
        p = subprocess.run([self.a.helm] + list(args), capture_output=True, env=env, timeout=120)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")

    def report(self, what, ok, detail=""):
        self.checks += 1
        if not ok:
            self.fails += 1
            print("FAIL %s\n%s" % (what, detail))
        elif self.a.verbose:
            print("ok   %s" % what)

    def compare_text(self, what, got, want):
        if got == want:
            return self.report(what, True)
        diff = "".join(list(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                                 "golden", "helm"))[:40])
        self.report(what, False, diff)

    def map_all(self, text, ns, name, nns, nname):
        out = []
        header = True
        for line in text.splitlines(True):
            if header and line.startswith("USER-SUPPLIED VALUES:"):
                header = False
            if header and line == "NAME: %s\n" % name:
                line = "NAME: %s\n" % nname
            elif header and line == "NAMESPACE: %s\n" % ns:
                line = "NAMESPACE: %s\n" % nns
            out.append(line)
        return "".join(out)

    def release(self, ns, name, revisions):
        nns, nname = self.nsmap.get(ns, ns), self.rename.get(name, name)
        gdir = os.path.join(self.a.goldens, ns, name)
        tag = "%s/%s" % (ns, name) + ("" if (nns, nname) == (ns, name) else " as %s/%s" % (nns, nname))
        rc, out, err = self.helm("history", nname, "-n", nns)
        with open(os.path.join(gdir, "history.txt")) as f:
            self.compare_text("history %s" % tag, out if rc == 0 else err, f.read())
        rc, out, err = self.helm("history", nname, "-n", nns, "-o", "json")
        with open(os.path.join(gdir, "history.json")) as f:
            self.compare_text("history -o json %s" % tag, out if rc == 0 else err, f.read())
        for rev in (revisions if self.a.all_revisions else revisions[-1:]):
            rdir = os.path.join(gdir, "rev-%d" % rev)
            rc, out, err = self.helm("get", "all", nname, "-n", nns, "--revision", str(rev))
            with open(os.path.join(rdir, "all.txt")) as f:
                want = self.map_all(f.read(), ns, name, nns, nname)
            self.compare_text("get all %s rev %d" % (tag, rev), out if rc == 0 else err, want)
            rc, out, err = self.helm("get", "metadata", nname, "-n", nns, "--revision", str(rev), "-o", "json")
            with open(os.path.join(rdir, "metadata.json")) as f:
                want = json.load(f)
            want["name"], want["namespace"] = nname, nns
            try:
                got = json.loads(out)
            except ValueError:
                got = {"error": err}
            if self.a.no_labels:
                want.pop("labels", None)
                got.pop("labels", None)
            self.report("get metadata %s rev %d" % (tag, rev), got == want,
                        "  golden: %s\n  helm:   %s" % (json.dumps(want), json.dumps(got)))

    def list_all(self, releases):
        args = ["list", "-A", "-o", "json"] + (["-a"] if self.v3 else [])
        rc, out, err = self.helm(*args)
        want = []
        ldir = os.path.join(self.a.goldens, "_list")
        for fn in sorted(os.listdir(ldir)):
            if fn.endswith(".json"):
                with open(os.path.join(ldir, fn)) as f:
                    want += json.load(f)
        keep = {tuple(r.split("/", 1)) for r in releases}
        want = [w for w in want if (w["namespace"], w["name"]) in keep]
        for w in want:
            w["namespace"], w["name"] = self.nsmap.get(w["namespace"], w["namespace"]), self.rename.get(w["name"], w["name"])
        try:
            got = json.loads(out)
        except ValueError:
            got = [{"error": err}]
        key = lambda r: (r.get("namespace", ""), r.get("name", ""))
        self.report("list -A -o json (%d releases)" % len(want), sorted(got, key=key) == sorted(want, key=key),
                    "  golden: %s\n  helm:   %s" % (json.dumps(sorted(want, key=key)), json.dumps(sorted(got, key=key))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--helm", required=True)
    ap.add_argument("--goldens", required=True)
    ap.add_argument("--index", default="testdata/corpus/goldens/index.json")
    ap.add_argument("--releases", required=True, help="NS/NAME,... (original names)")
    ap.add_argument("--map-ns")
    ap.add_argument("--rename")
    ap.add_argument("--all-revisions", action="store_true")
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--label", default="")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    with open(a.index) as f:
        index = {(r["namespace"], r["release"]): r["revisions"] for r in json.load(f)}
    c = Checker(a)
    rels = [r for r in a.releases.split(",") if r]
    for r in rels:
        ns, name = r.split("/", 1)
        c.release(ns, name, index[(ns, name)])
    if a.list:
        c.list_all(rels)
    print("%s%s: %d checks, %d failed" % (a.label + " " if a.label else "", os.path.basename(a.goldens.rstrip("/")),
                                       c.checks, c.fails))
    sys.exit(1 if c.fails else 0)


if __name__ == "__main__":
    main()

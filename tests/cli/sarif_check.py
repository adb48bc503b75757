#!/usr/bin/env python3
"""Check a helmrec SARIF log against the SARIF 2.1.0 required properties and
enumerations helmrec emits (python3 stdlib only).

The official JSON schema (sarif-schema-2.1.0.json, OASIS) is not vendored:
project rule — no schema file copied from another repository is committed.
This checker encodes the parts of the standard our output uses:
sarifLog.version == "2.1.0", $schema a string URI, runs[] required;
run.tool.driver.name required; reportingDescriptor.id required; messages
carry text; result.message required; level in none|note|warning|error;
ruleIndex within driver.rules and consistent with ruleId; logicalLocation
kind a string; no unknown top-level properties."""
import json, sys

LEVELS = {"none", "note", "warning", "error"}
def fail(msg):
    print("SARIF invalid: " + msg)
    sys.exit(1)
def msg_ok(m, where):
    if not isinstance(m, dict) or not isinstance(m.get("text"), str) or not m["text"]:
        fail(where + ": message object needs a non-empty text")

log = json.load(open(sys.argv[1]))
if set(log) - {"version", "$schema", "runs", "inlineExternalProperties", "properties"}:
    fail("unknown top-level properties %s" % (set(log) - {"version", "$schema", "runs"}))
if log.get("version") != "2.1.0": fail("version must be 2.1.0")
if not isinstance(log.get("$schema"), str) or not log["$schema"].startswith("https://"): fail("$schema must be a URI string")
if not isinstance(log.get("runs"), list) or not log["runs"]: fail("runs must be a non-empty array")
for run in log["runs"]:
    drv = run.get("tool", {}).get("driver")
    if not isinstance(drv, dict) or not isinstance(drv.get("name"), str): fail("tool.driver.name required")
    if not isinstance(drv.get("version"), str): fail("driver.version must be a string")
    for k in ("informationUri",):  # optional in SARIF 2.1.0; a URI when present
        if k in drv and not (isinstance(drv[k], str) and ":" in drv[k]): fail("driver.%s must be a URI" % k)
    rules = drv.get("rules", [])
    ids = []
    for i, r in enumerate(rules):
        if not isinstance(r.get("id"), str) or not r["id"]: fail("rule %d: id required" % i)
        for k in ("shortDescription", "fullDescription", "help"):
            msg_ok(r.get(k), "rule %s %s" % (r["id"], k))
        lvl = r.get("defaultConfiguration", {}).get("level")
        if lvl not in LEVELS: fail("rule %s: defaultConfiguration.level %r" % (r["id"], lvl))
        ids.append(r["id"])
    if len(set(ids)) != len(ids): fail("duplicate rule ids")
    results = run.get("results")
    if not isinstance(results, list): fail("run.results must be an array")
    for j, res in enumerate(results):
        msg_ok(res.get("message"), "result %d" % j)
        if res.get("level") not in LEVELS: fail("result %d: level %r" % (j, res.get("level")))
        rid, ri = res.get("ruleId"), res.get("ruleIndex")
        if not isinstance(rid, str): fail("result %d: ruleId" % j)
        if not isinstance(ri, int) or ri < 0 or ri >= len(rules) or ids[ri] != rid:
            fail("result %d: ruleIndex %r does not point at %s" % (j, ri, rid))
        for loc in res.get("locations", []):
            for ll in loc.get("logicalLocations", []):
                if not isinstance(ll.get("fullyQualifiedName"), str) or "/" not in ll["fullyQualifiedName"]:
                    fail("result %d: logical location name" % j)
                if not isinstance(ll.get("kind"), str): fail("result %d: logical location kind" % j)
print("SARIF ok: %d results" % sum(len(r["results"]) for r in log["runs"]))

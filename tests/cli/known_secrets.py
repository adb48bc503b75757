# Print the corpus's known credential values, one a line: string values of at
# least 6 characters under a password/token/secret/key-like name in every
# decoded release's user values (config) and chart default values.  The shell
# tests grep their outputs for these (test_audit.sh, test_report.sh).
# Usage: python3 tests/cli/known_secrets.py testdata/corpus/decoded
import json, os, re, sys
vals = set()
def walk(o, k=None):
    if isinstance(o, dict):
        for kk, v in o.items(): walk(v, kk)
    elif isinstance(o, list):
        for v in o: walk(v, k)
    elif isinstance(o, str) and k and re.search(r'pass|token|secret|key', k, re.I) and len(o) >= 6:
        vals.add(o)
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        if f.endswith(".json"):
            r = json.load(open(os.path.join(root, f)))
            walk(r.get("config")); walk((r.get("chart") or {}).get("values"))
print("\n".join(sorted(vals)))

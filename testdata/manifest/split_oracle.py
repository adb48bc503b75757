#!/usr/bin/env python3
"""Oracle for helm's SplitManifests (pkg/release/v1/util/manifest.go).

Independent of helmrec: runs the two separator regexes with Python's re
(leftmost-first backtracking, the same match choice as Go's RE2 for these
patterns) and reproduces Go's Regexp.Split and strings.TrimSpace /
TrimLeftFunc(unicode.IsSpace).  Writes split-cases.json next to itself:
for each input, the documents each helm behaviour yields.

Run: python3 testdata/manifest/split_oracle.py
"""
import json, os, re

GO_SPACE = set('\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000') | {chr(c) for c in range(0x2000, 0x200b)}
R_OLD = re.compile(r'(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*')   # RE2 \s = [\t\n\f\r ]
R_NEW = re.compile(r'^---[ \t]*', re.M)

def lstrip(s):
    i = 0
    while i < len(s) and s[i] in GO_SPACE: i += 1
    return s[i:]

def rstrip(s):
    i = len(s)
    while i > 0 and s[i - 1] in GO_SPACE: i -= 1
    return s[:i]

def go_split(rx, s):
    if s == '':
        return ['']
    out, beg, end = [], 0, 0
    for m in rx.finditer(s):
        end = m.start()
        if m.end() != 0:
            out.append(s[beg:end])
        beg = m.end()
    if end != len(s):
        out.append(s[beg:])
    return out

def split_old(s):
    res = []
    for d in go_split(R_OLD, rstrip(lstrip(s))):
        if d == '':
            continue
        res.append(rstrip(lstrip(d)))
    return res

def split_new(rx, s):
    res = []
    for d in go_split(rx, lstrip(s)):
        if rstrip(lstrip(d)) == '':
            continue
        res.append(lstrip(d))
    return res

CASES = [
    "",
    "   \n\t\n",
    "a: 1",
    "---\na: 1\n",
    "---\n# Source: c/templates/a.yaml\na: 1\n---\n# Source: c/templates/b.yaml\nb: 2\n",
    "a: 1\n---\nb: 2\n",
    "a: 1   \n\n---   \n\n\nb: 2\n\n",
    "a: 1\n---\n---\nb: 2\n",
    "a: 1\n--- # comment\nb: 2\n",
    "a: 1\n---apiVersion: v1\nkind: X\n",
    "a: 1\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    "a: |\n  x\n  ---\n  y\nb: 2\n",
    "a: |+\n  keep\n\n\n---\nb: 2\n\n\n",
    "\n\n---\n\n---\n\n",
    "a: 1\r\n---\r\nb: 2\r\n",
    "a: 1\n\v---\nb: 2\n",
    "\u00a0\u3000a: 1\n---\nb: 2\u2028",
    "a: 1\n---\tb: 2\n---",
    "x\n ---\ny\n",
    "---",
    "--",
    "a\n---\n",
]

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = []
    for c in CASES:
        out.append({"input": c, "old": split_old(c), "h42": split_new(R_OLD, c), "h424": split_new(R_NEW, c)})
    with open(os.path.join(here, 'split-cases.json'), 'w', encoding='utf-8') as f:
        json.dump(out, f, ensure_ascii=True, indent=1)
        f.write('\n')

if __name__ == '__main__':
    main()

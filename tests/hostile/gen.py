#!/usr/bin/env python3
"""gen.py OUTDIR -- build the hostile-input cases that are too big (or too
binary) to commit, next to a manifest OUTDIR/cases.tsv in the format of
tests/hostile/cases.tsv:  file <TAB> allowed exit codes <TAB> release that
must be indexed despite the damage ('-' = none) <TAB> what the case is.

Every case starts from the corpus (testdata/corpus), so a "good record
beside it" is a real Helm record: release `web` (namespace shop, revision 6)
from testdata/corpus/dumps/single-record.yaml."""
import base64, gzip, io, os, shutil, sqlite3, sys, tarfile, zlib

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
root = os.path.dirname(os.path.abspath(__file__)) + "/../.."
good = open(root + "/testdata/corpus/dumps/single-record.yaml", "rb").read()
rows = []


def case(name, data, codes, keep, what):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
    rows.append((name, codes, keep, what))


def secret(name, release, extra=b""):
    return (b"apiVersion: v1\nkind: Secret\ntype: helm.sh/release.v1\nmetadata:\n  name: " + name +
            b"\n  namespace: hostile\n  labels: {owner: helm, name: bad, version: \"1\"}\n" + extra +
            b"data:\n  release: " + release + b"\n")


def zeros_gzip(n, prefix=b"", level=1):
    """gzip of prefix + n zero bytes, streamed (n may be > RAM)."""
    c = zlib.compressobj(level, zlib.DEFLATED, 31)
    parts = [c.compress(prefix)]
    chunk = b"\0" * (1 << 20)
    for _ in range(n >> 20):
        parts.append(c.compress(chunk))
    parts.append(c.flush())
    return b"".join(parts)


def b64(x):
    return base64.b64encode(x)


G = 1 << 30
import json
item = {"apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
        "metadata": {"name": "sh.helm.release.v1.web.v6", "namespace": "shop",
                     "labels": {"owner": "helm", "name": "web", "version": "6", "status": "deployed"}},
        "data": {"release": good.split(b"release: ")[1].split(b"\n")[0].decode()}}
lst = json.dumps({"apiVersion": "v1", "kind": "List", "items": [item]}, indent=4).encode()
goodjson = json.dumps(item, indent=4).encode()
# --- gzip bombs, at every layer -------------------------------------------
# payload layer: the Helm string is base64(gzip(1 GiB)), inside a Secret value (k8s base64)
bomb = zeros_gzip(G, b"{")
case("bomb-payload.yaml", good + b"---\n" + secret(b"sh.helm.release.v1.bad.v1", b64(b64(bomb))), "3", "web",
     "gzip bomb in a record's payload (1 GiB)")
# input layer: the whole file gzip'd, inflating to a YAML dump then 1 GiB of NULs
c = zlib.compressobj(1, zlib.DEFLATED, 31)
parts = [c.compress(good + b"---\n")]
chunk = (b"#" * 1023 + b"\n") * 1024
for _ in range(600):
    parts.append(c.compress(chunk))
parts.append(c.flush())
case("bomb-input.yaml.gz", b"".join(parts), "0 1 3", "web", "gzip'd YAML dump inflating to 600 MiB of comments")
# archive layer: a tar.gz whose member inflates to 1 GiB
tbuf = io.BytesIO()
with tarfile.open(fileobj=tbuf, mode="w") as t:
    ti = tarfile.TarInfo("resources/secrets/namespaces/shop/web.json"); ti.size = len(goodjson)
    t.addfile(ti, io.BytesIO(goodjson))
    ti = tarfile.TarInfo("resources/secrets/namespaces/shop/empty.json"); ti.size = 0
    t.addfile(ti, io.BytesIO(b""))
raw = tbuf.getvalue()
# splice a 1 GiB member in by hand (tarfile would need the bytes): header + zeros + padding
hdr = tarfile.TarInfo("resources/secrets/namespaces/shop/bomb.json"); hdr.size = G
h = hdr.tobuf(tarfile.GNU_FORMAT)
c = zlib.compressobj(1, zlib.DEFLATED, 31)
parts = [c.compress(raw[:-1024]), c.compress(h)]
chunk = b"\0" * (1 << 20)
for _ in range(G >> 20):
    parts.append(c.compress(chunk))
parts.append(c.compress(b"\0" * 1024))
parts.append(c.flush())
case("bomb-member.tar.gz", b"".join(parts), "0 1 3", "web", "tar.gz with a member inflating to 1 GiB")
# a gzip'd Velero-less tar member that is itself a gzip bomb
case("bomb-bare.helm", b64(bomb), "1 3", "-", "bare Helm string inflating to 1 GiB")

# --- YAML -------------------------------------------------------------------
laughs = [b"  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
for i in range(1, 12):
    laughs.append(b"  a%d: &a%d [%s]\n" % (i, i, b", ".join([b"*a%d" % (i - 1)] * 10)))
case("yaml-alias-bomb.yaml", good + b"---\nkind: Secret\nmetadata:\n  name: x\nbomb:\n" + b"".join(laughs), "0 1 3",
     "web", "billion-laughs aliases")
case("yaml-deep-100k.yaml", good + b"---\nkind: Secret\nmetadata: {name: x}\ndeep: " + b"[" * 100000 + b"\n",
     "1 3", "web", "100 000 nested flow sequences")
case("yaml-deep-block.yaml", good + b"---\nkind: Secret\nmetadata: {name: x}\n" +
     b"".join(b" " * i + b"- \n" for i in range(0, 20000)), "0 1 3", "web", "20 000 nested block sequences")
case("yaml-bad-base64.yaml", good + b"---\n" + secret(b"sh.helm.release.v1.bad.v1", b"SDRz!!junk$$%%=="), "3", "web",
     "base64 with junk in a Secret value")
case("yaml-bad-helm-base64.yaml", good + b"---\n" + secret(b"sh.helm.release.v1.bad.v1", b64(b"H4sI\x00junk")), "3",
     "web", "Helm base64 layer with junk")
case("yaml-line-1g.yaml.gz", zeros_gzip(0, good + b"---\nkind: Secret\nmetadata: {name: x}\nline: ") +
     b"", "0 1 3", "web", "placeholder, replaced below")
rows.pop()
c = zlib.compressobj(1, zlib.DEFLATED, 31)
parts = [c.compress(good + b"---\nkind: Secret\nmetadata: {name: x}\nline: ")]
chunk = b"x" * (1 << 20)
for _ in range(G >> 20):
    parts.append(c.compress(chunk))
parts.append(c.compress(b"\n"))
parts.append(c.flush())
case("yaml-line-1g.yaml.gz", b"".join(parts), "3", "web", "a 1 GiB line after a good record (out of memory: the record before it kept)")
# a gzip'd dump cut early, inside the record after the good one (incompressible, so the cut is well past it)
import random
noise = b64(random.Random(15).randbytes(300000))
case("yamlgz-cut-after-good.yaml.gz", gzip.compress(good + b"---\n" + secret(b"sh.helm.release.v1.bad.v1", noise))[:150000],
     "3", "web", "gzip'd YAML dump cut early, after a good record")

# --- JSON -------------------------------------------------------------------
case("json-deep-100k.json", lst[:-3] + b",\n" + b"[" * 100000 + b"]" * 100000 + b"\n]}\n", "1 3", "web",
     "100 000 nested arrays as a List item")
case("json-deep-open.json", lst[:-3] + b",\n{\"a\":" + b"[" * 100000 + b"\n", "1 3", "web",
     "100 000 unclosed arrays")
bigitem = dict(item, metadata=dict(item["metadata"], name="sh.helm.release.v1.web.v7"),
               data={"release": noise.decode()})
case("jsongz-cut-after-good.json.gz",
     gzip.compress(json.dumps({"apiVersion": "v1", "kind": "List", "items": [item, bigitem]}, indent=4).encode())[:150000],
     "3", "web", "gzip'd JSON List cut early, after a good item")
dup = json.dumps(item).replace('"namespace": "shop"', '"namespace": "shop", "namespace": "dup"').encode()
case("json-dup-keys.json", dup, "0 3", "-", "duplicate metadata keys")

# --- kine: protobuf lengths past the end ---------------------------------------
src = root + "/testdata/corpus/datastores/plain/state.db"
dst = os.path.join(out, "kine-bad-proto.db")
shutil.copy(src, dst)
db = sqlite3.connect(dst)
bad = [b"k8s\x00\x0a\x7f", b"k8s\x00\x12\xff\xff\xff\xff\x0f\x0a", b"k8s\x00\x12\x05\x0a\x03abc", b"k8s\x00" + b"\x12\x80" * 3]
mx = db.execute("select max(id) from kine").fetchone()[0]
for i, v in enumerate(bad):
    db.execute("insert into kine(id,name,created,deleted,create_revision,prev_revision,lease,value,old_value) "
               "values(?,?,1,0,0,0,0,?,?)", (mx + 1 + i, "/registry/secrets/hostile/sh.helm.release.v1.bad.v%d" % (i + 1),
                                             v, b""))
db.commit()
db.close()
rows.append(("kine-bad-proto.db", "3", "legacy-db", "protobuf lengths past the end in kine values"))

# --- tar members with hostile names ---------------------------------------------
tbuf = io.BytesIO()
with tarfile.open(fileobj=tbuf, mode="w:gz") as t:
    for n in ["../x.json", "/tmp/helmrec-hostile-abs.json", "resources/secrets/namespaces/shop/web.json",
              "resources/secrets/namespaces/../../../../x.json"]:
        ti = tarfile.TarInfo(n); ti.size = len(goodjson)
        t.addfile(ti, io.BytesIO(goodjson))
    ti = tarfile.TarInfo("resources/secrets/namespaces/shop/link.json"); ti.type = tarfile.SYMTYPE; ti.linkname = "/etc/passwd"
    t.addfile(ti)
    ti = tarfile.TarInfo("resources/secrets/namespaces/shop/hard.json"); ti.type = tarfile.LNKTYPE; ti.linkname = "../x.json"
    t.addfile(ti)
    ti = tarfile.TarInfo("resources/dotdot"); ti.type = tarfile.SYMTYPE; ti.linkname = "../../.."
    t.addfile(ti)
case("tar-evil-names.tar.gz", tbuf.getvalue(), "0 3", "web", "tar members ../x, /abs, symlinks, hard links")

# --- Velero entries nested deep (the archive reader's JSON parser caps nesting) ---
tbuf = io.BytesIO()
with tarfile.open(fileobj=tbuf, mode="w:gz") as t:
    for n, data in [("resources/secrets/namespaces/shop/deep.json", b'{"a":' + b"[" * 100000 + b"]" * 100000 + b"}"),
                    ("resources/secrets/namespaces/shop/open.json", b'{"a":' + b"[" * 100000),
                    ("resources/secrets/namespaces/shop/mid.json", b'{"kind":"Secret","a":' + b"[" * 5000 + b"]" * 5000 + b"}"),
                    ("resources/secrets/namespaces/shop/web.json", goodjson)]:
        ti = tarfile.TarInfo(n); ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
case("tar-deep-entries.tar.gz", tbuf.getvalue(), "3", "web", "Velero entries nested 100 000 and 5 000 deep")

# --- dumps tarred up by hand: members read as dumps of their own ---------------
tbuf = io.BytesIO()
with tarfile.open(fileobj=tbuf, mode="w:gz") as t:
    for n, data in [("dumps/bomb.yaml", b"apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\nbomb:\n" + b"".join(laughs)),
                    ("dumps/deep.yaml.gz", gzip.compress(b"apiVersion: v1\ndeep: " + b"[" * 100000 + b"\n")),
                    ("dumps/zeros.yaml.gz", zeros_gzip(G)),
                    ("dumps/cut.yaml.gz", gzip.compress(good * 20)[:-40]),
                    ("dumps/nul.yaml", b"apiVersion: v1\n\0\n"),
                    ("dumps/web.yaml", good)]:
        ti = tarfile.TarInfo(n); ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
case("tar-member-dumps.tar.gz", tbuf.getvalue(), "3", "web",
     "kubectl dumps as tar members: alias bomb, 100 000 deep, a 1 GiB gzip bomb of zeros, cut gzip, NUL")

# --- names and labels with control characters and bad UTF-8 --------------------
ctl = good.replace(b"name: web\n", b"name: \"w\\e[31mred\\x01\\u202e\"\n", 1).replace(
    b"status: deployed", b"status: \"\\xff\\e]0;title\\a\"", 1)
case("yaml-control-chars.yaml", ctl, "0 3", "-", "escape sequences and controls in name and labels")

# --- bbolt damage crafted by hand (the plain etcd snapshot, 4 KiB pages) --------
# Page header: id u64, flags u16 (1 branch, 2 leaf, 4 meta), count u16,
# overflow u32; branch elements: pos u32, ksize u32, pgid u64; leaf elements:
# flags u32, pos u32, ksize u32, vsize u32.  Meta (pages 0, 1, at +16): magic,
# version, pageSize, flags u32; root bucket (root pgid u64, sequence u64),
# freelist, pgid, txid, checksum u64 (FNV-1a 64 of the 56 bytes before it).
import struct
bolt = open(root + "/testdata/corpus/datastores/plain/etcd-snapshot.db", "rb").read()
PS = struct.unpack_from("<I", bolt, 24)[0]
def pages(flag):
    return [i for i in range(len(bolt) // PS)
            if struct.unpack_from("<QH", bolt, i * PS) == (i, flag)]
def poke(edits):
    b = bytearray(bolt)
    for off, fmt, v in edits:
        struct.pack_into(fmt, b, off, v)
    return bytes(b)
def fnv64a(data):
    h = 0xcbf29ce484222325
    for c in data:
        h = ((h ^ c) * 0x100000001b3) & 0xffffffffffffffff
    return h
def meta_root(b, pgid):
    b = bytearray(b)
    for m in (0, 1):
        o = m * PS + 16
        struct.pack_into("<Q", b, o + 16, pgid)
        struct.pack_into("<Q", b, o + 56, fnv64a(bytes(b[o:o + 56])))
    return bytes(b)
branches, leaves = pages(1), pages(2)
# every branch element points back at its own page: a cycle on every path
case("bolt-cycle.db", poke([(p * PS + 16 + 16 * e + 8, "<Q", p) for p in branches
                            for e in range(struct.unpack_from("<H", bolt, p * PS + 10)[0])]),
     "1 3", "-", "bbolt: branch pages that point to themselves (cycle)")
# one branch element points to a page far past the end of the file
case("bolt-pgid-past-eof.db", poke([(branches[-1] * PS + 16 + 8, "<Q", 1 << 40)]),
     "0 1 3", "-", "bbolt: branch element with a page id past the end of the file")
# leaf pages claiming 2^32-1 overflow pages, and 65535 elements
case("bolt-overflow-past-eof.db", poke([(p * PS + 12, "<I", 0xffffffff) for p in leaves]),
     "1 3", "-", "bbolt: leaf pages whose overflow count runs past the end of the file")
case("bolt-count-past-page.db", poke([(p * PS + 10, "<H", 0xffff) for p in leaves]),
     "0 1 3", "-", "bbolt: leaf pages whose element count runs past the page")
# element positions and sizes past the page and the file
case("bolt-elem-past-eof.db", poke([(p * PS + 16 + 4, "<I", 0x7ffffff0) for p in leaves] +
                                   [(p * PS + 16 + 12, "<I", 0xfffffff0) for p in leaves]),
     "0 1 3", "-", "bbolt: leaf elements whose key/value run past the end of the file")
# both meta pages (valid checksums) name a root page past the end, then page 0 (a meta page) as root
case("bolt-meta-root-eof.db", meta_root(bolt, 1 << 33), "1 3", "-", "bbolt: meta root page id past the end of the file")
case("bolt-meta-root-meta.db", meta_root(bolt, 0), "1 3", "-", "bbolt: meta root pointing at a meta page")

# --- truncation of every input kind at several offsets ---------------------------
kinds = {
    "yaml": good,
    "json": lst,
    "targz": open(root + "/testdata/corpus/helm2/velero/backup-helm2.tar.gz", "rb").read(),
    "etcd": open(root + "/testdata/corpus/datastores/third-party/auger-testdata-etcd.db", "rb").read(),
    "etcdplain": open(root + "/testdata/corpus/datastores/plain/etcd-snapshot.db", "rb").read(),
    "kine": open(src, "rb").read(),
    "sql": open(root + "/testdata/corpus/sql/helm-sql-full.sql", "rb").read(),
    "helm": open(root + "/testdata/codec/example.helm", "rb").read().strip(),
    "yamlgz": gzip.compress(good),
    "tar": gzip.decompress(open(root + "/testdata/corpus/helm2/velero/backup-helm2.tar.gz", "rb").read()),
}
for k, data in kinds.items():
    n = len(data)
    for frac in (1, 7, 100, 250, 500, 750, 999):
        cut = max(1, n * frac // 1000)
        if frac == 999:
            cut = n - 1
        # Truncated kubectl dumps are reported (issue 12): a cut YAML List (no closing
        # `kind: List`, last object without kind/metadata), a JSON List ending early
        # a gzip stream without its trailer, and a tar or tar.gz cut anywhere (no
        # end-of-archive blocks, or no gzip trailer) all exit 3.  Exceptions: a cut inside
        # the first line leaves nothing recognisable, and dropping the final newline
        # of a YAML file loses nothing.
        codes = "0 1 3"
        if k in ("json", "yamlgz") or (k == "yaml" and 1 < frac < 999) or (k in ("tar", "targz") and frac > 1):
            codes = "3"
        case("trunc-%s-%d.bin" % (k, cut), data[:cut], codes, "-", "%s truncated at byte %d of %d" % (k, cut, n))

with open(os.path.join(out, "cases.tsv"), "w") as f:
    for r in rows:
        f.write("\t".join(r) + "\n")

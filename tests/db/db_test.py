#!/usr/bin/env python3
"""PostGIS layer sources against a real PostgreSQL 15 + PostGIS 3 server (pg_fixture.py).

Run by CTest one test at a time (db.DbTest.<name>, label db). Sections: helpers · the
same picture and identify · a file that looks like a source · passwords · injection ·
the network guard · overviews (db prepare) · per-view reads · a table partitioned across two
servers · a down, slow or vanishing server · staleness of overviews, cheaply · File ▸ Open's
database tab in the viewer
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "cli"))
import pg_fixture  # noqa: E402
from cli_test import read_png  # noqa: E402

BIN = os.environ.get("BCMAP_BIN", "bcmap")
GEODATA = os.environ.get("BCMAP_GEODATA", os.path.join(HERE, "..", "..", "geodata"))
VILLAGES = os.path.join(GEODATA, "baicheng_villages.geojson")
SHOTS = os.environ.get("BCMAP_DB_SHOTS", "")  # a folder to keep the renders in (to look at)


# ---- helpers --------------------------------------------------------------------------
def run(*args, env=None, cwd=None, timeout=120):
    """bcmap's (exit status, stdout, stderr); a run past `timeout` seconds fails the test."""
    try:
        p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd,
                           env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"bcmap {' '.join(args)} still ran after {timeout} s") from e
    return p.returncode, p.stdout, p.stderr


def clearly_differing_pixels(a, b, threshold=8):
    """(pixels differing by more than threshold/255 in a channel, all pixels)."""
    wa, ha, ra = read_png(a)
    wb, hb, rb = read_png(b)
    assert (wa, ha) == (wb, hb), f"sizes differ: {wa}x{ha} vs {wb}x{hb}"
    bad = 0
    for y in range(ha):
        pa, pb = ra[y], rb[y]
        for x in range(0, wa * 4, 4):
            if pa[x:x + 4] != pb[x:x + 4] and max(abs(pa[x + k] - pb[x + k]) for k in range(4)) > threshold:
                bad += 1
    return bad, wa * ha


def coverage_and_shade(whole, picture, bare, threshold=8):
    """(pixels covered in one picture and not the other, all pixels, mean colour difference of
    the pixels both cover). Covered: more than threshold/255 from the map without the layer.
    The renderer's own level of detail is held to the same two measures (PointLodTest): dense
    ringed points draw a rim pattern that depends on which point is drawn last, so no thinning
    keeps every pixel's colour; what it keeps is where the layer is and its shade."""
    (w, h, rw), (_, _, rp), (_, _, rb) = read_png(whole), read_png(picture), read_png(bare)
    differ, both, shade = 0, 0, [0, 0, 0]
    for y in range(h):
        a, b, c = rw[y], rp[y], rb[y]
        for x in range(0, w * 4, 4):
            ca = max(abs(a[x + k] - c[x + k]) for k in range(3)) > threshold
            cb = max(abs(b[x + k] - c[x + k]) for k in range(3)) > threshold
            if ca != cb:
                differ += 1
            elif ca:
                both += 1
                for k in range(3):
                    shade[k] += a[x + k] - b[x + k]
    return differ, w * h, [abs(v) / max(both, 1) for v in shade]


def differing_pixels(a, b):
    wa, ha, ra = read_png(a)
    wb, hb, rb = read_png(b)
    assert (wa, ha) == (wb, hb), f"sizes differ: {wa}x{ha} vs {wb}x{hb}"
    return sum(1 for y in range(ha) for x in range(0, wa * 4, 4) if ra[y][x:x + 4] != rb[y][x:x + 4])


class DbTest(pg_fixture.ServerTestCase):
    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.pg.load(VILLAGES, "public.villages")

    def url(self, table="public.villages", user=pg_fixture.SUPERUSER, password=None, port=None):
        auth = user + (f":{password}" if password else "")
        return f"postgresql://{auth}@127.0.0.1:{port or self.pg.port}/{pg_fixture.DBNAME}?table={table}"

    def render(self, name, *sources, env=None, bbox="121.6,44.1,124.4,46.4", size="640x480"):
        out = os.path.join(SHOTS or self.tmp.name, name)
        rc, _, err = run("render", "--layers", "counties", *sources, "--out", out, "--size", size,
                         *(("--bbox", bbox) if bbox else ()), env=env)
        return rc, err, out

    # ---- the same picture and identify ----------------------------------------------------
    def test_render_matches_the_file(self):
        """A PostGIS table renders the same picture as the same data read from a file: the
        villages, and 5000 generated points."""
        points = os.path.join(self.tmp.name, "points.geojson")
        pg_fixture.write_points_geojson(points, 5000)
        self.pg.load(points, "public.points")
        for table, path in (("public.villages", VILLAGES), ("public.points", points)):
            rc, err, from_file = self.render(f"file_{table}.png", path)
            self.assertEqual(rc, 0, err)
            rc, err, from_db = self.render(f"db_{table}.png", self.url(table))
            self.assertEqual(rc, 0, err)
            rc, err, pg_form = self.render(
                f"pgform_{table}.png",
                f'PG:"host={self.pg.socket_dir} port={self.pg.port} dbname={pg_fixture.DBNAME} '
                f'user={pg_fixture.SUPERUSER} tables={table}"')
            self.assertEqual(rc, 0, err)
            self.assertEqual(differing_pixels(from_file, from_db), 0, table)
            self.assertEqual(differing_pixels(from_file, pg_form), 0, table)
            # ... and it is not an empty map that matched: the layer drew something.
            rc, err, bare = self.render(f"bare_{table}.png")
            self.assertEqual(rc, 0, err)
            self.assertGreater(differing_pixels(from_file, bare), 500, table)

    def test_identify_on_a_pg_layer(self):
        with open(VILLAGES, encoding="utf-8") as f:
            feature = json.load(f)["features"][0]
        lon, lat = feature["geometry"]["coordinates"]
        rc, out, err = run("identify", "--lonlat", f"{lon},{lat}", "--layers", "none", "--json", self.url())
        self.assertEqual(rc, 0, err)
        hits = json.loads(out)
        self.assertTrue(hits, out)
        self.assertEqual(hits[0]["layer"], "file:public.villages")
        self.assertEqual(hits[0]["attributes"]["name_zh"], feature["properties"]["name_zh"])

    # ---- a file that looks like a source ------------------------------------------------
    def test_a_file_named_like_a_source_opens_as_a_file(self):
        shutil.copy(VILLAGES, os.path.join(self.tmp.name, "PG:x"))
        out = os.path.join(self.tmp.name, "f.png")
        rc, _, err = run("render", "--layers", "counties", "PG:x", "--out", out, "--size", "320x240",
                         cwd=self.tmp.name)
        self.assertEqual(rc, 0, err)
        self.assertNotIn("PQconnectdb", err)
        # The same name without the file is a database source (and says so when it fails).
        os.remove(os.path.join(self.tmp.name, "PG:x"))
        rc, _, err = run("render", "--layers", "counties", "PG:x", "--out", out, cwd=self.tmp.name)
        self.assertNotEqual(rc, 0)
        self.assertIn("database source", err)

    # ---- passwords ----------------------------------------------------------------------------
    def test_passwords(self):
        """The reader role needs a password over TCP: from ~/.pgpass, a service file or
        PGPASSWORD; one typed into the URL works but never reaches stderr, the log or the
        session file."""
        pw = pg_fixture.READER_PASSWORD
        home = os.path.join(self.tmp.name, "home")
        os.makedirs(home)
        base_env = {"HOME": home, "PGPASSWORD": "", "PGPASSFILE": os.path.join(home, ".pgpass"),
                    "PGSERVICEFILE": os.path.join(home, ".pg_service.conf")}
        # No password anywhere: refused, and the reason is the server's.
        rc, err, _ = self.render("none.png", self.url(user=pg_fixture.READER), env=base_env)
        self.assertNotEqual(rc, 0)
        self.assertIn("password", err)
        # ~/.pgpass
        with open(base_env["PGPASSFILE"], "w") as f:
            f.write(f"127.0.0.1:{self.pg.port}:{pg_fixture.DBNAME}:{pg_fixture.READER}:{pw}\n")
        os.chmod(base_env["PGPASSFILE"], 0o600)
        rc, err, _ = self.render("pgpass.png", self.url(user=pg_fixture.READER), env=base_env)
        self.assertEqual(rc, 0, err)
        os.remove(base_env["PGPASSFILE"])
        # a service file
        with open(base_env["PGSERVICEFILE"], "w") as f:
            f.write(f"[county]\nhost=127.0.0.1\nport={self.pg.port}\ndbname={pg_fixture.DBNAME}\n"
                    f"user={pg_fixture.READER}\npassword={pw}\n")
        rc, err, _ = self.render("service.png", "PG:service=county tables=public.villages", env=base_env)
        self.assertEqual(rc, 0, err)
        os.remove(base_env["PGSERVICEFILE"])
        # PGPASSWORD
        rc, err, _ = self.render("env.png", self.url(user=pg_fixture.READER), env={**base_env, "PGPASSWORD": pw})
        self.assertEqual(rc, 0, err)
        # Typed into the URL: used, and never shown.
        rc, err, _ = self.render("url.png", self.url(user=pg_fixture.READER, password=pw), env=base_env)
        self.assertEqual(rc, 0, err)
        self.assertNotIn(pw, err)
        wrong = "Wr0ng-Pw-77x"
        rc, err, _ = self.render("wrong.png", self.url(user=pg_fixture.READER, password=wrong), env=base_env)
        self.assertNotEqual(rc, 0)
        self.assertNotIn(wrong, err)
        self.assertIn("reader:***@", err)
        self.assertIn("password authentication failed", err)
        # The viewer: its log (BCMAP_TEST_STATE's facts and stderr) and the session it saves.
        self.check_viewer_keeps_it(self.url(user=pg_fixture.READER, password=pw), pw, base_env)

    def check_viewer_keeps_it(self, source, secret, env):
        """The viewer opened on `source` under Xvfb (the viewer harness, as every other viewer
        test: its own server, started one at a time): neither its log nor the session it saves
        on quitting holds `secret`."""
        sys.path.insert(0, os.path.join(HERE, "..", "ui"))
        import viewer_harness as vh
        if not shutil.which("Xvfb") or not shutil.which("xdotool"):
            self.fail("Xvfb and xdotool are needed (tools/setup-deps.sh)")
        work = os.path.join(self.tmp.name, "viewer-keeps-it")
        v = vh.Viewer(os.path.abspath(BIN), work)
        self.addCleanup(v.stop)
        try:
            v.start(args=[source], extra_env={**env, "BCMAP_DATA_DIR": os.path.abspath(GEODATA)})
            v.wait_state(lambda st: all(l["status"] not in ("pending", "loading") for l in st["layers"]),
                         "the layers to load")
            v.settled()
            if SHOTS:
                v.screenshot("viewer_pg")
            v.xdotool("key", "ctrl+q")
            code = v.app.wait(timeout=vh.TIMEOUT_S)
            self.assertEqual(code, 0, v.log())
        except vh.Failure as e:
            self.fail(f"{e}\nlog:\n{v.log()}")
        with open(os.path.join(work, "bcmap.log"), encoding="utf-8", errors="replace") as f:
            text = f.read()
        self.assertNotIn(secret, text)
        self.assertTrue(os.path.exists(v.session_path), "the viewer saved no session:\n" + text[-2000:])
        with open(v.session_path, encoding="utf-8") as f:
            saved = f.read()
        self.assertNotIn(secret, saved)
        self.assertIn("reader:***@", saved)

    def test_a_table_name_cannot_inject_sql(self):
        self.pg.sql(pg_fixture.DBNAME, "CREATE TABLE y (a int); INSERT INTO y VALUES (1)")
        evil = 'x"; DROP TABLE y; --'
        encoded = evil.replace("%", "%25").replace('"', "%22").replace(";", "%3B").replace(" ", "%20")
        for source in (self.url(table=encoded),
                       f"PG:host=127.0.0.1 port={self.pg.port} dbname={pg_fixture.DBNAME} "
                       f"user={pg_fixture.SUPERUSER} tables='{evil}'"):
            rc, err, _ = self.render("evil.png", source)
            self.assertNotEqual(rc, 0)
            self.assertIn("does not exist", err)
            self.assertEqual(self.pg.sql(pg_fixture.DBNAME, "SELECT count(*) FROM y"), "1")

    # ---- the network guard ---------------------------------------------------------------------
    def test_the_guard_refuses_hosts_nobody_named(self):
        """A database source that came from a session file, not from the command line, may not
        open a connection: a listening socket counts zero accepts. HTTP stays refused."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.2)
        accepts = []
        stop = threading.Event()

        def count():
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                    accepts.append(1)
                    conn.close()
                except OSError:
                    pass
        t = threading.Thread(target=count, daemon=True)
        t.start()
        try:
            port = listener.getsockname()[1]
            stray = self.url(port=port)
            session = os.path.join(self.tmp.name, "s.json")
            with open(session, "w") as f:
                json.dump({"version": 1, "layers": [{"id": "file:public.villages", "file": stray,
                                                     "visible": True}]}, f)
            out = os.path.join(self.tmp.name, "g.png")
            # The user's own source (the real server) is allowed; the session's one is not.
            _, _, err = run("render", "--session", session, self.url(), "--out", out, "--size", "320x240")
            time.sleep(0.5)
            refused_accepts = len(accepts)
            # The counter works: the same source, typed by the user, reaches the listener.
            _, _, err2 = run("render", "--layers", "none", stray, "--out", out, "--size", "320x240")
            time.sleep(0.5)
        finally:
            stop.set()
            t.join()
            listener.close()
        self.assertIn(f"database connection to 127.0.0.1:{port} refused", err)
        self.assertEqual(refused_accepts, 0, err)
        self.assertGreaterEqual(len(accepts), 1, "the user's own source never reached the listener: " + err2)
        self.assertNotIn("network access allowed", err + err2)

    # ---- overviews (db prepare) ----------------------------------------------------------------
    def prepare(self, *args, env=None):
        return run("db", "prepare", *args, env=env, timeout=900)

    def test_db_prepare_builds_overviews_once(self):
        """Overviews per zoom band in the named schema, recorded with the table's row count and
        extent; run again, nothing is done; after the table changes they are rebuilt."""
        pg_fixture.generate_points(self.pg, "public.dense", 200000)
        rc, out, err = self.prepare(self.url("public.dense"), "--schema", "ovs")
        self.assertEqual(rc, 0, err)
        self.assertIn("built", out)
        cat = self.pg.sql(pg_fixture.DBNAME, "SELECT band, row_count, band_rows, built_at FROM ovs.overviews "
                                             "WHERE source_table = 'dense' ORDER BY band")
        bands = [line.split("|") for line in cat.splitlines()]
        self.assertGreaterEqual(len(bands), 1, cat)
        for band, rows, band_rows, _ in bands:
            self.assertEqual(rows, "200000")
            self.assertLessEqual(int(band_rows) * 4, 200000 * 3, cat)
            # Every band sums to the table: nothing lost between bands.
            table = self.pg.sql(pg_fixture.DBNAME, f"SELECT overview_table FROM ovs.overviews "
                                                   f"WHERE source_table = 'dense' AND band = {band}")
            self.assertEqual(self.pg.sql(pg_fixture.DBNAME, f"SELECT sum(n) FROM ovs.{table}"), "200000")
        # Again: current, nothing rebuilt.
        rc, out, err = self.prepare(self.url("public.dense"), "--schema", "ovs")
        self.assertEqual(rc, 0, err)
        self.assertIn("current", out)
        self.assertEqual(self.pg.sql(pg_fixture.DBNAME, "SELECT band, row_count, band_rows, built_at FROM "
                                                        "ovs.overviews WHERE source_table = 'dense' ORDER BY band"), cat)
        # The table changes: stale, rebuilt with the new count.
        self.pg.sql(pg_fixture.DBNAME, "INSERT INTO public.dense VALUES (0, 'k0', ST_SetSRID(ST_MakePoint(123, 45), 4326))")
        rc, out, err = self.prepare(self.url("public.dense"), "--schema", "ovs")
        self.assertEqual(rc, 0, err)
        self.assertIn("built", out)
        self.assertEqual(self.pg.sql(pg_fixture.DBNAME, "SELECT DISTINCT row_count FROM ovs.overviews"), "200001")
        # A hostile schema name is an identifier, nothing more; a table of polygons is refused.
        self.pg.sql(pg_fixture.DBNAME, "CREATE TABLE y (a int)")
        rc, out, err = self.prepare(self.url("public.dense"), "--schema", 'z"; DROP TABLE y; --')
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.pg.sql(pg_fixture.DBNAME, "SELECT count(*) FROM y"), "0")
        rc, out, err = self.prepare(self.url("public.nosuch"))
        self.assertEqual(rc, 2)
        self.assertIn("public.nosuch", err)

    # ---- per-view reads ---------------------------------------------------------------------
    # The statement of a planned read (DbQuery.cpp): a box's rows, a grid live or from an overview.
    PLANNED_READ = ("(query LIKE '%ORDER BY tableoid, ctid%' OR query LIKE '%GROUP BY floor(%' "
                    "OR query LIKE '%SELECT n, geom FROM%') AND query NOT LIKE '%INSERT%'")

    def fetched_rows(self):
        """Rows the server sent since the last reset (pg_stat_statements): through GDAL's cursor
        (a whole table) or as the result of a planned read's one statement (PgReader.h)."""
        return int(self.pg.sql(pg_fixture.DBNAME, "SELECT coalesce(sum(rows), 0) FROM pg_stat_statements "
                                                  f"WHERE query ILIKE 'FETCH%' OR (query ILIKE 'SELECT%' AND "
                                                  f"{self.PLANNED_READ} AND query NOT ILIKE 'SELECT count(*) FROM (%' "
                                                  f"AND query NOT ILIKE 'SELECT ST_SRID%')"))

    def planned_read_runs(self):
        """How many times the server ran a planned read's SQL (pg_stat_statements calls): a
        count, an SRID probe and a cursor each run it again."""
        return int(self.pg.sql(pg_fixture.DBNAME, "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
                                                  f"WHERE {self.PLANNED_READ} AND query NOT ILIKE 'FETCH%'"))

    def test_a_planned_read_runs_its_statement_once(self):
        """A per-view render reads its rows in one statement (libpq, PgReader.h), not three
        (GDAL's count, its SRID probe, its cursor): the rows in a box, a live grid and an
        overview grid; and the pictures are those of the whole table read through GDAL."""
        pg_fixture.generate_points(self.pg, "public.dense", 200000)
        self.pg.sql(pg_fixture.DBNAME, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        cases = [("villages", self.url(), None), ("live", self.url("public.dense"), None),
                 ("overview", self.url("public.dense"), "prepare")]
        for name, source, before in cases:
            if before:
                rc, out, err = self.prepare(source)
                self.assertEqual(rc, 0, err)
            out, rows = self.render_counting(f"once_{name}.png", source)
            runs = self.planned_read_runs()
            print(f"{name}: the planned read ran {runs} time(s), {rows} rows", file=sys.stderr)
            self.assertEqual(runs, 1, name)
            self.assertGreater(rows, 0, name)
            if name == "overview":
                self.assertTrue(self.overviews_used(), "the render did not read the overviews")
        whole, _ = self.render_counting("once_villages_whole.png", self.url(), env={"BCMAP_DB_PER_VIEW": "0"})
        self.assertEqual(differing_pixels(whole, os.path.join(SHOTS or self.tmp.name, "once_villages.png")), 0)

    def render_counting(self, name, source, env=None):
        self.pg.sql(pg_fixture.DBNAME, "SELECT pg_stat_statements_reset()")
        rc, err, out = self.render(name, source, env=env)
        self.assertEqual(rc, 0, err)
        return out, self.fetched_rows()

    def test_per_view_render_matches_the_whole_table(self):
        """A dense point table drawn per view (a grid at the pixel size, live, then from the
        overviews) gives the whole table's picture: where the layer is differs at no more than
        0.5 % of pixels (by more than 8/255) and its shade by under 3 levels, while far fewer rows cross the wire; a sparse
        table (the villages) reads only the rows in the box, the same picture exactly."""
        n = int(os.environ.get("BCMAP_DB_POINTS", "1000000"))
        pg_fixture.generate_points(self.pg, "public.dense", n)
        self.pg.sql(pg_fixture.DBNAME, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        whole, whole_rows = self.render_counting("dense_whole.png", self.url("public.dense"),
                                                 env={"BCMAP_DB_PER_VIEW": "0"})
        self.assertEqual(whole_rows, n)
        live, live_rows = self.render_counting("dense_live.png", self.url("public.dense"))
        rc, out, err = self.prepare(self.url("public.dense"))
        self.assertEqual(rc, 0, err)
        ov, ov_rows = self.render_counting("dense_overview.png", self.url("public.dense"))
        self.assertTrue(self.overviews_used(), "the render did not read the overviews")
        rc, err, bare = self.render("dense_bare.png")
        self.assertEqual(rc, 0, err)
        # Not an empty map that matched: the layer covers much of the picture.
        self.assertGreater(clearly_differing_pixels(whole, bare)[0], 640 * 480 * 0.05)
        for picture, rows in ((live, live_rows), (ov, ov_rows)):
            differ, total, shade = coverage_and_shade(whole, picture, bare)
            strict, _ = clearly_differing_pixels(whole, picture)
            print(f"{os.path.basename(picture)}: {rows} rows of {n}; coverage differs at {differ} of {total} "
                  f"pixels ({100 * differ / total:.3f} %); shade off by {shade}; "
                  f"{100 * strict / total:.1f} % of pixels differ in colour (the rim pattern)", file=sys.stderr)
            self.assertLessEqual(differ, total * 0.005, f"{picture}: coverage differs at {differ} of {total} pixels")
            self.assertLessEqual(max(shade), 3.0, f"{picture}: the shade moved by {shade}")
            self.assertLess(rows, n / 2, picture)
            self.assertLessEqual(rows, 640 * 480, picture)
        # A zoomed-in box at the edge of the data reads only its rows, every attribute.
        villages_whole, all_rows = self.render_counting("v_whole.png", self.url(), env={"BCMAP_DB_PER_VIEW": "0"})
        villages_box, box_rows = self.render_counting("v_box.png", self.url())
        self.assertEqual(differing_pixels(villages_whole, villages_box), 0)
        self.assertLessEqual(box_rows, all_rows)

    def test_a_full_view_at_1920x1080_uses_an_overview(self):
        """The full view of a 1M-row table at 1920x1080 reads an overview after db prepare (the
        band of 0.5-1 px cells holds nearly every row and is not kept; one of 1-2 px is), not
        a live grid of the table, and draws the whole table's picture (as the per-view test
        measures it: coverage within 0.5 % of pixels, shade within 3 levels)."""
        n = int(os.environ.get("BCMAP_DB_POINTS", "1000000"))
        pg_fixture.generate_points(self.pg, "public.dense", n)
        self.pg.sql(pg_fixture.DBNAME, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        url = self.url("public.dense")
        rc, out, err = self.prepare(url)
        self.assertEqual(rc, 0, err)
        print(out.strip(), file=sys.stderr)
        self.pg.sql(pg_fixture.DBNAME, "SELECT pg_stat_statements_reset()")
        rc, err, ov = self.render("full_overview.png", url, size="1920x1080")
        self.assertEqual(rc, 0, err)
        self.assertTrue(self.overviews_used(), "the full view did not read an overview")
        rc, err, whole = self.render("full_whole.png", url, size="1920x1080", env={"BCMAP_DB_PER_VIEW": "0"})
        self.assertEqual(rc, 0, err)
        rc, err, bare = self.render("full_bare.png", size="1920x1080")
        self.assertEqual(rc, 0, err)
        differ, total, shade = coverage_and_shade(whole, ov, bare)
        print(f"full view: coverage differs at {differ} of {total} pixels ({100 * differ / total:.3f} %); "
              f"shade off by {shade}", file=sys.stderr)
        self.assertGreater(clearly_differing_pixels(whole, bare)[0], total * 0.05)
        self.assertLessEqual(differ, total * 0.005)
        self.assertLessEqual(max(shade), 3.0)

    # ---- a table partitioned across two servers ------------------------------------------------
    def test_a_table_partitioned_across_two_servers(self):
        """public.parted on server A, partitioned by n: the first half of the rows in a local
        partition, the rest in a postgres_fdw foreign partition on server B. It renders the
        picture of the same rows in one ordinary table and of the GeoPackage they came from
        (at most 0.5 % of pixels differing by more than 8/255), for the whole view and for a
        box; a spatial filter reaches server B's query (EXPLAIN VERBOSE); db prepare builds
        its overviews from every row."""
        b = self.start_another_server()
        points = os.path.join(self.tmp.name, "points.geojson")
        pg_fixture.write_points_geojson(points, 6000)
        gpkg = os.path.join(self.tmp.name, "points.gpkg")
        p = subprocess.run(["ogr2ogr", "-f", "GPKG", gpkg, points, "-nln", "points"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.pg.load(gpkg, "public.points")
        columns = self.pg.sql(pg_fixture.DBNAME, "SELECT string_agg(quote_ident(attname) || ' ' || "
                                                 "format_type(atttypid, atttypmod), ', ' ORDER BY attnum) "
                                                 "FROM pg_attribute WHERE attrelid = 'public.points'::regclass "
                                                 "AND attnum > 0 AND NOT attisdropped")
        pg_fixture.partition_across(self.pg, b, "public.parted", columns, "public.points ORDER BY n", "n", 3000)
        # The rows are split: half here, half on server B.
        self.assertEqual(self.pg.sql(pg_fixture.DBNAME, "SELECT count(*) FROM ONLY public.parted_local"), "3000")
        self.assertEqual(b.sql(pg_fixture.DBNAME, "SELECT count(*) FROM public.parted_remote"), "3000")
        # A box filter is shipped to server B (extensions 'postgis'), not applied here.
        plan = self.pg.sql(pg_fixture.DBNAME, "EXPLAIN VERBOSE SELECT * FROM public.parted WHERE geom && "
                                              "ST_MakeEnvelope(122, 44.5, 123, 45.5, 4326)")
        remote = [line for line in plan.splitlines() if "Remote SQL" in line]
        self.assertTrue(remote, plan)
        self.assertTrue(any("&&" in line and "WHERE" in line for line in remote), plan)
        b.sql(pg_fixture.DBNAME, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        for view, bbox in (("whole", None), ("box", "122.3,44.6,123.4,45.5")):
            rc, err, from_file = self.render(f"part_file_{view}.png", gpkg, bbox=bbox)
            self.assertEqual(rc, 0, err)
            rc, err, plain = self.render(f"part_plain_{view}.png", self.url("public.points"), bbox=bbox)
            self.assertEqual(rc, 0, err)
            b.sql(pg_fixture.DBNAME, "SELECT pg_stat_statements_reset()")
            rc, err, parted = self.render(f"part_parted_{view}.png", self.url("public.parted"), bbox=bbox)
            self.assertEqual(rc, 0, err)
            if bbox:
                # bcmap's own box query reached server B with its box (not every row).
                shipped = b.sql(pg_fixture.DBNAME, "SELECT count(*) FROM pg_stat_statements WHERE "
                                                   "query LIKE '%parted_remote%' AND query LIKE '%&&%'")
                self.assertNotEqual(shipped, "0", b.sql(pg_fixture.DBNAME, "SELECT string_agg(query, E'\\n') "
                                                                           "FROM pg_stat_statements"))
            rc, err, bare = self.render(f"part_bare_{view}.png", bbox=bbox)
            self.assertEqual(rc, 0, err)
            self.assertGreater(clearly_differing_pixels(from_file, bare)[0], 500, view)
            for other in (plain, from_file):
                bad, total = clearly_differing_pixels(parted, other)
                self.assertLessEqual(bad, total * 0.005, f"{view}: {parted} and {other} differ at {bad} of {total} pixels")
        # Overviews of a dense partitioned table count every row, both servers', and are used.
        pg_fixture.generate_points(self.pg, "public.dense", 200000)
        pg_fixture.partition_across(self.pg, b, "public.dparted", "n int, kind text, geom geometry(Point, 4326)",
                                    "public.dense", "n", 100001)
        rc, out, err = self.prepare(self.url("public.dparted"))
        self.assertEqual(rc, 0, err)
        self.assertIn("built", out)
        self.assertEqual(self.pg.sql(pg_fixture.DBNAME, "SELECT DISTINCT row_count FROM bcmap.overviews "
                                                        "WHERE source_table = 'dparted'"), "200000")
        rc, out, err = self.prepare(self.url("public.dparted"))
        self.assertEqual(rc, 0, err)
        self.assertIn("current", out)
        self.pg.sql(pg_fixture.DBNAME, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        ov, _ = self.render_counting("dparted_overview.png", self.url("public.dparted"))
        self.assertTrue(self.overviews_used(), "the render did not read the overviews")

    # ---- a down, slow or vanishing server -------------------------------------------------------
    # A place in Taobei District (the counties layer) for identify.
    TAOBEI = "122.83,45.62"

    def test_a_failed_connection_is_said_once_on_one_line(self):
        """A source whose server refuses the connection: `render` (the view known: libpq; the
        whole table: GDAL's driver) and `identify` say so once, on one line that names the
        source without its password and gives libpq's reason, and no "PQconnectdb failed."."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]  # nothing listens there once closed
        source = self.url(user=pg_fixture.READER, password=pg_fixture.READER_PASSWORD, port=port)
        shown = f"postgresql://{pg_fixture.READER}:***@127.0.0.1:{port}/"
        out = os.path.join(self.tmp.name, "refused.png")
        for what, args in (("render, per view", ["render", "--layers", "counties", source, "--out", out,
                                                  "--size", "320x240", "--bbox", "121.6,44.1,124.4,46.4"]),
                           ("render, whole", ["render", "--layers", "counties", source, "--out", out,
                                              "--size", "320x240"]),
                           ("identify", ["identify", "--lonlat", self.TAOBEI, "--layers", "counties", source])):
            rc, _, err = run(*args)
            self.assertEqual(rc, 2, f"{what}: {err}")
            lines = [l for l in err.splitlines() if l.strip()]
            print(f"{what}: {lines}", file=sys.stderr)
            self.assertEqual(len(lines), 1, f"{what}: not one line: {err!r}")
            self.assertIn(shown, lines[0], what)
            self.assertIn("Connection refused", lines[0], what)
            self.assertNotIn("PQconnectdb", err, what)
            self.assertNotIn(pg_fixture.READER_PASSWORD, err, what)

    def test_a_database_layers_legend_names_its_table(self):
        """The legend of a database layer reads schema.name (the layer's name), not the text
        after the URL's last slash ("bcmap?table=public.villages"), in both source forms."""
        pg_form = (f'PG:"host={self.pg.socket_dir} port={self.pg.port} dbname={pg_fixture.DBNAME} '
                   f'user={pg_fixture.SUPERUSER} tables=public.villages"')
        for form, source in (("url", self.url()), ("pg", pg_form)):
            out = os.path.join(self.tmp.name, f"legend_{form}.svg")
            rc, _, err = run("render", "--layers", "counties", source, "--legend", "--out", out, "--size", "640x480",
                             "--bbox", "121.6,44.1,124.4,46.4")
            self.assertEqual(rc, 0, err)
            with open(out, encoding="utf-8") as f:
                texts = [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", f.read())]
            print(f"{form}: legend texts {texts[:4]}", file=sys.stderr)
            self.assertEqual(texts.count("public.villages"), 2, f"{form}: {texts}")  # the title and the entry
            self.assertFalse([t for t in texts if "table=" in t or "/" in t], f"{form}: {texts}")

    def check_fault(self, name, source, shown, reasons, bound_s, env=None, during=None):
        """`bcmap render` and `bcmap identify` with `source` failing: each ends within bound_s,
        exits 2 (a requested file failed), names the source as `shown` (no password) and the
        reason (one of `reasons`), and still draws / identifies the counties. `during(proc)`
        runs while the render runs (to stop the server under it)."""
        _, _, bare = self.render(f"fault_bare_{name}.png")
        out = os.path.join(SHOTS or self.tmp.name, f"fault_{name}.png")
        start = time.monotonic()
        proc = subprocess.Popen([BIN, "render", "--layers", "counties", source, "--out", out, "--size", "640x480",
                                 "--bbox", "121.6,44.1,124.4,46.4"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env={**os.environ, **(env or {})})
        try:
            if during:
                during(proc)
            _, err = proc.communicate(timeout=bound_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            self.fail(f"{name}: bcmap render still ran after {bound_s} s")
        elapsed = time.monotonic() - start
        print(f"{name}: render ended in {elapsed:.1f} s: {err.strip()}", file=sys.stderr)
        self.assertEqual(proc.returncode, 2, err)
        self.assertIn(shown, err)
        self.assertTrue(any(r in err for r in reasons), f"{name}: none of {reasons} in: {err}")
        self.assertNotIn(pg_fixture.READER_PASSWORD, err)
        self.assertTrue(os.path.exists(out), f"{name}: no picture of the other layers: {err}")
        self.assertEqual(differing_pixels(out, bare), 0, f"{name}: the counties are not drawn as without the source")
        if during:
            return
        start = time.monotonic()
        rc, got, err = run("identify", "--lonlat", self.TAOBEI, "--layers", "counties", "--json", source,
                           env=env, timeout=bound_s)
        elapsed = time.monotonic() - start
        print(f"{name}: identify ended in {elapsed:.1f} s", file=sys.stderr)
        self.assertEqual(rc, 2, err)
        self.assertIn(shown, err)
        self.assertTrue(any(r in err for r in reasons), f"{name}: none of {reasons} in: {err}")
        self.assertNotIn(pg_fixture.READER_PASSWORD, err)
        self.assertEqual([h["layer"] for h in json.loads(got)], ["counties"], got)

    def test_a_server_that_is_not_listening(self):
        port = pg_fixture.free_port()
        source = self.url(user=pg_fixture.READER, password=pg_fixture.READER_PASSWORD, port=port)
        self.check_fault("refused", source, f"postgresql://reader:***@127.0.0.1:{port}/bcmap?table=public.villages",
                         ["Connection refused"], 30)

    def test_a_server_that_accepts_and_never_answers(self):
        """A socket that accepts and says nothing: libpq's connect_timeout (10 s unless the
        source or $BCMAP_DB_CONNECT_TIMEOUT says otherwise) ends the wait."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        self.addCleanup(listener.close)
        held = []
        stop = threading.Event()

        def hold():  # accept, keep the connection open, answer nothing
            listener.settimeout(0.2)
            while not stop.is_set():
                try:
                    held.append(listener.accept()[0])
                except OSError:
                    pass
        t = threading.Thread(target=hold, daemon=True)
        t.start()
        try:
            port = listener.getsockname()[1]
            source = self.url(user=pg_fixture.READER, password=pg_fixture.READER_PASSWORD, port=port)
            self.check_fault("silent", source, f"postgresql://reader:***@127.0.0.1:{port}/bcmap?table=public.villages",
                             ["timeout expired"], 40)
            # Shorter when asked.
            start = time.monotonic()
            rc, _, err = run("render", "--layers", "counties", source, "--out", os.path.join(self.tmp.name, "s.png"),
                             env={"BCMAP_DB_CONNECT_TIMEOUT": "2"}, timeout=40)
            self.assertEqual(rc, 2, err)
            self.assertLess(time.monotonic() - start, 9, err)
        finally:
            stop.set()
            t.join()
            for c in held:
                c.close()
        self.assertTrue(held, "nothing connected to the silent server")

    def slow_view(self):
        """public.slow: the villages, after 60 s of sleep on the server. The sleep is a one-time
        filter (an uncorrelated subquery), run before any row whatever the query asks: a sleep
        per row never ran for a box that holds no village (identify asks for a small box)."""
        self.pg.sql(pg_fixture.DBNAME, "CREATE VIEW public.slow AS SELECT * FROM public.villages "
                                       "WHERE (SELECT pg_sleep(60)) IS NOT NULL")

    def test_a_slow_server(self):
        """A statement that runs long is cancelled by the server (statement_timeout: 60 s unless
        $BCMAP_DB_STATEMENT_TIMEOUT says otherwise)."""
        self.slow_view()
        self.check_fault("slow", self.url("public.slow"), "postgresql://bcmap@127.0.0.1:", ["statement timeout"], 30,
                         env={"BCMAP_DB_STATEMENT_TIMEOUT": "2"})

    def test_a_server_that_stops_mid_render(self):
        self.slow_view()

        def stop_it(proc):
            time.sleep(2)
            self.assertIsNone(proc.poll(), "the render ended before the server stopped")
            self.pg.halt()
        self.check_fault("stopped", self.url("public.slow"), "postgresql://bcmap@127.0.0.1:",
                         ["terminating connection", "server closed the connection", "connection to server"], 30,
                         during=stop_it)


    # ---- staleness of overviews, cheaply ---------------------------------------------------------
    def overviews_used(self):
        """An overview table (ov_<hash>_<band>, not the catalogue "bcmap".overviews) was read."""
        return self.pg.sql(pg_fixture.DBNAME, "SELECT count(*) FROM pg_stat_statements "
                                              "WHERE query ~ 'ov_[0-9a-f]{16}_[0-9]' AND query NOT LIKE '%INSERT%' "
                                              "AND query NOT LIKE '%CREATE%'") != "0"

    def full_scans(self):
        """Statements of the render that read the whole table (the old per-render check)."""
        return self.pg.sql(pg_fixture.DBNAME, "SELECT count(*) FROM pg_stat_statements WHERE query ILIKE '%st_extent%'")

    def wait_for_counts(self, column, at_least):
        """The server's counters lag the transaction by up to a second (DbQuery.cpp)."""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            got = self.pg.sql(pg_fixture.DBNAME, f"SELECT {column} FROM pg_stat_user_tables WHERE relname = 'dense'")
            if int(got or 0) >= at_least:
                return
            time.sleep(0.1)
        self.fail(f"pg_stat_user_tables.{column} never reached {at_least}")

    def test_staleness_is_checked_cheaply(self):
        """A render with overviews decides they are current without reading the table (no count,
        no extent); an UPDATE that keeps the count and extent, or an INSERT, after db prepare makes
        the render fall back to live aggregation, and db prepare then rebuilds them."""
        pg_fixture.generate_points(self.pg, "public.dense", 200000)
        self.pg.sql(pg_fixture.DBNAME, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        url = self.url("public.dense")
        rc, out, err = self.prepare(url)
        self.assertEqual(rc, 0, err)
        self.assertIn("built", out)
        self.render_counting("stale_current.png", url)
        self.assertTrue(self.overviews_used(), "current overviews were not used")
        self.assertEqual(self.full_scans(), "0", "the render read the whole table to check the overviews")
        # A point moved inside the extent: the same count and extent, other overviews.
        self.pg.sql(pg_fixture.DBNAME, "UPDATE public.dense SET geom = ST_SetSRID(ST_MakePoint(123.1, 45.2), 4326) "
                                       "WHERE n = (SELECT n FROM public.dense ORDER BY geom <-> "
                                       "ST_SetSRID(ST_MakePoint(123, 45.25), 4326) LIMIT 1)")
        self.wait_for_counts("n_tup_upd", 1)
        self.render_counting("stale_updated.png", url)
        self.assertFalse(self.overviews_used(), "stale overviews were used after an UPDATE")
        rc, out, err = self.prepare(url)
        self.assertEqual(rc, 0, err)
        self.assertIn("built", out)
        self.render_counting("stale_rebuilt.png", url)
        self.assertTrue(self.overviews_used(), "the rebuilt overviews were not used")
        self.assertEqual(self.full_scans(), "0")
        # A row added.
        self.pg.sql(pg_fixture.DBNAME, "INSERT INTO public.dense VALUES (0, 'k0', ST_SetSRID(ST_MakePoint(123, 45), 4326))")
        self.wait_for_counts("n_tup_ins", 200001)
        self.render_counting("stale_inserted.png", url)
        self.assertFalse(self.overviews_used(), "stale overviews were used after an INSERT")
        rc, out, err = self.prepare(url)
        self.assertEqual(rc, 0, err)
        self.assertIn("built", out)
        self.assertEqual(self.pg.sql(pg_fixture.DBNAME, "SELECT DISTINCT row_count FROM bcmap.overviews"), "200001")
        rc, out, err = self.prepare(url)
        self.assertIn("current", out)
        self.render_counting("stale_rebuilt2.png", url)
        self.assertTrue(self.overviews_used())


    # ---- File ▸ Open's database tab in the viewer ---------------------------------------------
    def test_the_open_dialogs_database_tab(self):
        """In the viewer under Xvfb (xdotool): File ▸ Open…, the Database tab, the reader's
        host, port, database, user and password typed into the fields, Tables lists the
        server's geometry tables, public.villages picked, Open: the layer loads. The password
        then is nowhere in the session file, the log or the recent files."""
        sys.path.insert(0, os.path.join(HERE, "..", "ui"))
        import viewer_harness as vh
        if not shutil.which("Xvfb") or not shutil.which("xdotool"):
            self.fail("Xvfb and xdotool are needed (tools/setup-deps.sh)")
        pw = pg_fixture.READER_PASSWORD
        self.pg.load(VILLAGES, "public.wells")  # a second table for the list
        work = os.path.join(self.tmp.name, "viewer")
        home = os.path.join(self.tmp.name, "home")
        os.makedirs(home)
        state_home = os.path.join(self.tmp.name, "xdg-state")
        env = {"HOME": home, "PGPASSWORD": "", "PGPASSFILE": os.path.join(home, ".pgpass"),
               "XDG_STATE_HOME": state_home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
               "BCMAP_DATA_DIR": os.path.abspath(GEODATA)}
        v = vh.Viewer(os.path.abspath(BIN), work)
        self.addCleanup(v.stop)
        shown = f"postgresql://reader:***@127.0.0.1:{self.pg.port}/bcmap?table=public.villages"

        def click(state, name):
            state = v.wait_state(lambda st: st["named"].get(name), name)
            vh.click_at(v, state, state["named"][name])
            return state

        def type_into(name, text):
            click(v.state(), name)
            v.wait_state(lambda st: st["textInput"], f"{name} to take the keyboard")
            v.xdotool("type", "--delay", 15, text)
            # Keys and the next click landing in one frame would send the last key to the
            # next field: let the viewer take them first.
            v.settled(f"{name} to take the text")

        try:
            s = v.start(extra_env=env)
            s = v.settled()
            s = click(s, "menu.file")
            s = click(s, "menu.file.open")
            s = v.wait_state(lambda st: st["named"].get("files.window"), "the Open dialog")
            s = click(s, "files.tab.database")
            v.wait_state(lambda st: st["named"].get("files.db.host"), "the database tab")
            type_into("files.db.host", "127.0.0.1")
            type_into("files.db.port", str(self.pg.port))
            type_into("files.db.database", pg_fixture.DBNAME)
            type_into("files.db.user", pg_fixture.READER)
            type_into("files.db.password", pw)
            s = click(v.state(), "files.db.tables")
            s = v.wait_state(lambda st: "public.villages" in [st["facts"].get(f"files.db.table.{i}") for i in range(4)]
                             and not st["facts"].get("files.db.listing"), "Tables to list the server's tables")
            tables = sorted(val for key, val in s["facts"].items() if key.startswith("files.db.table."))
            self.assertEqual(tables, ["public.villages", "public.wells"], s["facts"])
            row = next(key for key, val in s["facts"].items() if val == "public.villages" and key.startswith("files.db.table."))
            s = click(s, row)
            s = v.wait_state(lambda st: st["facts"].get("files.db.source") == shown, "the picked table in the source")
            v.settled()
            dialog = v.screenshot("database-tab")
            s = click(s, "files.db.open")
            s = v.wait_state(lambda st: any(l["id"] == "file:public.villages" and l["status"] == "loaded"
                                            for l in st["layers"]), "the villages to load from the server")
            self.assertFalse(s["named"].get("files.window"), "the dialog closed once the table opened")
            v.settled()
            v.screenshot("database-layer")
            v.xdotool("key", "ctrl+q")
            code = v.app.wait(timeout=vh.TIMEOUT_S)
            self.assertEqual(code, 0, v.log())
        except vh.Failure as e:
            last = v.state() or {}
            facts = {k: val for k, val in last.get("facts", {}).items() if k.startswith("files")}
            v.screenshot("failure")
            self.fail(f"{e}\nthe dialog's facts: {facts}\nlog:\n{v.log()}")
        finally:
            if SHOTS:
                for name in os.listdir(work):
                    if name.endswith(".png"):
                        shutil.copy(os.path.join(work, name), os.path.join(SHOTS, "viewer_" + name))
        del dialog
        with open(os.path.join(work, "bcmap.log"), encoding="utf-8", errors="replace") as f:
            log = f.read()
        self.assertNotIn(pw, log)
        with open(v.session_path, encoding="utf-8") as f:
            session = f.read()
        self.assertNotIn(pw, session)
        self.assertIn(shown, session)
        recent = os.path.join(state_home, "bcmap", "recent-files.json")
        with open(recent, encoding="utf-8") as f:
            text = f.read()
        self.assertNotIn(pw, text)
        self.assertEqual(json.loads(text)["files"], [shown])


if __name__ == "__main__":
    unittest.main()

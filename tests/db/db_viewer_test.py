#!/usr/bin/env python3
"""The viewer with a PostGIS layer, against a real server (pg_fixture.py) under Xvfb
(tests/ui/viewer_harness.py): the layer is fetched per settled view (host/DbFeed.h), in
tiles (io/DbTiles.h), never read whole.

Sections: helpers (the server stopped and started again on its port, the layer's facts,
pixels) · the cases

Cases:
  test_points_draw_and_a_zoom_fetches_a_bounded_view
      300k points made on the server draw (pixels of the layer's colour); eight real wheel
      steps in: the zoomed view's rows are bounded by its pixels, not by the table, and a
      finer tile zoom is used; switched off, the layer fetches nothing for a new view, and
      switched on again it fetches the view shown.
  test_a_down_server_then_back
      the server stops: a pan to an unseen area gives the row "server unreachable: …",
      the counties still draw; the server starts again on the same port: the layer fills
      in by itself, its visibility and place in the list as they were.
  test_a_view_left_is_not_finished
      a slow table (every query waits 0.2 s on the server); two views in quick succession:
      the first is cancelled between tiles, only the second finishes, and the tiles read are
      the second's (plus those the first had read when the second came, and one in flight);
      the second fills in progressively (tables published before it is complete).
  test_a_password_in_the_url_connects_and_is_never_shown
      a role that must give a password over TCP, the password typed into the URL: the feed
      connects with it (remembered by the process), and neither the state the viewer
      reports nor its log holds it.
  test_a_wrong_password_fails_the_layer_with_libpqs_reason
      the layer, never loaded, is failed with libpq's reason (no password in it, the state
      or the log); the counties load.

Facts the viewer reports (BCMAP_TEST_STATE, "facts"): db.<layer>.views, viewsCancelled,
tilesPlanned, tilesFetched, tilesCached, rowsFetched, lastViewRows, lastViewTiles,
lastZoom, state; layer.dbState.<layer> (the text of the layer panel's row).

Usage: db_viewer_test.py [DbViewerTest.test_...]; BCMAP_BIN names the bcmap to run.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "ui"))

import pg_fixture  # noqa: E402
from pg_fixture import (DBNAME, READER, READER_PASSWORD, SUPERUSER, ServerTestCase,  # noqa: E402
                        generate_points)
import viewer_harness  # noqa: E402
from viewer_harness import (Failure, Viewer, click_at, count_county_pixels, layer, missing_tools,  # noqa: E402
                            tools_verdict)

LAYER = "file:public.pts"
# The first opened file's colour (style/FileLayerStyle.h kFileLayerPalette[0]), drawn opaque.
LAYER_RGB = (0xb2, 0x18, 0x2b)


# ---- helpers ---------------------------------------------------------------------------------
def pg_ctl(server, action):
    """pg_ctl stop / start of the fixture's cluster, keeping its folder and port."""
    data = os.path.join(server.base, "data")
    if action == "stop":
        args = [os.path.join(server.bin, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"]
    else:
        opts = (f"-k {server.base} -p {server.port} -c listen_addresses=127.0.0.1 "
                f"-c fsync=off -c shared_buffers=128MB -c shared_preload_libraries=pg_stat_statements")
        args = [os.path.join(server.bin, "pg_ctl"), "-D", data, "-o", opts, "-l",
                os.path.join(server.base, "log"), "-w", "-t", "60", "start"]
    p = subprocess.run(server._server_cmd(args), capture_output=True, text=True, timeout=90)
    if p.returncode != 0:
        raise Failure(f"pg_ctl {action} failed: {p.stderr.strip()}")


def source_of(server, table="public.pts"):
    return f"postgresql://{SUPERUSER}@127.0.0.1:{server.port}/{DBNAME}?table={table}"


def fact(state, name, default=None):
    return state.get("facts", {}).get(name, default)


def num(state, name):
    v = fact(state, f"db.{LAYER}.{name}")
    if v is None:
        raise Failure(f"the viewer reports no fact db.{LAYER}.{name} (no per-view database feed?); "
                      f"facts: {sorted(state.get('facts', {}))}")
    return int(v)


def layer_pixels(img, step=2):
    """Pixels of the layer's colour (or its darker ring), nowhere else on this map."""
    n = 0
    for y in range(0, img.height, step):
        for x in range(0, img.width, step):
            r, g, b = img.at(x, y)
            if r > 90 and r > 2.2 * g and r > 2.2 * b:
                n += 1
    return n


def wait_views(v, at_least, what):
    return v.wait_state(lambda s: int(fact(s, f"db.{LAYER}.views", "0")) >= at_least and
                        fact(s, f"db.{LAYER}.state") == "", what)


# ---- the cases ---------------------------------------------------------------------------------
class DbViewerTest(ServerTestCase):
    def setUp(self):
        code, message = tools_verdict(missing_tools())
        if code is not None:
            print(message, file=sys.stderr)
            sys.exit(code)
        super().setUp()
        bcmap = os.environ.get("BCMAP_BIN")
        if not bcmap:
            self.fail("BCMAP_BIN is not set (the bcmap executable to test)")
        self.work = tempfile.mkdtemp(prefix="bcdbv")
        self.v = Viewer(os.path.abspath(bcmap), self.work)
        self.addCleanup(self.v.stop)
        # Every case has its own cache and state folders (no tile cache but the process's).
        self.env = {"XDG_CACHE_HOME": os.path.join(self.work, "cache"),
                    "XDG_STATE_HOME": os.path.join(self.work, "state"),
                    "XDG_CONFIG_HOME": os.path.join(self.work, "config"),
                    "BCMAP_DATA_DIR": os.environ.get("BCMAP_GEODATA", viewer_harness.GEODATA)}

    def start(self, table="public.pts", size=None, source=None):
        args = [source or source_of(self.pg, table)]
        if size:
            args += ["--window-size", size]
        try:
            s = self.v.start(args, extra_env=self.env)
        except Failure as e:
            self.fail(f"{e}\nbcmap log:\n{self.v.log()}")
        return s

    def run_case(self, fn):
        """Runs a case; its folder (screenshots, state, log) is kept only when it fails."""
        try:
            fn()
        except Failure as e:
            self.fail(f"{e}\nbcmap log:\n{self.v.log()}\n(files in {self.work})")
        self.v.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def test_points_draw_and_a_zoom_fetches_a_bounded_view(self):
        generate_points(self.pg, "public.pts", 300000)

        def case():
            self.start()
            s = wait_views(self.v, 1, "the first view's tiles")
            s = self.v.settled()
            view = s["view"]
            pixels = view["widthPx"] * view["heightPx"]
            first_rows = num(s, "lastViewRows")
            first_zoom = num(s, "lastZoom")
            print(f"first view: {num(s, 'lastViewTiles')} tiles at zoom {first_zoom}, {first_rows} rows "
                  f"for {pixels} px; {num(s, 'tilesFetched')} tiles read")
            self.assertGreater(first_rows, 1000, "the first view shows the points")
            # Bounded by the pixels (a grid of cells no wider than a pixel; tiles overhang the
            # view), not by the table's 300k rows.
            self.assertLessEqual(first_rows, 4 * pixels)
            img = self.v.screenshot("db-first-view")
            drawn = layer_pixels(img)
            print("layer pixels:", drawn)
            self.assertGreater(drawn, 2000, "the points are drawn")

            # Eight wheel steps in at the map's centre (x1.25 each: about 6x).
            canvas = s["named"]["canvas"]
            at = (round((canvas[0] + canvas[2]) / 2), round((canvas[1] + canvas[3]) / 2))
            s = self.v.move_to(s, *at)
            before_views = num(s, "views")
            before_rows = num(s, "rowsFetched")
            for _ in range(8):
                upp = s["view"]["unitsPerPixel"]
                self.v.xdotool("click", 4)
                s = self.v.wait_state(lambda t, u=upp: t["view"]["unitsPerPixel"] < u, "a wheel step")
            s = wait_views(self.v, before_views + 1, "the zoomed view's tiles")
            s = self.v.settled()
            zoom_rows = num(s, "lastViewRows")
            fetched = num(s, "rowsFetched") - before_rows
            print(f"zoomed: {num(s, 'lastViewTiles')} tiles at zoom {num(s, 'lastZoom')}, {zoom_rows} rows; "
                  f"{fetched} rows read for it; views {num(s, 'views')}; installing on the UI thread took at most "
                  f"{fact(s, 'db.pollMsMax')} ms; frame {s['frameMs']:.0f} ms (smoothed, drawing included)")
            self.assertGreater(num(s, "lastZoom"), first_zoom, "a finer tile zoom for the zoomed view")
            self.assertGreater(zoom_rows, 100)
            self.assertLessEqual(zoom_rows, 4 * pixels, "the zoomed view's rows are bounded by its pixels")
            self.assertLessEqual(fetched, 4 * pixels, "what crossed the wire for it is bounded by its pixels")
            self.assertLess(fetched, 300000, "never the whole table")
            self.assertGreater(layer_pixels(self.v.screenshot("db-zoomed")), 2000)

            # Switched off, the layer asks for nothing; switched on again, for the view shown.
            views, planned = num(s, "views"), num(s, "tilesPlanned")
            click_at(self.v, s, layer(s, LAYER)["checkbox"])
            s = self.v.wait_state(lambda t: not layer(t, LAYER)["visible"], "the layer to be switched off")
            s = self.v.move_to(s, *at)
            for _ in range(3):
                upp = s["view"]["unitsPerPixel"]
                self.v.xdotool("click", 5)
                s = self.v.wait_state(lambda t, u=upp: t["view"]["unitsPerPixel"] > u, "a wheel step out")
            time.sleep(1.0)  # far past the 0.15 s a view takes to settle
            s = self.v.settled()
            self.assertEqual((num(s, "views"), num(s, "tilesPlanned")), (views, planned),
                             "a hidden layer fetched")
            click_at(self.v, s, layer(s, LAYER)["checkbox"])
            s = wait_views(self.v, views + 1, "the view shown, once the layer is on again")
            self.assertTrue(layer(s, LAYER)["visible"])

        self.run_case(case)

    def test_a_down_server_then_back(self):
        generate_points(self.pg, "public.pts", 100000)

        def case():
            s = self.start()
            s = wait_views(self.v, 1, "the first view's tiles")
            s = self.v.settled()
            before = layer(s, LAYER)
            pg_ctl(self.pg, "stop")
            # A pan (a drag) to an area not seen yet ...
            canvas = s["named"]["canvas"]
            x0, y0 = round((canvas[0] + canvas[2]) / 2), round((canvas[1] + canvas[3]) / 2)
            s = self.v.move_to(s, x0, y0)
            self.v.xdotool("mousedown", 1)
            for i in range(1, 11):
                self.v.xdotool("mousemove", s["window"]["x"] + x0 + 20 * i, s["window"]["y"] + y0 + 12 * i)
                time.sleep(0.02)
            self.v.xdotool("mouseup", 1)
            # ... and four wheel steps in: a finer tile zoom, none of whose tiles was read.
            for _ in range(4):
                upp = self.v.state()["view"]["unitsPerPixel"]
                self.v.xdotool("click", 4)
                self.v.wait_state(lambda t, u=upp: t["view"]["unitsPerPixel"] < u, "a wheel step")
            s = self.v.wait_state(lambda t: (fact(t, f"layer.dbState.{LAYER}") or "").startswith(
                "server unreachable: "), "the layer row to say the server is unreachable")
            s = self.v.settled()
            text = fact(s, f"layer.dbState.{LAYER}")
            print("row:", text)
            self.assertNotIn("password", text.lower())
            img = self.v.screenshot("db-unreachable")
            counties = count_county_pixels(img)
            print("county pixels while the server is down:", counties)
            # Between the points (which cover most of the map), the counties still draw.
            self.assertGreater(sum(counties.values()), 1000, f"the counties still draw: {counties}")
            self.assertGreaterEqual(sum(1 for n in counties.values() if n > 50), 3, f"the counties: {counties}")
            self.assertEqual(layer(s, "counties")["status"], "loaded")
            self.assertGreater(layer_pixels(img), 500, "the last rows stay drawn")
            views = num(s, "views")

            pg_ctl(self.pg, "start")
            # No input from here on: the back-off retries and recovers by itself.
            s = self.v.wait_state(lambda t: int(fact(t, f"db.{LAYER}.views", "0")) > views and
                                  fact(t, f"db.{LAYER}.state") == "" and
                                  not fact(t, f"layer.dbState.{LAYER}"), "the layer to recover by itself")
            after = layer(s, LAYER)
            self.assertEqual(after["visible"], before["visible"])
            self.assertEqual(after["drawIndex"], before["drawIndex"])
            self.assertEqual(after["status"], "loaded")
            self.v.settled()
            self.assertGreater(layer_pixels(self.v.screenshot("db-recovered")), 2000)

        self.run_case(case)

    def test_a_view_left_is_not_finished(self):
        generate_points(self.pg, "public.raw", 20000)
        # Every query on the layer's view waits 0.2 s on the server: a view of a dozen tiles
        # takes seconds, so the second view surely comes while the first is being read.
        self.pg.sql(DBNAME, "CREATE VIEW public.pts AS SELECT * FROM public.raw "
                            "WHERE (SELECT pg_sleep(0.2)) IS NOT NULL")

        def case():
            s = self.start(size="900x600")
            s = wait_views(self.v, 1, "the first view's tiles")
            s = self.v.settled()
            canvas = s["named"]["canvas"]
            at = (round((canvas[0] + canvas[2]) / 2), round((canvas[1] + canvas[3]) / 2))
            s = self.v.move_to(s, *at)
            views, cancelled, partials = num(s, "views"), num(s, "viewsCancelled"), num(s, "partials")
            planned, fetched = num(s, "tilesPlanned"), num(s, "tilesFetched")
            # View A: three steps in. It settles and its fetch starts ...
            for _ in range(3):
                upp = s["view"]["unitsPerPixel"]
                self.v.xdotool("click", 4)
                s = self.v.wait_state(lambda t, u=upp: t["view"]["unitsPerPixel"] < u, "a wheel step")
            s = self.v.wait_state(lambda t: num(t, "tilesPlanned") > planned and
                                  fact(t, f"db.{LAYER}.state") == "fetching", "view A's fetch to start")
            planned_a = num(s, "tilesPlanned") - planned
            # ... and view B, three more steps in, comes while A is read.
            for _ in range(3):
                upp = s["view"]["unitsPerPixel"]
                self.v.xdotool("click", 4)
                s = self.v.wait_state(lambda t, u=upp: t["view"]["unitsPerPixel"] < u, "a wheel step")
            read_a = num(s, "tilesFetched") - fetched  # what A had read when B came
            s = wait_views(self.v, views + 1, "view B's tiles")
            s = self.v.settled()
            planned_b = num(s, "tilesPlanned") - planned - planned_a
            read = num(s, "tilesFetched") - fetched
            print(f"view A planned {planned_a} tiles, view B {planned_b}; read {read}, {read_a} of them "
                  f"before B came; "
                  f"views {num(s, 'views') - views}, cancelled {num(s, 'viewsCancelled') - cancelled}")
            self.assertEqual(num(s, "views") - views, 1, "only view B finished")
            self.assertEqual(num(s, "viewsCancelled") - cancelled, 1, "view A was cancelled")
            # B (16 tiles, 0.4 s each) filled in progressively: tables before it was complete.
            self.assertGreaterEqual(num(s, "partials") - partials, 3, "view B did not fill in progressively")
            print("installing on the UI thread took at most", fact(s, "db.pollMsMax"), "ms")
            self.assertLess(read_a, planned_a, "view A was still being read when B came")
            # B's tiles, what A had read before B came, and the tile A had in flight then (or
            # began while B settled, 0.15 s; one more for a state file a frame behind): nothing
            # else of A.
            self.assertLessEqual(read, planned_b + read_a + 3)
            self.assertLess(read, planned_a + planned_b)

        self.run_case(case)

    def test_a_password_in_the_url_connects_and_is_never_shown(self):
        generate_points(self.pg, "public.pts", 20000)

        def case():
            # The reader must give its password over TCP (pg_fixture's pg_hba.conf).
            source = (f"postgresql://{READER}:{READER_PASSWORD}@127.0.0.1:{self.pg.port}/{DBNAME}"
                      f"?table=public.pts")
            s = self.start(source=source)
            s = wait_views(self.v, 1, "the first view's tiles, read as the reader")
            self.assertGreater(num(s, "lastViewRows"), 1000)
            s = self.v.settled()
            with open(self.v.state_path, encoding="utf-8") as f:
                state_text = f.read()
            self.assertNotIn(READER_PASSWORD, state_text, "the password is in the viewer's state")
            self.assertNotIn(READER_PASSWORD, self.v.log(), "the password is in the log")

        self.run_case(case)

    def test_a_wrong_password_fails_the_layer_with_libpqs_reason(self):
        generate_points(self.pg, "public.pts", 2000)

        def case():
            wrong = "Wr0ng-pa55"
            s = self.start(source=f"postgresql://{READER}:{wrong}@127.0.0.1:{self.pg.port}/{DBNAME}?table=public.pts")
            s = self.v.wait_state(lambda t: (fact(t, f"layer.dbState.{LAYER}") or "").startswith(
                "server unreachable: "), "the row to say why the reader cannot connect")
            text = fact(s, f"layer.dbState.{LAYER}")
            print("row:", text)
            self.assertIn("password authentication failed", text)
            # Never loaded: failed with the reason (and retried), the counties untouched.
            self.assertEqual(layer(s, LAYER)["status"], "failed")
            self.assertEqual(layer(s, "counties")["status"], "loaded")
            self.assertNotIn(wrong, text)
            with open(self.v.state_path, encoding="utf-8") as f:
                self.assertNotIn(wrong, f.read())
            self.assertNotIn(wrong, self.v.log())

        self.run_case(case)


if __name__ == "__main__":
    unittest.main(verbosity=2)

#!/usr/bin/env python3
"""A database layer's identify, tooltips, table and time filter asked of its server (issue 11
§2: host/DbAsker.h, io/DbAsk.h), against a real server (pg_fixture.py); the viewer's cases
under Xvfb (tests/ui/viewer_harness.py).

Sections: helpers · identify and tooltips · the attribute table

Cases:
  test_hovering_a_grid_cell_asks_the_server
      300k points drawn as grid cells (a count per cell, no attributes): the tooltip over
      them is the server's nearest row to the cursor, with all its attributes, and says how
      many rows lie under the cursor ("N 条 rows here"), never the cell's "n: 3".
  test_the_tooltip_says_so_while_the_server_answers
      every query on the layer waits 0.3 s on the server: the tooltip shows "…" (a frame is
      drawn while the question is out: no frame waits on the server), then the answer.
  test_cli_identify_reads_only_the_place
      `bcmap identify --lonlat` on a 200k-row table reads the rows around the place (the
      GiST index), not the table: the server sends fewer than a thousand rows, and the hit
      is the row at the place with its attributes.

  test_a_million_row_table_opens_at_once_and_pages_by_key
      the table window of a 1M-row table without a primary key: the first 200 rows (by
      ctid) within a second of opening it, "200 / ~1000000" (the planner's count); the wheel
      over it pages on (after the last row's key, not OFFSET), each page under 100 ms on the
      server and none scanning the table (a window of blocks, not ORDER BY ctid over all).
  test_sorting_and_filtering_run_on_the_server
      a table with a primary key: a header click sorts on the server (the first row is the
      server's ORDER BY kind, id); a filter `kind = k3 and id < 500` becomes a WHERE (the
      rows and their number are the server's); one SQL cannot say (`label > 5`, a text column
      against a number) is said to be unsupported for a database layer.

Usage: db_ask_test.py [DbAskTest.test_...]; BCMAP_BIN names the bcmap to run.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "ui"))

from pg_fixture import DBNAME, SUPERUSER, ServerTestCase  # noqa: E402
import viewer_harness  # noqa: E402
from viewer_harness import Failure, Viewer, centre_of, click_at, missing_tools, tools_verdict  # noqa: E402

LAYER = "file:public.pts"
BIN = os.environ.get("BCMAP_BIN", "bcmap")


# ---- helpers ---------------------------------------------------------------------------------
def make_points(server, table, n):
    """n points over Baicheng with a label and a kind (no column named n: a grid cell's count
    is n), the same every run, GiST-indexed."""
    server.sql(DBNAME, f"SELECT setseed(0.23); "
                       f"CREATE TABLE {table} AS SELECT i AS id, 'p' || i AS label, 'k' || (i % 7) AS kind, "
                       f"ST_SetSRID(ST_MakePoint(121.8 + 2.4 * random(), 44.3 + 1.9 * random()), 4326)"
                       f"::geometry(Point, 4326) AS geom FROM generate_series(1, {n}) i; "
                       f"CREATE INDEX ON {table} USING gist (geom); ANALYZE {table}")


def source_of(server, table="public.pts"):
    return f"postgresql://{SUPERUSER}@127.0.0.1:{server.port}/{DBNAME}?table={table}"


def fact(state, name, default=None):
    return state.get("facts", {}).get(name, default)


def nearest_label(server, table, lon, lat):
    return server.sql(DBNAME, f"SELECT label FROM {table} ORDER BY geom <-> "
                              f"ST_SetSRID(ST_MakePoint({float(lon)!r}, {float(lat)!r}), 4326) LIMIT 1").strip()


# ---- identify and tooltips --------------------------------------------------------------------
class DbAskTest(ServerTestCase):
    def start_viewer(self, table="public.pts"):
        code, message = tools_verdict(missing_tools())
        if code is not None:
            print(message, file=sys.stderr)
            sys.exit(code)
        self.work = tempfile.mkdtemp(prefix="bcdba")
        self.v = Viewer(os.path.abspath(BIN), self.work)
        self.addCleanup(self.v.stop)
        env = {"XDG_CACHE_HOME": os.path.join(self.work, "cache"),
               "XDG_STATE_HOME": os.path.join(self.work, "state"),
               "XDG_CONFIG_HOME": os.path.join(self.work, "config"),
               "BCMAP_DATA_DIR": os.environ.get("BCMAP_GEODATA", viewer_harness.GEODATA)}
        try:
            self.v.start([source_of(self.pg, table)], extra_env=env)
        except Failure as e:
            self.fail(f"{e}\nbcmap log:\n{self.v.log()}")

    def run_case(self, fn):
        """Runs a viewer case; its folder (screenshots, state, log) is kept only when it fails,
        or when BCMAP_KEEP_CASES is set (to look at the screenshots)."""
        try:
            fn()
        except Failure as e:
            self.fail(f"{e}\nbcmap log:\n{self.v.log()}\n(files in {self.work})")
        self.v.stop()
        if os.environ.get("BCMAP_KEEP_CASES"):
            print("kept:", self.work)
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    def first_view(self):
        self.v.wait_state(lambda s: int(fact(s, f"db.{LAYER}.views", "0")) >= 1 and
                          fact(s, f"db.{LAYER}.state") == "", "the first view's tiles")
        return self.v.settled()

    def hover_centre(self, s):
        canvas = s["named"]["canvas"]
        # A little off the exact centre: a place the counties' labels do not cover.
        at = (round((canvas[0] + canvas[2]) / 2) + 17, round((canvas[1] + canvas[3]) / 2) + 11)
        return self.v.move_to(s, *at)

    def test_hovering_a_grid_cell_asks_the_server(self):
        make_points(self.pg, "public.pts", 300000)

        def case():
            self.start_viewer()
            s = self.first_view()
            self.assertLess(int(fact(s, f"db.{LAYER}.lastViewRows")), 300000, "the view is drawn from grid cells")
            s = self.hover_centre(s)
            s = self.v.wait_state(lambda t: t["hover"]["layer"] == LAYER and t["hover"]["text"] not in ("", "…")
                                  and t["ui"]["tooltip"], "the tooltip of the database layer")
            s = self.v.settled()
            text = s["hover"]["text"]
            print("tooltip:", text.replace("\n", " / "))
            self.v.screenshot("db-ask-tooltip")
            lines = text.split("\n")
            self.assertRegex(lines[0], r"^\d+ 条 rows here$", "the count of rows under the cursor comes first")
            self.assertGreater(int(lines[0].split()[0]), 1)
            # The nearest row to the cursor, as the server has it, with every attribute.
            want = nearest_label(self.pg, "public.pts", s["cursor"]["lon"], s["cursor"]["lat"])
            self.assertIn(f"label: {want}", lines)
            self.assertIn(f"id: {want[1:]}", lines)
            self.assertTrue(any(x.startswith("kind: k") for x in lines), text)
            self.assertGreaterEqual(int(fact(s, f"db.{LAYER}.asksAnswered", "0")), 1)

        self.run_case(case)

    def test_the_tooltip_says_so_while_the_server_answers(self):
        make_points(self.pg, "public.raw", 20000)
        self.pg.sql(DBNAME, "CREATE VIEW public.pts AS SELECT * FROM public.raw "
                            "WHERE (SELECT pg_sleep(0.3)) IS NOT NULL")

        def case():
            self.start_viewer()
            s = self.first_view()
            s = self.hover_centre(s)
            s = self.v.wait_state(lambda t: t["hover"]["layer"] == LAYER and t["hover"]["text"] == "…"
                                  and t["ui"]["tooltip"], "the tooltip to say the answer is on its way")
            waiting_frame = s["frameCount"]
            self.v.screenshot("db-ask-waiting")
            s = self.v.wait_state(lambda t: t["hover"]["layer"] == LAYER and "label: p" in t["hover"]["text"],
                                  "the server's answer in the tooltip")
            print("tooltip:", s["hover"]["text"].replace("\n", " / "))
            self.assertGreater(s["frameCount"], waiting_frame, "the answer came in a later frame")
            want = nearest_label(self.pg, "public.raw", s["cursor"]["lon"], s["cursor"]["lat"])
            self.assertIn(f"label: {want}", s["hover"]["text"].split("\n"))

        self.run_case(case)

    def test_cli_identify_reads_only_the_place(self):
        make_points(self.pg, "public.pts", 200000)
        self.pg.sql(DBNAME, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        lon, lat = (float(x) for x in self.pg.sql(
            DBNAME, "SELECT ST_X(geom) || ',' || ST_Y(geom) FROM public.pts WHERE id = 4242").strip().split(","))
        self.pg.sql(DBNAME, "SELECT pg_stat_statements_reset()")
        p = subprocess.run([BIN, "identify", "--lonlat", f"{lon!r},{lat!r}", "--radius-m", "50", "--layers", "none",
                            "--json", source_of(self.pg)], capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        hits = json.loads(p.stdout)
        self.assertTrue(hits, p.stdout)
        self.assertEqual(hits[0]["layer"], LAYER)
        self.assertEqual(hits[0]["attributes"]["label"], "p4242")
        self.assertEqual(hits[0]["attributes"]["kind"], "k" + str(4242 % 7))
        sent = int(self.pg.sql(DBNAME, "SELECT coalesce(sum(rows), 0) FROM pg_stat_statements "
                                       "WHERE query ILIKE 'FETCH%'"))
        print("rows the server sent for identify:", sent)
        self.assertLess(sent, 1000, "identify read the table, not the place")


    # ---- the attribute table --------------------------------------------------------------------
    def open_table(self, s):
        click_at(self.v, s, s["named"][f"table.open.{LAYER}"])
        return self.v.wait_state(lambda t: int(fact(t, f"table.{LAYER}.db.rows", "0")) > 0,
                                 "the database table's first page")

    def test_a_million_row_table_opens_at_once_and_pages_by_key(self):
        make_points(self.pg, "public.pts", 1000000)
        self.pg.sql(DBNAME, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")

        def case():
            self.start_viewer()
            s = self.first_view()
            self.pg.sql(DBNAME, "SELECT pg_stat_statements_reset()")
            scanned = int(self.pg.sql(DBNAME, "SELECT seq_tup_read FROM pg_stat_user_tables WHERE relname = 'pts'"))
            s = self.open_table(s)
            s = self.v.settled()
            ms = int(fact(s, f"table.{LAYER}.db.firstPageMs"))
            print(f"first page in {ms} ms; count {fact(s, f'table.{LAYER}.count')}")
            self.v.screenshot("db-table-first-page")
            self.assertLess(ms, 1000, "the first page of a 1M-row table within a second")
            self.assertEqual(fact(s, f"table.{LAYER}.db.key"), "ctid")
            self.assertEqual(fact(s, f"table.{LAYER}.count"), "200 / ~1000000")
            # The first row in key order is the table's first row.
            first = fact(s, f"table.{LAYER}.db.first").split("\t")
            self.assertEqual(first[:3], ["1", "p1", "k1"])
            # The wheel over the rows pages on.
            win = s["named"][f"table.{LAYER}.window"]
            self.v.move_to(s, round((win[0] + win[2]) / 2), round(win[1] + (win[3] - win[1]) * 0.6))
            for _ in range(40):
                self.v.xdotool("click", 5)
            s = self.v.wait_state(lambda t: int(fact(t, f"table.{LAYER}.db.rows", "0")) >= 400,
                                  "the next page after scrolling")
            s = self.v.settled()
            self.v.screenshot("db-table-scrolled")
            pages = self.pg.sql(DBNAME, "SELECT sum(calls) || ' ' || sum(rows) || ' ' || round(sum(total_exec_time)) "
                                        "FROM pg_stat_statements WHERE query LIKE '%AS bcmap_k,%'")
            print("page statements (calls rows ms):", pages, "; rows paged in:", fact(s, f"table.{LAYER}.db.rows"))
            calls, rows, total_ms = (int(float(x)) for x in pages.split())
            self.assertLessEqual(rows, calls * 201)
            self.assertLess(total_ms / calls, 100, "a page takes under 100 ms on the server")
            # No page scanned the table (ORDER BY ctid alone sorts all of it: a window of blocks).
            scanned = int(self.pg.sql(DBNAME, "SELECT seq_tup_read FROM pg_stat_user_tables "
                                              "WHERE relname = 'pts'")) - scanned
            print("rows scanned sequentially while paging:", scanned)
            self.assertLess(scanned, 10000, "a page scanned the table")

        self.run_case(case)

    def test_sorting_and_filtering_run_on_the_server(self):
        make_points(self.pg, "public.pts", 20000)
        self.pg.sql(DBNAME, "ALTER TABLE public.pts ADD PRIMARY KEY (id)")

        def case():
            self.start_viewer()
            s = self.first_view()
            s = self.open_table(s)
            self.assertEqual(fact(s, f"table.{LAYER}.db.key"), "id")
            # Sort by label on the server.
            self.assertTrue(fact(s, f"table.{LAYER}.db.first").startswith("1\t"), "key order first")
            # Sort by kind on the server: the first row is the server's ORDER BY kind, id (not id 1,
            # whose kind is k1).
            s = self.v.settled()
            click_at(self.v, s, s["named"][f"table.{LAYER}.header.kind"])
            want = self.pg.sql(DBNAME, "SELECT id || E'\\t' || label FROM public.pts ORDER BY kind, id LIMIT 1")
            s = self.v.wait_state(lambda t: "\t".join(fact(t, f"table.{LAYER}.db.first", "").split("\t")[:2]) == want,
                                  f"the first row sorted by kind to be {want!r}")
            # A filter as a WHERE.
            click_at(self.v, s, s["named"][f"table.{LAYER}.filter"])
            self.v.xdotool("type", "--delay", 20, "kind = k3 and id < 500")
            n = int(self.pg.sql(DBNAME, "SELECT count(*) FROM public.pts WHERE kind = 'k3' AND id < 500"))
            s = self.v.wait_state(lambda t: fact(t, f"table.{LAYER}.count") == f"{n} / {n}",
                                  f"the filtered rows ({n}) from the server")
            s = self.v.settled()
            self.v.screenshot("db-table-filtered")
            self.assertIn("\tk3", fact(s, f"table.{LAYER}.db.first"))
            # One SQL cannot say.
            self.v.xdotool("key", "ctrl+a")
            self.v.xdotool("type", "--delay", 20, "label > 5")
            s = self.v.wait_state(lambda t: "not supported for a database layer" in (fact(t, f"table.{LAYER}.error") or ""),
                                  "the filter to be said unsupported")
            print("error:", fact(s, f"table.{LAYER}.error"))

        self.run_case(case)


if __name__ == "__main__":
    unittest.main(verbosity=2)

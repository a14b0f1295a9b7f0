#!/usr/bin/env python3
"""A database layer's time filter pushed down as SQL (issue 11 §2): `bcmap render --bbox …
--time DAY` of a PostGIS table with a date column draws what the same rows read from a
GeoPackage draw on that day, and the day reaches the server as a parameter of the read (the
table is not read whole and filtered here). Run by CTest one test at a time
(db.DbTimeTest.<name>, label db); the server is pg_fixture.py's.
"""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "cli"))
import pg_fixture  # noqa: E402
from db_test import clearly_differing_pixels, run  # noqa: E402
from db_viewer_test import DbViewerTest, layer_pixels, num, wait_views  # noqa: E402

N = 4000
DAY = "2017-06-01"
BBOX = "121.6,44.1,124.4,46.4"


def write_dated_points(path, n):
    """n points over Baicheng, each with a start date in 2015–2020 and every third with an
    end date a year later, the same every run (a linear congruential generator)."""
    state, feats = 7, []
    for i in range(n):
        vals = []
        for _ in range(3):
            state = (state * 1103515245 + 12345) % 2**31
            vals.append(state / 2**31)
        year, month = 2015 + int(vals[2] * 6), 1 + (i % 12)
        end = f'"{year + 1}-{month:02d}-15"' if i % 3 == 0 else "null"
        feats.append('{"type":"Feature","properties":{"n":%d,"date":"%d-%02d-15","end_date":%s},'
                     '"geometry":{"type":"Point","coordinates":[%.6f,%.6f]}}'
                     % (i, year, month, end, 121.8 + 2.4 * vals[0], 44.3 + 1.9 * vals[1]))
    with open(path, "w") as f:
        f.write('{"type":"FeatureCollection","features":[\n' + ",\n".join(feats) + "\n]}\n")


class DbTimeTest(pg_fixture.ServerTestCase):
    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def render(self, name, source, *extra):
        out = os.path.join(self.tmp.name, name)
        rc, _, err = run("render", "--layers", "none", source, "--out", out, "--size", "640x480",
                         "--bbox", BBOX, *extra)
        self.assertEqual(rc, 0, err)
        return out

    def test_the_day_is_a_parameter_of_the_read_and_the_picture_is_the_files(self):
        geojson = os.path.join(self.tmp.name, "dated.geojson")
        gpkg = os.path.join(self.tmp.name, "dated.gpkg")
        write_dated_points(geojson, N)
        p = subprocess.run(["ogr2ogr", "-f", "GPKG", gpkg, geojson, "-nln", "dated"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.pg.load(geojson, "public.dated")
        self.assertEqual(self.pg.sql(pg_fixture.DBNAME, "SELECT data_type FROM information_schema.columns "
                                                        "WHERE table_name = 'dated' AND column_name = 'date'"), "date")
        url = f"postgresql://{pg_fixture.SUPERUSER}@127.0.0.1:{self.pg.port}/{pg_fixture.DBNAME}?table=public.dated"
        self.pg.sql(pg_fixture.DBNAME, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        for mode in (("--time-mode", "span"), ("--time-mode", "cumulative"),
                     ("--time-mode", "window", "--window-days", "200")):
            self.pg.sql(pg_fixture.DBNAME, "SELECT pg_stat_statements_reset()")
            from_db = self.render(f"db_{mode[1]}.png", url, "--time", DAY, *mode)
            from_file = self.render(f"file_{mode[1]}.png", gpkg, "--time", DAY, *mode)
            bad, total = clearly_differing_pixels(from_file, from_db)
            print(f"{mode[1]}: {bad} of {total} pixels differ by more than 8/255", file=sys.stderr)
            self.assertLessEqual(bad, total * 0.005, f"{mode[1]}: the table's picture is not the file's")
            # The day did something: the picture of every day is another.
            every = self.render(f"file_all_{mode[1]}.png", gpkg)
            self.assertGreater(clearly_differing_pixels(every, from_file)[0], total * 0.01, mode[1])
            # The read that fetched the rows had the day as its parameter ($n::date) and
            # fetched only the rows of that day, not the table.
            reads = self.pg.sql(pg_fixture.DBNAME,
                                "SELECT rows FROM pg_stat_statements WHERE query ILIKE 'SELECT * FROM%dated%' "
                                "AND query ~ '[$][0-9]+::date'")
            self.assertTrue(reads, f"{mode[1]}: no read of the table with the day as a parameter")
            self.assertTrue(all(0 < int(r) < N for r in reads.split()), f"{mode[1]}: rows read: {reads}")
            whole = self.pg.sql(pg_fixture.DBNAME, "SELECT count(*) FROM pg_stat_statements "
                                                   "WHERE query ILIKE 'FETCH%' OR rows >= " + str(N))
            self.assertEqual(whole, "0", f"{mode[1]}: the whole table was read")
            self.assertNotIn(DAY, self.pg.sql(pg_fixture.DBNAME, "SELECT string_agg(query, ' ') FROM pg_stat_statements"))

    def test_a_dense_table_is_aggregated_for_the_day_without_its_overviews(self):
        """A table too dense for its rows (a live grid) counts only the day's rows; its
        overviews, which count every row, are not read while a day is chosen, and are read
        again for every day (no --time)."""
        n = 200000
        self.pg.sql(pg_fixture.DBNAME,
                    "SELECT setseed(0.3); CREATE TABLE public.dense AS SELECT i AS n, "
                    "date '2015-01-01' + (random() * 2190)::integer AS date, "
                    "ST_SetSRID(ST_MakePoint(121.8 + 2.4 * random(), 44.3 + 1.9 * random()), 4326)"
                    "::geometry(Point, 4326) AS geom FROM generate_series(1, %d) i; "
                    "CREATE INDEX ON public.dense USING gist (geom); ANALYZE public.dense" % n)
        url = f"postgresql://{pg_fixture.SUPERUSER}@127.0.0.1:{self.pg.port}/{pg_fixture.DBNAME}?table=public.dense"
        rc, _, err = run("db", "prepare", url, timeout=900)
        self.assertEqual(rc, 0, err)
        self.pg.sql(pg_fixture.DBNAME, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")

        def overviews_read():
            return self.pg.sql(pg_fixture.DBNAME, "SELECT count(*) FROM pg_stat_statements "
                                                  "WHERE query ~ 'ov_[0-9a-f]{16}_[0-9]' AND query NOT LIKE '%INSERT%' "
                                                  "AND query NOT LIKE '%CREATE%'") != "0"

        self.pg.sql(pg_fixture.DBNAME, "SELECT pg_stat_statements_reset()")
        self.render("dense_day.png", url, "--time", DAY)
        self.assertFalse(overviews_read(), "the overviews were read while a day was chosen")
        grid = self.pg.sql(pg_fixture.DBNAME, "SELECT count(*) FROM pg_stat_statements WHERE query ILIKE "
                                              "'%count(*)::bigint AS n%' AND query ~ '[$][0-9]+::date'")
        self.assertEqual(grid, "1", "the live grid did not count the day's rows with the day as a parameter")
        self.pg.sql(pg_fixture.DBNAME, "SELECT pg_stat_statements_reset()")
        self.render("dense_all.png", url)
        self.assertTrue(overviews_read(), "without a day the overviews were not read")


class DbTimeViewerTest(DbViewerTest):
    """The viewer with a dated PostGIS table (public.pts, 3000 rows, a start date each): the
    time bar shows; a day on the slider is read from the server for that day (fewer rows,
    the day a parameter); 全部 All brings every row back."""

    def test_the_slider_day_is_read_from_the_server(self):
        self.pg.sql(pg_fixture.DBNAME,
                    "SELECT setseed(0.5); CREATE TABLE public.pts AS SELECT i AS n, "
                    "date '2015-01-01' + (random() * 2190)::integer AS date, "
                    "ST_SetSRID(ST_MakePoint(122.0 + 2.0 * random(), 44.5 + 1.5 * random()), 4326)"
                    "::geometry(Point, 4326) AS geom FROM generate_series(1, 3000) i; "
                    "CREATE INDEX ON public.pts USING gist (geom); ANALYZE public.pts; "
                    "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        sys.path.insert(0, os.path.join(HERE, "..", "ui"))
        from viewer_cases_time import drag_time_slider, x_of_day

        def case():
            self.start()
            s = wait_views(self.v, 1, "the first view's tiles")
            s = self.v.wait_state(lambda st: st["time"]["shown"] and st["time"]["slider"], "the time bar")
            s = self.v.settled()
            every_rows = num(s, "lastViewRows")
            every_px = layer_pixels(self.v.screenshot("db-time-all"))
            print(f"All: {every_rows} rows, {every_px} layer pixels")
            self.assertGreater(every_rows, 2000)
            self.pg.sql(pg_fixture.DBNAME, "SELECT pg_stat_statements_reset()")
            views = num(s, "views")
            t = s["time"]
            drag_time_slider(self.v, s, round(x_of_day(t, "2016-01-01")))
            s = wait_views(self.v, views + 1, "the day's tiles")
            s = self.v.settled()
            day_rows = num(s, "lastViewRows")
            day_px = layer_pixels(self.v.screenshot("db-time-day"))
            print(f"{s['time']['day']}: {day_rows} rows, {day_px} layer pixels")
            self.assertLess(day_rows, every_rows * 0.4, "the day's view holds only the rows started by then")
            self.assertLess(day_px, every_px * 0.6)
            reads = self.pg.sql(pg_fixture.DBNAME, "SELECT count(*) FROM pg_stat_statements "
                                                   "WHERE query ILIKE '%pts%' AND query ~ '[$][0-9]+::date'")
            self.assertNotEqual(reads, "0", "no read had the day as a parameter")
            views = num(s, "views")
            self.v.move_to(s, *[round(c) for c in ((s["time"]["allToggle"][0] + s["time"]["allToggle"][2]) / 2,
                                                   (s["time"]["allToggle"][1] + s["time"]["allToggle"][3]) / 2)])
            self.v.xdotool("click", 1)
            s = wait_views(self.v, views + 1, "All's tiles")
            s = self.v.settled()
            self.assertEqual(num(s, "lastViewRows"), every_rows, "All shows every row again")

        self.run_case(case)


if __name__ == "__main__":
    unittest.main()

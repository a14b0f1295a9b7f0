"""A real PostgreSQL 15 + PostGIS 3 server for the db tests, in a temporary folder.

Sections: finding the server · PgServer (start, SQL, loading, stop) · two servers
(a table partitioned across them) · the test base class

initdb refuses to run as root: as root every server command runs as the `postgres` user
through `runuser -u postgres --`, in a folder that user owns. The unix socket lives in a
short /tmp folder (socket paths are limited to 107 bytes); the server also listens on
127.0.0.1 at a free port. `stop()` (pg_ctl stop -m fast, then the folder removed) runs from
tearDown / addCleanup, so it runs when a test fails too.

When the server cannot start, a test fails with the reason when CI is set; otherwise it is
skipped with the reason and exits 77 (CTest shows it as skipped, not passed).
"""
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

# ---- finding the server ---------------------------------------------------------------
SUPERUSER = "bcmap"          # the cluster's superuser: trusted on the socket and 127.0.0.1
READER = "reader"            # a role that must give a password over TCP
READER_PASSWORD = "pw-Zq7-s3cret"
DBNAME = "bcmap"


def pg_bin_dir():
    """The newest installed PostgreSQL server's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def free_port():
    """A 127.0.0.1 port nothing listens on (bound a moment, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerUnavailable(Exception):
    pass


# ---- PgServer -------------------------------------------------------------------------
class PgServer:
    def __init__(self):
        self.base = None
        self.port = None
        self.bin = pg_bin_dir()
        self.as_root = os.geteuid() == 0

    def _server_cmd(self, args):
        return (["runuser", "-u", "postgres", "--"] if self.as_root else []) + args

    def _run_server(self, args, what):
        p = subprocess.run(self._server_cmd(args), capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            raise ServerUnavailable(f"{what} failed (exit {p.returncode}): {p.stderr.strip() or p.stdout.strip()}")
        return p

    @property
    def socket_dir(self):
        return self.base

    def start(self):
        if self.bin is None:
            raise ServerUnavailable("no PostgreSQL server installed (initdb not found; "
                                    "tools/setup-deps.sh installs postgresql-15 and postgresql-15-postgis-3)")
        # Short: the socket path <dir>/.s.PGSQL.<port> must stay under 107 bytes.
        self.base = tempfile.mkdtemp(prefix="bcpg", dir="/tmp")
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
        data = os.path.join(self.base, "data")
        self._run_server([os.path.join(self.bin, "initdb"), "-D", data, "-U", SUPERUSER,
                          "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], "initdb")
        with open(os.path.join(data, "pg_hba.conf"), "w") as f:
            # The reader must give its password over TCP; everything else is trusted.
            f.write(f"local all all trust\n"
                    f"host all {READER} 127.0.0.1/32 scram-sha-256\n"
                    f"host all all 127.0.0.1/32 trust\n")
        self.port = free_port()
        opts = (f"-k {self.base} -p {self.port} -c listen_addresses=127.0.0.1 "
                f"-c fsync=off -c shared_buffers=128MB -c shared_preload_libraries=pg_stat_statements")
        p = subprocess.run(self._server_cmd([os.path.join(self.bin, "pg_ctl"), "-D", data, "-o", opts,
                                             "-l", os.path.join(self.base, "log"), "-w", "-t", "60", "start"]),
                           capture_output=True, text=True, timeout=90)
        if p.returncode != 0:
            log = ""
            try:
                with open(os.path.join(self.base, "log")) as f:
                    log = f.read()[-2000:]
            except OSError:
                pass
            raise ServerUnavailable(f"pg_ctl start failed (exit {p.returncode}): {p.stderr.strip()}\n{log}")
        self.sql("postgres", f"CREATE DATABASE {DBNAME}")
        self.sql(DBNAME, "CREATE EXTENSION postgis")
        self.sql(DBNAME, f"CREATE ROLE {READER} LOGIN PASSWORD '{READER_PASSWORD}'")
        self.sql(DBNAME, f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER}; "
                         f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {READER}")

    def halt(self):
        """Stops the server (pg_ctl stop -m fast: sessions are ended) and keeps its folder."""
        data = os.path.join(self.base, "data")
        p = subprocess.run(self._server_cmd([os.path.join(self.bin, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"]),
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise ServerUnavailable(f"pg_ctl stop failed (exit {p.returncode}): {p.stderr.strip()}")

    def stop(self):
        if self.base is None:
            return
        data = os.path.join(self.base, "data")
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            subprocess.run(self._server_cmd([os.path.join(self.bin, "pg_ctl"), "-D", data, "-m", "fast",
                                             "-w", "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(self.base, ignore_errors=True)
        self.base = None

    def psql(self, db, sql):
        """Runs SQL as the superuser over the socket; returns (exit code, stdout, stderr)."""
        p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.base,
                            "-p", str(self.port), "-U", SUPERUSER, "-d", db, "-c", sql],
                           capture_output=True, text=True, timeout=900)
        return p.returncode, p.stdout, p.stderr

    def sql(self, db, sql):
        rc, out, err = self.psql(db, sql)
        if rc != 0:
            raise ServerUnavailable(f"SQL failed: {sql}: {err.strip()}")
        return out.strip()

    def gdal_conn(self, user=SUPERUSER, host="127.0.0.1"):
        return f"PG:host={host} port={self.port} dbname={DBNAME} user={user}"

    def load(self, path, table):
        """Loads a vector file with ogr2ogr into `table` (schema.name), field names kept."""
        p = subprocess.run(["ogr2ogr", "-f", "PostgreSQL", self.gdal_conn(), path, "-nln", table,
                            "-lco", "LAUNDER=NO", "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST"],
                           capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            raise ServerUnavailable(f"ogr2ogr into {table} failed: {p.stderr.strip()}")


def generate_points(server, table, n, seed=0.11):
    """n points over Baicheng made on the server (generate_series: 10M rows in seconds, where
    ogr2ogr from a file takes minutes), the same every run (setseed), GiST-indexed."""
    server.sql(DBNAME, f"SELECT setseed({seed}); "
                       f"CREATE TABLE {table} AS SELECT i AS n, 'k' || (i % 7) AS kind, "
                       f"ST_SetSRID(ST_MakePoint(121.8 + 2.4 * random(), 44.3 + 1.9 * random()), 4326)"
                       f"::geometry(Point, 4326) AS geom FROM generate_series(1, {n}) i; "
                       f"CREATE INDEX ON {table} USING gist (geom); ANALYZE {table}")


def write_points_geojson(path, n, seed=11):
    """n points over Baicheng, the same every run (a linear congruential generator)."""
    state = seed
    feats = []
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2**31
        x = 121.8 + 2.4 * (state / 2**31)
        state = (state * 1103515245 + 12345) % 2**31
        y = 44.3 + 1.9 * (state / 2**31)
        feats.append('{"type":"Feature","properties":{"n":%d,"kind":"k%d"},'
                     '"geometry":{"type":"Point","coordinates":[%.6f,%.6f]}}' % (i, i % 7, x, y))
    with open(path, "w") as f:
        f.write('{"type":"FeatureCollection","features":[\n' + ",\n".join(feats) + "\n]}\n")


# ---- two servers ------------------------------------------------------------------------
def partition_across(local, remote, table, columns, source, split_column, split_at):
    """`table` on `local`, partitioned declaratively by range of `split_column`: rows below
    `split_at` in a local partition, the rest in a postgres_fdw foreign partition whose rows
    live on `remote` (the shape of a sharded deployment). The foreign server names
    `extensions 'postgis'`, so PostGIS operators and functions in a filter are shipped to the
    remote server instead of being applied after every row crossed the wire. `columns` is
    the column list ("n int, geom geometry(Point, 4326)"; the geometry column is `geom`); the
    rows come from `source`, a table on `local` with those columns. Partition names:
    <table>_local, <table>_remote."""
    schema, name = table.split(".") if "." in table else ("public", table)
    remote.sql(DBNAME, f"CREATE TABLE {schema}.{name}_remote ({columns}); "
                       f"GRANT SELECT ON {schema}.{name}_remote TO {READER}")
    local.sql(DBNAME, "CREATE EXTENSION IF NOT EXISTS postgres_fdw")
    local.sql(DBNAME, f"CREATE SERVER IF NOT EXISTS shard_b FOREIGN DATA WRAPPER postgres_fdw OPTIONS "
                      f"(host '127.0.0.1', port '{remote.port}', dbname '{DBNAME}', extensions 'postgis', "
                      f"fetch_size '10000')")
    # The superuser maps to the remote superuser (trusted over 127.0.0.1).
    local.sql(DBNAME, f"CREATE USER MAPPING IF NOT EXISTS FOR {SUPERUSER} SERVER shard_b OPTIONS (user '{SUPERUSER}')")
    local.sql(DBNAME, f"CREATE TABLE {schema}.{name} ({columns}) PARTITION BY RANGE ({split_column}); "
                      f"CREATE TABLE {schema}.{name}_local PARTITION OF {schema}.{name} "
                      f"FOR VALUES FROM (MINVALUE) TO ({split_at}); "
                      f"CREATE FOREIGN TABLE {schema}.{name}_remote PARTITION OF {schema}.{name} "
                      f"FOR VALUES FROM ({split_at}) TO (MAXVALUE) SERVER shard_b "
                      f"OPTIONS (schema_name '{schema}', table_name '{name}_remote')")
    # Routed by the partition key: the remote rows are INSERTed through postgres_fdw.
    local.sql(DBNAME, f"INSERT INTO {schema}.{name} SELECT * FROM {source}")
    local.sql(DBNAME, f"CREATE INDEX ON {schema}.{name}_local USING gist (geom); ANALYZE {schema}.{name}")
    remote.sql(DBNAME, f"CREATE INDEX ON {schema}.{name}_remote USING gist (geom); "
                       f"ANALYZE {schema}.{name}_remote")


# ---- the test base class ----------------------------------------------------------------
def _unavailable(test, e):
    message = f"the PostgreSQL test server cannot start: {e}"
    if os.environ.get("CI"):
        test.fail(message)
    print(f"SKIPPED: {message}", file=sys.stderr)
    sys.stderr.flush()
    os._exit(77)  # CTest's SKIP_RETURN_CODE: shown as skipped, never as passed


class ServerTestCase(unittest.TestCase):
    """Starts a server before each test and stops it after (also when the test fails);
    start_another_server() starts a second one for the test (stopped the same way)."""

    def setUp(self):
        self.pg = PgServer()
        self.addCleanup(self.pg.stop)
        try:
            self.pg.start()
        except (ServerUnavailable, OSError, subprocess.SubprocessError) as e:
            self.pg.stop()
            _unavailable(self, e)

    def start_another_server(self):
        """A second cluster of its own (its own folder, socket and port), PostGIS in it."""
        other = PgServer()
        self.addCleanup(other.stop)
        try:
            other.start()
        except (ServerUnavailable, OSError, subprocess.SubprocessError) as e:
            other.stop()
            _unavailable(self, e)
        return other

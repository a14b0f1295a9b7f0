// DbSource: both spellings of a database source, the redacted form, and the line between a
// database source and a file whose name merely looks like one.
#include "io/DbSource.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "io/NetworkGuard.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

// What connectionInfo() adds to every connection by default (DbSource.h: bounded waits).
const std::string kLimits = " connect_timeout=10 options='-c statement_timeout=60000'";

TEST(DbSourceTest, ParsesGdalsPgForm) {
  std::string err;
  auto s = parseDbSource("PG:\"dbname=bcmap host=db.example port=5433 tables=survey.households\"", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->param("dbname"), "bcmap");
  EXPECT_EQ(s->param("host"), "db.example");
  EXPECT_EQ(s->param("port"), "5433");
  EXPECT_EQ(s->schema, "survey");
  EXPECT_EQ(s->table, "households");
  // tables= is GDAL's, not libpq's: it never reaches the connection string.
  EXPECT_EQ(s->connectionInfo(), "dbname=bcmap host=db.example port=5433" + kLimits);
  // Without a schema: public. Quoted values keep their spaces.
  s = parseDbSource("PG:dbname='my db' tables=pois", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->param("dbname"), "my db");
  EXPECT_EQ(s->tableName(), "public.pois");
  EXPECT_EQ(s->connectionInfo(), "dbname='my db'" + kLimits);
}

TEST(DbSourceTest, ParsesTheUrlFormAndTakesTheTableOff) {
  std::string err;
  auto s = parseDbSource("postgresql://ana@10.0.0.5:6543/county?table=gis.villages&sslmode=disable", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->param("user"), "ana");
  EXPECT_EQ(s->param("host"), "10.0.0.5");
  EXPECT_EQ(s->param("port"), "6543");
  EXPECT_EQ(s->param("dbname"), "county");
  EXPECT_EQ(s->param("sslmode"), "disable");
  EXPECT_EQ(s->tableName(), "gis.villages");
  // libpq rejects unknown parameters: `table` is not in what it sees.
  EXPECT_EQ(s->connectionInfo().find("table"), std::string::npos) << s->connectionInfo();
  // A unix socket folder, %-encoded; postgres:// too.
  s = parseDbSource("postgres://%2Ftmp%2Fpg:5432/bcmap?table=t", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->param("host"), "/tmp/pg");
  EXPECT_EQ(s->tableName(), "public.t");
  // No table: a clear error.
  EXPECT_FALSE(parseDbSource("postgresql://h/db", &err));
  EXPECT_NE(err.find("no table"), std::string::npos) << err;
}

TEST(DbSourceTest, ThePasswordIsRedactedEverywhereButTheConnection) {
  std::string err;
  auto s = parseDbSource("postgresql://ana:s%40cret-Qx@dbhost:5432/county?table=gis.villages", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->param("password"), "s@cret-Qx");
  const std::string shown = rememberDbPassword(*s);
  EXPECT_EQ(shown, "postgresql://ana:***@dbhost:5432/county?table=gis.villages");
  // The redacted form parses again and connects with the remembered password.
  auto again = parseDbSource(shown, &err);
  ASSERT_TRUE(again) << err;
  EXPECT_NE(again->connectionInfo().find("password=s@cret-Qx"), std::string::npos);
  // Messages from GDAL or libpq lose it, plain or %-encoded.
  EXPECT_EQ(redactDbPasswords("auth failed for s@cret-Qx (s%40cret-Qx)"), "auth failed for *** (***)");
  // The PG: form too.
  s = parseDbSource("PG:host=h2 dbname=d user=u password='p w' tables=a.b", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(rememberDbPassword(*s), "PG:host=h2 dbname=d user=u password=*** tables=a.b");
  // A password nobody remembered is left out: libpq asks ~/.pgpass, the service file, PGPASSWORD.
  s = parseDbSource("PG:host=h3 dbname=d password=*** tables=a.b", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->connectionInfo(), "host=h3 dbname=d" + kLimits);
}

TEST(DbSourceTest, EveryConnectionHasATimeoutToConnectAndAStatementTimeout) {
  std::string err;
  auto s = parseDbSource("PG:host=h dbname=d tables=t", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->connectionInfo(), "host=h dbname=d" + kLimits);
  // The source's own connect_timeout wins; its options keep theirs and gain the limit...
  s = parseDbSource("PG:host=h connect_timeout=3 options='-c search_path=gis' tables=t", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->connectionInfo(), "host=h connect_timeout=3 options='-c search_path=gis -c statement_timeout=60000'");
  // ... unless they set a statement_timeout of their own.
  s = parseDbSource("PG:host=h options='-c statement_timeout=5' tables=t", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->connectionInfo(), "host=h options='-c statement_timeout=5' connect_timeout=10");
  // libpq's environment is kept: PGCONNECT_TIMEOUT is libpq's to use, PGOPTIONS stays in the
  // options, and a service's own options are not overridden.
  setenv("PGCONNECT_TIMEOUT", "4", 1);
  setenv("PGOPTIONS", "-c search_path=gis", 1);
  s = parseDbSource("PG:host=h tables=t", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->connectionInfo(), "host=h options='-c search_path=gis -c statement_timeout=60000'");
  unsetenv("PGCONNECT_TIMEOUT");
  unsetenv("PGOPTIONS");
  s = parseDbSource("PG:service=county tables=t", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->connectionInfo(), "service=county connect_timeout=10");
  // No limit when set so (db prepare lifts the statement limit).
  const DbTimeouts before = dbTimeouts();
  setDbTimeouts({5, 0});
  s = parseDbSource("PG:host=h tables=t", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->connectionInfo(), "host=h connect_timeout=5");
  setDbTimeouts(before);
}

TEST(DbSourceTest, TableNamesAreQuotedIdentifiers) {
  EXPECT_EQ(quoteSqlIdentifier("villages"), "\"villages\"");
  EXPECT_EQ(quoteSqlIdentifier("x\"; DROP TABLE y; --"), "\"x\"\"; DROP TABLE y; --\"");
  std::string err;
  auto s = parseDbSource("postgresql://h/db?table=x%22%3B%20DROP%20TABLE%20y%3B%20--", &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->quotedTable(), "\"public\".\"x\"\"; DROP TABLE y; --\"");
}

TEST(DbSourceTest, AFileThatLooksLikeADatabaseSourceIsAFile) {
  EXPECT_TRUE(looksLikeDbSource("PG:dbname=x tables=t"));
  EXPECT_TRUE(looksLikeDbSource("postgresql://h/db?table=t"));
  EXPECT_FALSE(looksLikeDbSource("villages.gpkg"));
  EXPECT_FALSE(looksLikeDbSource("/data/PG:x"));
  const fs::path dir = fs::temp_directory_path() / ("bcmap_dbsource_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  EXPECT_TRUE(isDbSource("PG:x", dir.string()));
  std::ofstream(dir / "PG:x") << "{}";
  EXPECT_FALSE(isDbSource("PG:x", dir.string()));
  // In the current folder too.
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  EXPECT_FALSE(isDbSource("PG:x"));
  EXPECT_TRUE(isDbSource("PG:y"));
  fs::current_path(before);
  fs::remove_all(dir);
}

TEST(DbSourceTest, OnlyHostsTheUserNamedAreAllowed) {
  std::string err, why;
  auto mine = parseDbSource("postgresql://u@db.allowed:5433/d?table=t", &err);
  auto other = parseDbSource("postgresql://u@db.allowed:5434/d?table=t", &err);
  ASSERT_TRUE(mine && other) << err;
  EXPECT_FALSE(checkDbSource(*mine, &why));
  allowDbSource(*mine);
  auto pinned = checkDbSource(*mine, &why);
  ASSERT_TRUE(pinned) << why;
  EXPECT_FALSE(checkDbSource(*other, &why));
  EXPECT_NE(why.find("db.allowed:5434"), std::string::npos) << why;
  // A database source never opens HTTP.
  EXPECT_FALSE(networkAllowed());
}

}  // namespace
}  // namespace bcmap

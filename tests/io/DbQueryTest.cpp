// DbQueryTest: the SQL text of per-view database reads and overviews (io/DbQuery.h): names
// reach it only as quoted identifiers, numbers only as bcmap formatted them.
#include "io/DbQuery.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>

namespace bcmap {
namespace {

TEST(DbQueryTest, NumbersReadBackExactlyAndNothingElseIsANumber) {
  for (double v : {0.0, -1.5, 123.456789012345678, 1e-300, 0.1 + 0.2, -121.87654321})
    EXPECT_EQ(std::strtod(sqlNumber(v).c_str(), nullptr), v) << sqlNumber(v);
  EXPECT_EQ(sqlNumber(std::numeric_limits<double>::quiet_NaN()), "NULL");
  EXPECT_EQ(sqlNumber(std::numeric_limits<double>::infinity()), "NULL");
}

TEST(DbQueryTest, IdentifiersAreQuotedInEveryStatement) {
  DbTableInfo info;
  info.geomColumn = "g\"; DROP TABLE y; --";
  info.srid = 4326;
  info.type = "POINT";
  const Bounds box{121.5, 44.0, 124.5, 46.5};
  const std::string table = quoteSqlIdentifier("s\"x") + "." + quoteSqlIdentifier("t");
  for (const std::string& sql : {boxReadSql(table, info, box), liveGridSql(table, info, box, 0.01)}) {
    EXPECT_NE(sql.find("\"g\"\"; DROP TABLE y; --\""), std::string::npos) << sql;
    EXPECT_NE(sql.find("\"s\"\"x\".\"t\""), std::string::npos) << sql;
    EXPECT_NE(sql.find("ST_MakeEnvelope(121.5, 44, 124.5, 46.5, 4326)"), std::string::npos) << sql;
  }
  EXPECT_NE(boxReadSql(table, info, box).find("ORDER BY tableoid, ctid"), std::string::npos);
  // A view has no tableoid or ctid: the server refused the box read of one.
  info.relkind = 'v';
  EXPECT_EQ(boxReadSql(table, info, box).find("ORDER BY"), std::string::npos);
  EXPECT_NE(overviewGridSql("\"bcmap\".\"ov_1\"", 3857, box, 2.5).find("/ 2.5)"), std::string::npos);
}

TEST(DbQueryTest, TheTimeFilterIsSqlWithTheDayAsAParameter) {
  const int32_t day = *parseDate("2019-06-01");
  // No day, or no start column: no filter.
  EXPECT_TRUE(timeWhereSql("start", "end", TimeFilter{}, 1).sql.empty());
  EXPECT_TRUE(timeWhereSql("", "end", TimeFilter{day}, 1).sql.empty());
  // Span: started on or before the day and not ended before it; an open end stays.
  DbTimeWhere w = timeWhereSql("s\"; DROP TABLE t; --", "e", TimeFilter{day}, 3);
  EXPECT_EQ(w.sql, "(((\"s\"\"; DROP TABLE t; --\")::date IS NULL OR (\"s\"\"; DROP TABLE t; --\")::date <= $3::date)"
                   " AND ((\"e\")::date IS NULL OR $3::date <= (\"e\")::date))");
  EXPECT_EQ(w.params, std::vector<std::string>{"2019-06-01"});
  EXPECT_EQ(timeWhereSql("s", "", TimeFilter{day}, 1).sql, "(((\"s\")::date IS NULL OR (\"s\")::date <= $1::date))");
  EXPECT_EQ(timeWhereSql("s", "e", TimeFilter{day, TimeMode::Cumulative, 30}, 1).sql,
            "((\"s\")::date IS NULL OR (\"s\")::date <= $1::date)");
  // Window: started in (day - window, day]; no start is never in a window.
  w = timeWhereSql("s", "e", TimeFilter{day, TimeMode::Window, 90}, 2);
  EXPECT_EQ(w.sql, "((\"s\")::date <= $2::date AND (\"s\")::date > $2::date - $3::integer)");
  EXPECT_EQ(w.params, (std::vector<std::string>{"2019-06-01", "90"}));
  // In the box and grid reads, after the box.
  DbTableInfo info;
  info.geomColumn = "geom";
  info.srid = 4326;
  info.type = "POINT";
  const Bounds box{121.5, 44.0, 124.5, 46.5};
  EXPECT_NE(boxReadSql("t", info, box, "(X)").find("4326) AND (X) ORDER BY"), std::string::npos);
  EXPECT_NE(liveGridSql("t", info, box, 0.01, "(X)").find("4326) AND (X) GROUP BY"), std::string::npos);
}

TEST(DbQueryTest, OverviewTableNamesFitAndDependOnTheTable) {
  DbSource a, b;
  a.schema = "public";
  a.table = std::string(200, 'x');
  b.schema = "publicx";
  b.table = std::string(199, 'x');
  EXPECT_LE(overviewTableName(a, 5).size(), 63u);
  EXPECT_EQ(overviewTableName(a, 5).rfind("ov_", 0), 0u);
  EXPECT_NE(overviewTableName(a, 5), overviewTableName(b, 5));
  EXPECT_NE(overviewTableName(a, 4), overviewTableName(a, 5));
  EXPECT_EQ(overviewTableName(a, 5), overviewTableName(a, 5));
}

TEST(DbQueryTest, LibpqMessagesAreOneLine) {
  // GDAL's driver: its own line, then libpq's reason and hint (a tab), then a blank line.
  EXPECT_EQ(oneLineDbMessage("cannot connect: PQconnectdb failed.\nconnection to server at \"127.0.0.1\", port 1 "
                             "failed: Connection refused\n\tIs the server running on that host and accepting "
                             "TCP/IP connections?\n\n"),
            "cannot connect: connection to server at \"127.0.0.1\", port 1 failed: Connection refused; Is the server "
            "running on that host and accepting TCP/IP connections?");
  EXPECT_EQ(oneLineDbMessage("ERROR:  relation \"x\" does not exist\nLINE 1: SELECT * FROM x\n"),
            "ERROR:  relation \"x\" does not exist; LINE 1: SELECT * FROM x");
  EXPECT_EQ(oneLineDbMessage("one line"), "one line");
}

TEST(DbQueryTest, AnOverviewBandOfPixelSizedCellsIsReadAsItIs) {
  const Bounds box{121.5, 44.0, 124.5, 46.5};
  const std::string sql = overviewRowsSql("\"bcmap\".\"ov_1\"", 4326, box);
  EXPECT_EQ(sql.find("GROUP BY"), std::string::npos) << sql;
  EXPECT_NE(sql.find("geom && ST_MakeEnvelope(121.5, 44, 124.5, 46.5, 4326)"), std::string::npos) << sql;
}

TEST(DbQueryTest, TheViewIsSetAndCleared) {
  setDbView(DbView{"EPSG:3857", Bounds{0, 0, 10, 10}, 640, 480});
  ASSERT_TRUE(dbView().has_value());
  EXPECT_EQ(dbView()->widthPx, 640);
  setDbView(std::nullopt);
  EXPECT_FALSE(dbView().has_value());
}

}  // namespace
}  // namespace bcmap

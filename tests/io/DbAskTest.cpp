// DbAskTest: the SQL a database layer's identify sends (io/DbAsk.h): names reach it only as
// quoted identifiers, the place and the limit only as parameters; the answer read back and
// told as the tooltip's text.
#include "io/DbAsk.h"

#include <gtest/gtest.h>

#include <string>

namespace bcmap {
namespace {

DbTableFacts hostileFacts() {
  DbTableFacts f;
  f.info.geomColumn = "g\"; DROP TABLE y; --";
  f.info.srid = 4326;
  f.info.type = "POINT";
  f.columns = {{"name", FieldType::String}, {"x\" FROM pg_authid; --", FieldType::Integer}};
  return f;
}

TEST(DbAskTest, IdentifyQuotesNamesAndPassesThePlaceAsParameters) {
  const DbTableFacts f = hostileFacts();
  const std::string table = quoteSqlIdentifier("s\"x") + "." + quoteSqlIdentifier("t");
  const DbSql q = identifySql(table, f, Vec2{122.5, 45.25}, Bounds{122.4, 45.2, 122.6, 45.3}, 5);
  EXPECT_NE(q.text.find("\"g\"\"; DROP TABLE y; --\""), std::string::npos) << q.text;
  EXPECT_NE(q.text.find("\"x\"\" FROM pg_authid; --\"::text"), std::string::npos) << q.text;
  EXPECT_NE(q.text.find("\"s\"\"x\".\"t\""), std::string::npos) << q.text;
  // The place, the box, the SRID and the limit are parameters: no number is in the text.
  for (const char* v : {"122.5", "45.25", "122.4", "45.3", "4326"}) EXPECT_EQ(q.text.find(v), std::string::npos) << v;
  ASSERT_EQ(q.params.size(), 9u);
  EXPECT_EQ(q.params[0], "122.5");
  EXPECT_EQ(q.params[1], "45.25");
  EXPECT_EQ(q.params[6], "4326");
  EXPECT_EQ(q.params[7], "5");
  // The nearest first, through the index's nearest-neighbour operator.
  EXPECT_NE(q.text.find("<-> ST_SetSRID(ST_MakePoint($1::float8, $2::float8), $7::int) LIMIT $8::int"),
            std::string::npos)
      << q.text;
  // Every unquoted double quote is one of a pair opening or closing an identifier.
  size_t quotes = 0;
  for (char c : q.text) quotes += c == '"';
  EXPECT_EQ(quotes % 2, 0u);
}

TEST(DbAskTest, TheAnswerIsReadByColumnAndToldAsTheTooltip) {
  const DbTableFacts f = hostileFacts();
  const DbAskAnswer a = readIdentifyAnswer(f, {{"37", "0.001", "洮南 A", "7"}, {"37", "0.002", "B", ""}});
  EXPECT_EQ(a.here, 37);
  ASSERT_EQ(a.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(a.rows[0].dist, 0.001);
  EXPECT_EQ(a.rows[0].attributes[0], (std::pair<std::string, std::string>{"name", "洮南 A"}));
  EXPECT_EQ(describeAskAnswer(a), "37 条 rows here\nname: 洮南 A\nx\" FROM pg_authid; --: 7");
  // One row at the place: its attributes alone.
  EXPECT_EQ(describeAskAnswer(readIdentifyAnswer(f, {{"1", "0", "C", "1"}})), "name: C\nx\" FROM pg_authid; --: 1");
  // More than the count's cap: said as such.
  EXPECT_EQ(describeAskAnswer(readIdentifyAnswer(f, {{std::to_string(kDbAskCountCap + 1), "0", "D", "2"}})).substr(0, 8),
            "> " + std::to_string(kDbAskCountCap));
  // Nothing near: no text (the caller shows the feature's id).
  EXPECT_EQ(describeAskAnswer(readIdentifyAnswer(f, {})), "");
}

TEST(DbAskTest, PagesAreKeysetWithTheValuesAsParameters) {
  const DbTableFacts f = hostileFacts();
  const std::string table = quoteSqlIdentifier("t");
  DbPageQuery q;
  q.limit = 200;
  // The first page by a primary key: ORDER BY it, one row more than the page.
  DbSql s = pageSql(table, f, DbPageKey{"id\"x", false}, q);
  EXPECT_NE(s.text.find(" ORDER BY \"id\"\"x\" ASC LIMIT $1::int"), std::string::npos) << s.text;
  EXPECT_EQ(s.params, (std::vector<std::string>{"201"}));
  EXPECT_EQ(s.text.find("OFFSET"), std::string::npos);
  // The next page by a column, the key as the tie-breaker, the filter's parameters first.
  q.sortColumn = "x\" FROM pg_authid; --";
  q.ascending = false;
  q.where = "\"name\" = $1::text";
  q.whereParams = {"a'b"};
  q.afterKey = "42";
  q.afterSort = "7'; DROP TABLE t; --";
  s = pageSql(table, f, DbPageKey{"id", false}, q);
  const std::string sv = "\"x\"\" FROM pg_authid; --\"";
  EXPECT_NE(s.text.find("WHERE (\"name\" = $1::text) AND (" + sv + " < $2 OR (" + sv + " = $2 AND \"id\" > $3) OR " + sv +
                        " IS NULL) ORDER BY " + sv + " DESC NULLS LAST, \"id\" ASC LIMIT $4::int"),
            std::string::npos)
      << s.text;
  EXPECT_EQ(s.params, (std::vector<std::string>{"a'b", "7'; DROP TABLE t; --", "42", "201"}));
  // After a row whose sort value is null: the nulls after it.
  q.afterSortNull = true;
  s = pageSql(table, f, DbPageKey{"id", false}, q);
  EXPECT_NE(s.text.find("(" + sv + " IS NULL AND \"id\" > $2)"), std::string::npos) << s.text;
}

TEST(DbAskTest, CtidPagesReadAWindowOfBlocks) {
  const DbTableFacts f = hostileFacts();
  DbPageQuery q;
  q.limit = 200;
  q.ctidBlocks = 4;
  DbSql s = pageSql("\"t\"", f, DbPageKey{"ctid", false}, q);
  EXPECT_NE(s.text.find("WHERE ctid > $1::tid AND ctid < $2::tid ORDER BY ctid ASC LIMIT $3::int"), std::string::npos)
      << s.text;
  EXPECT_EQ(s.params, (std::vector<std::string>{"(0,0)", "(4,0)", "201"}));
  q.afterKey = "(17,3)";
  s = pageSql("\"t\"", f, DbPageKey{"ctid", false}, q);
  EXPECT_EQ(s.params, (std::vector<std::string>{"(17,3)", "(21,0)", "201"}));
  // With a filter: no window (its rows may lie anywhere), after the key.
  q.where = "true";
  s = pageSql("\"t\"", f, DbPageKey{"ctid", false}, q);
  EXPECT_NE(s.text.find("WHERE (true) AND ctid > $1::tid ORDER BY ctid ASC"), std::string::npos) << s.text;
  // A view without a key: OFFSET.
  q = DbPageQuery{};
  q.offset = 400;
  s = pageSql("\"t\"", f, DbPageKey{"", true}, q);
  EXPECT_NE(s.text.find("LIMIT $1::int OFFSET $2::bigint"), std::string::npos) << s.text;
  EXPECT_EQ(s.params, (std::vector<std::string>{"201", "400"}));
}

}  // namespace
}  // namespace bcmap

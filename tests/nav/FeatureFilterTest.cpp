// FeatureFilter: plain search and expressions over a small table, each expected row set
// worked out by hand from the table below; and the errors with their places.
#include <gtest/gtest.h>

#include "nav/FeatureFilter.h"

namespace bcmap {
namespace {

// row  name                 people  area    year  road km  date        code
//  0   通榆县                  350   8476.5  2018  12.5     2018-06-01  "300"
//  1   洮南市                  300   5103    2017  null     2017-01-15  "0042"
//  2   镇赉县 村               120   null    2019  3        null        "abc"
//  3   Dongfeng Village     null    10.25   2020  0.5      2020-12-31  "1e3"
//  4   a,b "quoted"          301   -1      2016  100      2016-02-29  ""
FeatureTable makeTable() {
  FeatureTable t;
  for (int i = 0; i < 5; ++i) {
    t.geometry.xy.push_back({0, 0});
    t.geometry.ringVertices.push_back(static_cast<uint32_t>(i + 1));
    t.geometry.partRings.push_back(static_cast<uint32_t>(i + 1));
    t.geometry.featureParts.push_back(static_cast<uint32_t>(i + 1));
  }
  auto column = [&](const char* name, FieldType type) -> AttributeColumn& {
    AttributeColumn c;
    c.name = name;
    c.type = type;
    c.isNull.assign(5, 0);
    t.columns.push_back(std::move(c));
    return t.columns.back();
  };
  column("name", FieldType::String).strings = {"通榆县", "洮南市", "镇赉县 村", "Dongfeng Village", "a,b \"quoted\""};
  AttributeColumn& people = column("people", FieldType::Integer);
  people.ints = {350, 300, 120, 0, 301};
  people.isNull[3] = 1;
  AttributeColumn& area = column("area", FieldType::Real);
  area.reals = {8476.5, 5103, 0, 10.25, -1};
  area.isNull[2] = 1;
  column("year", FieldType::Integer).ints = {2018, 2017, 2019, 2020, 2016};
  AttributeColumn& road = column("road km", FieldType::Real);
  road.reals = {12.5, 0, 3, 0.5, 100};
  road.isNull[1] = 1;
  AttributeColumn& date = column("date", FieldType::Date);
  for (const char* d : {"2018-06-01", "2017-01-15", "1970-01-01", "2020-12-31", "2016-02-29"}) date.ints.push_back(*parseDate(d));
  date.isNull[2] = 1;
  column("code", FieldType::String).strings = {"300", "0042", "abc", "1e3", ""};
  return t;
}

using Rows = std::vector<uint32_t>;

class FeatureFilterTest : public ::testing::Test {
 protected:
  FeatureTable table = makeTable();
  Rows rows(const std::string& text) {
    FilterError err;
    const auto f = FeatureFilter::parse(text, table, &err);
    EXPECT_TRUE(f) << text << ": " << err.message;
    return f ? f->rows(table) : Rows{99};
  }
  FilterError error(const std::string& text) {
    FilterError err;
    EXPECT_FALSE(FeatureFilter::parse(text, table, &err)) << text << " should not parse";
    return err;
  }
};

TEST_F(FeatureFilterTest, EmptyMatchesEverything) {
  EXPECT_EQ(rows(""), (Rows{0, 1, 2, 3, 4}));
  EXPECT_EQ(rows("  "), (Rows{0, 1, 2, 3, 4}));
}

TEST_F(FeatureFilterTest, PlainTextSearchesEveryFieldIgnoringCase) {
  EXPECT_EQ(rows("村"), (Rows{2}));
  EXPECT_EQ(rows("village"), (Rows{3}));
  EXPECT_EQ(rows(" VILLAGE "), (Rows{3}));
  // "30" is in code "300", people 300 and people 301.
  EXPECT_EQ(rows("30"), (Rows{0, 1, 4}));
  // Dates as shown: 2016-02-29.
  EXPECT_EQ(rows("02-29"), (Rows{4}));
  EXPECT_EQ(rows("nowhere"), (Rows{}));
}

TEST_F(FeatureFilterTest, Comparisons) {
  EXPECT_EQ(rows("people > 300"), (Rows{0, 4}));  // the null row never matches
  EXPECT_EQ(rows("people>300"), (Rows{0, 4}));
  EXPECT_EQ(rows("people >= 300"), (Rows{0, 1, 4}));
  EXPECT_EQ(rows("people < 300"), (Rows{2}));
  EXPECT_EQ(rows("people <= 300"), (Rows{1, 2}));
  EXPECT_EQ(rows("year >= 2018"), (Rows{0, 2, 3}));
  EXPECT_EQ(rows("area = 5103"), (Rows{1}));
  EXPECT_EQ(rows("area < 0"), (Rows{4}));
  EXPECT_EQ(rows("name = 通榆县"), (Rows{0}));
  EXPECT_EQ(rows("name != 通榆县"), (Rows{1, 2, 3, 4}));
  EXPECT_EQ(rows("name ~ 村"), (Rows{2}));
  EXPECT_EQ(rows("name ~ VILLAGE"), (Rows{3}));
  EXPECT_EQ(rows("name = \"a,b \"\"quoted\"\"\""), (Rows{4}));
  EXPECT_EQ(rows("\"road km\" < 5"), (Rows{2, 3}));
}

TEST_F(FeatureFilterTest, NumbersOnlyWhenBothSidesAreNumbers) {
  EXPECT_EQ(rows("code = 300"), (Rows{0}));
  EXPECT_EQ(rows("code = 42"), (Rows{1}));  // "0042" is the number 42
  EXPECT_EQ(rows("code = 0042"), (Rows{1}));
  // 300 and 1e3 (1000) are numbers above 100; "abc" is not a number, so it is compared as
  // text: "abc" > "100"; "" < "100".
  EXPECT_EQ(rows("code > 100"), (Rows{0, 2, 3}));
  // Dates compare as their text.
  EXPECT_EQ(rows("date >= 2018-01-01"), (Rows{0, 3}));
  EXPECT_EQ(rows("date = 2016-02-29"), (Rows{4}));
}

TEST_F(FeatureFilterTest, AndBindsTighterThanOr) {
  EXPECT_EQ(rows("people > 300 or year = 2019"), (Rows{0, 2, 4}));
  EXPECT_EQ(rows("people > 300 AND year = 2018"), (Rows{0}));
  // (people >= 300 and year < 2018) or name ~ 村 — not people >= 300 and (...), which is {1, 4}.
  EXPECT_EQ(rows("people >= 300 and year < 2018 or name ~ 村"), (Rows{1, 2, 4}));
  EXPECT_EQ(rows("people >= 300 and (year < 2018 or name ~ 村)"), (Rows{1, 4}));
  EXPECT_EQ(rows("name ~ 村 or people >= 300 and year < 2018"), (Rows{1, 2, 4}));
}

TEST_F(FeatureFilterTest, ErrorsSayWhere) {
  FilterError e = error("peple > 300");
  EXPECT_EQ(e.offset, 0u);
  EXPECT_EQ(e.message, "column 1: unknown field 'peple'");
  // Columns count characters: 通榆县 is 9 bytes but 3 columns.
  e = error("name = 通榆县 and peple = 1");
  EXPECT_EQ(e.offset, 21u);
  EXPECT_EQ(e.message, "column 16: unknown field 'peple'");
  e = error("people >");
  EXPECT_EQ(e.offset, 8u);
  EXPECT_EQ(e.message, "column 9: expected a value after '>', found the end");
  e = error("people 300 > 1");
  EXPECT_EQ(e.offset, 7u);
  EXPECT_EQ(e.message, "column 8: expected an operator (= != < <= > >= ~) after 'people', found '300'");
  e = error("people > 300 year = 1");
  EXPECT_EQ(e.offset, 13u);
  EXPECT_EQ(e.message, "column 14: expected 'and' or 'or' before 'year'");
  e = error("name = \"abc");
  EXPECT_EQ(e.offset, 7u);
  EXPECT_EQ(e.message, "column 8: a quote that is not closed");
  e = error("(people > 1");
  EXPECT_EQ(e.message, "column 1: '(' without its ')'");
  e = error("people ! 3");
  EXPECT_EQ(e.message, "column 8: '!' must be followed by '=' (not equal)");
  e = error("= 3");
  EXPECT_EQ(e.message, "column 1: expected a field name, found '='");
  e = error("people > 1 and");
  EXPECT_EQ(e.message, "column 15: expected a field name, found the end");
}

}  // namespace
}  // namespace bcmap

// FeatureFilterSqlTest: the attribute table's filter as SQL for a database layer
// (FeatureFilter::sqlWhere): names quoted, every value a parameter, what SQL cannot say refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nav/FeatureFilter.h"

namespace bcmap {
namespace {

// A table with the server's columns and no rows, as the database table window builds it.
FeatureTable serverColumns() {
  FeatureTable t;
  t.columns.push_back(AttributeColumn{"id", FieldType::Integer, {}, {}, {}, {}});
  t.columns.push_back(AttributeColumn{"name\"; DROP TABLE x; --", FieldType::String, {}, {}, {}, {}});
  t.columns.push_back(AttributeColumn{"day", FieldType::Date, {}, {}, {}, {}});
  return t;
}

std::string where(const std::string& text, std::vector<std::string>& params, std::string* why = nullptr) {
  const FeatureTable t = serverColumns();
  FilterError err;
  std::optional<FeatureFilter> f = FeatureFilter::parse(text, t, &err);
  EXPECT_TRUE(f) << err.message;
  if (!f) return "?";
  std::string ignored;
  return f->sqlWhere(t, params, why ? why : &ignored).value_or("<none>");
}

TEST(FeatureFilterSqlTest, ComparisonsBecomeAParameterisedWhere) {
  std::vector<std::string> params{"earlier"};
  EXPECT_EQ(where("id >= 300 and \"name\"\"; DROP TABLE x; --\" ~ \"Robert'); --\"", params),
            "(\"id\" >= $2::float8 AND position($3::text in lower(\"name\"\"; DROP TABLE x; --\"::text)) > 0)");
  EXPECT_EQ(params, (std::vector<std::string>{"earlier", "300", "robert'); --"}));
  params.clear();
  EXPECT_EQ(where("day < 2020-01-01 or id = 7", params),
            "(\"day\"::text COLLATE \"C\" < $1::text OR \"id\" = $2::float8)");
  EXPECT_EQ(params, (std::vector<std::string>{"2020-01-01", "7"}));
}

TEST(FeatureFilterSqlTest, PlainTextSearchesEveryColumn) {
  std::vector<std::string> params;
  EXPECT_EQ(where("Taobei", params),
            "(position($1::text in lower(\"id\"::text)) > 0 OR position($1::text in lower(\"name\"\"; DROP TABLE x; --\"::text)) > 0 "
            "OR position($1::text in lower(\"day\"::text)) > 0)");
  EXPECT_EQ(params, (std::vector<std::string>{"taobei"}));
  params.clear();
  EXPECT_EQ(where("", params), "");
  EXPECT_TRUE(params.empty());
}

TEST(FeatureFilterSqlTest, WhatSqlCannotSayIsRefused) {
  std::vector<std::string> params;
  std::string why;
  EXPECT_EQ(where("\"name\"\"; DROP TABLE x; --\" > 5", params, &why), "<none>");
  EXPECT_NE(why.find("not supported for a database layer"), std::string::npos) << why;
}

}  // namespace
}  // namespace bcmap

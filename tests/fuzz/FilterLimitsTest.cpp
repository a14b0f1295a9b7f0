// The filter's bounds (fuzz/filter found "((((…" 3500 deep overflowing the parser's stack):
// deep parentheses and very long expressions are refused with the place and the limit.
#include <gtest/gtest.h>

#include <string>

#include "nav/FeatureFilter.h"

namespace bcmap {
namespace {

FeatureTable oneColumnTable() {
  FeatureTable t;
  t.geometry.xy.push_back({0, 0});
  t.geometry.ringVertices.push_back(1);
  t.geometry.partRings.push_back(1);
  t.geometry.featureParts.push_back(1);
  AttributeColumn c;
  c.name = "people";
  c.type = FieldType::Integer;
  c.ints = {350};
  c.isNull.assign(1, 0);
  t.columns.push_back(std::move(c));
  return t;
}

TEST(FilterLimits, ParenthesesDeeperThan64AreRefusedNotAStackOverflow) {
  const FeatureTable t = oneColumnTable();
  FilterError err;
  const std::string deep = std::string(100'000, '(') + "people > 1" + std::string(100'000, ')');
  EXPECT_FALSE(FeatureFilter::parse(deep, t, &err));
  EXPECT_EQ(err.offset, 64u);
  EXPECT_EQ(err.message, "column 65: parentheses nested deeper than 64 levels");
  const std::string ok = std::string(64, '(') + "people > 1" + std::string(64, ')');
  const auto f = FeatureFilter::parse(ok, t, &err);
  ASSERT_TRUE(f) << err.message;
  EXPECT_TRUE(f->matches(t, 0));
}

TEST(FilterLimits, MoreThan1000ComparisonsAreRefused) {
  const FeatureTable t = oneColumnTable();
  std::string text = "people > 1";
  for (int i = 1; i < 1000; ++i) text += " and people > 1";
  FilterError err;
  EXPECT_TRUE(FeatureFilter::parse(text, t, &err)) << err.message;
  text += " or people > 1";
  EXPECT_FALSE(FeatureFilter::parse(text, t, &err));
  EXPECT_NE(err.message.find("more than 1000 comparisons"), std::string::npos) << err.message;
}

}  // namespace
}  // namespace bcmap

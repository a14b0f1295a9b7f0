// FeatureTableTest: the compact columns of issue 11 answer every reader as the plain ones
// did — offsets left implicit for single points, and the same values either way.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {
namespace {

// The same points twice: once through push_back as the readers fill them (implicit), once
// with offsets that were made explicit by a write and then set back to the identity.
GeometryColumn pointsImplicit(size_t n) {
  GeometryColumn g;
  g.kind = GeometryKind::Point;
  for (size_t i = 0; i < n; ++i) {
    g.xy.push_back({double(i), double(i) * 2});
    g.ringVertices.push_back(uint32_t(g.xy.size()));
    g.partRings.push_back(uint32_t(i + 1));
    g.featureParts.push_back(uint32_t(i + 1));
  }
  return g;
}

TEST(FeatureTableTest, PointOffsetsStayImplicitAndAnswerLikeExplicitOnes) {
  const GeometryColumn a = pointsImplicit(100);
  EXPECT_TRUE(a.ringVertices.implicit() && a.partRings.implicit() && a.featureParts.implicit());
  EXPECT_EQ(a.ringVertices.heapBytes() + a.partRings.heapBytes() + a.featureParts.heapBytes(), 0u);

  GeometryColumn b = pointsImplicit(100);
  for (OffsetColumn* c : {&b.ringVertices, &b.partRings, &b.featureParts}) {
    c->set(3, 99);  // makes it explicit ...
    c->set(3, 3);   // ... and back to the same values
    EXPECT_FALSE(c->implicit());
  }
  ASSERT_EQ(a.featureCount(), 100u);
  EXPECT_EQ(a.featureCount(), b.featureCount());
  EXPECT_EQ(a.partCount(), b.partCount());
  EXPECT_EQ(a.ringCount(), b.ringCount());
  for (size_t i = 0; i <= 100; ++i) {
    EXPECT_EQ(a.ringVertices[i], b.ringVertices[i]);
    EXPECT_EQ(a.partRings[i], b.partRings[i]);
    EXPECT_EQ(a.featureParts[i], b.featureParts[i]);
  }
  EXPECT_EQ(a.ringVertices.back(), 100u);
  EXPECT_EQ(a.ringVertices, b.ringVertices);
  EXPECT_EQ(a.ringVertices, (std::vector<uint32_t>(a.ringVertices.toVector())));
  for (size_t f = 0; f < 100; ++f) {
    const Bounds ba = a.featureBounds(f), bb = b.featureBounds(f);
    EXPECT_EQ(ba.minX, bb.minX);
    EXPECT_EQ(ba.maxY, bb.maxY);
    EXPECT_EQ(ba.minX, double(f));
  }
}

TEST(FeatureTableTest, AnOffsetThatBreaksThePatternMakesTheColumnExplicit) {
  OffsetColumn c;  // {0}
  EXPECT_EQ(c.size(), 1u);
  c.push_back(1);
  c.push_back(2);
  EXPECT_TRUE(c.implicit());
  c.push_back(5);  // a ring of three vertices
  EXPECT_FALSE(c.implicit());
  EXPECT_EQ(c, (std::vector<uint32_t>{0, 1, 2, 5}));
  c.push_back(6);
  EXPECT_EQ(c[4], 6u);
  EXPECT_EQ(c.size(), 5u);

  OffsetColumn lines{0, 2, 2, 3};  // an empty feature: two equal offsets
  EXPECT_FALSE(lines.implicit());
  EXPECT_EQ(lines.toVector(), (std::vector<uint32_t>{0, 2, 2, 3}));

  GeometryColumn g = pointsImplicit(3);
  g.clear();
  EXPECT_EQ(g.featureCount(), 0u);
  EXPECT_TRUE(g.featureParts.implicit());
  EXPECT_EQ(g.featureParts.size(), 1u);

  OffsetColumn r;
  r.resize(4);
  for (size_t i = 0; i < 4; ++i) r.set(i, uint32_t(i));
  EXPECT_TRUE(r.implicit());
  EXPECT_EQ(r, (std::vector<uint32_t>{0, 1, 2, 3}));
}

}  // namespace
}  // namespace bcmap

namespace bcmap {
namespace {

// Null flags take no memory while no row is null (issue 11: 1 B a row a column), and answer
// like the vector they replace: the first null makes them explicit with every earlier row
// still not null; writes through [] and comparisons with a vector work as before.
TEST(NullFlagsTest, NoMemoryUntilTheFirstNullThenLikeAVector) {
  AttributeColumn c;
  c.type = FieldType::Real;
  for (int i = 0; i < 100000; ++i) {
    c.reals.push_back(i);
    c.isNull.push_back(0);
  }
  EXPECT_EQ(c.size(), 100000u);
  EXPECT_TRUE(c.isNull.implicit());
  EXPECT_EQ(c.isNull.heapBytes(), 0u);
  EXPECT_EQ(c.isNull[99999], 0);
  EXPECT_EQ(c.number(5), 5.0);

  c.isNull[7] = 1;  // the first null
  EXPECT_FALSE(c.isNull.implicit());
  EXPECT_EQ(c.isNull.size(), 100000u);
  EXPECT_EQ(c.isNull[7], 1);
  EXPECT_EQ(c.isNull[6], 0);
  EXPECT_TRUE(std::isnan(c.number(7)));
  EXPECT_EQ(c.text(7), "");
  c.isNull.push_back(1);
  EXPECT_EQ(c.isNull.size(), 100001u);

  NullFlags none{0, 0, 0};
  EXPECT_TRUE(none.implicit());
  EXPECT_EQ(none, (std::vector<uint8_t>{0, 0, 0}));
  NullFlags some = std::vector<uint8_t>{0, 1, 0};
  EXPECT_EQ(some, (std::vector<uint8_t>{0, 1, 0}));
  EXPECT_FALSE(some == none);
  EXPECT_EQ(some.toVector(), (std::vector<uint8_t>{0, 1, 0}));
  none.assign(2, 1);
  EXPECT_EQ(none, (std::vector<uint8_t>{1, 1}));
}


// Strings live in one buffer (issue 11): a column of distinct names costs its bytes and a
// 4-byte offset a row, not a 32-byte std::string; the values read back as they went in,
// the empty string and embedded NULs included.
TEST(StringColumnTest, DistinctValuesCostTheirBytesAndAnOffset) {
  AttributeColumn c;
  c.type = FieldType::String;
  constexpr int kRows = 100000;
  c.strings.reserve(kRows);
  char buf[32];
  for (int i = 0; i < kRows; ++i) {
    std::snprintf(buf, sizeof buf, "测点 %06d", i);
    c.appendString(buf);
    c.isNull.push_back(0);
  }
  EXPECT_FALSE(c.strings.coded());  // 100 000 distinct values are past a dictionary
  EXPECT_EQ(c.size(), size_t{kRows});
  EXPECT_EQ(c.strings.size(), size_t{kRows});
  EXPECT_EQ(c.str(0), "测点 000000");
  EXPECT_EQ(c.str(255), "测点 000255");  // the rows from before it turned plain
  EXPECT_EQ(c.str(256), "测点 000256");
  EXPECT_EQ(c.text(kRows - 1), "测点 099999");
  c.strings.shrink_to_fit();
  const size_t bytesPerRow = c.strings.heapBytes() / kRows;
  EXPECT_LE(bytesPerRow, 13u + 4u) << "13 bytes of text and a 32-bit offset";

  StringColumn odd{"", std::string_view("a\0b", 3), "通榆县"};
  EXPECT_EQ(odd[0], "");
  EXPECT_EQ(odd[1], std::string_view("a\0b", 3));
  EXPECT_EQ(odd[2], "通榆县");
  EXPECT_EQ(odd, (std::vector<std::string>{"", std::string("a\0b", 3), "通榆县"}));
}

// A column of few distinct values keeps each once and a byte a row; the 257th distinct
// value turns it into a plain column with every earlier row intact.
TEST(StringColumnTest, FewDistinctValuesAreCodedUntilTheyAreMany) {
  StringColumn c;
  const char* states[] = {"poor", "exited", "relocated"};
  for (int i = 0; i < 90000; ++i) c.push_back(states[i % 3]);
  EXPECT_TRUE(c.coded());
  EXPECT_EQ(c.distinctCount(), 3u);
  EXPECT_EQ(c[0], "poor");
  EXPECT_EQ(c[89999], "relocated");
  c.shrink_to_fit();
  EXPECT_LE(c.heapBytes(), 90000u + 100u) << "a byte a row and the three values";

  StringColumn many;
  for (int i = 0; i < 256; ++i) many.push_back(std::to_string(i % 256));
  for (int i = 0; i < 1000; ++i) many.push_back(std::to_string(i % 7));  // still within 256
  EXPECT_TRUE(many.coded());
  EXPECT_EQ(many.distinctCount(), 256u);
  many.push_back("the 257th");
  EXPECT_FALSE(many.coded());
  ASSERT_EQ(many.size(), 256u + 1000u + 1u);
  for (int i = 0; i < 256; ++i) EXPECT_EQ(many[i], std::to_string(i)) << i;
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(many[256 + i], std::to_string(i % 7)) << i;
  EXPECT_EQ(many[1256], "the 257th");
  many.push_back("2");
  EXPECT_EQ(many[1257], "2");

  // A range-for and a copy see the same rows; a copy's views point into its own buffer.
  std::vector<std::string> seen;
  for (std::string_view s : c) seen.emplace_back(s);
  EXPECT_EQ(c, seen);
  StringColumn copy = many;
  many.clear();
  EXPECT_EQ(copy[1256], "the 257th");
  EXPECT_TRUE(many.empty());
}

// The raw layout (what the data cache writes) rebuilds the same column, and an inconsistent
// one is refused rather than read out of bounds.
TEST(StringColumnTest, RawLayoutRoundTripsAndRejectsNonsense) {
  StringColumn coded{"a", "bb", "a", ""};
  StringColumn back;
  ASSERT_TRUE(back.assignRaw(coded.coded(), coded.bytes(), coded.offsets(), coded.codes()));
  EXPECT_TRUE(back.coded());
  EXPECT_EQ(back, coded);
  back.push_back("bb");  // found again after the rebuild
  EXPECT_EQ(back.distinctCount(), 3u);

  StringColumn bad;
  EXPECT_FALSE(bad.assignRaw(true, "abc", {0, 1, 3}, {0, 2}));   // code 2 of 2 values
  EXPECT_FALSE(bad.assignRaw(false, "abc", {0, 2, 1, 3}, {}));   // offsets descend
  EXPECT_FALSE(bad.assignRaw(false, "abc", {0, 1, 4}, {}));      // past the buffer
  EXPECT_FALSE(bad.assignRaw(false, "abc", {0, 3}, {0}));        // a plain column has no codes
  EXPECT_TRUE(bad.empty());
  EXPECT_TRUE(bad.assignRaw(false, "abc", {0, 1, 3}, {}));
  EXPECT_EQ(bad, (std::vector<std::string>{"a", "bc"}));
}

}  // namespace
}  // namespace bcmap

// FeatureTableTest: the compact columns of issue 11 answer every reader as the plain ones
// did — offsets left implicit for single points, and the same values either way.
#include <gtest/gtest.h>

#include <cmath>
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

}  // namespace
}  // namespace bcmap

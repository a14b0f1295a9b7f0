// Sizes by field (ABI 1.3): the formula (area proportional to the value) on both sides of
// the ABI, the style and legend structs across minors, per-feature diameters, and messages
// about a style field the layer lacks, which list the fields it has.
//
// Sections: 1. the formula  2. the structs across minors  3. per-feature sizes  4. fields a
// style names that the layer lacks
#include <gtest/gtest.h>

#include <bcmap/bcmap_plugin.hpp>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "style/Style.h"

namespace bcmap {
namespace {

// ---- 1. the formula ---------------------------------------------------------------------
TEST(SizeByFieldTest, AreaFollowsTheValue) {
  // 100 jobs drawn 10 px across: four times the jobs, twice the diameter (four times the area).
  EXPECT_FLOAT_EQ(proportionalSizePx(100, 100, 10, 3), 10.0f);
  EXPECT_FLOAT_EQ(proportionalSizePx(400, 100, 10, 3), 20.0f);
  EXPECT_FLOAT_EQ(proportionalSizePx(25, 100, 10, 3), 5.0f);
  // Below the smallest size, null (NaN), zero and negative: the smallest size.
  EXPECT_FLOAT_EQ(proportionalSizePx(4, 100, 10, 3), 3.0f);
  for (double v : {0.0, -5.0, std::nan("")}) EXPECT_FLOAT_EQ(proportionalSizePx(v, 100, 10, 3), 3.0f) << v;
  // No smallest size given: 2 px, so a feature of no value is still seen.
  EXPECT_FLOAT_EQ(proportionalSizePx(0, 100, 10, 0), kDefaultSizeMinPx);
  EXPECT_FLOAT_EQ(proportionalSizePx(1, 100, 10, 0), kDefaultSizeMinPx);
  // Never past the largest point size the host takes.
  EXPECT_FLOAT_EQ(proportionalSizePx(1e9, 100, 10, 0), kMaxPointSizePx);
}

TEST(SizeByFieldTest, TheSdkSizesALegendAsTheHostSizesTheMap) {
  // A plugin's size legend (sdk::Style::sizeLegend) must show the discs the host draws.
  for (double v : {-1.0, 0.0, 0.5, 1.0, 7.0, 99.0, 100.0, 101.0, 2000.0, 1e7, std::nan("")})
    for (float minPx : {0.0f, 4.0f})
      EXPECT_EQ(sdk::proportionalSizePx(v, 100, 8.5f, minPx), proportionalSizePx(v, 100, 8.5f, minPx))
          << v << " " << minPx;
  const sdk::Style s = sdk::Style::single(sdk::rgba(1, 2, 3), sdk::rgba(4, 5, 6)).sizeBy("households", 100, 8, 3);
  const std::vector<sdk::LegendEntry> legend = s.sizeLegend({100, 400, 2000}, "户 households");
  ASSERT_EQ(legend.size(), 3u);
  EXPECT_EQ(legend[0].label, "100 户 households");
  EXPECT_EQ(legend[2].label, "2000 户 households");
  EXPECT_DOUBLE_EQ(legend[0].sizePx, 8.0);
  EXPECT_DOUBLE_EQ(legend[1].sizePx, 16.0);
  EXPECT_NEAR(legend[2].sizePx, 8 * std::sqrt(20.0), 1e-5);
  EXPECT_EQ(legend[1].kind, BCMAP_GEOM_POINT);
  EXPECT_EQ(legend[1].fill.b, 3);
  // Its C form carries the size; the usual entries carry 0.
  EXPECT_DOUBLE_EQ(legend[1].raw().size_px, 16.0);
  EXPECT_EQ(legend[1].raw().struct_size, sizeof(bcmap_legend_entry_v1));
  sdk::Style cats = s;
  cats.categorized("name", {{"a", sdk::rgba(9, 9, 9), ""}});
  EXPECT_DOUBLE_EQ(cats.legend(BCMAP_GEOM_POINT).at(0).raw().size_px, 0.0);
}

// ---- 2. the structs across minors -------------------------------------------------------
// sizeof as ABI 1.2 compiled the style and 1.2 the legend entry: the last field, rounded up
// to the struct's alignment.
constexpr size_t roundUp(size_t n, size_t a) { return (n + a - 1) / a * a; }
constexpr size_t kStyleSize12 = roundUp(offsetof(bcmap_style_v1, label_priority) + sizeof(int32_t), alignof(bcmap_style_v1));
constexpr size_t kLegendSize12 =
    roundUp(offsetof(bcmap_legend_entry_v1, geometry_kind) + sizeof(uint32_t), alignof(bcmap_legend_entry_v1));

bcmap_style_v1 sizedStyle() {
  bcmap_style_v1 s{};
  s.struct_size = sizeof s;
  s.point_size_px = 6;
  s.opacity = 1;
  s.size_field = "jobs";
  s.size_reference_value = 100;
  s.size_reference_px = 10;
  s.size_min_px = 3;
  return s;
}

TEST(SizeByFieldTest, TheSizeFieldsLiePastA12Struct) {
  EXPECT_GE(offsetof(bcmap_style_v1, size_field), kStyleSize12);
  EXPECT_GE(offsetof(bcmap_legend_entry_v1, size_px), kLegendSize12);
}

TEST(SizeByFieldTest, CopyStyleReadsTheSizeFieldOnlyFromA13Struct) {
  LayerStyle out;
  std::string err;
  ASSERT_TRUE(copyStyle(sizedStyle(), out, &err)) << err;
  EXPECT_EQ(out.sizeField, "jobs");
  EXPECT_EQ(out.sizeReferenceValue, 100.0);
  EXPECT_EQ(out.sizeReferencePx, 10.0f);
  EXPECT_EQ(out.sizeMinPx, 3.0f);
  // A 1.2 plugin's struct ends before them: whatever lies beyond is not read.
  bcmap_style_v1 old = sizedStyle();
  old.struct_size = uint32_t(kStyleSize12);
  ASSERT_TRUE(copyStyle(old, out, &err)) << err;
  EXPECT_EQ(out.sizeField, "");
  EXPECT_EQ(out.sizeReferenceValue, 0.0);
  FeatureTable t;
  std::vector<float> sizes;
  EXPECT_TRUE(evaluatePointSize(out, t, sizes, &err)) << err;  // no field asked for: none checked
}

TEST(SizeByFieldTest, CopyStyleRefusesSizesItCannotDraw) {
  for (auto bad : {+[](bcmap_style_v1& s) { s.size_reference_value = 0; },
                   +[](bcmap_style_v1& s) { s.size_reference_value = std::nan(""); },
                   +[](bcmap_style_v1& s) { s.size_reference_px = 0; },
                   +[](bcmap_style_v1& s) { s.size_reference_px = 500; },
                   +[](bcmap_style_v1& s) { s.size_min_px = -1; }}) {
    bcmap_style_v1 s = sizedStyle();
    bad(s);
    LayerStyle out;
    std::string err;
    EXPECT_FALSE(copyStyle(s, out, &err));
    EXPECT_NE(err.find("invalid style: "), std::string::npos) << err;
  }
  // Without a size field the other three are not looked at (a 1.3 plugin that sizes nothing).
  bcmap_style_v1 s = sizedStyle();
  s.size_field = nullptr;
  s.size_reference_value = 0;
  LayerStyle out;
  std::string err;
  EXPECT_TRUE(copyStyle(s, out, &err)) << err;
  EXPECT_EQ(out.sizeField, "");
}

TEST(SizeByFieldTest, LegendEntriesCarryTheirSizeFrom13On) {
  bcmap_legend_entry_v1 e{sizeof e, "100 jobs", {1, 2, 3, 255}, {4, 5, 6, 255}, BCMAP_GEOM_POINT, 12.5};
  LegendEntry le = legendEntryFrom(e);
  EXPECT_EQ(le.label, "100 jobs");
  EXPECT_EQ(le.kind, GeometryKind::Point);
  EXPECT_EQ(le.fill.g, 2);
  EXPECT_EQ(le.stroke.b, 6);
  EXPECT_EQ(le.sizePx, 12.5);
  e.struct_size = uint32_t(kLegendSize12);  // a 1.2 entry: the usual swatch
  EXPECT_EQ(legendEntryFrom(e).sizePx, 0.0);
  e.struct_size = sizeof e;
  for (double bad : {-3.0, std::nan(""), 1e6}) {
    e.size_px = bad;
    EXPECT_EQ(legendEntryFrom(e).sizePx, 0.0) << bad;
  }
  e.label = nullptr;
  e.geometry_kind = 99;
  EXPECT_EQ(legendEntryFrom(e).label, "");
  EXPECT_EQ(legendEntryFrom(e).kind, GeometryKind::None);
}

// ---- 3. per-feature sizes ---------------------------------------------------------------
AttributeColumn column(const std::string& name, FieldType type, std::vector<int64_t> ints, std::vector<uint8_t> nulls = {}) {
  AttributeColumn c;
  c.name = name;
  c.type = type;
  if (type == FieldType::String)
    for (int64_t v : ints) c.strings.push_back(std::to_string(v));
  else if (type == FieldType::Real)
    for (int64_t v : ints) c.reals.push_back(double(v));
  else
    c.ints = ints;
  c.isNull = nulls.empty() ? std::vector<uint8_t>(ints.size(), 0) : nulls;
  return c;
}

FeatureTable pointsWithJobs() {
  FeatureTable t;
  t.geometry.kind = GeometryKind::Point;
  for (uint32_t i = 0; i < 5; ++i) {
    t.geometry.xy.push_back({double(i), 0});
    t.geometry.ringVertices.push_back(i + 1);
    t.geometry.partRings.push_back(i + 1);
    t.geometry.featureParts.push_back(i + 1);
  }
  t.columns.push_back(column("name", FieldType::String, {1, 2, 3, 4, 5}));
  t.columns.push_back(column("jobs", FieldType::Integer, {100, 400, 0, 77, 900}, {0, 0, 0, 1, 0}));
  t.columns.push_back(column("share", FieldType::Real, {25, 100, -1, 1, 1}));
  t.columns.push_back(column("opened", FieldType::Date, {1, 2, 3, 4, 5}));
  return t;
}

TEST(SizeByFieldTest, EachFeatureGetsTheDiameterOfItsValue) {
  LayerStyle st;
  ASSERT_TRUE(copyStyle(sizedStyle(), st, nullptr));
  std::vector<float> sizes;
  std::string err;
  ASSERT_TRUE(evaluatePointSize(st, pointsWithJobs(), sizes, &err)) << err;
  // 100 and 400 jobs: 10 and 20 px; none and null: the smallest, 3 px; 900: 30 px.
  EXPECT_EQ(sizes, (std::vector<float>{10, 20, 3, 3, 30}));
  st.sizeField = "share";  // a real field
  ASSERT_TRUE(evaluatePointSize(st, pointsWithJobs(), sizes, &err)) << err;
  EXPECT_EQ(sizes, (std::vector<float>{5, 10, 3, 3, 3}));
  st.sizeField.clear();  // no field: the style's one size
  ASSERT_TRUE(evaluatePointSize(st, pointsWithJobs(), sizes, &err)) << err;
  EXPECT_EQ(sizes, std::vector<float>(5, 6.0f));
}

TEST(SizeByFieldTest, ASizeFieldThatIsNotANumberListsTheNumericFields) {
  LayerStyle st;
  ASSERT_TRUE(copyStyle(sizedStyle(), st, nullptr));
  std::vector<float> sizes;
  for (const char* field : {"workers", "name", "opened"}) {
    st.sizeField = field;
    std::string err;
    EXPECT_FALSE(evaluatePointSize(st, pointsWithJobs(), sizes, &err));
    EXPECT_EQ(err, std::string("style: size field '") + field +
                       "' is not a numeric field of the layer; numeric fields: jobs, share");
  }
}

// ---- 4. fields a style names that the layer lacks ------------------------------------------
TEST(SizeByFieldTest, APluginStyleFieldTheLayerLacksListsTheFields) {
  const FeatureTable t = pointsWithJobs();
  const std::string fields = "; fields: name, jobs, share, opened";
  auto check = [&](LayerStyle st, const std::string& expected) {
    std::string err;
    EXPECT_FALSE(checkStyleFields(st, t, &err));
    EXPECT_EQ(err, expected);
  };
  LayerStyle st;
  std::string err;
  st.labelField = "name";
  st.labelSecondaryField = "jobs";
  st.sizeField = "jobs";
  EXPECT_TRUE(checkStyleFields(st, t, &err)) << err;
  LayerStyle cat = st;
  cat.kind = StyleKind::Categorized;
  cat.field = "county";
  check(cat, "style: style field 'county' is not among the layer's fields" + fields);
  LayerStyle grad = st;
  grad.kind = StyleKind::Graduated;
  grad.field = "share_pct";
  check(grad, "style: style field 'share_pct' is not among the layer's fields" + fields);
  LayerStyle label = st;
  label.labelField = "name_zh";
  check(label, "style: label field 'name_zh' is not among the layer's fields" + fields);
  LayerStyle second = st;
  second.labelSecondaryField = "name_en";
  check(second, "style: second label field 'name_en' is not among the layer's fields" + fields);
  LayerStyle size = st;
  size.sizeField = "workers";
  check(size, "style: size field 'workers' is not among the layer's fields" + fields);
  // A single style's field is not looked at (plugins leave it empty, or stale).
  LayerStyle single = st;
  single.field = "gone";
  EXPECT_TRUE(checkStyleFields(single, t, &err)) << err;
  // evaluateFill, which a categorized or graduated style reaches on its own, says the same.
  std::vector<Rgba> fill;
  EXPECT_FALSE(evaluateFill(cat, t, fill, &err));
  EXPECT_EQ(err, "style field 'county' is not among the layer's fields" + fields);
  // A layer of no fields says so.
  EXPECT_FALSE(checkStyleFields(label, FeatureTable{}, &err));
  EXPECT_EQ(err, "style: label field 'name_zh' is not among the layer's fields; fields: (none)");
}

TEST(SizeByFieldTest, AUserStyleFieldTheLayerLacksListsTheFields) {
  const FeatureTable t = pointsWithJobs();
  ResolvedStyle out;
  std::string err;
  StyleSpec spec;
  spec.kind = StyleKind::Categorized;
  spec.field = "county";
  EXPECT_FALSE(resolveStyleSpec(spec, LayerStyle{}, t, GeometryKind::Point, out, &err));
  EXPECT_EQ(err, "style: field 'county' is not among the layer's fields; fields: name, jobs, share, opened");
  spec.kind = StyleKind::Graduated;
  spec.field = "name";
  EXPECT_FALSE(resolveStyleSpec(spec, LayerStyle{}, t, GeometryKind::Point, out, &err));
  EXPECT_EQ(err, "style: field 'name' is not numeric; graduated styles need numbers; numeric fields: jobs, share, opened");
  spec.kind = StyleKind::Single;
  spec.sizeField = "name";
  EXPECT_FALSE(resolveStyleSpec(spec, LayerStyle{}, t, GeometryKind::Point, out, &err));
  EXPECT_EQ(err, "style: size field 'name' is not a numeric field of the layer; numeric fields: jobs, share, opened");
}

TEST(SizeByFieldTest, AUserStyleWithoutASizeFieldKeepsThePluginsSizes) {
  // Recolouring proportional symbols keeps them proportional; the user's own size field wins.
  LayerStyle base;
  ASSERT_TRUE(copyStyle(sizedStyle(), base, nullptr));
  ResolvedStyle out;
  std::string err;
  StyleSpec spec;
  spec.kind = StyleKind::Categorized;
  spec.field = "name";
  ASSERT_TRUE(resolveStyleSpec(spec, base, pointsWithJobs(), GeometryKind::Point, out, &err)) << err;
  EXPECT_EQ(out.pointSizePx, (std::vector<float>{10, 20, 3, 3, 30}));
  spec.sizeField = "share";
  spec.sizeMinPx = 4, spec.sizeMaxPx = 4;
  ASSERT_TRUE(resolveStyleSpec(spec, base, pointsWithJobs(), GeometryKind::Point, out, &err)) << err;
  EXPECT_EQ(out.pointSizePx, std::vector<float>(5, 4.0f));
}

}  // namespace
}  // namespace bcmap

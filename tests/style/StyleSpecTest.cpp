// The user's style (style/Style.h): a StyleSpec resolved over a small hand-made table —
// classes, categories, colours, legend labels, point sizes — and its JSON form.
#include <gtest/gtest.h>

#include <cmath>

#include "style/ColorRamps.h"
#include "style/Style.h"

namespace bcmap {
namespace {

AttributeColumn realColumn(const std::string& name, std::vector<double> v, std::vector<uint8_t> nulls = {}) {
  AttributeColumn c;
  c.name = name;
  c.type = FieldType::Real;
  c.reals = std::move(v);
  c.isNull = nulls.empty() ? std::vector<uint8_t>(c.reals.size(), 0) : std::move(nulls);
  return c;
}

AttributeColumn intColumn(const std::string& name, std::vector<int64_t> v, FieldType type = FieldType::Integer) {
  AttributeColumn c;
  c.name = name;
  c.type = type;
  c.ints = std::move(v);
  c.isNull.assign(c.ints.size(), 0);
  return c;
}

AttributeColumn textColumn(const std::string& name, std::vector<std::string> v, std::vector<uint8_t> nulls) {
  AttributeColumn c;
  c.name = name;
  c.type = FieldType::String;
  c.strings = std::move(v);
  c.isNull = std::move(nulls);
  return c;
}

// n points on a line; columns added by the test.
FeatureTable points(size_t n) {
  FeatureTable t;
  t.geometry.kind = GeometryKind::Point;
  for (size_t i = 0; i < n; ++i) {
    t.geometry.xy.push_back({double(i), 0});
    t.geometry.ringVertices.push_back(uint32_t(i + 1));
    t.geometry.partRings.push_back(uint32_t(i + 1));
    t.geometry.featureParts.push_back(uint32_t(i + 1));
  }
  return t;
}

// Issue 10: graduated on YlGnBu, the lightest class (#ffffd9) was nearly invisible on the
// map's paper tone. Every class of every ramp the editor offers, at every class count and
// both ways round, and every category of the qualitative ones, reads on the background.
TEST(StyleSpecTest, EveryClassOfEveryRampReadsOnTheMapBackground) {
  FeatureTable t = points(100);
  std::vector<double> v;
  std::vector<std::string> names;
  for (int i = 0; i < 100; ++i) {
    v.push_back(i);
    names.push_back("c" + std::to_string(i % 12));
  }
  t.columns.push_back(realColumn("value", v));
  t.columns.push_back(textColumn("name", names, std::vector<uint8_t>(100, 0)));
  for (const ColorRamp& ramp : colorRamps()) {
    for (bool reversed : {false, true}) {
      std::vector<std::pair<std::string, Rgba>> fills;  // what, colour
      for (int k = kMinClasses; k <= kMaxClasses; ++k) {
        StyleSpec s;
        s.kind = StyleKind::Graduated;
        s.field = "value";
        s.method = ClassifyMethod::EqualInterval;
        s.classes = k;
        s.ramp = std::string(ramp.name);
        s.reversed = reversed;
        ResolvedStyle r;
        std::string err;
        ASSERT_TRUE(resolveStyleSpec(s, LayerStyle{}, t, GeometryKind::Point, r, &err)) << err;
        ASSERT_EQ(r.style.classes.size(), size_t(k));
        for (const StyleClass& c : r.style.classes) fills.emplace_back(std::to_string(k) + " classes, " + c.label, c.fill);
      }
      StyleSpec s;
      s.kind = StyleKind::Categorized;
      s.field = "name";
      s.ramp = std::string(ramp.name);
      s.reversed = reversed;
      ResolvedStyle r;
      std::string err;
      ASSERT_TRUE(resolveStyleSpec(s, LayerStyle{}, t, GeometryKind::Point, r, &err)) << err;
      for (const StyleCategory& c : r.style.categories) fills.emplace_back("category " + c.value, c.fill);
      for (const auto& [what, c] : fills) {
        EXPECT_GT(c.a, 0) << ramp.name << ": " << what;
        const OkLab p = toOkLab(c), q = toOkLab(kMapBackground);
        const double d = std::sqrt((p.L - q.L) * (p.L - q.L) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b));
        EXPECT_GE(d, kMinMapContrast) << ramp.name << (reversed ? " reversed" : "") << ": " << what << " is #"
                                      << std::hex << (c.r << 16 | c.g << 8 | c.b) << std::dec
                                      << ", too close to the background";
      }
    }
  }
}

// classColours keeps a sequential ramp in order (dark steps darker) and its classes apart.
TEST(StyleSpecTest, ClassColoursStayInOrderAndApart) {
  for (const ColorRamp& ramp : colorRamps()) {
    if (ramp.kind != RampKind::Sequential) continue;
    for (size_t n = 2; n <= 9; ++n) {
      const std::vector<Rgba> c = classColours(ramp, n);
      ASSERT_EQ(c.size(), n);
      const double dir = toOkLab(c.back()).L - toOkLab(c.front()).L;
      for (size_t i = 0; i + 1 < n; ++i) {
        EXPECT_GT((toOkLab(c[i + 1]).L - toOkLab(c[i]).L) * dir, 0) << ramp.name << " " << n << " classes, step " << i;
        EXPECT_GT(okLabDistance(c[i], c[i + 1]), 0.02) << ramp.name << " " << n << " classes, step " << i;
      }
    }
  }
}

TEST(StyleSpecTest, GraduatedEqualIntervalColoursEachFeatureByItsClass) {
  FeatureTable t = points(6);
  // Range 0..100 in 4 classes of 25: [0,25) [25,50) [50,75) [75,100]; one null.
  t.columns.push_back(realColumn("share", {0, 24.9, 25, 60, 100, 0}, {0, 0, 0, 0, 0, 1}));
  StyleSpec s;
  s.kind = StyleKind::Graduated;
  s.field = "share";
  s.method = ClassifyMethod::EqualInterval;
  s.classes = 4;
  s.ramp = "YlOrRd";
  ResolvedStyle r;
  std::string err;
  ASSERT_TRUE(resolveStyleSpec(s, LayerStyle{}, t, GeometryKind::Point, r, &err)) << err;
  ASSERT_EQ(r.style.classes.size(), 4u);
  const std::vector<Rgba> ramp = classColours(*findColorRamp("YlOrRd"), 4);
  const double bounds[] = {0, 25, 50, 75, 100};
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(r.style.classes[k].lower, bounds[k]);
    EXPECT_EQ(r.style.classes[k].upper, bounds[k + 1]);
    EXPECT_EQ(r.style.classes[k].fill, ramp[k]);
  }
  const size_t classOf[] = {0, 0, 1, 2, 3};
  for (size_t f = 0; f < 5; ++f) EXPECT_EQ(r.fill[f], ramp[classOf[f]]) << "feature " << f;
  EXPECT_EQ(r.fill[5], kOtherFill);  // the null
  // Legend: the classes (reals: bounds as they are), then "other" for the null.
  ASSERT_EQ(r.legend.size(), 5u);
  EXPECT_EQ(r.legend[0].label, "0 – 25");
  EXPECT_EQ(r.legend[3].label, "75 – 100");
  EXPECT_EQ(r.legend[3].fill, ramp[3]);
  EXPECT_EQ(r.legend[4].fill, kOtherFill);
  EXPECT_EQ(r.legend[0].kind, GeometryKind::Point);
  // Ranges say what they measure: the legend's heading is the field (issue 10).
  EXPECT_EQ(r.style.legendHeading, "Share");
  // Reversed: the same classes, the ramp the other way.
  s.reversed = true;
  ASSERT_TRUE(resolveStyleSpec(s, LayerStyle{}, t, GeometryKind::Point, r, &err)) << err;
  EXPECT_EQ(r.fill[4], ramp[0]);
}

TEST(StyleSpecTest, ClassLabelsNameTheValuesAClassHolds) {
  // Integers: [1, 5) holds 1..4; the last class [5, 9] holds 5..9; [3, 4) holds only 3.
  EXPECT_EQ(classLabel(1, 5, false, FieldType::Integer, 0), "1 – 4");
  EXPECT_EQ(classLabel(5, 9, true, FieldType::Integer, 0), "5 – 9");
  EXPECT_EQ(classLabel(3, 4, false, FieldType::Integer, 0), "3");
  EXPECT_EQ(classLabel(1.5, 3.25, false, FieldType::Integer, 2), "2 – 3");  // equal interval on integers
  EXPECT_EQ(classLabel(0.2, 0.6, false, FieldType::Integer, 1), "0.2 – 0.6");  // holds no integer
  // Dates: days since 1970; 16902 is 2016-04-11.
  EXPECT_EQ(classLabel(16902, 16904, false, FieldType::Date, 0), "2016-04-11 – 2016-04-12");
  // Reals: the bounds with the decimals asked for, trailing zeros dropped.
  EXPECT_EQ(classLabel(0.125, 0.5, false, FieldType::Real, 3), "0.125 – 0.5");
  EXPECT_EQ(classLabel(7, 7, true, FieldType::Real, 0), "7");
}

TEST(StyleSpecTest, GraduatedNeedsANumericFieldThatExists) {
  FeatureTable t = points(2);
  t.columns.push_back(textColumn("name", {"a", "b"}, {0, 0}));
  StyleSpec s;
  s.kind = StyleKind::Graduated;
  s.field = "name";
  ResolvedStyle r;
  std::string err;
  EXPECT_FALSE(resolveStyleSpec(s, LayerStyle{}, t, GeometryKind::Point, r, &err));
  EXPECT_NE(err.find("not numeric"), std::string::npos) << err;
  s.field = "missing";
  EXPECT_FALSE(resolveStyleSpec(s, LayerStyle{}, t, GeometryKind::Point, r, &err));
  EXPECT_NE(err.find("missing"), std::string::npos) << err;
}

TEST(StyleSpecTest, CategoriesAreTheFieldsDistinctValues) {
  FeatureTable t = points(7);
  t.columns.push_back(textColumn("county", {"镇赉县", "洮南市", "镇赉县", "", "通榆县", "洮南市", "大安市"},
                                 {0, 0, 0, 1, 0, 0, 0}));
  t.columns.push_back(intColumn("year", {2020, 2016, 9, 2016, 2018, 10, 2020}));
  StyleSpec s;
  s.kind = StyleKind::Categorized;
  s.field = "county";
  s.ramp = "Okabe-Ito";
  ResolvedStyle r;
  std::string err;
  ASSERT_TRUE(resolveStyleSpec(s, LayerStyle{}, t, GeometryKind::Polygon, r, &err)) << err;
  EXPECT_EQ(r.style.legendHeading, "县 County") << "the categories are of the field";
  // Four distinct names (the null is no category), in code-point order.
  ASSERT_EQ(r.style.categories.size(), 4u);
  const std::vector<Rgba> okabe = classColours(*findColorRamp("Okabe-Ito"), 4);
  std::map<std::string, Rgba> colour;
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(r.style.categories[i].fill, okabe[i]);
    colour[r.style.categories[i].value] = okabe[i];
    if (i > 0) {
      EXPECT_LT(r.style.categories[i - 1].value, r.style.categories[i].value);
    }
  }
  const AttributeColumn& c = t.columns[0];
  for (size_t f = 0; f < 7; ++f)
    EXPECT_EQ(r.fill[f], c.isNull[f] ? kOtherFill : colour.at(std::string(c.str(f)))) << "feature " << f;
  ASSERT_EQ(r.legend.size(), 5u);  // four names and "other"
  EXPECT_EQ(r.legend[0].label, r.style.categories[0].value);
  EXPECT_EQ(r.legend[0].kind, GeometryKind::Polygon);

  // Numbers sort by value: 9 < 10 < 2016 < 2018 < 2020 (as text "10" < "2016" < "9").
  s.field = "year";
  ASSERT_TRUE(resolveStyleSpec(s, LayerStyle{}, t, GeometryKind::Point, r, &err)) << err;
  std::vector<std::string> values;
  for (const StyleCategory& k : r.style.categories) values.push_back(k.value);
  EXPECT_EQ(values, (std::vector<std::string>{"9", "10", "2016", "2018", "2020"}));
  EXPECT_EQ(r.legend.size(), 5u);  // no null: no "other"
}

// Issue 10 (trial 10c): the counties categorised by name_zh showed "name_zh" over the
// legend and lost their English names. The heading reads the field's name; a category of a
// name keeps the layer's second name beside it, a category of a code gets the name it
// codes, and the plugin's own labels for the same field stay.
TEST(StyleSpecTest, LegendHeadingsAndCategoriesReadAsNamesNotFields) {
  EXPECT_EQ(readableFieldName("name_zh"), "名称 Name");
  EXPECT_EQ(readableFieldName("adcode"), "行政区划代码 Division code");
  EXPECT_EQ(readableFieldName("poverty_exit_date"), "Poverty exit date");
  EXPECT_EQ(readableFieldName("share"), "Share");

  FeatureTable t = points(4);
  t.columns.push_back(textColumn("name_zh", {"洮北区", "通榆县", "洮北区", "大安市"}, {0, 0, 0, 0}));
  t.columns.push_back(textColumn("name_en", {"Taobei District", "Tongyu County", "Taobei District", "Da'an City"},
                                 {0, 0, 0, 0}));
  t.columns.push_back(textColumn("adcode", {"220802", "220822", "220802", "220882"}, {0, 0, 0, 0}));
  t.columns.push_back(textColumn("key_county", {"national", "national", "national", "provincial"}, {0, 0, 0, 0}));
  LayerStyle base;  // the plugin's: labels from name_zh and name_en
  base.labelField = "name_zh";
  base.labelSecondaryField = "name_en";
  StyleSpec s;
  s.kind = StyleKind::Categorized;
  s.field = "name_zh";
  s.ramp = "Okabe-Ito";
  ResolvedStyle r;
  std::string err;
  auto labels = [&] {
    std::vector<std::string> out;
    for (const LegendEntry& e : r.legend) out.push_back(e.label);
    return out;
  };
  ASSERT_TRUE(resolveStyleSpec(s, base, t, GeometryKind::Polygon, r, &err)) << err;
  EXPECT_EQ(r.style.legendHeading, "名称 Name");
  EXPECT_EQ(labels(), (std::vector<std::string>{"大安市 Da'an City", "洮北区 Taobei District", "通榆县 Tongyu County"}));
  s.field = "name_en";
  ASSERT_TRUE(resolveStyleSpec(s, base, t, GeometryKind::Polygon, r, &err)) << err;
  EXPECT_EQ(labels(), (std::vector<std::string>{"大安市 Da'an City", "洮北区 Taobei District", "通榆县 Tongyu County"}));
  s.field = "adcode";
  ASSERT_TRUE(resolveStyleSpec(s, base, t, GeometryKind::Polygon, r, &err)) << err;
  EXPECT_EQ(labels(), (std::vector<std::string>{"220802 洮北区 Taobei District", "220822 通榆县 Tongyu County",
                                                "220882 大安市 Da'an City"}));
  // A value features of different names share names none of them.
  s.field = "key_county";
  ASSERT_TRUE(resolveStyleSpec(s, base, t, GeometryKind::Polygon, r, &err)) << err;
  EXPECT_EQ(labels(), (std::vector<std::string>{"national", "provincial"}));
  // The plugin's own labels for its field, where they say more than the value.
  base.kind = StyleKind::Categorized;
  base.field = "key_county";
  base.categories = {{"national", Rgba{1, 2, 3, 255}, "国家级贫困县 national key county"}};
  ASSERT_TRUE(resolveStyleSpec(s, base, t, GeometryKind::Polygon, r, &err)) << err;
  EXPECT_EQ(labels(), (std::vector<std::string>{"国家级贫困县 national key county", "provincial"}));
}

// Issue 10 (trial shot 26): categorised by name_zh, the counties came out in the sequential
// YlGnBu, which orders what has no order. Names and codes start on a qualitative ramp;
// amounts on a sequential one.
TEST(StyleSpecTest, NamesAndCodesStartOnAQualitativeRamp) {
  const AttributeColumn name = textColumn("name_zh", {"a"}, {0});
  const AttributeColumn adcode = intColumn("adcode", {220802});
  const AttributeColumn villageId = intColumn("village_id", {7});
  const AttributeColumn people = intColumn("people", {7});
  const AttributeColumn share = realColumn("share", {0.5});
  for (const AttributeColumn* nominal : {&name, &adcode, &villageId}) {
    EXPECT_TRUE(isNominalField(*nominal)) << nominal->name;
    const ColorRamp* r = findColorRamp(defaultRampFor(StyleKind::Categorized, nominal));
    ASSERT_TRUE(r) << nominal->name;
    EXPECT_EQ(r->kind, RampKind::Qualitative) << nominal->name;
  }
  for (const AttributeColumn* amount : {&people, &share}) {
    EXPECT_FALSE(isNominalField(*amount)) << amount->name;
    for (StyleKind k : {StyleKind::Categorized, StyleKind::Graduated})
      EXPECT_EQ(findColorRamp(defaultRampFor(k, amount))->kind, RampKind::Sequential) << amount->name;
  }
  EXPECT_EQ(findColorRamp(defaultRampFor(StyleKind::Graduated, &adcode))->kind, RampKind::Sequential);
}

TEST(StyleSpecTest, TooManyCategoriesKeepTheMostFrequent) {
  // Ten values for an eight-colour ramp: "a" ×3 and "b" ×2 are kept, eight single values
  // compete for the other six places, and the two left out go to "other".
  std::vector<std::string> v{"a", "a", "a", "b", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
  FeatureTable t = points(v.size());
  t.columns.push_back(textColumn("v", v, std::vector<uint8_t>(v.size(), 0)));
  StyleSpec s;
  s.kind = StyleKind::Categorized;
  s.field = "v";
  s.ramp = "Okabe-Ito";
  ResolvedStyle r;
  std::string err;
  ASSERT_TRUE(resolveStyleSpec(s, LayerStyle{}, t, GeometryKind::Point, r, &err)) << err;
  ASSERT_EQ(r.style.categories.size(), 8u);
  EXPECT_EQ(r.style.categories[0].value, "a");
  EXPECT_EQ(r.style.categories[1].value, "b");
  size_t other = 0;
  for (const Rgba& f : r.fill) other += f == kOtherFill;
  EXPECT_EQ(other, 2u);
  EXPECT_EQ(r.legend.back().fill, kOtherFill);
}

TEST(StyleSpecTest, PointSizeAreaFollowsTheField) {
  FeatureTable t = points(4);
  t.columns.push_back(realColumn("pop", {100, 300, 200, 0}, {0, 0, 0, 1}));
  StyleSpec s;
  s.sizeField = "pop";
  s.sizeMinPx = 4;
  s.sizeMaxPx = 16;
  ResolvedStyle r;
  std::string err;
  ASSERT_TRUE(resolveStyleSpec(s, LayerStyle{}, t, GeometryKind::Point, r, &err)) << err;
  EXPECT_FLOAT_EQ(r.pointSizePx[0], 4.0f);   // the smallest value
  EXPECT_FLOAT_EQ(r.pointSizePx[1], 16.0f);  // the largest
  // Half way in value: half way in area, sqrt((16 + 256) / 2) = sqrt(136).
  EXPECT_NEAR(r.pointSizePx[2], std::sqrt(136.0), 1e-5);
  EXPECT_FLOAT_EQ(r.pointSizePx[3], 4.0f);  // null: the smallest
  EXPECT_EQ(r.fill[0], s.single);
  ASSERT_EQ(r.legend.size(), 1u);
  s.sizeField = "nope";
  EXPECT_FALSE(resolveStyleSpec(s, LayerStyle{}, t, GeometryKind::Point, r, &err));
}

TEST(StyleSpecTest, BaseStyleKeepsStrokeSymbolAndLabels) {
  FeatureTable t = points(2);
  t.columns.push_back(realColumn("x", {1, 2}));
  LayerStyle base;
  base.stroke = {1, 2, 3, 255};
  base.pointSymbol = BCMAP_SYMBOL_DIAMOND;
  base.labelField = "name_zh";
  StyleSpec s;
  s.kind = StyleKind::Graduated;
  s.field = "x";
  ResolvedStyle r;
  ASSERT_TRUE(resolveStyleSpec(s, base, t, GeometryKind::Point, r, nullptr));
  EXPECT_EQ(r.style.stroke, base.stroke);
  EXPECT_EQ(r.style.pointSymbol, base.pointSymbol);
  EXPECT_EQ(r.style.labelField, "name_zh");
  EXPECT_EQ(r.style.kind, StyleKind::Graduated);
}

TEST(StyleSpecTest, JsonRoundTripKeepsEveryField) {
  // Every field away from its default, so a field the JSON forgot comes back different.
  StyleSpec s;
  s.kind = StyleKind::Graduated;
  s.field = "覆盖率 coverage";
  s.method = ClassifyMethod::Custom;
  s.classes = 7;
  s.customBreaks = {0.1, 0.25, 1e6, -3.5};
  s.ramp = "cividis";
  s.reversed = true;
  s.single = Rgba{1, 2, 250, 128};
  s.sizeField = "population";
  s.sizeMinPx = 2.5f;
  s.sizeMaxPx = 30.25f;
  s.aggregation = Aggregation::Hex;
  s.hexSizeM = 1234.5;
  const StyleSpec defaults;
  ASSERT_NE(s.kind, defaults.kind);
  ASSERT_NE(s.method, defaults.method);
  ASSERT_NE(s.classes, defaults.classes);
  ASSERT_NE(s.ramp, defaults.ramp);
  ASSERT_NE(s.single, defaults.single);
  ASSERT_NE(s.sizeMinPx, defaults.sizeMinPx);
  ASSERT_NE(s.sizeMaxPx, defaults.sizeMaxPx);
  ASSERT_NE(s.aggregation, defaults.aggregation);
  ASSERT_NE(s.hexSizeM, defaults.hexSizeM);
  std::string err;
  const std::string json = styleSpecToJson(s);
  const std::optional<StyleSpec> back = styleSpecFromJson(json, &err);
  ASSERT_TRUE(back) << err << "\n" << json;
  EXPECT_EQ(*back, s) << json;
  // And the other kinds and an empty document (all defaults).
  for (StyleKind k : {StyleKind::Single, StyleKind::Categorized}) {
    s.kind = k;
    s.aggregation = Aggregation::None;
    EXPECT_EQ(styleSpecFromJson(styleSpecToJson(s), &err), s) << err;
  }
  EXPECT_EQ(styleSpecFromJson("{}", &err), StyleSpec{}) << err;
}

TEST(StyleSpecTest, JsonRejectsWhatItCannotUse) {
  std::string err;
  for (const char* bad : {"[1, 2]", "not json", R"({"kind": "heatmap"})", R"({"kind": 2})",
                          R"({"kind": "graduated", "field": "x", "classes": 12})",
                          R"({"classes": 4.5})", R"({"ramp": "Rainbow"})", R"({"method": "jenks"})",
                          R"({"single": "red"})", R"({"custom_breaks": [1, "2"]})", R"({"reversed": 1})",
                          R"({"aggregation": "square"})", R"({"hex_size_m": 1})",
                          R"({"size_min_px": 20, "size_max_px": 10})",
                          R"({"kind": "categorized"})"}) {
    err.clear();
    EXPECT_FALSE(styleSpecFromJson(bad, &err)) << bad;
    EXPECT_FALSE(err.empty()) << bad;
  }
}

}  // namespace
}  // namespace bcmap

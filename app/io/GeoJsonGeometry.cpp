// GeoJsonGeometry.cpp — sections: a feature's geometry · the layer type · coordinates ·
// geometry objects
#include "io/GeoJsonGeometry.h"

#include <string>

#include "io/GdalSupport.h"
#include "io/GeoJsonReader.h"
#include "io/ReadPlan.h"

namespace bcmap {

using simdjson::SUCCESS;

// ---- the parser -------------------------------------------------------------------------------
// Reads one feature's geometry (recursively) into GeoJsonGeometry's staged parts. Local to
// this file, so that the compiler may pass the od::value its functions take in registers:
// as members of GeoJsonGeometry, with external linkage, they took it through memory, with a
// stall per call (see the notes in GeoJsonScan.h), some 3% of the reader's time on points.
namespace {

class GeometryParser {
 public:
  GeometryParser(GeoJsonScan& scan, StagedGeometry& staged, std::vector<Coordinates>& coordinates, size_t& dims)
      : scan_(scan), staged_(staged), coordinates_(coordinates), dims_(dims) {}

  // Appends the geometry's parts to staged_; kind and mixed as WkbReader reports them;
  // ogrType for the layer type.
  bool parseGeometry(od::value g, int jsonDepth, int collectionDepth, GeometryKind& kind, bool& mixed,
                     OGRwkbGeometryType& ogrType);

 private:
  static bool mergeKind(GeometryKind& kind, GeometryKind sub);
  // Reads a "coordinates" value into c: nested arrays whose leaves are positions of 2 or 3
  // numbers, all at the same depth and with the same dimension throughout the feature.
  bool readCoordinates(od::value v, int jsonDepth, int level, Coordinates& c);
  bool stageCoordinates(std::string_view type, const Coordinates& c, GeometryKind& kind);
  Coordinates& coordinatesAt(int collectionDepth) { return coordinates_[static_cast<size_t>(collectionDepth)]; }

  GeoJsonScan& scan_;
  StagedGeometry& staged_;
  std::vector<Coordinates>& coordinates_;  // one per collection depth
  size_t& dims_;                           // of the current feature's positions
};

}  // namespace

// ---- a feature's geometry -------------------------------------------------------------------

bool GeoJsonGeometry::read(od::value& geometry, GeometryKind& kind, bool& mixed) {
  dims_ = 0;
  OGRwkbGeometryType ogrType = wkbUnknown;
  if (!GeometryParser(scan_, staged_, coordinates_, dims_).parseGeometry(geometry, 3, 0, kind, mixed, ogrType))
    return false;
  updateLayerType(ogrType, dims_ == 3);
  return true;
}

void GeoJsonGeometry::endFeature(GeometryKind kind, bool mixed) {
  staged_.xyBegin.push_back(staged_.xy.size());
  staged_.ringBegin.push_back(staged_.ringSizes.size());
  staged_.partBegin.push_back(staged_.partRingCounts.size());
  staged_.kind.push_back(kind);
  staged_.mixed.push_back(mixed);
}

GeometryKind GeoJsonGeometry::layerKind() const { return kindOfOgrType(layerType_); }

// ---- the layer type ---------------------------------------------------------------------------

// OGRGeoJSONUpdateLayerGeomType.
void GeoJsonGeometry::updateLayerType(OGRwkbGeometryType type, bool z) {
  if (firstGeometry_) {
    layerType_ = type;
    layerZ_ = z;
    firstGeometry_ = false;
  } else if (type == layerType_) {
    layerZ_ = layerZ_ || z;  // the same type with and without Z: with Z
  } else if (layerType_ != wkbUnknown) {
    layerType_ = wkbUnknown;
    layerZ_ = false;
  }
}

// ---- coordinates -----------------------------------------------------------------------------

bool GeometryParser::mergeKind(GeometryKind& kind, GeometryKind sub) {
  if (sub == GeometryKind::None) return true;
  if (kind == GeometryKind::None) kind = sub;
  return kind == sub;
}

bool GeometryParser::readCoordinates(od::value v, int jsonDepth, int level, Coordinates& c) {
  if (jsonDepth > static_cast<int>(kGeoJsonMaxJsonDepth)) return scan_.decline("JSON nested too deeply");
  od::array a;
  if (v.get_array().get(a) != SUCCESS) return scan_.decline("coordinates that are not arrays of numbers");
  uint32_t count = 0;
  bool isPosition = false;
  size_t countSlot = 0;
  for (auto item : a) {
    od::value x;
    od::json_type type;
    simdjson::error_code e;
    if ((e = std::move(item).get(x)) != SUCCESS || (e = x.type().get(type)) != SUCCESS) return scan_.jsonError(e);
    if (count == 0) {
      isPosition = type == od::json_type::number;
      if (!isPosition) {
        countSlot = c.counts.size();
        c.counts.push_back(0);
      }
    }
    if (isPosition) {
      od::number n;
      if (type != od::json_type::number) return scan_.decline("a position holding something else than numbers");
      if ((e = x.get_number().get(n)) != SUCCESS) return scan_.jsonError(e);
      if (count == 3) return scan_.decline("a position with more than 3 ordinates");
      if (n.is_double()) c.xyz.push_back(n.get_double());
      else if (n.is_int64()) c.xyz.push_back(static_cast<double>(n.get_int64()));
      else return scan_.decline("a coordinate beyond the 64-bit integer range");
    } else if (!readCoordinates(x, jsonDepth + 1, level + 1, c)) {
      return false;
    }
    ++count;
  }
  if (count == 0) return scan_.decline("empty coordinates");
  if (!isPosition) {
    c.counts[countSlot] = count;
    return true;
  }
  if (count < 2) return scan_.decline("a position with fewer than 2 ordinates");
  if (dims_ == 0) dims_ = count;
  else if (dims_ != count) return scan_.decline("a geometry mixing 2D and 3D positions");
  if (count == 2) c.xyz.push_back(0);
  if (c.positionDepth < 0) c.positionDepth = level;
  else if (c.positionDepth != level) return scan_.decline("coordinates nested unevenly");
  scan_.addCost(kValueCostBytes * (count + 1));
  return true;
}

// Converts c for a geometry of the given type into staged parts (WkbReader.h's
// layout). Rings must be closed and have 4 positions (GDAL warns about others).
bool GeometryParser::stageCoordinates(std::string_view type, const Coordinates& c, GeometryKind& kind) {
  size_t nextCount = 0, nextPosition = 0;
  auto take = [&] { return c.counts[nextCount++]; };
  auto position = [&](size_t i) { return Vec2{c.xyz[3 * i], c.xyz[3 * i + 1]}; };
  auto addPoint = [&] {
    staged_.xy.push_back(position(nextPosition++));
    staged_.ringSizes.push_back(1);
    staged_.partRingCounts.push_back(1);
  };
  auto addPath = [&](bool ring) {
    const uint32_t n = take();
    if (ring) {
      const size_t first = nextPosition, last = nextPosition + n - 1;
      if (n < 4) return scan_.decline("a ring with fewer than 4 positions");
      for (int k = 0; k < 3; ++k)
        if (c.xyz[3 * first + static_cast<size_t>(k)] != c.xyz[3 * last + static_cast<size_t>(k)])
          return scan_.decline("an unclosed ring (GDAL warns about it)");
    }
    for (uint32_t i = 0; i < n; ++i) staged_.xy.push_back(position(nextPosition++));
    staged_.ringSizes.push_back(n);
    return true;
  };
  auto addPolygon = [&] {
    const uint32_t rings = take();
    for (uint32_t r = 0; r < rings; ++r)
      if (!addPath(true)) return false;
    staged_.partRingCounts.push_back(rings);
    return true;
  };
  // The nesting level of the positions in each type's coordinates, and its kind.
  struct Shape {
    std::string_view type;
    int depth;
    GeometryKind kind;
  };
  static constexpr Shape kShapes[] = {
      {"Point", 0, GeometryKind::Point},           {"MultiPoint", 1, GeometryKind::Point},
      {"LineString", 1, GeometryKind::Line},       {"MultiLineString", 2, GeometryKind::Line},
      {"Polygon", 2, GeometryKind::Polygon},       {"MultiPolygon", 3, GeometryKind::Polygon}};
  const Shape* shape = nullptr;
  for (const Shape& sh : kShapes)
    if (sh.type == type) shape = &sh;
  if (shape == nullptr) return scan_.decline("a geometry of type '" + std::string(type) + "'");
  if (c.positionDepth != shape->depth) return scan_.decline("coordinates nested unlike a " + std::string(type));
  if (type == "Point") {
    addPoint();
  } else if (type == "MultiPoint") {
    const uint32_t n = take();
    for (uint32_t i = 0; i < n; ++i) addPoint();
  } else if (type == "LineString") {
    if (!addPath(false)) return false;
    staged_.partRingCounts.push_back(1);
  } else if (type == "MultiLineString") {
    const uint32_t n = take();
    for (uint32_t i = 0; i < n; ++i) {
      if (!addPath(false)) return false;
      staged_.partRingCounts.push_back(1);
    }
  } else if (type == "Polygon") {
    if (!addPolygon()) return false;
  } else {
    const uint32_t n = take();
    for (uint32_t i = 0; i < n; ++i)
      if (!addPolygon()) return false;
  }
  mergeKind(kind, shape->kind);
  return true;
}

// ---- geometry objects --------------------------------------------------------------------------

bool GeometryParser::parseGeometry(od::value g, int jsonDepth, int collectionDepth, GeometryKind& kind,
                                   bool& mixed, OGRwkbGeometryType& ogrType) {
  if (jsonDepth > static_cast<int>(kGeoJsonMaxJsonDepth)) return scan_.decline("JSON nested too deeply");
  od::object o;
  if (g.get_object().get(o) != SUCCESS) return scan_.decline("a geometry that is not an object");
  std::string type;
  bool hasType = false, hasCoords = false, hasMembers = false;
  Coordinates& coords = coordinatesAt(collectionDepth);
  coords.clear();
  GeometryKind membersKind = GeometryKind::None;
  bool membersMixed = false;
  simdjson::error_code e;
  scan_.addCost(kValueCostBytes);
  for (auto member : o) {
    std::string_view key;
    if ((e = member.error()) != SUCCESS) return scan_.jsonError(e);
    od::field& f = member.value_unsafe();  // in place: see GeoJsonScan.h
    if ((e = f.unescaped_key().get(key)) != SUCCESS) return scan_.jsonError(e);
    od::value& v = f.value();
    if (key == "type") {
      std::string_view t;
      if (hasType || v.get_string().get(t) != SUCCESS) return scan_.decline("a geometry type that is not one string");
      hasType = true;
      type = t;
    } else if (key == "coordinates") {
      if (hasCoords || hasMembers) return scan_.decline("a geometry with two 'coordinates' or 'geometries'");
      hasCoords = true;
      if (!readCoordinates(v, jsonDepth + 1, 0, coords)) return false;
    } else if (key == "geometries") {
      if (hasCoords || hasMembers) return scan_.decline("a geometry with two 'coordinates' or 'geometries'");
      hasMembers = true;
      if (collectionDepth >= kMaxCollectionDepth) return scan_.decline("geometry collections nested too deeply");
      od::array a;
      if (v.get_array().get(a) != SUCCESS) return scan_.decline("'geometries' that is not an array");
      size_t count = 0;
      for (auto item : a) {
        od::value m;
        if ((e = std::move(item).get(m)) != SUCCESS) return scan_.jsonError(e);
        GeometryKind sub = GeometryKind::None;
        bool subMixed = false;
        OGRwkbGeometryType subType = wkbUnknown;
        if (!parseGeometry(m, jsonDepth + 2, collectionDepth + 1, sub, subMixed, subType)) return false;
        if (subMixed || !mergeKind(membersKind, sub)) membersMixed = true;
        ++count;
      }
      if (count == 0) return scan_.decline("an empty geometry collection");
    } else if (key == "crs") {
      return scan_.decline("a geometry with its own crs");
    } else if (equalNoCase(key, "type") || equalNoCase(key, "coordinates") ||
               equalNoCase(key, "geometries") || equalNoCase(key, "crs")) {
      return scan_.decline("a geometry member named '" + std::string(key) + "' (GDAL matches names without case)");
    } else if (!scan_.checkJson(v, jsonDepth + 1)) {
      return false;
    }
  }
  if (!hasType) return scan_.decline("a geometry without a type");
  if (type == "GeometryCollection") {
    if (!hasMembers) return scan_.decline("a geometry collection without 'geometries'");
    ogrType = wkbGeometryCollection;
    if (membersMixed || !mergeKind(kind, membersKind)) mixed = true;
    return true;
  }
  if (!hasCoords) return scan_.decline("a geometry without coordinates");
  if (type == "Point") ogrType = wkbPoint;
  else if (type == "LineString") ogrType = wkbLineString;
  else if (type == "Polygon") ogrType = wkbPolygon;
  else if (type == "MultiPoint") ogrType = wkbMultiPoint;
  else if (type == "MultiLineString") ogrType = wkbMultiLineString;
  else if (type == "MultiPolygon") ogrType = wkbMultiPolygon;
  GeometryKind own = GeometryKind::None;
  if (!stageCoordinates(type, coords, own)) return false;
  if (!mergeKind(kind, own)) mixed = true;
  return true;
}

}  // namespace bcmap

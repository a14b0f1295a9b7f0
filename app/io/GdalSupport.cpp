// GdalSupport.cpp — the allowed drivers and the OGR geometry type's kind (GdalSupport.h).
#include "io/GdalSupport.h"

namespace bcmap {

const std::vector<std::string>& allowedDriversOf(const VectorReadOptions& o) {
  return o.allowedDrivers.empty() ? kDefaultVectorDrivers : o.allowedDrivers;
}

std::vector<const char*> driverList(const std::vector<std::string>& drivers) {
  std::vector<const char*> list;
  list.reserve(drivers.size() + 1);
  for (const std::string& d : drivers) list.push_back(d.c_str());
  list.push_back(nullptr);
  return list;
}

GeometryKind kindOfOgrType(OGRwkbGeometryType type) {
  switch (wkbFlatten(type)) {
    case wkbPoint:
    case wkbMultiPoint: return GeometryKind::Point;
    case wkbLineString:
    case wkbMultiLineString:
    case wkbCircularString:
    case wkbCompoundCurve:
    case wkbMultiCurve: return GeometryKind::Line;
    case wkbPolygon:
    case wkbMultiPolygon:
    case wkbCurvePolygon:
    case wkbMultiSurface:
    case wkbTriangle:
    case wkbTIN:
    case wkbPolyhedralSurface: return GeometryKind::Polygon;
    default: return GeometryKind::None;  // unknown, collection, none
  }
}

}  // namespace bcmap

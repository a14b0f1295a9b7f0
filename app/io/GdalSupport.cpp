// GdalSupport.cpp — the OGR geometry type's kind (GdalSupport.h).
#include "io/GdalSupport.h"

namespace bcmap {

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

// GeoJsonReader: a fast reader for local GeoJSON FeatureCollections (simdjson), beside
// GDAL's GeoJSON driver. readVector (VectorReader.h) tries it first for .geojson/.json
// files and falls back to GDAL whenever it declines.
//
// The contract: when it reads a file, the VectorReadResult is what readVector would give
// through GDAL 3.6 (same columns, types, field order, values, ids, time spans, geometry
// offsets and coordinates, skipped features, CRS text, error messages); GDAL's GeoJSON
// driver rules are reproduced for that: field types inferred over all features (Integer,
// Integer64, Real, YYYY-MM-DD Date, String, lists, JSON text of objects and arrays), field
// order by GDAL's topological sort of the per-feature key order, the layer geometry type
// and its default CRS (EPSG:4979 when the layer type has Z).
// Whatever it does not reproduce exactly, it declines: files GDAL would not open as GeoJSON
// (GDALIdentifyDriverEx), JSON simdjson rejects (syntax errors, truncation, numbers out of
// range), nesting deeper than kGeoJsonMaxJsonDepth, a `crs` other than WGS 84 lon/lat,
// feature ids other than strings or increasing non-negative integers, unusual geometries
// (empty, unclosed or short rings, mixed dimensions, deep collections), dates GDAL would
// parse in any form other than YYYY-MM-DD, duplicate keys, and a few rare type mixes.
// Declining costs the time already spent; GDAL then reads the file as if the fast reader
// did not exist.
//
// The file is memory-mapped and parsed with simdjson's On-Demand API in one pass that checks
// every value, infers the schema and stages the geometry; the table is built from that.
// Threading: like readVector, it may run on several threads at once.
#pragma once

#include <string>

#include "io/VectorReader.h"

namespace bcmap {

// The deepest JSON nesting the fast reader follows (the root is level 1); deeper documents
// go to GDAL, whose own limit is 1024. It bounds every recursion of the reader, so a
// document nested 10,000 deep costs no stack.
inline constexpr size_t kGeoJsonMaxJsonDepth = 128;

// Whether readVector should try the fast reader for these options: a local .geojson/.json
// file, allowFastGeoJson set, no attribute filter, no layer name, GeoJSON among the allowed
// drivers. Says nothing about the file's content.
bool geoJsonFastPathApplies(const VectorReadOptions& options);

enum class GeoJsonFastStatus {
  Read,      // result holds the table
  Failed,    // *err holds the message readVector would give (e.g. a bad date, a missing field)
  Declined,  // not handled here (declined says why); read the file through GDAL
};

struct GeoJsonFastResult {
  GeoJsonFastStatus status = GeoJsonFastStatus::Declined;
  VectorReadResult result;
  std::string declined;
};

// Reads options.path (see the contract above). Does not check geoJsonFastPathApplies.
GeoJsonFastResult readGeoJsonFast(const VectorReadOptions& options, std::string* err);

}  // namespace bcmap

// Benchmark point data: N points uniform inside the Baicheng counties, deterministic (fixed
// seed, our own generator and number-to-double mapping, so every machine makes the same
// file), with attributes id (integer), name (text), value (real) and date, written as
// GeoJSON, GeoPackage and FlatGeobuf through GDAL's C API into a cache folder under the
// build directory. Files are made once and reused (written to a temporary name, then
// renamed, so an interrupted run never leaves a half file behind).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap::bench {

enum class PointFormat : uint8_t { Invalid = 0, GeoJson, GeoPackage, FlatGeobuf };
const char* formatName(PointFormat f);       // "GeoJSON", "GeoPackage", "FlatGeobuf"
const char* formatExtension(PointFormat f);  // "geojson", "gpkg", "fgb"

// The counties' outer rings in lon/lat (WGS 84) and their bounds.
struct CountyShapes {
  std::vector<std::vector<Vec2>> rings;  // every ring of every county (holes too: even-odd)
  Bounds bounds;
};
std::optional<CountyShapes> readCountyShapes(const std::string& geojsonPath, std::string* err);

// `count` points uniform (in lon/lat) inside the counties, from `seed`.
std::vector<Vec2> samplePoints(const CountyShapes& counties, size_t count, uint64_t seed);

// The cached file for (count, format, seed), created if missing. Empty and `err` on failure.
std::string ensurePointFile(const std::string& cacheDir, const CountyShapes& counties, size_t count,
                            PointFormat format, uint64_t seed, std::string* err);

}  // namespace bcmap::bench

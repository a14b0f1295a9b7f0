// VectorReader: reads a GDAL vector source (GeoJSON, GeoPackage, Shapefile, FlatGeobuf, ...)
// into a FeatureTable. This is the service behind the plugin SDK's read_vector.
//
// What comes out:
//   - geometry in the source CRS, in visualization axis order (x east, y north; lon/lat
//     for geographic CRSs), laid out as FeatureTable.h documents: every feature has zero or
//     more parts (null/empty geometries: zero), polygons ring 0 outer then holes, multi-
//     geometries and same-kind collections several parts, points one vertex per ring;
//   - one attribute column per source field (or per fieldMap entry, in map order): Integer
//     and Integer64 -> Integer, Real -> Real, Date and DateTime -> Date, anything else ->
//     String; a string field named as startField/endField is parsed as a date column;
//   - ids from idField, time spans from startField/endField (null: open end).
// A feature without geometry (null, empty, a GeometryCollection of empties) is a row with
// zero parts, never skipped; a source whose rows all lack geometry (a .dbf alone, a CSV
// without coordinates, a GeoPackage attribute table) reads as a table of kind None, which
// the host opens as a table layer (issue 12: host/Layer.h, Layer::tableOnly).
// Features that cannot be drawn are dropped with a warning that names them and are counted
// in `skipped`: non-finite coordinates, lon/lat outside ±180/±90 in a geographic CRS,
// collections mixing kinds, and (when expectKind is None) a kind other than the layer's.
// Errors (nullopt + err) start with the path: missing file, not a vector source, no such
// layer, a mapped field that does not exist, a feature of the wrong kind when expectKind is
// set, an unparseable date in a date field (naming the feature and the value), a remote
// path while the network is not allowed (NetworkGuard.h). Messages name a feature by its
// 0-based position in the source ("feature 3"), with its id when idField is set.
//
// Threading: readVector may run on several threads at once (each open is independent).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

// Registers GDAL's drivers, routes GDAL's messages to bcmap's log and installs the network
// guard. Once per process, thread-safe; readVector calls it.
void initGdal();

struct VectorReadOptions {
  std::string path;
  std::string layerName;        // empty: the first layer
  std::string attributeFilter;  // OGR SQL WHERE clause; empty: none
  // Layer field <- source field. Empty: every source field under its own name. Otherwise
  // the table holds exactly these columns, in this order.
  std::vector<std::pair<std::string, std::string>> fieldMap;
  std::string sourceCrs;        // empty: the file's CRS, EPSG:4326 if it declares none
  bool gcj02 = false;           // convert GCJ-02 lon/lat to WGS 84 on load
  // Source field names (a layer field name from fieldMap is accepted too).
  std::string startField, endField, idField;
  // Where startField (endField) is empty, planRead finds one (ReadPlan.h: detectTimeFields).
  bool detectTime = false;
  // None: take the layer's kind; else features of another kind are an error.
  GeometryKind expectKind = GeometryKind::None;
  // GDAL driver short names allowed to open the source; empty: kDefaultVectorDrivers.
  std::vector<std::string> allowedDrivers;
  // Point layers are read through GDAL's Arrow stream when it can (faster); false forces
  // the feature-by-feature path (tests compare the two).
  bool useArrowStream = true;
  // Local .geojson/.json files are read by bcmap's own GeoJSON reader (GeoJsonReader.h),
  // which gives GDAL's result faster or declines; false forces GDAL (tests compare the two).
  bool allowFastGeoJson = true;
};

// The local vector drivers tried when VectorReadOptions::allowedDrivers is empty.
extern const std::vector<std::string> kDefaultVectorDrivers;

struct VectorReadResult {
  FeatureTable table;
  std::string crs;  // of table's geometry: "AUTH:CODE" when the source names one, else WKT2;
                    // "EPSG:4326" after a GCJ-02 conversion
  GeometryKind kind = GeometryKind::None;
  size_t skipped = 0;  // features dropped with a warning
  bool viaArrowStream = false;  // read through GDAL's Arrow stream (diagnostics, tests)
};

std::optional<VectorReadResult> readVector(const VectorReadOptions& options, std::string* err);

// Why a local `path` is not read (issue 12): it, or a file beside it with its stem (the
// sidecars GDAL opens itself), is a FIFO, device or socket, on which a read can wait
// forever; or it is a folder other than a FileGDB (.gdb). "" when it may be read, or when
// it is no local file (a /vsi path). readVector asks it before anything opens the source.
// A symbolic link is named with its target ("x.geojson → /data/f.geojson: refused: it is a
// FIFO ..."). (readVector refuses an empty file too, as "the file is empty (0 bytes)".)
std::string specialFileRefusal(const std::string& path);

}  // namespace bcmap

// FeatureExport: some features of one layer — the selection, or the rows an attribute table's
// filter kept — written out for other tools:
//   - GeoJSON (RFC 7946): a FeatureCollection in WGS 84 lon/lat (transformed from the layer's
//     source CRS), 7 decimals (about 1 cm), polygon rings wound as §3.1.6 asks (outer
//     counter-clockwise, holes clockwise); every attribute in `properties` with its type
//     (integers and reals as numbers, text and dates — "YYYY-MM-DD" — as strings, null as
//     null) and the feature's id as the feature's "id" (a string when the layer has ids of
//     its own, else its index as a number).
//   - CSV (RFC 4180): a header row, then one row a feature: every attribute (null: an empty
//     field), then `lon`,`lat` when every feature written is a single point, else `wkt`
//     (the geometry as WKT, in WGS 84 lon/lat), and neither for a table layer (no geometry
//     kind: Layer::tableOnly); fields with a comma, quote or line break in
//     "quotes" with quotes doubled; CRLF line ends; UTF-8 without a byte order mark.
// A feature whose coordinates cannot be transformed to WGS 84 is written with a null
// geometry (an empty lon/lat/wkt in CSV).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bcmap {

struct Layer;
class LayerStore;

enum class ExportFormat : uint8_t { Invalid = 0, GeoJson = 1, Csv = 2 };
const char* exportFormatExtension(ExportFormat f);  // "geojson", "csv"

// The text of features `features` (indices into the layer's table, in the order given;
// indices out of range are skipped). nullopt and `err` when the layer's CRS cannot be
// transformed to WGS 84.
std::optional<std::string> featuresToGeoJson(const Layer& layer, const std::vector<size_t>& features, std::string* err);
std::optional<std::string> featuresToCsv(const Layer& layer, const std::vector<size_t>& features, std::string* err);

// Writes them to `path`: to a temporary file beside it, synced and renamed over `path` when
// complete, so a failed or killed export never leaves half a file. With `store`, a `path`
// that is one of its layers' input files is refused (inputFileAt). False and `err`
// ("export <path>: reason").
bool exportFeatures(const Layer& layer, const std::vector<size_t>& features, ExportFormat format,
                    const std::string& path, std::string* err, const LayerStore* store = nullptr);

// Whether writing `path` would replace what a layer of `store` reads: the same file as one
// of its input files (device and inode, however the path is spelled: a link, "..", another
// mount of it), or a file beside one with its stem (a shapefile's .dbf or .prj), or its
// plugin's library or plugin.json. Returns a sentence for the user ("… is …, the input of
// layer X: choose another name (输入数据不会被覆盖)"), "" when not.
std::string inputFileAt(const LayerStore& store, const std::string& path);

// The same for a file a command reads that is no layer's (the session given with
// --session): `what` says what it is ("the session given with --session"). "" when `path`
// is not `input` by device and inode (or either is not there).
std::string fileReadAt(const std::string& path, const std::string& input, const std::string& what);

}  // namespace bcmap

// Harness: the fast GeoJSON reader (io/GeoJsonReader.h, simdjson) on any bytes as a
// .geojson file. It must read, fail with a message, or decline — never crash — and a table
// it reads must be consistent (offsets in range, one value per feature in every column).
#include <string>

#include "FuzzSupport.h"
#include "io/GeoJsonReader.h"

namespace {

void checkTable(const bcmap::FeatureTable& t) {
  const bcmap::GeometryColumn& g = t.geometry;
  const size_t n = t.featureCount();
  BCMAP_FUZZ_CHECK(g.featureParts.size() == n + 1);
  BCMAP_FUZZ_CHECK(g.featureParts[n] + 1 == g.partRings.size());
  BCMAP_FUZZ_CHECK(g.partRings[g.partRings.size() - 1] + 1 == g.ringVertices.size());
  BCMAP_FUZZ_CHECK(g.ringVertices[g.ringVertices.size() - 1] == g.xy.size());
  for (size_t i = 1; i < g.featureParts.size(); ++i) BCMAP_FUZZ_CHECK(g.featureParts[i - 1] <= g.featureParts[i]);
  for (size_t i = 1; i < g.partRings.size(); ++i) BCMAP_FUZZ_CHECK(g.partRings[i - 1] <= g.partRings[i]);
  for (size_t i = 1; i < g.ringVertices.size(); ++i) BCMAP_FUZZ_CHECK(g.ringVertices[i - 1] <= g.ringVertices[i]);
  for (const bcmap::AttributeColumn& c : t.columns) BCMAP_FUZZ_CHECK(c.isNull.size() == n);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = bcmap::fuzz::writeScratchFile(
      std::string_view(reinterpret_cast<const char*>(data), size), ".geojson");
  bcmap::VectorReadOptions options;
  options.path = path;
  options.detectTime = true;  // the time-field detection reads every value too
  std::string err;
  const bcmap::GeoJsonFastResult r = bcmap::readGeoJsonFast(options, &err);
  switch (r.status) {
    case bcmap::GeoJsonFastStatus::Read: checkTable(r.result.table); break;
    case bcmap::GeoJsonFastStatus::Failed: BCMAP_FUZZ_CHECK(!err.empty()); break;
    case bcmap::GeoJsonFastStatus::Declined: BCMAP_FUZZ_CHECK(!r.declined.empty()); break;
  }
  return 0;
}

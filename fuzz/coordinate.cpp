// Harness: the "go to" coordinate parser (nav/CoordinateInput.h) on any text, for a
// projected display CRS (EPSG:3857) and a geographic one. A text is refused with one of
// the known messages, or read as a finite lon/lat in range (which formatLonLat writes and
// parseCoordinate reads back to the same place) or as finite projected x y; resolveGoTo
// places it or says why.
#include <cmath>
#include <string>

#include "FuzzSupport.h"
#include "io/Projection.h"
#include "nav/CoordinateInput.h"

namespace {

bool knownMessage(const std::string& err) {
  for (const char* m : bcmap::coordinate_error::kAll)
    if (err == m) return true;
  return false;
}

void checkParse(std::string_view text, bool geographic, const bcmap::Transformer* toLonLat) {
  using bcmap::CoordinateKind;
  std::string err;
  const std::optional<bcmap::ParsedCoordinate> c = bcmap::parseCoordinate(text, geographic, &err);
  if (!c) {
    BCMAP_FUZZ_CHECK(knownMessage(err));
  } else if (c->kind == CoordinateKind::LonLat) {
    const bcmap::Vec2 v = c->value;
    BCMAP_FUZZ_CHECK(std::isfinite(v.x) && std::isfinite(v.y));
    BCMAP_FUZZ_CHECK(std::abs(v.x) <= 180 && std::abs(v.y) <= 90);
    std::string err2;
    const std::optional<bcmap::ParsedCoordinate> back = bcmap::parseCoordinate(bcmap::formatLonLat(v), geographic, &err2);
    BCMAP_FUZZ_CHECK(back && back->kind == CoordinateKind::LonLat);
    BCMAP_FUZZ_CHECK(std::abs(back->value.x - v.x) <= 1e-6 && std::abs(back->value.y - v.y) <= 1e-6);
  } else {
    BCMAP_FUZZ_CHECK(c->kind == CoordinateKind::Projected && !geographic);
    BCMAP_FUZZ_CHECK(std::isfinite(c->value.x) && std::isfinite(c->value.y));
  }
  if (toLonLat) {
    std::string err3;
    const std::optional<bcmap::GoToTarget> t = bcmap::resolveGoTo(text, *toLonLat, geographic, &err3);
    BCMAP_FUZZ_CHECK(t || knownMessage(err3));
    BCMAP_FUZZ_CHECK(!t || c.has_value());  // resolveGoTo places only what parseCoordinate reads
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::optional<bcmap::Transformer> mercatorToLonLat =
      bcmap::Transformer::create("EPSG:3857", "EPSG:4326", nullptr);
  static const std::optional<bcmap::Transformer> lonLatToLonLat =
      bcmap::Transformer::create("EPSG:4326", "EPSG:4326", nullptr);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  checkParse(text, false, mercatorToLonLat ? &*mercatorToLonLat : nullptr);
  checkParse(text, true, lonLatToLonLat ? &*lonLatToLonLat : nullptr);
  return 0;
}

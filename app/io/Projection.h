// Projection: PROJ set-up, coordinate transformers between CRSs, the display CRS choices,
// and ground distances (geodesic on WGS 84) for the scale bar.
//
// Axis order: every CRS is used in its "visualization" order (proj_normalize_for_
// visualization): x is east (longitude), y is north (latitude), whatever the authority
// says. So EPSG:4326 points are (lon, lat) here, as in GeoJSON.
//
// Threading: a PROJ context (PJ_CONTEXT) must not be used by two threads at once, so each
// Transformer owns its own context. One Transformer may be used by one thread at a time
// (its const methods still use PROJ's internal state); give each thread its own
// Transformer, or guard a shared one. The free functions are thread-safe.
//
// Sections: set-up · Transformer · CRS text · CRS helpers · display CRS choices · ground distance
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/FeatureTable.h"
#include "model/View.h"

namespace bcmap {

// ---- set-up --------------------------------------------------------------------------
// Process-wide PROJ set-up (idempotent, thread-safe): network access (CDN grids) off and
// PROJ's messages routed to bcmap's log, for the default context. Every Transformer does
// the same on its own context. Called by Transformer::create; the app may call it early.
void initProj();

// ---- Transformer -----------------------------------------------------------------------
// Transforms coordinates from one CRS to another, both in visualization axis order.
// Move-only; owns its PROJ context and operation.
class Transformer {
 public:
  // srcCrs/dstCrs: anything proj_create accepts ("EPSG:4326", "ESRI:102025", WKT,
  // "+proj=... +type=crs"). On failure returns nullopt and, if err is given, a message
  // naming both CRSs and PROJ's reason.
  static std::optional<Transformer> create(std::string_view srcCrs, std::string_view dstCrs,
                                           std::string* err);

  Transformer(Transformer&&) noexcept;
  Transformer& operator=(Transformer&&) noexcept;
  Transformer(const Transformer&) = delete;
  Transformer& operator=(const Transformer&) = delete;
  ~Transformer();

  // True when source and target are the same CRS (up to the axis order of geographic
  // CRSs, which normalization removes): every method then returns its input unchanged.
  bool isIdentity() const;
  const std::string& sourceCrs() const;
  const std::string& targetCrs() const;

  // Transforms in place (source -> target). Points PROJ cannot transform (outside the
  // projection's domain, non-finite input) become NaN; *failed (if given) gets their
  // number. Returns true when every point was transformed.
  bool transform(std::span<Vec2> pts, size_t* failed = nullptr) const;
  // Same, target -> source.
  bool inverseTransform(std::span<Vec2> pts, size_t* failed = nullptr) const;

  // One point each way; NaN on failure.
  Vec2 forward(Vec2 p) const;
  Vec2 inverse(Vec2 p) const;

  // The target-CRS bounds of a source-CRS rectangle, with `densify` extra points along each
  // edge (proj_trans_bounds), so curved edges are enclosed. nullopt when PROJ fails (e.g.
  // the rectangle lies outside the target's domain) or src is empty. A geographic target
  // whose result crosses the antimeridian gets minX > maxX, as PROJ reports it.
  std::optional<Bounds> transformBounds(const Bounds& src, int densify = 21) const;

 private:
  struct Impl;
  explicit Transformer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---- CRS text ------------------------------------------------------------------------
// CRS text as a person (or a session file, a plugin) wrote it, made into what PROJ takes as
// a CRS; every entry point (the viewer's CRS box, --crs, the session file, a plugin's source
// CRS) goes through here, so one text means one CRS everywhere. Surrounding blanks go; a
// bare number is an EPSG code ("4326" -> "EPSG:4326"); an authority's name is upper-cased
// ("epsg:3857" -> "EPSG:3857"); a PROJ string has its blanks collapsed and gets "+type=crs"
// when it lacks it (PROJ 6+ reads a bare "+proj=laea ..." as a coordinate operation, not
// a CRS); WKT and PROJJSON pass as written. nullopt when the result is not a CRS PROJ
// knows, with `err` (when given) quoting the text, PROJ's reason and the forms accepted.
std::optional<std::string> normalizeCrs(std::string_view text, std::string* err);

// ---- CRS helpers ---------------------------------------------------------------------
// Whether PROJ can build a CRS from `crs`; if not, err (when given) gets the reason.
bool isValidCrs(std::string_view crs, std::string* err);
// PROJ's name for the CRS ("WGS 84 / Pseudo-Mercator"); for a +proj string, which PROJ
// names "unknown", its projection method ("Lambert Azimuthal Equal Area (+proj)"); "" when
// it is not a valid CRS.
std::string crsName(std::string_view crs);
// Whether the CRS is geographic (lon/lat in degrees); false for invalid CRSs.
bool isGeographicCrs(std::string_view crs);

// ---- display CRS choices -------------------------------------------------------------
struct DisplayCrs {
  const char* code;   // what PROJ takes
  const char* label;  // what the UI shows
};

// The CRSs the viewer offers for display; the first is the default. All exist in the
// Debian proj-data database (ProjectionTest checks each).
inline constexpr std::array<DisplayCrs, 4> kDisplayCrsChoices = {{
    {"EPSG:3857", "Web Mercator (EPSG:3857)"},
    {"EPSG:4550", "CGCS2000 / 3-degree Gauss-Kruger CM 123E (EPSG:4550)"},
    {"EPSG:32651", "WGS 84 / UTM zone 51N (EPSG:32651)"},
    {"ESRI:102025", "Asia North Albers Equal Area Conic (ESRI:102025)"},
}};
inline constexpr const char* kDefaultDisplayCrs = kDisplayCrsChoices[0].code;
inline constexpr const char* kLonLatCrs = "EPSG:4326";

// ---- ground distance -----------------------------------------------------------------
// The geodesic distance in metres between two WGS 84 lon/lat points (degrees), on the
// WGS 84 ellipsoid (PROJ's geodesic routines, Karney 2013). NaN for non-finite input.
double geodesicDistanceM(Vec2 lonLat0, Vec2 lonLat1);

// Metres on the ground per framebuffer pixel at the centre of the view: the geodesic
// distance between the points half a pixel left and right of the centre, mapped to lon/lat
// by displayToLonLat (display CRS -> EPSG:4326). NaN when the centre cannot be mapped.
double groundMetresPerPixel(const View& view, const Transformer& displayToLonLat);

// The map scale denominator (the N of 1:N) for a ground resolution, taking a pixel as
// 0.28 mm, the "standardized rendering pixel" of OGC WMS 1.3 / SLD / WMTS.
inline constexpr double kStandardPixelM = 0.00028;
inline double scaleDenominator(double metresPerPixel) { return metresPerPixel / kStandardPixelM; }

}  // namespace bcmap

// TableBuilder.cpp — sections: dates · feature names · TableBuilder
#include "io/TableBuilder.h"

#include <cmath>

#include "geometry/Gcj02.h"
#include "model/Log.h"

namespace bcmap {

// ---- dates -------------------------------------------------------------------------------

// The text is built by hand because this runs once per date value on the feature path
// (snprintf costs more than the parse).
std::optional<int32_t> dayFromYmd(int year, int month, int day) {
  if (year < 0 || year > 9999 || month < 0 || month > 99 || day < 0 || day > 99) return std::nullopt;
  char buf[10];
  buf[0] = static_cast<char>('0' + year / 1000);
  buf[1] = static_cast<char>('0' + year / 100 % 10);
  buf[2] = static_cast<char>('0' + year / 10 % 10);
  buf[3] = static_cast<char>('0' + year % 10);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + month / 10);
  buf[6] = static_cast<char>('0' + month % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + day / 10);
  buf[9] = static_cast<char>('0' + day % 10);
  return parseDate(std::string_view(buf, sizeof buf));
}

// ---- feature names -----------------------------------------------------------------------
namespace {

// How messages name a feature: its 0-based position in the source, and its id if any.
std::string featureLabel(size_t ordinal, const std::string& id) {
  std::string n = "feature " + std::to_string(ordinal);
  if (!id.empty()) n += " (id " + id + ")";
  return n;
}

std::string unparseableDateMessage(const std::string& prefix, const std::string& field, size_t ordinal,
                                   const std::string& id, const std::string& value) {
  return prefix + ": unparseable date in field '" + field + "' of " + featureLabel(ordinal, id) + ": '" + value +
         "' (expected YYYY-MM-DD)";
}

}  // namespace

// ---- TableBuilder ------------------------------------------------------------------------

TableBuilder::TableBuilder(const ReadPlan& plan, VectorReadResult& result) : plan_(plan), result_(result) {
  result_ = VectorReadResult{};
  result_.crs = plan_.resultCrs();
  FeatureTable& t = result_.table;
  t.geometry.kind = plan_.expectKind != GeometryKind::None ? plan_.expectKind : plan_.layerKind;
  for (const ColumnPlan& c : plan_.columns) {
    AttributeColumn col;
    col.name = c.name;
    col.type = c.type;
    t.columns.push_back(std::move(col));
  }
}

void TableBuilder::reserve(size_t features, size_t parts, size_t rings, size_t vertices) {
  FeatureTable& t = result_.table;
  t.geometry.featureParts.reserve(features + 1);
  t.geometry.partRings.reserve(parts + 1);
  t.geometry.ringVertices.reserve(rings + 1);
  t.geometry.xy.reserve(vertices);
  for (AttributeColumn& c : t.columns) {
    c.isNull.reserve(features);
    switch (c.type) {
      case FieldType::Integer:
      case FieldType::Date: c.ints.reserve(features); break;
      case FieldType::Real: c.reals.reserve(features); break;
      default: c.strings.reserve(features); break;
    }
  }
  if (plan_.id.index >= 0) t.ids.reserve(features);
  if (plan_.hasTime) {
    t.startDay.reserve(features);
    t.endDay.reserve(features);
  }
}

bool TableBuilder::accept(std::span<Vec2> xy, GeometryKind kind, WkbStatus status, size_t ordinal,
                          const std::string& id, std::string* err) {
  auto name = [&] { return featureLabel(ordinal, id); };
  auto skip = [&](const std::string& why) {
    logWarning(plan_.prefix + ": " + name() + " skipped: " + why);
    ++result_.skipped;
    return false;
  };
  switch (status) {
    case WkbStatus::Ok: break;
    case WkbStatus::Mixed: return skip("a geometry collection mixing points, lines and polygons");
    case WkbStatus::Curve: return skip("a curved geometry GDAL could not linearize");
    case WkbStatus::Corrupt: return skip("corrupt geometry (WKB)");
  }
  if (plan_.swapXY)
    for (Vec2& p : xy) std::swap(p.x, p.y);
  for (const Vec2& p : xy) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y))
      return skip("non-finite coordinate (" + std::to_string(p.x) + ", " + std::to_string(p.y) + ")");
    if (plan_.geographic && (std::fabs(p.x) > 180.0 || std::fabs(p.y) > 90.0))
      return skip("longitude/latitude out of range (" + std::to_string(p.x) + ", " + std::to_string(p.y) + ")");
  }
  GeometryKind& tableKind = result_.table.geometry.kind;
  if (kind != GeometryKind::None && kind != tableKind) {
    if (tableKind == GeometryKind::None) {
      tableKind = kind;
    } else if (plan_.expectKind != GeometryKind::None) {
      failed_ = true;
      if (err != nullptr)
        *err = plan_.prefix + ": wrong geometry type: " + name() + " is a " + geometryKindName(kind) +
               ", the layer expects " + geometryKindName(plan_.expectKind) + " features";
      return false;
    } else {
      return skip(std::string("a ") + geometryKindName(kind) + " in a " + geometryKindName(tableKind) + " layer");
    }
  }
  return true;
}

void TableBuilder::commitGeometry(std::span<const Vec2> xy, std::span<const uint32_t> ringSizes,
                                  std::span<const uint32_t> partRingCounts) {
  GeometryColumn& col = result_.table.geometry;
  col.xy.insert(col.xy.end(), xy.begin(), xy.end());
  for (uint32_t n : ringSizes) col.ringVertices.push_back(col.ringVertices.back() + n);
  for (uint32_t n : partRingCounts) col.partRings.push_back(col.partRings.back() + n);
  col.featureParts.push_back(col.featureParts.back() + static_cast<uint32_t>(partRingCounts.size()));
}

void TableBuilder::finish() {
  result_.kind = result_.table.geometry.kind;
  if (plan_.gcj02) gcj02ToWgs84InPlace(result_.table.geometry.xy);
  if (result_.skipped > 0)
    logWarning(plan_.prefix + ": " + std::to_string(result_.skipped) + " feature(s) skipped, " +
               std::to_string(result_.table.featureCount()) + " read");
}

bool TableBuilder::dateError(size_t slot, size_t ordinal, const std::string& id, const std::string& value,
                             std::string* err) {
  if (err != nullptr) *err = unparseableDateMessage(plan_.prefix, plan_.sourceName(slot), ordinal, id, value);
  return false;
}

}  // namespace bcmap

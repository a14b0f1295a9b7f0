// PgReader.cpp — sections: hex WKB · the result's schema · the rows
#include "io/PgReader.h"

#include <ogr_srs_api.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "io/Projection.h"
#include "io/ReadPlan.h"
#include "io/TableBuilder.h"

namespace bcmap {

// ---- hex WKB ----------------------------------------------------------------------------------
WkbStatus readHexWkb(const char* hex, size_t size, std::vector<uint8_t>& bytes, GeometryScratch& out) {
  out.clear();
  bytes.clear();
  if (size % 2 != 0) return WkbStatus::Corrupt;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  bytes.reserve(size / 2);
  for (size_t i = 0; i < size; i += 2) {
    const int a = nib(hex[i]), b = nib(hex[i + 1]);
    if (a < 0 || b < 0) return WkbStatus::Corrupt;
    bytes.push_back(static_cast<uint8_t>(a * 16 + b));
  }
  return readWkb(bytes.data(), bytes.size(), out);
}

uint64_t cellOrderKey(std::string_view text) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a, then splitmix64's finaliser
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

GeometryKind kindOfPgType(const std::string& type) {
  if (type == "POINT" || type == "MULTIPOINT") return GeometryKind::Point;
  if (type == "LINESTRING" || type == "MULTILINESTRING") return GeometryKind::Line;
  if (type == "POLYGON" || type == "MULTIPOLYGON") return GeometryKind::Polygon;
  return GeometryKind::None;
}

// ---- the result's schema ------------------------------------------------------------------------
namespace {

// Built-in type OIDs (pg_type.h: fixed across servers).
enum : unsigned {
  kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kFloat4 = 700, kFloat8 = 701,
  kVarchar = 1043, kDate = 1082, kTimestamp = 1114, kNumeric = 1700
};

// How a column reads: its FieldType, or nullopt for a type whose GDAL reading is not
// reproduced here.
std::optional<FieldType> fieldTypeOf(unsigned oid, int typmod) {
  switch (oid) {
    case kBool:
    case kInt2:
    case kInt4:
    case kInt8: return FieldType::Integer;
    case kFloat4:
    case kFloat8: return FieldType::Real;
    // GDAL: numeric(p, 0) is an integer, numeric(p, s) and plain numeric reals.
    case kNumeric: return typmod >= 4 && ((typmod - 4) & 0xffff) == 0 ? FieldType::Integer : FieldType::Real;
    case kDate:
    case kTimestamp: return FieldType::Date;
    case kText:
    case kVarchar: return FieldType::String;
    default: return std::nullopt;
  }
}

class PgRow {
 public:
  PgRow(const ReadPlan& plan, const PgResult& r, const std::vector<int>& colOf, const std::vector<bool>& boolean)
      : plan_(plan), r_(r), colOf_(colOf), boolean_(boolean) {}
  void at(int row) { row_ = row; }

  bool isNull(size_t slot) const { return r_.isNull(row_, col(slot)); }
  int64_t integer(size_t slot) const {
    const int c = col(slot);
    const char* v = r_.value(row_, c);
    if (boolean_[static_cast<size_t>(c)]) return v[0] == 't' ? 1 : 0;
    return std::strtoll(v, nullptr, 10);
  }
  double real(size_t slot) const { return std::strtod(r_.value(row_, col(slot)), nullptr); }
  void appendString(StringColumn& out, size_t slot) const {
    const int c = col(slot);
    out.push_back(std::string_view(r_.value(row_, c), static_cast<size_t>(r_.length(row_, c))));
  }
  std::optional<int32_t> day(size_t slot) const {
    const int c = plan_.sourceIndex(slot) < 0 ? -1 : col(slot);
    if (c < 0 || r_.isNull(row_, c)) return kNoDay;
    const std::string_view text(r_.value(row_, c), static_cast<size_t>(r_.length(row_, c)));
    if (plan_.readOf(slot) == ValueRead::DateField) return parseDate(text.substr(0, 10));  // date, timestamp
    return dayOfText(text);
  }
  std::string dateText(size_t slot) const { return r_.value(row_, col(slot)); }

 private:
  int col(size_t slot) const { return colOf_[static_cast<size_t>(plan_.sourceIndex(slot))]; }
  const ReadPlan& plan_;
  const PgResult& r_;
  const std::vector<int>& colOf_;
  const std::vector<bool>& boolean_;
  int row_ = 0;
};

std::optional<SourceCrs> crsOfSrid(int srid) {
  SourceCrs out;
  if (srid <= 0) {
    out.text = kLonLatCrs;
    out.geographic = true;
    return out;
  }
  out.text = "EPSG:" + std::to_string(srid);
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  out.geographic = OSRImportFromEPSG(srs, srid) == OGRERR_NONE && OSRIsGeographic(srs) != 0;
  OSRDestroySpatialReference(srs);
  return out;
}

}  // namespace

// ---- the time columns ----------------------------------------------------------------------------
std::optional<DbTimeColumns> pgTimeColumns(PgConnection& pg, const std::string& quotedTable,
                                           const VectorReadOptions& o, std::string* err) {
  DbTimeColumns out;
  if (o.startField.empty() && o.endField.empty() && !o.detectTime) return out;
  std::optional<PgResult> r = pg.query("SELECT * FROM " + quotedTable + " LIMIT 0", {}, err);
  if (!r) return std::nullopt;
  // The columns as a read would type them (the geometry's type is none of these: text).
  SourceSchema schema;
  for (int c = 0; c < r->columns(); ++c)
    schema.fields.push_back({r->name(c), fieldTypeOf(r->type(c), r->typmod(c)).value_or(FieldType::Integer)});
  // Found among the typed date columns only: a text column's ::date in SQL would fail the
  // whole read at the first value that is no date (DbTiles.cpp's dbTimeColumns likewise).
  SourceSchema typed = schema;
  for (SchemaField& f : typed.fields)
    if (f.type != FieldType::Date) f.type = FieldType::Integer;
  auto named = [&](const std::string& name) {
    const int i = schema.find(name);
    return i < 0 ? std::string() : schema.fields[static_cast<size_t>(i)].name;
  };
  out.start = named(o.startField);
  out.end = named(o.endField);
  if (o.detectTime) {
    const DetectedTime d = detectTimeFields(typed);
    if (o.startField.empty() && d.start >= 0) out.start = schema.fields[static_cast<size_t>(d.start)].name;
    if (o.endField.empty() && d.end >= 0 && !out.start.empty() && schema.fields[static_cast<size_t>(d.end)].name != out.start)
      out.end = schema.fields[static_cast<size_t>(d.end)].name;
  }
  return out;
}

// ---- the rows -----------------------------------------------------------------------------------
PgReadOutcome readPgRows(PgConnection& pg, const std::string& sql, const PgReadShape& shape,
                         const VectorReadOptions& o, const std::string& prefix, std::string* err,
                         const std::vector<std::string>& params) {
  PgReadOutcome out;
  auto decline = [&](std::string why) {
    out.status = PgReadStatus::Declined;
    out.declined = std::move(why);
    return std::move(out);
  };
  if (!o.attributeFilter.empty()) return decline("an attribute filter (OGR SQL)");
  std::string why;
  // The geometry types' OIDs (an extension's: they differ between servers).
  auto geoTypes = pg.exec("SELECT oid::bigint FROM pg_type WHERE typname IN ('geometry', 'geography')", {}, &why);
  if (!geoTypes) return decline("the geometry types: " + why);
  std::optional<PgResult> r = pg.query(sql, params, &why);
  if (!r) {
    if (err != nullptr) *err = prefix + ": cannot read: " + why;
    return out;
  }
  auto isGeo = [&](unsigned oid) {
    for (const auto& g : *geoTypes)
      if (std::strtoull(g[0].c_str(), nullptr, 10) == oid) return true;
    return false;
  };
  SourceSchema schema;
  schema.layerKind = shape.layerKind;
  std::vector<int> colOf;
  std::vector<bool> boolean(static_cast<size_t>(r->columns()), false);
  std::vector<bool> supported;
  int geomCol = -1;
  bool fidSeen = false;
  for (int c = 0; c < r->columns(); ++c) {
    const std::string name = r->name(c);
    if (isGeo(r->type(c))) {
      if (geomCol < 0 && name == shape.geomColumn) geomCol = c;
      continue;
    }
    if (!fidSeen && equalNoCase(name, "ogc_fid")) {
      fidSeen = true;
      continue;
    }
    const std::optional<FieldType> type = fieldTypeOf(r->type(c), r->typmod(c));
    boolean[static_cast<size_t>(c)] = r->type(c) == kBool;
    SchemaField f{name, type.value_or(FieldType::String)};
    // An id written as GDAL writes it: integers and text only (a boolean's "t" is GDAL's "1").
    f.usableAsId = type && (*type == FieldType::Integer || *type == FieldType::String) && r->type(c) != kBool &&
                   r->type(c) != kNumeric;
    schema.fields.push_back(std::move(f));
    supported.push_back(type.has_value());
    colOf.push_back(c);
  }
  if (geomCol < 0) return decline("no geometry column " + shape.geomColumn + " in the result");
  std::string declined;
  std::optional<ReadPlan> planned = planRead(schema, o, prefix, err, &declined);
  if (!planned) {
    if (!declined.empty()) return decline(declined);
    return out;
  }
  ReadPlan& plan = *planned;
  const std::vector<bool> used = plan.usedFields(schema.fields.size());
  for (size_t i = 0; i < used.size(); ++i)
    if (used[i] && !supported[i]) return decline("column " + schema.fields[i].name + " of a type read through GDAL");
  if (!planCrs(plan, o, [&](std::string*) { return crsOfSrid(shape.srid); }, err)) return out;

  VectorReadResult result;
  TableBuilder builder(plan, result);
  const auto n = static_cast<size_t>(r->rows());
  builder.reserve(n, n, n, n);
  GeometryScratch scratch;
  std::vector<uint8_t> wkb;
  PgRow row(plan, *r, colOf, boolean);
  std::vector<int> order(static_cast<size_t>(r->rows()));
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  if (shape.gridCells) {
    std::vector<uint64_t> key(order.size());
    for (size_t i = 0; i < order.size(); ++i) key[i] = cellOrderKey(std::string_view(r->value(static_cast<int>(i), geomCol),
                                                   static_cast<size_t>(r->length(static_cast<int>(i), geomCol))));
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      const auto ka = key[static_cast<size_t>(a)], kb = key[static_cast<size_t>(b)];
      return ka != kb ? ka < kb : a < b;
    });
  }
  for (int i : order) {
    row.at(i);
    std::string id;
    if (plan.id.index >= 0 && !r->isNull(i, colOf[static_cast<size_t>(plan.id.index)]))
      id = r->value(i, colOf[static_cast<size_t>(plan.id.index)]);
    WkbStatus status = WkbStatus::Ok;
    scratch.clear();
    if (!r->isNull(i, geomCol))
      status = readHexWkb(r->value(i, geomCol), static_cast<size_t>(r->length(i, geomCol)), wkb, scratch);
    const auto ordinal = static_cast<size_t>(i);
    if (!builder.accept(scratch, status, ordinal, id, err)) {
      if (builder.failed()) return out;
      continue;
    }
    if (!builder.appendValues(row, ordinal, std::move(id), err)) return out;
    builder.commitGeometry(scratch);
  }
  builder.finish();
  out.status = PgReadStatus::Read;
  out.result = std::move(result);
  return out;
}

}  // namespace bcmap

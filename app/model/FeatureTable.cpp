#include "model/FeatureTable.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>

namespace bcmap {

const char* geometryKindName(GeometryKind kind) {
  switch (kind) {
    case GeometryKind::None: return "none";
    case GeometryKind::Point: return "point";
    case GeometryKind::Line: return "line";
    case GeometryKind::Polygon: return "polygon";
  }
  return "?";
}

Bounds GeometryColumn::bounds() const {
  Bounds b;
  for (const Vec2& p : xy)
    if (std::isfinite(p.x) && std::isfinite(p.y)) b.add(p.x, p.y);
  return b;
}

Bounds GeometryColumn::featureBounds(size_t feature) const {
  Bounds b;
  const uint32_t r0 = partRings[featureParts[feature]];
  const uint32_t r1 = partRings[featureParts[feature + 1]];
  for (uint32_t v = ringVertices[r0]; v < ringVertices[r1]; ++v)
    if (std::isfinite(xy[v].x) && std::isfinite(xy[v].y)) b.add(xy[v].x, xy[v].y);
  return b;
}

void GeometryColumn::clear() {
  xy.clear();
  ringVertices.assign(1, 0);
  partRings.assign(1, 0);
  featureParts.assign(1, 0);
}

// ---- StringColumn ----------------------------------------------------------------------

namespace {
uint32_t hashOf(std::string_view v) { return static_cast<uint32_t>(std::hash<std::string_view>{}(v)); }
}  // namespace

void StringColumn::appendValue(std::string_view v) {
  bytes_.append(v);
  const uint64_t end = bytes_.size();
  if (!wide_ && end > std::numeric_limits<uint32_t>::max()) {
    wideOffsets_.assign(offsets_.begin(), offsets_.end());
    offsets_.clear();
    offsets_.shrink_to_fit();
    wide_ = true;
  }
  if (wide_)
    wideOffsets_.push_back(end);
  else
    offsets_.push_back(static_cast<uint32_t>(end));
}

void StringColumn::push_back(std::string_view v) {
  if (!coded_) {
    appendValue(v);
    return;
  }
  const uint32_t h = hashOf(v);
  for (size_t k = 0; k < hashes_.size(); ++k) {
    if (hashes_[k] == h && valueAt(k) == v) {
      codes_.push_back(static_cast<uint8_t>(k));
      return;
    }
  }
  if (hashes_.size() < kMaxCodes) {
    appendValue(v);
    hashes_.push_back(h);
    codes_.push_back(static_cast<uint8_t>(hashes_.size() - 1));
    return;
  }
  uncode();
  appendValue(v);
}

// The distinct values become the rows' values, in row order, in a new buffer.
void StringColumn::uncode() {
  StringColumn plain;
  plain.coded_ = false;
  size_t total = 0;
  for (uint8_t k : codes_) total += valueAt(k).size();
  plain.bytes_.reserve(total + total / 4);
  plain.offsets_.reserve(codes_.capacity() + 1);
  for (uint8_t k : codes_) plain.appendValue(valueAt(k));
  *this = std::move(plain);
}

void StringColumn::reserve(size_t rows) {
  if (coded_)
    codes_.reserve(rows);
  else if (wide_)
    wideOffsets_.reserve(rows + 1);
  else
    offsets_.reserve(rows + 1);
}

void StringColumn::clear() { *this = StringColumn(); }

void StringColumn::shrink_to_fit() {
  bytes_.shrink_to_fit();
  offsets_.shrink_to_fit();
  wideOffsets_.shrink_to_fit();
  codes_.shrink_to_fit();
  hashes_.shrink_to_fit();
}

bool StringColumn::assignRaw(bool coded, std::string bytes, const std::vector<uint64_t>& offsets,
                             std::vector<uint8_t> codes) {
  clear();
  // Offsets start at 0, ascend and end at the buffer's size; codes name a distinct value.
  bool ok = !offsets.empty() && offsets.front() == 0 && offsets.back() == bytes.size();
  for (size_t i = 1; ok && i < offsets.size(); ++i) ok = offsets[i - 1] <= offsets[i];
  if (coded) {
    ok = ok && offsets.size() - 1 <= kMaxCodes;
    for (size_t i = 0; ok && i < codes.size(); ++i) ok = codes[i] < offsets.size() - 1;
  } else {
    ok = ok && codes.empty();
  }
  if (!ok) return false;
  coded_ = coded;
  bytes_ = std::move(bytes);
  if (bytes_.size() > std::numeric_limits<uint32_t>::max()) {
    wide_ = true;
    wideOffsets_ = offsets;
    offsets_.clear();
  } else {
    offsets_.assign(offsets.begin(), offsets.end());
  }
  codes_ = std::move(codes);
  if (coded_)
    for (size_t k = 0; k + 1 < offsetCount(); ++k) hashes_.push_back(hashOf(valueAt(k)));
  return true;
}

// ---- AttributeColumn -------------------------------------------------------------------

std::string AttributeColumn::text(size_t row) const {
  if (row >= isNull.size() || isNull[row]) return {};
  switch (type) {
    case FieldType::Integer: return std::to_string(ints[row]);
    case FieldType::Real: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.10g", reals[row]);
      return buf;
    }
    case FieldType::String: return std::string(strings[row]);
    case FieldType::Date: return formatDate(static_cast<int32_t>(ints[row]));
    case FieldType::Invalid: break;
  }
  return {};
}

double AttributeColumn::number(size_t row) const {
  if (row >= isNull.size() || isNull[row]) return std::nan("");
  switch (type) {
    case FieldType::Integer:
    case FieldType::Date: return static_cast<double>(ints[row]);
    case FieldType::Real: return reals[row];
    case FieldType::String: {
      double v = 0;
      const std::string_view s = strings[row];
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      return ec == std::errc() && ptr == s.data() + s.size() ? v : std::nan("");
    }
    case FieldType::Invalid: break;
  }
  return std::nan("");
}

const AttributeColumn* FeatureTable::column(std::string_view name) const {
  const int i = columnIndex(name);
  return i < 0 ? nullptr : &columns[static_cast<size_t>(i)];
}

int FeatureTable::columnIndex(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return static_cast<int>(i);
  return -1;
}

std::string FeatureTable::featureId(size_t feature) const {
  if (feature < ids.size() && !ids[feature].empty()) return ids[feature];
  return std::to_string(feature);
}

// Civil-from-days and days-from-civil after Howard Hinnant's public-domain algorithms
// (proleptic Gregorian calendar).
static int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int32_t> parseDate(std::string_view text) {
  // Accept YYYY-MM-DD, optionally followed by a time part ("T..." or " ...") we ignore.
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  int y = 0, m = 0, d = 0;
  auto num = [&](size_t at, size_t len, int& out) {
    auto [p, ec] = std::from_chars(text.data() + at, text.data() + at + len, out);
    return ec == std::errc() && p == text.data() + at + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const int maxDay = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > maxDay) return std::nullopt;
  return static_cast<int32_t>(daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
}

std::string formatDate(int32_t day) {
  if (day == kNoDay) return {};
  int64_t z = static_cast<int64_t>(day) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

}  // namespace bcmap

// Sections: 1. reading the text  2. making a coordinate of the values  3. formatting
#include "nav/CoordinateInput.h"

#include <charconv>
#include <cstdio>
#include <vector>

#include "io/Projection.h"

namespace bcmap {

namespace {

// ---- 1. reading the text --------------------------------------------------------------------
enum class Unit : uint8_t { None = 0, Degree = 1, Minute = 2, Second = 3 };

// One value as typed: degrees (or a plain number), optional minutes and seconds, and the
// hemisphere letter before or after it.
struct Value {
  double degrees = 0, minutes = NAN, seconds = NAN;
  bool negative = false;
  bool dms = false;  // typed with a degree sign
  char hemisphere = 0;  // 'N', 'S', 'E', 'W' or 0
  bool closed = false;  // a separator or a trailing letter ended it
};

bool isLatHemisphere(char h) { return h == 'N' || h == 'S'; }

// Matches `word` at text[i]; advances i past it.
bool eat(std::string_view text, size_t& i, std::string_view word) {
  if (text.substr(i, word.size()) != word) return false;
  i += word.size();
  return true;
}

// Full-width ASCII (what a Chinese input method types) and the ideographic space made
// ASCII; everything else kept.
std::string halfWidth(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    // U+FF01..U+FF5E is EF BC 81..EF BD 9E; U+3000 is E3 80 80.
    if (i + 2 < text.size() && b(i) == 0xEF && (b(i + 1) == 0xBC || b(i + 1) == 0xBD)) {
      const unsigned full = 0xF000u | ((b(i + 1) & 0x3Fu) << 6) | (b(i + 2) & 0x3Fu);
      if (full >= 0xFF01 && full <= 0xFF5E) {
        out += static_cast<char>(full - 0xFEE0);
        i += 3;
        continue;
      }
    }
    if (i + 2 < text.size() && b(i) == 0xE3 && b(i + 1) == 0x80 && b(i + 2) == 0x80) {
      out += ' ';
      i += 3;
      continue;
    }
    out += text[i++];
  }
  return out;
}

bool fail(std::string* err, const char* why) {
  if (err) *err = why;
  return false;
}

// Splits the text into values. False (with err) on anything that is not a coordinate.
bool readValues(std::string_view text, std::vector<Value>& values, std::string* err) {
  char pending = 0;  // a hemisphere letter waiting for the value after it
  const auto open = [&]() -> Value* { return values.empty() || values.back().closed ? nullptr : &values.back(); };
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    if (c == ',' || c == ';') {
      if (Value* v = open()) v->closed = true;
      ++i;
      continue;
    }
    if (c == '(') {  // a note to the end: "(EPSG:3857 ...)"
      const size_t close = text.find_last_not_of(" \t");
      if (text[close] != ')') return fail(err, coordinate_error::kUnexpected);
      break;
    }
    // A hemisphere: a letter, or 北纬 南纬 东经 西经.
    char h = 0;
    if (c == 'N' || c == 'n' || c == 'S' || c == 's' || c == 'E' || c == 'e' || c == 'W' || c == 'w') {
      h = static_cast<char>(c & ~0x20);
      ++i;
    } else if (eat(text, i, "北纬")) {
      h = 'N';
    } else if (eat(text, i, "南纬")) {
      h = 'S';
    } else if (eat(text, i, "东经")) {
      h = 'E';
    } else if (eat(text, i, "西经")) {
      h = 'W';
    }
    if (h) {
      Value* v = open();
      if (v && v->hemisphere == 0) {  // after its value
        v->hemisphere = h;
        v->closed = true;
      } else {  // before the next value
        if (v) v->closed = true;
        if (pending) return fail(err, coordinate_error::kHemisphere);
        pending = h;
      }
      continue;
    }
    // A number, then its unit.
    if (c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) {
      const bool negative = c == '-';
      if (c == '+' || c == '-') ++i;
      double x = 0;
      const auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), x, std::chars_format::fixed);
      if (ec != std::errc{}) return fail(err, coordinate_error::kUnexpected);
      i = static_cast<size_t>(end - text.data());
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      Unit unit = Unit::None;
      if (eat(text, i, "°") || eat(text, i, "º") || eat(text, i, "度")) {
        unit = Unit::Degree;
      } else if (eat(text, i, "''") || eat(text, i, "\"") || eat(text, i, "″") || eat(text, i, "”") ||
                 eat(text, i, "秒")) {
        unit = Unit::Second;
      } else if (eat(text, i, "'") || eat(text, i, "′") || eat(text, i, "’") || eat(text, i, "分")) {
        unit = Unit::Minute;
      }
      Value* v = open();
      if (unit == Unit::Minute || unit == Unit::Second) {
        // Minutes, then seconds, each once, after degrees; seconds may come without minutes.
        if (!v || !v->dms || negative || !std::isnan(v->seconds) ||
            (unit == Unit::Minute && !std::isnan(v->minutes)) || !(x < 60))
          return fail(err, coordinate_error::kDms);
        (unit == Unit::Minute ? v->minutes : v->seconds) = x;
        continue;
      }
      if (v) v->closed = true;
      Value n;
      n.degrees = x;
      n.negative = negative;
      n.dms = unit == Unit::Degree;
      n.hemisphere = pending;
      pending = 0;
      if (n.negative && n.hemisphere) return fail(err, coordinate_error::kSign);
      values.push_back(n);
      continue;
    }
    return fail(err, coordinate_error::kUnexpected);
  }
  if (pending) return fail(err, coordinate_error::kHemisphere);
  for (const Value& v : values)
    if (v.negative && v.hemisphere) return fail(err, coordinate_error::kSign);
  return true;
}

double signedDegrees(const Value& v) {
  double mag = v.degrees;
  if (!std::isnan(v.minutes)) mag += v.minutes / 60;
  if (!std::isnan(v.seconds)) mag += v.seconds / 3600;
  const bool negative = v.negative || v.hemisphere == 'S' || v.hemisphere == 'W';
  return negative ? -mag : mag;
}

}  // namespace

// ---- 2. making a coordinate of the values ---------------------------------------------------
std::optional<ParsedCoordinate> parseCoordinate(std::string_view input, bool displayIsGeographic, std::string* err) {
  const std::string text = halfWidth(input);
  if (text.find_first_not_of(" \t") == std::string::npos) {
    if (err) *err = coordinate_error::kEmpty;
    return std::nullopt;
  }
  std::vector<Value> values;
  if (!readValues(text, values, err)) return std::nullopt;
  if (values.size() != 2) {
    if (err) *err = values.empty() ? coordinate_error::kEmpty : coordinate_error::kCount;
    return std::nullopt;
  }
  const Value &a = values[0], &b = values[1];
  const double va = signedDegrees(a), vb = signedDegrees(b);
  const auto lonLat = [&](double lon, double lat) -> std::optional<ParsedCoordinate> {
    if (!(std::abs(lon) <= 180 && std::abs(lat) <= 90)) {
      if (err) *err = coordinate_error::kRange;
      return std::nullopt;
    }
    return ParsedCoordinate{CoordinateKind::LonLat, {lon, lat}};
  };
  if (a.hemisphere || b.hemisphere) {
    // The value with a letter says which axis it is; the other is the other axis.
    const bool aLat = a.hemisphere ? isLatHemisphere(a.hemisphere) : !isLatHemisphere(b.hemisphere);
    const bool bLat = b.hemisphere ? isLatHemisphere(b.hemisphere) : !aLat;
    if (aLat == bLat) {
      if (err) *err = coordinate_error::kHemisphere;
      return std::nullopt;
    }
    return aLat ? lonLat(vb, va) : lonLat(va, vb);
  }
  if (std::abs(va) <= 180 && std::abs(vb) <= 90) return lonLat(va, vb);
  if (std::abs(va) <= 90 && std::abs(vb) <= 180) return lonLat(vb, va);  // typed lat first
  if (a.dms || b.dms || displayIsGeographic) {
    if (err) *err = coordinate_error::kRange;
    return std::nullopt;
  }
  return ParsedCoordinate{CoordinateKind::Projected, {va, vb}};
}

std::optional<GoToTarget> resolveGoTo(std::string_view text, const Transformer& displayToLonLat, bool displayIsGeographic,
                                      std::string* err) {
  const std::optional<ParsedCoordinate> c = parseCoordinate(text, displayIsGeographic, err);
  if (!c) return std::nullopt;
  GoToTarget t;
  if (c->kind == CoordinateKind::LonLat) {
    t.lonLat = c->value;
    t.world = displayToLonLat.inverse(c->value);
  } else {
    t.world = c->value;
    t.lonLat = displayToLonLat.forward(c->value);
  }
  const auto finite = [](Vec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); };
  if (!finite(t.world) || !finite(t.lonLat)) {
    if (err) *err = coordinate_error::kOutside;
    return std::nullopt;
  }
  return t;
}

// ---- 3. formatting --------------------------------------------------------------------------
std::string formatLonLat(Vec2 lonLat) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f, %.6f", lonLat.x, lonLat.y);
  return buf;
}

std::string formatDisplayXy(Vec2 xy, bool displayIsGeographic) {
  char buf[96];
  std::snprintf(buf, sizeof buf, displayIsGeographic ? "%.6f, %.6f" : "%.2f, %.2f", xy.x, xy.y);
  return buf;
}

std::string formatCursorCoordinate(Vec2 lonLat, Vec2 displayXy, std::string_view displayCrs, bool displayIsGeographic) {
  if (!std::isfinite(lonLat.x) || !std::isfinite(lonLat.y)) return {};
  std::string out = formatLonLat(lonLat);
  if (!displayIsGeographic && std::isfinite(displayXy.x) && std::isfinite(displayXy.y))
    out += " (" + std::string(displayCrs) + " " + formatDisplayXy(displayXy, false) + ")";
  return out;
}

}  // namespace bcmap

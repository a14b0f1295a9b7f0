// bcmap plugin SDK, section 4: dates, colours, values by name.
// Part of <bcmap/bcmap_plugin.hpp>, which includes the parts in order: include that, not
// this file. (The wrapper is split only to keep each file readable.)
#pragma once

#include "legacy.hpp"

namespace bcmap::sdk {

// ---- 4. dates, colours, values by name -------------------------------------------------
// A day: days since 1970-01-01 (the ABI's day numbers), with its proleptic Gregorian y/m/d.
struct Date {
  int32_t day = BCMAP_NO_DAY;
  static Date fromCivil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;  // years start in March so the leap day is last
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return Date{int32_t(era * 146097 + int64_t(doe) - 719468)};
  }
  // "YYYY-MM-DD" (what the host passes as a date's text); nullopt if it is not one.
  static std::optional<Date> parse(std::string_view s) {
    int y = 0, m = 0, d = 0;
    auto num = [&](size_t at, size_t n, int& out) {
      const auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + n, out);
      return ec == std::errc() && end == s.data() + at + n;
    };
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d) || m < 1 ||
        m > 12 || d < 1 || d > 31)
      return std::nullopt;
    return fromCivil(y, unsigned(m), unsigned(d));
  }
  bool isOpen() const { return day == BCMAP_NO_DAY; }
  // The civil date (only for a real day).
  void civil(int& y, int& m, int& d) const {
    const int64_t z = int64_t(day) + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = int(doy - (153 * mp + 2) / 5 + 1);
    m = int(mp < 10 ? mp + 3 : mp - 9);
    y = int(int64_t(yoe) + era * 400 + (m <= 2));
  }
  int year() const { int y, m, d; civil(y, m, d); return y; }
  int month() const { int y, m, d; civil(y, m, d); return m; }
  int dayOfMonth() const { int y, m, d; civil(y, m, d); return d; }
  std::string text() const {
    if (isOpen()) return {};
    int y, m, d;
    civil(y, m, d);
    char buf[40];  // room for any int, so no truncation warning
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
  }
  friend bool operator==(Date, Date) = default;
};

// "#rrggbb" or "#rrggbbaa" (alpha 255 when absent); nullopt for anything else.
inline std::optional<bcmap_rgba> parseColour(std::string_view hex) {
  if ((hex.size() != 7 && hex.size() != 9) || hex[0] != '#') return std::nullopt;
  uint32_t v = 0;
  const auto [end, ec] = std::from_chars(hex.data() + 1, hex.data() + hex.size(), v, 16);
  if (ec != std::errc() || end != hex.data() + hex.size()) return std::nullopt;
  if (hex.size() == 7) return rgba(uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v), 255);
  return rgba(uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v));
}

// One value of a row, read as the type the plugin wants. Non-owning: valid as long as the
// row it came from (the duration of the host's call).
class Value {
 public:
  Value(const char* name, uint32_t type, const bcmap_value_v1* v) : name_(name), type_(type), v_(v) {}
  bool isNull() const { return !v_ || v_->is_null; }
  // The text form (the host gives every value one; dates as YYYY-MM-DD); `ifNull` when null.
  std::string text(std::string_view ifNull = "") const {
    if (isNull()) return std::string(ifNull);
    if (v_->str_value) return v_->str_value;
    if (type_ == BCMAP_FIELD_DATE) return Date{int32_t(v_->int_value)}.text();
    if (type_ == BCMAP_FIELD_REAL) return std::to_string(v_->real_value);
    return std::to_string(v_->int_value);
  }
  int64_t asInt() const {
    need();
    if (type_ == BCMAP_FIELD_INTEGER || type_ == BCMAP_FIELD_DATE || !v_->str_value) {
      if (type_ == BCMAP_FIELD_REAL) return int64_t(std::llround(v_->real_value));
      return v_->int_value;
    }
    if (type_ == BCMAP_FIELD_REAL) return int64_t(std::llround(v_->real_value));
    int64_t out = 0;
    const std::string_view s = v_->str_value;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || end != s.data() + s.size()) bad("an integer");
    return out;
  }
  double asDouble() const {
    need();
    if (type_ == BCMAP_FIELD_REAL) return v_->real_value;
    if (type_ == BCMAP_FIELD_INTEGER || type_ == BCMAP_FIELD_DATE || !v_->str_value) return double(v_->int_value);
    char* end = nullptr;
    const double out = std::strtod(v_->str_value, &end);
    if (end == v_->str_value || *end) bad("a number");
    return out;
  }
  // A date: the day number (Date::day), or y/m/d through Date. Null: an open date.
  Date asDate() const {
    if (isNull()) return Date{};
    if (type_ == BCMAP_FIELD_DATE || !v_->str_value) return Date{int32_t(v_->int_value)};
    if (auto d = Date::parse(v_->str_value)) return *d;
    bad("a date (YYYY-MM-DD)");
  }
  // 1/true/yes (any case) as from a Boolean, 0/1 integer or text field.
  bool asBool() const {
    if (isNull()) return false;
    std::string s = text();
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s == "1" || s == "true" || s == "yes";
  }
  const bcmap_value_v1& raw() const { need(); return *v_; }

 private:
  void need() const {
    if (isNull()) throw Error(std::string("field '") + name_ + "' is null");
  }
  [[noreturn]] void bad(const char* what) const {
    throw Error(std::string("field '") + name_ + "': '" + v_->str_value + "' is not " + what);
  }
  const char* name_;
  uint32_t type_;
  const bcmap_value_v1* v_;
};

// A row of values with its field names: row["jobs"].asInt(). An unknown name throws an
// Error that lists the fields the row has.
class Row {
 public:
  Row(const bcmap_field_v1* fields, const bcmap_value_v1* values, uint32_t count)
      : fields_(fields), values_(values), count_(count) {}
  Value operator[](std::string_view name) const {
    const int k = find(name);
    if (k < 0) {
      std::string names;
      for (uint32_t i = 0; i < count_; ++i) names += std::string(i ? ", " : "") + fields_[i].name;
      throw Error("no field '" + std::string(name) + "'; the fields are: " + names);
    }
    return at(uint32_t(k));
  }
  bool has(std::string_view name) const { return find(name) >= 0; }
  // The value, or a null one when the row has no such field.
  Value get(std::string_view name) const {
    const int k = find(name);
    return k < 0 ? Value("", BCMAP_FIELD_INVALID, nullptr) : at(uint32_t(k));
  }
  uint32_t size() const { return count_; }
  Value at(uint32_t k) const { return Value(fields_[k].name, fields_[k].type, values_ + k); }
  std::string fieldName(uint32_t k) const { return fields_[k].name ? fields_[k].name : ""; }
  const bcmap_value_v1* raw() const { return values_; }

 private:
  int find(std::string_view name) const {
    for (uint32_t i = 0; i < count_; ++i)
      if (fields_[i].name && name == fields_[i].name) return int(i);
    return -1;
  }
  const bcmap_field_v1* fields_;
  const bcmap_value_v1* values_;
  uint32_t count_;
};

}  // namespace bcmap::sdk

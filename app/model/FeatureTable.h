// FeatureTable: one layer's features in columns — geometry (double, source or display
// CRS), attributes, ids and time spans. Plugins fill it through the loader; projection,
// triangulation, the spatial index and the renderer read it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bcmap {

enum class GeometryKind : uint8_t { None = 0, Point = 1, Line = 2, Polygon = 3 };
enum class FieldType : uint8_t { Invalid = 0, Integer = 1, Real = 2, String = 3, Date = 4 };

const char* geometryKindName(GeometryKind kind);

struct Vec2 {
  double x = 0, y = 0;
};

struct Bounds {
  double minX = std::numeric_limits<double>::infinity();
  double minY = std::numeric_limits<double>::infinity();
  double maxX = -std::numeric_limits<double>::infinity();
  double maxY = -std::numeric_limits<double>::infinity();
  bool empty() const { return !(minX <= maxX && minY <= maxY); }
  void add(double x, double y) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  void add(Vec2 p) { add(p.x, p.y); }
  void add(const Bounds& b) {
    if (b.empty()) return;
    add(b.minX, b.minY);
    add(b.maxX, b.maxY);
  }
  double width() const { return maxX - minX; }
  double height() const { return maxY - minY; }
};

// One offsets column of a GeometryColumn: n+1 ascending offsets, read like a vector.
// While every offset equals its index (0, 1, 2, ...: each point one ring, each ring one
// part, each feature one part) it stores nothing but the count — a million single points
// then cost no offsets at all (issue 11) — and it turns explicit at the first offset that
// breaks the pattern. There is no writable operator[], so reading through a non-const
// column can never make it explicit by accident; set() writes one offset.
class OffsetColumn {
 public:
  OffsetColumn() = default;
  OffsetColumn(std::initializer_list<uint32_t> values) { assignValues(values.begin(), values.end()); }
  explicit OffsetColumn(const std::vector<uint32_t>& values) { assignValues(values.begin(), values.end()); }
  OffsetColumn& operator=(std::initializer_list<uint32_t> values) {
    assignValues(values.begin(), values.end());
    return *this;
  }

  uint32_t operator[](size_t i) const { return explicit_ ? values_[i] : static_cast<uint32_t>(i); }
  size_t size() const { return explicit_ ? values_.size() : count_; }
  bool empty() const { return size() == 0; }
  uint32_t back() const { return (*this)[size() - 1]; }
  // True while the offsets are the identity and take no memory.
  bool implicit() const { return !explicit_; }
  size_t heapBytes() const { return values_.capacity() * sizeof(uint32_t); }

  void push_back(uint32_t v) {  // NOLINT(readability-identifier-naming): reads like the vector it replaces
    if (!explicit_ && v == count_) {
      ++count_;
      return;
    }
    makeExplicit();
    values_.push_back(v);
  }
  // Capacity only matters once explicit: the identity needs none.
  void reserve(size_t n) {
    if (explicit_) values_.reserve(n);
  }
  void assign(size_t n, uint32_t v) {
    clearAll();
    for (size_t i = 0; i < n; ++i) push_back(v);
  }
  // New offsets are the identity's (i), so a resize followed by set() of the same values
  // stays implicit.
  void resize(size_t n) {
    if (!explicit_) {
      count_ = n;
      return;
    }
    const size_t old = values_.size();
    values_.resize(n);
    for (size_t i = old; i < n; ++i) values_[i] = static_cast<uint32_t>(i);
  }
  void set(size_t i, uint32_t v) {
    if (!explicit_ && v == i) return;
    makeExplicit();
    values_[i] = v;
  }
  void shrink_to_fit() { values_.shrink_to_fit(); }  // NOLINT(readability-identifier-naming)
  std::vector<uint32_t> toVector() const {
    std::vector<uint32_t> out(size());
    for (size_t i = 0; i < out.size(); ++i) out[i] = (*this)[i];
    return out;
  }

  friend bool operator==(const OffsetColumn& a, const OffsetColumn& b) {
    if (a.size() != b.size()) return false;
    if (a.implicit() && b.implicit()) return true;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  friend bool operator==(const OffsetColumn& a, const std::vector<uint32_t>& b) { return a == OffsetColumn(b); }
  friend std::ostream& operator<<(std::ostream& os, const OffsetColumn& c) {
    os << '{';
    for (size_t i = 0; i < c.size(); ++i) os << (i ? ", " : "") << c[i];
    return os << '}';
  }

 private:
  template <class It>
  void assignValues(It first, It last) {
    clearAll();
    for (; first != last; ++first) push_back(*first);
  }
  void clearAll() {
    explicit_ = false;
    count_ = 0;
    values_.clear();
    values_.shrink_to_fit();
  }
  void makeExplicit() {
    if (explicit_) return;
    values_.resize(count_);
    for (size_t i = 0; i < count_; ++i) values_[i] = static_cast<uint32_t>(i);
    explicit_ = true;
  }

  bool explicit_ = false;
  size_t count_ = 1;  // implicit: offsets 0 .. count_-1
  std::vector<uint32_t> values_;
};

// Columnar geometry. Feature f owns parts [featureParts[f], featureParts[f+1]);
// part p owns rings [partRings[p], partRings[p+1]) (polygons: ring 0 outer, then holes;
// lines and points: one ring a part); ring r owns vertices [ringVertices[r],
// ringVertices[r+1]). Points: one vertex per ring, and a column of single points keeps all
// three offsets implicit (OffsetColumn).
struct GeometryColumn {
  GeometryKind kind = GeometryKind::None;
  std::vector<Vec2> xy;
  OffsetColumn ringVertices;
  OffsetColumn partRings;
  OffsetColumn featureParts;

  size_t featureCount() const { return featureParts.size() - 1; }
  size_t partCount() const { return partRings.size() - 1; }
  size_t ringCount() const { return ringVertices.size() - 1; }
  Bounds bounds() const;
  Bounds featureBounds(size_t feature) const;
  void clear();
};

// The null flags of an attribute column: one per row, read like a vector of 0/1. While no
// row is null (most columns of most files) it stores nothing but the count — a column of a
// million values without nulls saves 1 MB (issue 11) — and it turns explicit at the first
// null. Writing through [] goes through set(), so it never turns explicit by accident.
class NullFlags {
 public:
  NullFlags() = default;
  NullFlags(std::initializer_list<uint8_t> values) { assignValues(values.begin(), values.end()); }
  NullFlags(const std::vector<uint8_t>& values) { assignValues(values.begin(), values.end()); }  // NOLINT(google-explicit-constructor): replaces a vector
  NullFlags& operator=(std::initializer_list<uint8_t> values) {
    assignValues(values.begin(), values.end());
    return *this;
  }

  class Ref {
   public:
    Ref(NullFlags& flags, size_t i) : flags_(flags), i_(i) {}
    operator uint8_t() const { return std::as_const(flags_)[i_]; }  // NOLINT(google-explicit-constructor)
    Ref& operator=(uint8_t v) {
      flags_.set(i_, v);
      return *this;
    }

   private:
    NullFlags& flags_;
    size_t i_;
  };
  uint8_t operator[](size_t i) const { return explicit_ ? values_[i] : uint8_t{0}; }
  Ref operator[](size_t i) { return {*this, i}; }
  size_t size() const { return explicit_ ? values_.size() : count_; }
  bool empty() const { return size() == 0; }
  // True while no row is null and the flags take no memory.
  bool implicit() const { return !explicit_; }
  size_t heapBytes() const { return values_.capacity(); }

  void push_back(uint8_t v) {  // NOLINT(readability-identifier-naming): reads like the vector it replaces
    if (!explicit_ && !v) {
      ++count_;
      return;
    }
    makeExplicit();
    values_.push_back(v ? 1 : 0);
  }
  void reserve(size_t n) {
    if (explicit_) values_.reserve(n);
  }
  void assign(size_t n, uint8_t v) {
    clearAll();
    if (!v) {
      count_ = n;
      return;
    }
    explicit_ = true;
    values_.assign(n, 1);
  }
  void resize(size_t n) {
    if (explicit_)
      values_.resize(n, 0);
    else
      count_ = n;
  }
  void set(size_t i, uint8_t v) {
    if (!explicit_ && !v) return;
    makeExplicit();
    values_[i] = v ? 1 : 0;
  }
  void clear() { clearAll(); }
  void shrink_to_fit() { values_.shrink_to_fit(); }  // NOLINT(readability-identifier-naming)
  std::vector<uint8_t> toVector() const {
    std::vector<uint8_t> out(size());
    for (size_t i = 0; i < out.size(); ++i) out[i] = (*this)[i];
    return out;
  }

  friend bool operator==(const NullFlags& a, const NullFlags& b) {
    if (a.size() != b.size()) return false;
    if (a.implicit() && b.implicit()) return true;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  friend bool operator==(const NullFlags& a, const std::vector<uint8_t>& b) { return a == NullFlags(b); }
  friend std::ostream& operator<<(std::ostream& os, const NullFlags& c) {
    os << '{';
    for (size_t i = 0; i < c.size(); ++i) os << (i ? ", " : "") << int(c[i]);
    return os << '}';
  }

 private:
  template <class It>
  void assignValues(It first, It last) {
    clearAll();
    for (; first != last; ++first) push_back(*first);
  }
  void clearAll() {
    explicit_ = false;
    count_ = 0;
    values_.clear();
    values_.shrink_to_fit();
  }
  void makeExplicit() {
    if (explicit_) return;
    values_.assign(count_, 0);
    explicit_ = true;
  }

  bool explicit_ = false;
  size_t count_ = 0;  // implicit: this many rows, none null
  std::vector<uint8_t> values_;
};

// The strings of an attribute column: every value in one byte buffer, read like a vector of
// std::string_view. A column of few distinct values (a class, a state, a county: at most
// kMaxCodes) keeps each distinct value once and one byte per row naming it; a column that
// outgrows that (names, codes) turns into one offset per row into the buffer — a million
// "测点 000001" cost 17 B each instead of a std::string's 32 (issue 11). Offsets are 32-bit
// until the buffer passes 4 GiB. A view stays valid until the column next changes.
class StringColumn {
 public:
  static constexpr size_t kMaxCodes = 256;

  StringColumn() = default;
  StringColumn(std::initializer_list<std::string_view> values) { assignValues(values.begin(), values.end()); }
  // NOLINTNEXTLINE(google-explicit-constructor): replaces a vector
  StringColumn(const std::vector<std::string>& values) { assignValues(values.begin(), values.end()); }
  StringColumn& operator=(std::initializer_list<std::string_view> values) {
    assignValues(values.begin(), values.end());
    return *this;
  }

  std::string_view operator[](size_t i) const {
    return coded_ ? valueAt(codes_[i]) : valueAt(i);
  }
  size_t size() const { return coded_ ? codes_.size() : offsetCount() - 1; }
  bool empty() const { return size() == 0; }
  // True while rows are codes into a table of distinct values.
  bool coded() const { return coded_; }
  // The distinct values of a coded column, in order of first appearance.
  size_t distinctCount() const { return coded_ ? offsetCount() - 1 : 0; }
  size_t heapBytes() const {
    return bytes_.capacity() + offsets_.capacity() * sizeof(uint32_t) + wideOffsets_.capacity() * sizeof(uint64_t) +
           codes_.capacity() + hashes_.capacity() * sizeof(uint32_t);
  }

  void push_back(std::string_view v);  // NOLINT(readability-identifier-naming): reads like the vector it replaces
  void emplace_back() { push_back({}); }  // NOLINT(readability-identifier-naming)
  // Capacity for `rows` rows (codes; offsets once plain).
  void reserve(size_t rows);
  void clear();
  void shrink_to_fit();  // NOLINT(readability-identifier-naming)
  std::vector<std::string> toVector() const {
    std::vector<std::string> out;
    out.reserve(size());
    for (size_t i = 0; i < size(); ++i) out.emplace_back((*this)[i]);
    return out;
  }

  // The raw layout, for the data cache's codec: a coded column is `codes` into the values
  // [offsets[k], offsets[k+1]) of `bytes`; a plain one has one offset a row plus one.
  const std::string& bytes() const { return bytes_; }
  const std::vector<uint8_t>& codes() const { return codes_; }
  std::vector<uint64_t> offsets() const {
    std::vector<uint64_t> out(offsetCount());
    for (size_t i = 0; i < out.size(); ++i) out[i] = offsetAt(i);
    return out;
  }
  // Rebuilds a column from that layout; false (and an empty column) when it is inconsistent.
  bool assignRaw(bool coded, std::string bytes, const std::vector<uint64_t>& offsets, std::vector<uint8_t> codes);

  class Iterator {
   public:
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    Iterator(const StringColumn* c, size_t i) : c_(c), i_(i) {}
    std::string_view operator*() const { return (*c_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const Iterator& o) const { return i_ == o.i_; }

   private:
    const StringColumn* c_;
    size_t i_;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

  friend bool operator==(const StringColumn& a, const StringColumn& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  friend bool operator==(const StringColumn& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  friend std::ostream& operator<<(std::ostream& os, const StringColumn& c) {
    os << '{';
    for (size_t i = 0; i < c.size(); ++i) os << (i ? ", \"" : "\"") << c[i] << '"';
    return os << '}';
  }

 private:
  template <class It>
  void assignValues(It first, It last) {
    clear();
    for (; first != last; ++first) push_back(*first);
  }
  size_t offsetCount() const { return wide_ ? wideOffsets_.size() : offsets_.size(); }
  uint64_t offsetAt(size_t i) const { return wide_ ? wideOffsets_[i] : offsets_[i]; }
  std::string_view valueAt(size_t k) const {
    const uint64_t a = offsetAt(k);
    return {bytes_.data() + a, static_cast<size_t>(offsetAt(k + 1) - a)};
  }
  void appendValue(std::string_view v);  // to bytes_, with its end offset
  void uncode();                         // coded -> plain

  bool coded_ = true;  // every column starts coded, and may stay so
  bool wide_ = false;  // offsets in wideOffsets_ (the buffer passed 4 GiB)
  std::string bytes_;
  std::vector<uint32_t> offsets_{0};  // coded: per distinct value; plain: per row (+1)
  std::vector<uint64_t> wideOffsets_;
  std::vector<uint8_t> codes_;    // coded: per row
  std::vector<uint32_t> hashes_;  // coded: per distinct value, to find it again
};

// One attribute column. Only the vector matching `type` is used; Date uses ints (days
// since 1970-01-01); String uses strings (one buffer, see StringColumn).
struct AttributeColumn {
  std::string name;
  FieldType type = FieldType::Invalid;
  std::vector<int64_t> ints;
  std::vector<double> reals;
  StringColumn strings;
  NullFlags isNull;  // no memory while no row is null

  size_t size() const { return isNull.size(); }
  // A String column's value in place ("" for null); valid until the column next changes.
  std::string_view str(size_t row) const { return strings[row]; }
  void appendString(std::string_view v) { strings.push_back(v); }
  // The value as text, as shown in tooltips and tables ("" for null).
  std::string text(size_t row) const;
  // The value as a number (NaN for null or non-numeric).
  double number(size_t row) const;
};

inline constexpr int32_t kNoDay = std::numeric_limits<int32_t>::min();

// The time filter's rule, shared by the renderer's shaders, labels and picking: a feature
// with span [start, end] (kNoDay: open) shows on `day` when start <= day <= end; on kNoDay
// (no filter) everything shows.
inline bool spanShows(int32_t start, int32_t end, int32_t day) {
  return day == kNoDay || ((start == kNoDay || start <= day) && (end == kNoDay || day <= end));
}

// How the time slider's day selects features (issue 4). Span: what spanShows says (a
// feature shows while its span covers the day). Cumulative: everything that started on or
// before the day, ended or not. Window: what started in (day - windowDays, day] — a
// feature with no start (there all along) did not start in any window, so it is not shown.
enum class TimeMode : uint8_t { Span = 0, Cumulative = 1, Window = 2 };

struct TimeFilter {
  int32_t day = kNoDay;  // kNoDay: no filter, every mode shows everything
  TimeMode mode = TimeMode::Span;
  int32_t windowDays = 365;
  TimeFilter() = default;
  // Implicit on purpose: a plain day is the Span filter every caller used before modes.
  TimeFilter(int32_t d) : day(d) {}  // NOLINT(google-explicit-constructor)
  TimeFilter(int32_t d, TimeMode m, int32_t w) : day(d), mode(m), windowDays(w) {}
};

// A feature with span [start, end] under a filter (see TimeMode).
inline bool filterShows(int32_t start, int32_t end, const TimeFilter& f) {
  if (f.day == kNoDay) return true;
  switch (f.mode) {
    case TimeMode::Span: return spanShows(start, end, f.day);
    case TimeMode::Cumulative: return start == kNoDay || start <= f.day;
    case TimeMode::Window:
      return start != kNoDay && start <= f.day && int64_t{start} > int64_t{f.day} - f.windowDays;
  }
  return true;
}

struct FeatureTable {
  GeometryColumn geometry;
  std::vector<AttributeColumn> columns;
  std::vector<std::string> ids;      // empty: ids are the feature numbers
  std::vector<int32_t> startDay;     // empty: no time
  std::vector<int32_t> endDay;

  size_t featureCount() const { return geometry.featureCount(); }
  const AttributeColumn* column(std::string_view name) const;
  int columnIndex(std::string_view name) const;
  std::string featureId(size_t feature) const;
  bool hasTime() const { return !startDay.empty(); }
  // Whether `feature` shows on `day` (always, for a table without time).
  bool shownOn(size_t feature, const TimeFilter& filter) const {
    return !hasTime() || filterShows(startDay[feature], endDay[feature], filter);
  }
};

// Dates: "YYYY-MM-DD" <-> days since 1970-01-01 (proleptic Gregorian).
std::optional<int32_t> parseDate(std::string_view text);
std::string formatDate(int32_t day);

}  // namespace bcmap

// bcmap plugin SDK, section 7: reading files and emitting features.
// Part of <bcmap/bcmap_plugin.hpp>, which includes the parts in order: include that, not
// this file. (The wrapper is split only to keep each file readable.)
#pragma once

#include "style.hpp"

namespace bcmap::sdk {

// ---- 7. reading files and emitting features --------------------------------------------
// A request to read a vector file through the host's GDAL service; strings are owned.
struct VectorRequest {
  std::string path;                                        // relative: in the host's geodata/
  std::vector<std::pair<std::string, std::string>> fields;  // layer field, source field
  std::string layerName, filter, sourceCrs;                 // empty: first layer, all, the file's
  std::string startField, endField, idField;                // time span and ids (optional)
  bool gcj02 = false;
  bool detectTime = false;  // ABI 1.4: empty start/end fields are found by the host
};

// Feature geometry, owned: parts of rings of vertices (xy pairs). A point: one vertex.
struct Geometry {
  std::vector<uint32_t> rings;     // rings per part
  std::vector<uint32_t> vertices;  // vertices per ring
  std::vector<double> xy;
  static Geometry point(double x, double y) { return Geometry{{1}, {1}, {x, y}}; }
  bool empty() const { return xy.empty(); }
  // Adds the parts of `g` (a feature made of several, e.g. a county in two pieces).
  Geometry& operator+=(const Geometry& g) {
    rings.insert(rings.end(), g.rings.begin(), g.rings.end());
    vertices.insert(vertices.end(), g.vertices.begin(), g.vertices.end());
    xy.insert(xy.end(), g.xy.begin(), g.xy.end());
    return *this;
  }
};

struct Cell;

// The rows of one batch handed to the plugin by readRows: fields by name, geometry copied
// out by feature, the time span the host parsed.
class Rows {
 public:
  Rows(const char* crs, const bcmap_field_v1* fields, uint32_t count, const bcmap_batch_v1& b)
      : crs_(crs ? crs : ""), fields_(fields), count_(count), b_(b) {
    size_t part = 0, ring = 0, vertex = 0;
    for (uint32_t f = 0; f < b.feature_count; ++f) {
      first_.push_back({part, ring, vertex});
      const uint32_t parts = b.parts_per_feature ? b.parts_per_feature[f] : 1;
      for (uint32_t p = 0; p < parts; ++p, ++part) {
        const uint32_t rings = b.rings_per_part ? b.rings_per_part[part] : 1;
        for (uint32_t r = 0; r < rings; ++r, ++ring) vertex += b.vertices_per_ring ? b.vertices_per_ring[ring] : 1;
      }
    }
    first_.push_back({part, ring, vertex});
  }
  uint32_t size() const { return b_.feature_count; }
  const std::string& crs() const { return crs_; }
  // Throws unless the coordinates are WGS 84 longitude/latitude (`what`: the file).
  void requireLonLat(const std::string& what) const {
    if (crs_ != "EPSG:4326" && crs_ != "OGC:CRS84")
      throw Error(what + ": coordinates must be WGS 84 longitude/latitude, not " + crs_);
  }
  Row row(uint32_t f) const { return Row(fields_, b_.values + size_t(f) * count_, count_); }
  // Throws "<what>: no field 'x'; the fields are: ..." unless every name is a field.
  void require(std::initializer_list<std::string_view> names, const std::string& what) const {
    const Row r(fields_, nullptr, count_);
    for (std::string_view n : names)
      if (!r.has(n)) try {
          (void)r[n];
        } catch (const Error& e) {
          throw Error(what + ": " + e.what());
        }
  }
  // The feature's id as the host gives it ("" without).
  std::string id(uint32_t f) const { return b_.ids && b_.ids[f] ? b_.ids[f] : ""; }
  Date start(uint32_t f) const { return Date{b_.start_day ? b_.start_day[f] : BCMAP_NO_DAY}; }
  Date end(uint32_t f) const { return Date{b_.end_day ? b_.end_day[f] : BCMAP_NO_DAY}; }
  bool hasPosition(uint32_t f) const { return first_[f + 1].vertex > first_[f].vertex; }
  // The first vertex (a point's position, a line's origin).
  std::pair<double, double> firstVertex(uint32_t f) const {
    return {b_.xy[2 * first_[f].vertex], b_.xy[2 * first_[f].vertex + 1]};
  }
  // The first vertex as a point (a point layer's position, a line's origin).
  Geometry point(uint32_t f) const {
    const auto [x, y] = firstVertex(f);
    return Geometry::point(x, y);
  }
  // The row's values (cellsOf), then the longitude and latitude of its first vertex: a row
  // passed on with its label anchored at its origin (the host places a label at label_lon,
  // label_lat when the layer declares them; declare them last).
  std::vector<Cell> cellsWithOrigin(uint32_t f) const;
  Geometry geometry(uint32_t f) const {
    Geometry g;
    const Span &a = first_[f], &z = first_[f + 1];
    for (size_t p = a.part; p < z.part; ++p) g.rings.push_back(b_.rings_per_part ? b_.rings_per_part[p] : 1);
    for (size_t r = a.ring; r < z.ring; ++r) g.vertices.push_back(b_.vertices_per_ring ? b_.vertices_per_ring[r] : 1);
    g.xy.assign(b_.xy + 2 * a.vertex, b_.xy + 2 * z.vertex);
    return g;
  }

 private:
  struct Span {
    size_t part, ring, vertex;
  };
  std::string crs_;
  const bcmap_field_v1* fields_;
  uint32_t count_;
  const bcmap_batch_v1& b_;
  std::vector<Span> first_;
};

// A value the plugin emits, owned. Cell::text("x"), real(1.5) (NaN: null), integer(3),
// date(day) (BCMAP_NO_DAY: null), null(), or copy(row["x"]) to pass a read value on.
struct Cell {
  bcmap_value_v1 v{sizeof(bcmap_value_v1), 0, 0, 0, nullptr};
  std::optional<std::string> s;
  static Cell text(std::string t) { Cell c; c.s = std::move(t); return c; }
  static Cell real(double x) { Cell c; c.v.is_null = std::isnan(x); c.v.real_value = x; return c; }
  static Cell real(const Value& x) { return x.isNull() ? null() : real(x.asDouble()); }
  static Cell integer(int64_t i) { Cell c; c.v.int_value = i; return c; }
  static Cell date(Date d) { Cell c; c.v.is_null = d.isOpen(); c.v.int_value = d.day; return c; }
  static Cell null() { Cell c; c.v.is_null = 1; return c; }
  static Cell copy(const Value& from) {
    if (from.isNull()) return null();
    Cell c;
    c.v = from.raw();
    c.v.struct_size = sizeof c.v;
    if (c.v.str_value) c.s = c.v.str_value;
    c.v.str_value = nullptr;
    return c;
  }
};

// Every value of a row, owned, in field order (to pass a read row on).
inline std::vector<Cell> cellsOf(const Row& row) {
  std::vector<Cell> out;
  for (uint32_t k = 0; k < row.size(); ++k) out.push_back(Cell::copy(row.at(k)));
  return out;
}

inline std::vector<Cell> Rows::cellsWithOrigin(uint32_t f) const {
  std::vector<Cell> out = cellsOf(row(f));
  const auto [lon, lat] = firstVertex(f);
  out.push_back(Cell::real(lon));
  out.push_back(Cell::real(lat));
  return out;
}

// 1 January of the year in `v` (an integer field, or text such as "2017"), for a thing shown
// from its year on. Throws "<what>: year '<text>' is not a year" for anything but a whole
// year 1900..2100 (`what`: the file and the feature).
inline Date yearStart(const Value& v, const std::string& what) {
  const std::string s = v.text();
  int year = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), year);
  if (ec != std::errc() || end != s.data() + s.size() || year < 1900 || year > 2100)
    throw Error(what + ": year '" + s + "' is not a year");
  return Date::fromCivil(year, 1, 1);
}

// Where a running count changes class: `days` holds the day each thing happened (open: never),
// `classOf(n)` the class of a count of n. Returns (day, count) for the start (Date{}, 0) and
// each day the count enters another class, e.g. the share of villages that reached a
// standard passing 20 %, 40 %, ... per county. Feed the days to Features::addSpans.
template <class ClassOf>
std::vector<std::pair<Date, size_t>> classSteps(std::vector<Date> days, ClassOf classOf) {
  auto key = [](Date d) { return d.isOpen() ? INT64_MAX : int64_t(d.day); };  // open days last
  std::sort(days.begin(), days.end(), [&](Date a, Date b) { return key(a) < key(b); });
  std::vector<std::pair<Date, size_t>> steps{{Date{}, 0}};
  for (size_t i = 0; i < days.size() && !days[i].isOpen(); ++i)
    if ((i + 1 == days.size() || days[i + 1] != days[i]) && classOf(i + 1) != classOf(steps.back().second))
      steps.push_back({days[i], i + 1});
  return steps;
}

// Polygons grouped by a key field, the first step of "rows -> per-county state spans": a
// county in two pieces is one Region with both parts; its values are the last row's, by
// name; `days` collects whatever dates the layer gathers for it (e.g. from its villages).
struct Region {
  Geometry geometry;
  std::vector<std::string> names;
  std::vector<Cell> cells;
  std::vector<Date> days;
  // The value of field `name` (null when the file has no such field).
  Cell cell(std::string_view name) const {
    for (size_t k = 0; k < names.size(); ++k)
      if (names[k] == name) return cells[k];
    return Cell::null();
  }
  std::string text(std::string_view name) const {
    const Cell c = cell(name);
    return c.v.is_null || !c.s ? std::string() : *c.s;
  }
};
class Regions {
 public:
  // Adds a batch's rows, keyed by the text of field `key`.
  void add(const Rows& rows, const std::string& key) {
    for (uint32_t f = 0; f < rows.size(); ++f) {
      const Row row = rows.row(f);
      Region& r = regions_[row[key].text()];
      r.names.clear();
      for (uint32_t k = 0; k < row.size(); ++k) r.names.push_back(row.fieldName(k));
      r.cells = cellsOf(row);
      r.geometry += rows.geometry(f);
    }
  }
  Region* find(const std::string& key) {
    auto it = regions_.find(key);
    return it == regions_.end() ? nullptr : &it->second;
  }
  auto begin() const { return regions_.begin(); }
  auto end() const { return regions_.end(); }

 private:
  std::map<std::string, Region> regions_;
};

// Features the plugin makes, to hand to Loader::emit: geometry, values in the declared
// field order, and the time span. Owns everything until emitted.
class Features {
 public:
  // `id`: a stable id for identify and the selection; none given for every feature: the
  // host numbers them.
  void add(const Geometry& g, std::vector<Cell> values, Date start = {}, Date end = {}, std::string id = {}) {
    ids_.push_back(std::move(id));
    parts_.push_back(uint32_t(g.rings.size()));
    rings_.insert(rings_.end(), g.rings.begin(), g.rings.end());
    vertices_.insert(vertices_.end(), g.vertices.begin(), g.vertices.end());
    xy_.insert(xy_.end(), g.xy.begin(), g.xy.end());
    for (Cell& c : values) cells_.push_back(std::move(c));
    start_.push_back(start.day);
    end_.push_back(end.day);
  }
  // One feature per state a thing passes through: steps[i] holds from its day (the first:
  // BCMAP_NO_DAY, from the start) until the day before the next step's; a step without
  // values is a gap (nothing shown). The usual shape of "rows -> per-county state spans".
  void addSpans(const Geometry& g, const std::vector<std::pair<Date, std::optional<std::vector<Cell>>>>& steps) {
    for (size_t k = 0; k < steps.size(); ++k) {
      if (!steps[k].second) continue;
      const Date until = k + 1 < steps.size() ? Date{steps[k + 1].first.day - 1} : Date{};
      add(g, *steps[k].second, steps[k].first, until);
    }
  }
  // One feature per step of a timeline: steps[k] = (its first day, its state; the first
  // step's day open: from the start); each holds until the day before the next step, the
  // last open-ended. values(state, from, until) gives the feature's values.
  template <class State, class Values>
  void addSteps(const Geometry& g, const std::vector<std::pair<Date, State>>& steps, Values values) {
    for (size_t k = 0; k < steps.size(); ++k) {
      const Date from = steps[k].first, until{k + 1 < steps.size() ? steps[k + 1].first.day - 1 : BCMAP_NO_DAY};
      add(g, values(steps[k].second, from, until), from, until);
    }
  }
  // A thing that changes state once, on `day`: `before` until the day before, `after` (if
  // given) from `day` on; an open day: `before` throughout.
  void addChange(const Geometry& g, Date day, std::vector<Cell> before, std::optional<std::vector<Cell>> after) {
    if (day.isOpen()) return add(g, std::move(before));
    add(g, std::move(before), Date{}, Date{day.day - 1});
    if (after) add(g, std::move(*after), day);
  }
  size_t size() const { return start_.size(); }
  bcmap_batch_v1 batch() {
    values_.clear();
    for (Cell& c : cells_) {
      values_.push_back(c.v);
      if (c.s) values_.back().str_value = c.s->c_str();
    }
    bcmap_batch_v1 b{};
    b.struct_size = sizeof b;
    b.feature_count = uint32_t(start_.size());
    b.parts_per_feature = parts_.data();
    b.rings_per_part = rings_.data();
    b.vertices_per_ring = vertices_.data();
    b.xy = xy_.data();
    b.values = values_.data();
    b.start_day = start_.data();
    b.end_day = end_.data();
    idPtrs_.clear();
    for (const std::string& id : ids_) idPtrs_.push_back(id.c_str());
    const bool anyId = std::any_of(ids_.begin(), ids_.end(), [](const std::string& id) { return !id.empty(); });
    b.ids = anyId ? idPtrs_.data() : nullptr;
    return b;
  }

 private:
  std::deque<std::string> ids_;
  std::vector<const char*> idPtrs_;
  std::vector<uint32_t> parts_, rings_, vertices_;
  std::vector<double> xy_;
  std::deque<Cell> cells_;  // a deque never moves its strings
  std::vector<bcmap_value_v1> values_;
  std::vector<int32_t> start_, end_;
};

}  // namespace bcmap::sdk
